import { defineFieldType } from '../define.ts';
import { emptyConfig, idOperators, parseId } from '../shared.ts';

/** One post id. */
export const postField = defineFieldType({
  type: 'post',
  configSchema: emptyConfig,
  column: () => ({ kind: 'id' }),
  expressionType: () => 'text',
  parse: (value) => parseId(value),
  operators: idOperators,
});
