import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { jsonOperators, parseText } from '../shared.ts';

const config = z.strictObject({ maxLength: z.number().int().min(1).max(200_000).default(100_000) });

// TODO(sanitisation): no well-kept HTML sanitiser (sanitize-html, DOMPurify) is installed, so the HTML is
// stored as given and MUST be sanitised before it is rendered. Adding one belongs to this type's parse.
export const richtextField = defineFieldType({
  type: 'richtext',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => null,
  parse: (value, c) => parseText(value, c.maxLength),
  operators: jsonOperators,
});
