import { randomBytes } from 'node:crypto';
import { newId } from '@baton/core';
import { type DbCtx, fromJson, instant, type OutboxMessage, outbox, toJson } from '@baton/db';
import { z } from 'zod';
import { IntegrationErrors } from './errors.ts';
import { checkOutboundUrl, sendHttp } from './outbound.ts';
import { SIGNATURE_HEADER, signBody } from './signature.ts';
import { parseInput } from './validate.ts';

// Outbound webhooks: an administrator subscribes a URL to event types; each matching event becomes one outbox
// row per webhook in the transaction of the action that caused it, delivered after commit by a worker with
// retries and backoff (ADR 0003), signed with the webhook's secret, carrying a delivery id receivers dedupe on.

export const WEBHOOK_TOPIC = 'integration.webhook';

export type WebhookEvent = {
  /** Unique per event: with the webhook id it is the delivery's idempotency key. */
  id: string;
  /** `flow.approved`, `record.created` … */
  type: string;
  at: string;
  data: Readonly<Record<string, unknown>>;
};

export type Webhook = {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
};

const eventType = z.string().regex(/^(\*|[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*)$/, 'like flow.approved, or *');
const createInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  url: z.string().max(2000),
  events: z.array(eventType).min(1).max(50),
  enabled: z.boolean().optional(),
});

function toWebhook(row: {
  id: string;
  name: string;
  url: string;
  events: unknown;
  enabled: number | boolean;
  createdAt: string;
  updatedAt: string;
}): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: fromJson<string[]>(row.events),
    enabled: Boolean(row.enabled),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Subscribes a URL; the secret is returned here only (keep it: it signs every delivery). */
export async function createWebhook(
  ctx: DbCtx,
  input: z.input<typeof createInput>,
): Promise<Webhook & { secret: string }> {
  const data = parseInput(createInput, input);
  checkOutboundUrl(data.url);
  const now = instant(ctx.clock.now());
  const row = {
    id: newId(),
    name: data.name,
    url: data.url,
    secret: `whsec_${randomBytes(24).toString('base64url')}`,
    events: toJson(ctx.db, [...new Set(data.events)]),
    enabled: data.enabled ?? true,
    createdBy: ctx.actor.kind === 'member' ? ctx.actor.memberId : null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.db.insertInto('baton_integration_webhook').values(row).execute();
  return { ...toWebhook({ ...row, events: [...new Set(data.events)] }), secret: row.secret };
}

export async function listWebhooks(ctx: DbCtx): Promise<Webhook[]> {
  const rows = await ctx.db
    .selectFrom('baton_integration_webhook')
    .select(['id', 'name', 'url', 'events', 'enabled', 'createdAt', 'updatedAt'])
    .orderBy('createdAt')
    .execute();
  return rows.map(toWebhook);
}

export async function setWebhookEnabled(ctx: DbCtx, input: { id: string; enabled: boolean }): Promise<Webhook> {
  const data = parseInput(z.strictObject({ id: z.string().max(64), enabled: z.boolean() }), input);
  const result = await ctx.db
    .updateTable('baton_integration_webhook')
    .set({ enabled: data.enabled, updatedAt: instant(ctx.clock.now()) })
    .where('id', '=', data.id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw IntegrationErrors.webhookNotFound.create({});
  const [webhook] = (await listWebhooks(ctx)).filter((w) => w.id === data.id);
  return webhook as Webhook;
}

export async function deleteWebhook(ctx: DbCtx, input: { id: string }): Promise<void> {
  const data = parseInput(z.strictObject({ id: z.string().max(64) }), input);
  const result = await ctx.db.deleteFrom('baton_integration_webhook').where('id', '=', data.id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw IntegrationErrors.webhookNotFound.create({});
}

/**
 * Queues `event` for every enabled webhook subscribed to its type, in the caller's transaction. Returns how many
 * deliveries were queued; queuing the same event id again queues nothing.
 */
export async function enqueueWebhookEvent(ctx: DbCtx, event: WebhookEvent): Promise<number> {
  const hooks = await ctx.db
    .selectFrom('baton_integration_webhook')
    .select(['id', 'events'])
    .where('enabled', '=', true)
    .execute();
  let queued = 0;
  for (const hook of hooks) {
    const events = fromJson<string[]>(hook.events);
    if (!events.includes('*') && !events.includes(event.type)) continue;
    const appended = await outbox.append(ctx, {
      topic: WEBHOOK_TOPIC,
      key: `webhook:${hook.id}:${event.id}`,
      payload: { webhookId: hook.id, event },
    });
    if (appended.created) queued += 1;
  }
  return queued;
}

/**
 * The outbox handler: POSTs the event, signed, with the delivery id. A 2xx answer delivers it; anything else
 * throws, and the outbox retries with backoff. A webhook deleted or disabled since is dropped silently.
 */
export async function deliverWebhook(message: OutboxMessage, ctx: DbCtx): Promise<void> {
  const { webhookId, event } = message.payload as { webhookId: string; event: WebhookEvent };
  const hook = await ctx.db
    .selectFrom('baton_integration_webhook')
    .select(['url', 'secret', 'enabled'])
    .where('id', '=', webhookId)
    .executeTakeFirst();
  if (!hook?.enabled) return;
  const body = JSON.stringify({ id: event.id, type: event.type, at: event.at, data: event.data });
  const res = await sendHttp(ctx, {
    url: hook.url,
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      [SIGNATURE_HEADER]: signBody(hook.secret, body, ctx.clock.now()),
      'x-baton-delivery': message.key,
      'x-baton-event': event.type,
    },
    body,
  });
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`webhook ${webhookId}: ${res.status} from ${new URL(hook.url).host}`);
  }
}
