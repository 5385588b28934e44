import { z } from 'zod';
import { sanitizeRichText } from '../../sanitize.ts';
import { defineFieldType, type Parsed } from '../define.ts';
import { jsonOperators, ok, parseText } from '../shared.ts';

const config = z.strictObject({ maxLength: z.number().int().min(1).max(200_000).default(100_000) });

/** HTML sanitised on every write (allow-list in sanitize.ts): what is stored is safe to render. */
function parseRichText(value: unknown, maxLength: number): Parsed {
  const parsed = parseText(value, maxLength);
  if (!parsed.ok || parsed.value === null) return parsed;
  return ok(sanitizeRichText(parsed.value as string));
}

export const richtextField = defineFieldType({
  type: 'richtext',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => null,
  parse: (value, c) => parseRichText(value, c.maxLength),
  operators: jsonOperators,
});
