import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { fail, ok, orderedOperators } from '../shared.ts';

const config = z.strictObject({ min: z.number().int().optional(), max: z.number().int().optional() });

/** A bound as people read it (fen → yuan with separators: 10000000 → 100,000.00), for the issue texts. */
function yuan(fen: number): string {
  return (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Money travels as an integer of fen (分) through the API: ¥1,234.50 is 123450. */
export const moneyField = defineFieldType({
  type: 'money',
  configSchema: config,
  column: () => ({ kind: 'bigint' }),
  expressionType: () => 'money',
  parse: (value, c) => {
    if (value === null || value === undefined) return ok(null);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail('not_fen');
    if (c.min !== undefined && value < c.min)
      return fail('too_small', { min: yuan(c.min), unit: ' yuan', unitZh: ' 元' });
    if (c.max !== undefined && value > c.max)
      return fail('too_large', { max: yuan(c.max), unit: ' yuan', unitZh: ' 元' });
    return ok(value);
  },
  operators: orderedOperators,
});
