import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = z.strictObject({ max: z.number().int().min(1).max(500).default(100) });

/** Several department ids, stored as a JSON array. */
export const departmentsField = defineFieldType({
  type: 'departments',
  configSchema: config,
  column: () => ({ kind: 'json' }),
  expressionType: () => 'list<department>',
  parse: (value, c) => parseIds(value, c.max),
  ...jsonCodec,
  operators: jsonOperators,
});
