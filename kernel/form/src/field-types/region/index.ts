import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { fail, jsonCodec, jsonOperators, ok } from '../shared.ts';

const config = z.strictObject({ levels: z.number().int().min(1).max(3).default(3) });
const CODE = /^\d{6}$/;

/** 省/市/区: a JSON array of up to three 6-digit administrative codes, province first. */
export const regionField = defineFieldType({
  type: 'region',
  configSchema: config,
  column: () => ({ kind: 'json' }),
  expressionType: () => null,
  parse: (value, c) => {
    if (value === null || value === undefined) return ok(null);
    if (!Array.isArray(value) || value.length === 0 || value.length > c.levels) {
      return fail('not_region', { levels: c.levels });
    }
    if (!value.every((code) => typeof code === 'string' && CODE.test(code))) {
      return fail('not_region', { levels: c.levels });
    }
    return ok([...value]);
  },
  ...jsonCodec,
  operators: jsonOperators,
});
