import { z } from 'zod';
import { defineFieldType, type Parsed } from '../define.ts';
import { fail, ok, orderedOperators } from '../shared.ts';

const config = z
  .strictObject({
    precision: z.number().int().min(1).max(18).default(18),
    scale: z.number().int().min(0).max(10).default(2),
    min: z.number().optional(),
    max: z.number().optional(),
    unit: z.string().max(20).optional(),
  })
  .refine((c) => c.scale < c.precision, { message: 'scale must be below precision', path: ['scale'] });

export type NumberConfig = z.infer<typeof config>;

export function parseDecimal(
  value: unknown,
  c: { precision: number; scale: number; min?: number; max?: number },
): Parsed {
  if (value === null || value === undefined) return ok(null);
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('not_number', 'a number');
  const factor = 10 ** c.scale;
  if (Math.abs(Math.round(value * factor) - value * factor) > 1e-6) {
    return fail('too_many_decimals', `at most ${c.scale} decimals`);
  }
  if (Math.abs(value) >= 10 ** (c.precision - c.scale)) return fail('too_large', 'the number is too large');
  if (c.min !== undefined && value < c.min) return fail('too_small', `at least ${c.min}`);
  if (c.max !== undefined && value > c.max) return fail('too_large', `at most ${c.max}`);
  return ok(value);
}

export const numberField = defineFieldType({
  type: 'number',
  configSchema: config,
  column: (_dialect, c) => ({ kind: c.scale === 0 ? 'bigint' : 'decimal' }),
  expressionType: () => 'number',
  parse: (value, c) => parseDecimal(value, c),
  convert: (value, c) => parseDecimal(typeof value === 'string' && value.trim() !== '' ? Number(value) : value, c),
  operators: orderedOperators,
});
