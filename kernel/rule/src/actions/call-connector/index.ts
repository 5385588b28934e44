import { outbox } from '@baton/db';
import { z } from 'zod';
import { defineRuleAction } from '../define.ts';
import { namedExprsSchema } from '../shared.ts';

/** @baton/integration delivers this topic (payload `{ connector, body }`, the row's key as idempotency key). */
export const CONNECTOR_TOPIC = 'connector.call';

/** Calls a configured connector (ERP voucher, NC payment push) after commit, through the outbox. */
export const callConnectorAction = defineRuleAction({
  kind: 'callConnector',
  configSchema: z.strictObject({
    connector: z
      .string()
      .max(100)
      .regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/, 'dotted words such as erp.voucher'),
    /** Body key → expression (`$record.id`, `$event.instanceId` name the source). */
    body: namedExprsSchema(z.string().regex(/^[A-Za-z_]\w{0,63}$/)).default({}),
  }),
  check(config, context) {
    for (const [key, source] of Object.entries(config.body)) context.expr(['body', key], source);
  },
  async run(rt, config) {
    const body: Record<string, unknown> = {};
    for (const key of Object.keys(config.body)) body[key] = rt.eval(['body', key]);
    const { id } = await outbox.append(rt.ctx, {
      topic: CONNECTOR_TOPIC,
      key: `${CONNECTOR_TOPIC}:rule:${rt.actionKey}`,
      payload: { connector: config.connector, body },
    });
    rt.effect({ kind: 'callConnector', outboxId: id, connector: config.connector });
  },
});
