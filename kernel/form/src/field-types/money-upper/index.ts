import { z } from 'zod';
import { FormIssues } from '../../issues.ts';
import { defineFieldType } from '../define.ts';
import { ok, textOperators } from '../shared.ts';

const config = z.strictObject({ of: z.string().min(1).max(40) });

/** 大写金额 of a money field (`96453` fen → 玖佰陆拾肆元伍角叁分), computed by the server with UPPERMONEY. */
export const moneyUpperField = defineFieldType({
  type: 'moneyUpper',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => 'text',
  parse: (value) => ok(value ?? null),
  // `of` is checked to be a money field of the form before this expression is compiled.
  formula: (c) => ({ expr: `UPPERMONEY(${c.of})`, expect: 'text' }),
  check: (c, form) =>
    form.expressionTypeOf(c.of) === 'money' ? [] : [FormIssues.issue(['of'], 'not_money_field', { field: c.of })],
  operators: textOperators,
});
