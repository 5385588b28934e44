import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { parseChoice } from '../select/index.ts';
import { idOperators, optionsSchema } from '../shared.ts';

const config = z.strictObject({ options: optionsSchema });

export const radioField = defineFieldType({
  type: 'radio',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => 'text',
  parse: (value, c) => parseChoice(value, c.options),
  operators: idOperators,
});
