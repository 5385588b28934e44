import { defineFieldType } from '../define.ts';
import { emptyConfig, idOperators, parseId } from '../shared.ts';

/** One unit id. */
export const unitField = defineFieldType({
  type: 'unit',
  configSchema: emptyConfig,
  column: () => ({ kind: 'id' }),
  expressionType: () => 'text',
  parse: (value) => parseId(value),
  operators: idOperators,
});
