import { defineFieldType } from '../define.ts';
import { emptyConfig, idOperators, parseId } from '../shared.ts';

/** One department id. */
export const departmentField = defineFieldType({
  type: 'department',
  configSchema: emptyConfig,
  column: () => ({ kind: 'id' }),
  expressionType: () => 'department',
  parse: (value) => parseId(value),
  operators: idOperators,
});
