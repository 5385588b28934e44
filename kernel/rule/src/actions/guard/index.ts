import { z } from 'zod';
import { RuleErrors } from '../../errors.ts';
import { defineRuleAction } from '../define.ts';
import { checkMatch, formRefSchema, labelSchema, matchSchema, paramsSchema, typedExprSchema } from '../shared.ts';

/**
 * Refuses the action that raised the event (submit, approve, a record write) with RULE_GUARD_REFUSED and a message
 * built from the record: "within budget" (申请金额 12,000.00 元超出剩余预算 8,000.00 元), "not paid twice". The
 * refusal rolls the whole action back, so nothing of it (nor of rules that already ran) remains.
 */
export const guardAction = defineRuleAction({
  kind: 'guard',
  configSchema: z.strictObject({
    /** True refuses; `$target.<field>` reads the looked-up record. */
    refuseWhen: typedExprSchema('boolean'),
    /** A record the condition compares with (the budget line the request names). */
    lookup: z
      .strictObject({
        form: formRefSchema,
        match: matchSchema,
        /** Nothing matches: refuse with RULE_TARGET_NOT_FOUND (default) or let the action through. */
        ifMissing: z.enum(['fail', 'skip']).default('fail'),
      })
      .optional(),
    message: labelSchema,
    params: paramsSchema,
  }),
  refs: (config) => ({ forms: config.lookup ? [config.lookup.form] : [] }),
  check(config, context) {
    const target = config.lookup ? context.form(['lookup', 'form'], config.lookup.form) : undefined;
    if (config.lookup) checkMatch(context, target, config.lookup.match, ['lookup', 'match']);
    const withTarget = target ? { target } : {};
    context.expr(['refuseWhen'], config.refuseWhen, { expect: 'boolean', ...withTarget });
    context.template(['message'], config.message, config.params, ['params'], withTarget);
  },
  async run(rt, config) {
    const target = config.lookup
      ? await rt.findTarget(
          config.lookup.form,
          config.lookup.match,
          ['lookup', 'match'],
          config.lookup.ifMissing === 'fail',
        )
      : undefined;
    if (config.lookup && !target) return;
    if (rt.eval(['refuseWhen'], target?.values) !== true) return;
    const message = rt.text(config.message, config.params, ['params'], target?.values);
    throw RuleErrors.guardRefused.create(
      { messageZh: message.zh, messageEn: message.en, rule: `${rt.rule.pack}.${rt.rule.key}` },
      rt.row ? { fields: [{ path: [rt.row.subtable, rt.row.index], code: 'guard_refused', message: message.en }] } : {},
    );
  },
});
