import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { fail, jsonCodec, jsonOperators, ok, optionsSchema } from '../shared.ts';

const config = z.strictObject({ options: optionsSchema });

/** Several option codes, stored as a JSON array in the order of the options. */
export const checkboxesField = defineFieldType({
  type: 'checkboxes',
  configSchema: config,
  column: () => ({ kind: 'json' }),
  expressionType: () => 'list<text>',
  parse: (value, c) => {
    if (value === null || value === undefined) return ok(null);
    if (!Array.isArray(value)) return fail('not_list');
    const chosen = new Set(value);
    if (chosen.size !== value.length) return fail('duplicate');
    if (!value.every((code) => c.options.some((option) => option.code === code))) {
      return fail('not_option');
    }
    return ok(c.options.filter((option) => chosen.has(option.code)).map((option) => option.code));
  },
  ...jsonCodec,
  operators: jsonOperators,
});
