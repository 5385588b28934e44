import { defineFieldType } from '../define.ts';
import { emptyConfig, fail, ok, orderedOperators } from '../shared.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const monthField = defineFieldType({
  type: 'month',
  configSchema: emptyConfig,
  column: () => ({ kind: 'text' }),
  expressionType: () => 'text',
  parse: (value) => {
    if (value === null || value === undefined) return ok(null);
    return typeof value === 'string' && MONTH.test(value) ? ok(value) : fail('not_month');
  },
  operators: orderedOperators,
});
