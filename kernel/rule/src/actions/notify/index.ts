import { outbox } from '@baton/db';
import { z } from 'zod';
import { defineRuleAction } from '../define.ts';
import { exprSchema, idsOf, labelSchema, paramsSchema } from '../shared.ts';

/**
 * The outbox topic and payload of @baton/message's `sendMessage` (rule may not import message: the composition root
 * registers its deliverer for this topic, so a notice is delivered exactly when the action commits).
 */
export const MESSAGE_TOPIC = 'message.send';
const KIND = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Tells members (in-app, e-mail … as each chose) through the outbox. */
export const notifyAction = defineRuleAction({
  kind: 'notify',
  configSchema: z.strictObject({
    /** A member, a list of members (or ids as text). */
    to: exprSchema,
    title: labelSchema,
    body: labelSchema.optional(),
    params: paramsSchema,
    /** An app path or web address; default the request (flow rules). */
    link: z
      .string()
      .max(2000)
      .regex(/^(\/(?!\/)|https?:\/\/)/i)
      .optional(),
    /** The notice kind members choose channels for; default `rule.<pack>.<key>`. */
    category: z.string().max(64).regex(KIND).optional(),
  }),
  check(config, context) {
    const type = context.expr(['to'], config.to);
    if (type !== undefined && !['member', 'list<member>', 'text', 'list<text>', 'unknown'].includes(type)) {
      context.add(['to'], 'not_members');
    }
    context.template(['title'], config.title, config.params, ['params']);
    if (config.body) context.template(['body'], config.body, config.params, ['params']);
  },
  async run(rt, config) {
    const recipients = idsOf(rt.eval(['to']));
    if (recipients.length === 0) return;
    const title = rt.text(config.title, config.params, ['params']);
    const body = config.body ? rt.text(config.body, config.params, ['params']) : undefined;
    const link = config.link ?? (rt.source.instanceId ? `/work/instances/${rt.source.instanceId}` : undefined);
    const dedupeKey = `rule:${rt.actionKey}`;
    const { id } = await outbox.append(rt.ctx, {
      topic: MESSAGE_TOPIC,
      key: `${MESSAGE_TOPIC}:${dedupeKey}`,
      payload: {
        recipients: recipients.slice(0, 1000),
        kind: config.category ?? `rule.${rt.rule.pack}.${rt.rule.key}`,
        title: { zh: clip(title.zh, 200), en: clip(title.en, 200) },
        ...(body ? { body: { zh: clip(body.zh, 4000), en: clip(body.en, 4000) } } : {}),
        ...(link ? { link } : {}),
        dedupeKey,
      },
    });
    rt.effect({ kind: 'notify', outboxId: id, recipients: recipients.length });
  },
});
