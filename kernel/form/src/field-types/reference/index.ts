import { z } from 'zod';
import { keyProblem } from '../../keys.ts';
import { defineFieldType } from '../define.ts';
import { idOperators, parseId } from '../shared.ts';

const config = z.strictObject({
  /** `pack.form` of the referenced form. */
  form: z
    .string()
    .max(81)
    .refine((value) => {
      const parts = value.split('.');
      return parts.length === 2 && parts.every((part) => keyProblem(part) === undefined);
    }, 'pack.form with two valid keys'),
  /** The field of the referenced form shown in place of the id. */
  display: z.string().refine((value) => keyProblem(value) === undefined, 'a valid field key'),
});

/** The id of a record of another form (filling and filtering the picker come later). */
export const referenceField = defineFieldType({
  type: 'reference',
  configSchema: config,
  column: () => ({ kind: 'id' }),
  expressionType: () => 'text',
  parse: (value) => parseId(value),
  indexed: true,
  operators: idOperators,
});
