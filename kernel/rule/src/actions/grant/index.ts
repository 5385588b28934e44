import { createGrant, revokeGrant } from '@baton/access';
import { z } from 'zod';
import { defineRuleAction, type Effect } from '../define.ts';
import { exprSchema, formRefSchema, typedExprSchema } from '../shared.ts';

const DAY = 86_400_000;

/**
 * A time-limited grant (借阅) on a record of a form, through @baton/access: the grant test in the record scope SQL
 * compares its expiry with ctx.clock's now, so access ends at expiry without any job running. Undone by revoking.
 */
export const grantAction = defineRuleAction({
  kind: 'grant',
  configSchema: z.strictObject({
    /** The form whose record is lent; the grant's resource is `pack.key`. */
    form: formRefSchema,
    /** The record id (a reference field holds one). */
    record: typedExprSchema('text'),
    /** Who may read it. */
    member: typedExprSchema('member'),
    access: z.enum(['read', 'write']).default('read'),
    /** A date (access ends when that day ends, China time) or an instant. Or `days` from now. */
    until: exprSchema.optional(),
    days: z.number().int().min(1).max(3650).optional(),
    reason: typedExprSchema('text').optional(),
  }),
  refs: (config) => ({ forms: [config.form] }),
  check(config, context) {
    context.form(['form'], config.form);
    context.expr(['record'], config.record, { expect: 'text' });
    context.expr(['member'], config.member, { expect: 'member' });
    if ((config.until === undefined) === (config.days === undefined)) {
      context.add([], 'until_or_days');
    }
    if (config.until !== undefined) {
      const type = context.expr(['until'], config.until);
      if (type !== undefined && type !== 'date' && type !== 'datetime' && type !== 'unknown') {
        context.add(['until'], 'not_a_date', { field: 'until' });
      }
    }
    if (config.reason !== undefined) context.expr(['reason'], config.reason, { expect: 'text' });
  },
  async run(rt, config) {
    const member = rt.eval(['member']);
    if (typeof member !== 'string' || member === '') throw rt.required(['member']);
    const record = rt.eval(['record']);
    if (typeof record !== 'string' || record === '') throw rt.required(['record']);
    let expiresAt: Date;
    if (config.days !== undefined) expiresAt = new Date(rt.ctx.clock.now().getTime() + config.days * DAY);
    else {
      const until = rt.eval(['until']);
      if (typeof until !== 'string' || until === '') throw rt.required(['until']);
      // A date lends the whole day: until the next midnight in China (UTC+8, no daylight saving).
      expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(until)
        ? new Date(new Date(`${until}T00:00:00+08:00`).getTime() + DAY)
        : new Date(until);
    }
    const reason = config.reason === undefined ? null : rt.eval(['reason']);
    const grant = await createGrant(rt.ctx, {
      memberId: member,
      resource: `${config.form.pack}.${config.form.key}`,
      recordId: record,
      access: config.access,
      expiresAt,
      reason:
        typeof reason === 'string' && reason !== '' ? reason.slice(0, 2000) : `rule ${rt.rule.pack}.${rt.rule.key}`,
    });
    rt.effect({ kind: 'grant', grantId: grant.id, expiresAt: grant.expiresAt });
  },
  async undo(rt, effect: Effect) {
    await revokeGrant(rt.ctx, {
      id: String(effect.grantId),
      reason: `compensation of rule ${rt.rule.pack}.${rt.rule.key}`,
    });
  },
});
