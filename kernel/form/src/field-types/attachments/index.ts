import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = z.strictObject({ maxFiles: z.number().int().min(1).max(100).default(50) });

/** A JSON list of attachment ids (file storage is another slice). */
export const attachmentsField = defineFieldType({
  type: 'attachments',
  configSchema: config,
  column: () => ({ kind: 'json' }),
  expressionType: () => null,
  parse: (value, c) => parseIds(value, c.maxFiles),
  ...jsonCodec,
  operators: jsonOperators,
});
