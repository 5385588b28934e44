import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { parseDecimal } from '../number/index.ts';
import { orderedOperators } from '../shared.ts';

const config = z.strictObject({ scale: z.number().int().min(0).max(6).default(2) });

/** A percentage as its number: 12.5 means 12.5 %. */
export const percentField = defineFieldType({
  type: 'percent',
  configSchema: config,
  column: () => ({ kind: 'decimal' }),
  expressionType: () => 'number',
  parse: (value, c) => parseDecimal(value, { precision: 12, scale: c.scale }),
  operators: orderedOperators,
});
