import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { asText, parseText, textOperators } from '../shared.ts';

const config = z.strictObject({ maxLength: z.number().int().min(1).max(2000).default(200) });

export const textField = defineFieldType({
  type: 'text',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => 'text',
  parse: (value, c) => parseText(value, c.maxLength),
  convert: (value, c) => parseText(asText(value), c.maxLength),
  operators: textOperators,
});
