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
  .refine((c) => c.scale < c.precision, {
    message: 'scale must be below precision',
    path: ['scale'],
    params: { zh: '小数位数须小于总位数' },
  });

export type NumberConfig = z.infer<typeof config>;

/** The largest value `precision` digits with `scale` decimals hold (99999999.99 for 10, 2). */
const largest = (c: { precision: number; scale: number }) =>
  '9'.repeat(c.precision - c.scale) + (c.scale > 0 ? `.${'9'.repeat(c.scale)}` : '');

export function parseDecimal(
  value: unknown,
  c: { precision: number; scale: number; min?: number; max?: number },
): Parsed {
  if (value === null || value === undefined) return ok(null);
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('not_number');
  const factor = 10 ** c.scale;
  if (Math.abs(Math.round(value * factor) - value * factor) > 1e-6) {
    return fail('too_many_decimals', { scale: c.scale });
  }
  if (Math.abs(value) >= 10 ** (c.precision - c.scale))
    return fail('too_large', { max: largest(c), unit: '', unitZh: '' });
  if (c.min !== undefined && value < c.min) return fail('too_small', { min: c.min, unit: '', unitZh: '' });
  if (c.max !== undefined && value > c.max) return fail('too_large', { max: c.max, unit: '', unitZh: '' });
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
