import { defineFieldType } from '../define.ts';
import { emptyConfig, idOperators, parseId } from '../shared.ts';

/** One member id. */
export const memberField = defineFieldType({
  type: 'member',
  configSchema: emptyConfig,
  column: () => ({ kind: 'id' }),
  expressionType: () => 'member',
  parse: (value) => parseId(value),
  operators: idOperators,
});
