import { defineFieldType, type Parsed } from '../define.ts';
import { emptyConfig, fail, ok, orderedOperators } from '../shared.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(value: unknown): Parsed {
  if (value === null || value === undefined) return ok(null);
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return fail('not_date');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return fail('not_date');
  }
  return ok(value);
}

export const dateField = defineFieldType({
  type: 'date',
  configSchema: emptyConfig,
  column: () => ({ kind: 'date' }),
  expressionType: () => 'date',
  parse: (value) => parseDate(value),
  operators: orderedOperators,
});
