import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = z.strictObject({ max: z.number().int().min(1).max(500).default(100) });

/** Several member ids, stored as a JSON array. */
export const membersField = defineFieldType({
  type: 'members',
  configSchema: config,
  column: () => ({ kind: 'json' }),
  expressionType: () => 'list<member>',
  parse: (value, c) => parseIds(value, c.max),
  ...jsonCodec,
  operators: jsonOperators,
});
