import { z } from 'zod';
import { defineFieldType, type Parsed } from '../define.ts';
import { fail, idOperators, type Option, ok, optionsSchema } from '../shared.ts';

const config = z.strictObject({ options: optionsSchema });

export function parseChoice(value: unknown, options: readonly Option[]): Parsed {
  if (value === null || value === undefined) return ok(null);
  if (typeof value !== 'string' || !options.some((option) => option.code === value)) {
    return fail('not_option');
  }
  return ok(value);
}

export const selectField = defineFieldType({
  type: 'select',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => 'text',
  parse: (value, c) => parseChoice(value, c.options),
  operators: idOperators,
});
