import { defineFieldType } from '../define.ts';
import { emptyConfig, fail, ok, orderedOperators } from '../shared.ts';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant with its zone, normalised to UTC ISO text with milliseconds. */
export const datetimeField = defineFieldType({
  type: 'datetime',
  configSchema: emptyConfig,
  column: () => ({ kind: 'instant' }),
  expressionType: () => 'datetime',
  parse: (value) => {
    if (value === null || value === undefined) return ok(null);
    if (typeof value !== 'string' || !INSTANT.test(value)) return fail('not_instant');
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return fail('not_instant');
    return ok(new Date(ms).toISOString());
  },
  operators: orderedOperators,
});
