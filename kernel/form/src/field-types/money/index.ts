import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { fail, ok, orderedOperators } from '../shared.ts';

const config = z.strictObject({ min: z.number().int().optional(), max: z.number().int().optional() });

/** Money travels as an integer of fen (分) through the API: ¥1,234.50 is 123450. */
export const moneyField = defineFieldType({
  type: 'money',
  configSchema: config,
  column: () => ({ kind: 'bigint' }),
  expressionType: () => 'money',
  parse: (value, c) => {
    if (value === null || value === undefined) return ok(null);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail('not_fen');
    if (c.min !== undefined && value < c.min) return fail('too_small', { min: c.min, unit: ' fen', unitZh: ' 分' });
    if (c.max !== undefined && value > c.max) return fail('too_large', { max: c.max, unit: ' fen', unitZh: ' 分' });
    return ok(value);
  },
  operators: orderedOperators,
});
