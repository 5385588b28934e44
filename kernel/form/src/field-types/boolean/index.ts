import { defineFieldType } from '../define.ts';
import { emptyConfig, fail, ok } from '../shared.ts';

export const booleanField = defineFieldType({
  type: 'boolean',
  configSchema: emptyConfig,
  column: () => ({ kind: 'boolean' }),
  expressionType: () => 'boolean',
  parse: (value) => {
    if (value === null || value === undefined) return ok(null);
    return typeof value === 'boolean' ? ok(value) : fail('not_boolean');
  },
  fromDb: (raw) => (raw === null || raw === undefined ? null : raw === 1 || raw === true || raw === '1'),
  operators: ['eq', 'ne', 'isNull'],
});
