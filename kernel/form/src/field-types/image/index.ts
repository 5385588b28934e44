import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = z.strictObject({ maxFiles: z.number().int().min(1).max(100).default(9) });

/** A JSON list of attachment ids (file storage is another slice). */
export const imageField = defineFieldType({
  type: 'image',
  configSchema: config,
  column: () => ({ kind: 'json' }),
  expressionType: () => null,
  parse: (value, c) => parseIds(value, c.maxFiles),
  ...jsonCodec,
  operators: jsonOperators,
});
