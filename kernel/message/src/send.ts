import { isLocale } from '@baton/core';
import { type DbCtx, instant, type OutboxMessage, outbox, withTx } from '@baton/db';
import * as z from 'zod';
import type { MessageBus } from './bus.ts';
import type { Delivery, MessageChannelDefinition } from './channels/define.ts';
import { countUnread } from './inbox.ts';
import { channelEnabled, getPreferences, kindPattern } from './preferences.ts';
import { parseInput } from './validate.ts';

export const MESSAGE_SEND_TOPIC = 'message.send';

const bilingual = (max: number) => z.strictObject({ zh: z.string().min(1).max(max), en: z.string().min(1).max(max) });

/** The payload of a `message.send` outbox row (the rule engine writes the same shape). */
export const sendMessageInput = z.strictObject({
  recipients: z.array(z.string().min(1).max(64)).min(1).max(1000),
  kind: z.string().max(64).regex(kindPattern),
  title: bilingual(200),
  body: bilingual(4000).optional(),
  // App paths or web addresses only: a javascript: link would run in the inbox.
  link: z
    .string()
    .max(2000)
    .regex(/^(\/(?!\/)|https?:\/\/)/i)
    .optional(),
  dedupeKey: z.string().min(1).max(200).optional(),
});
export type SendMessageInput = z.input<typeof sendMessageInput>;

/**
 * Queues a notice in the caller's transaction: nothing is sent unless the action commits. A repeated
 * `dedupeKey` is a no-op (the first row's id comes back).
 */
export async function sendMessage(ctx: DbCtx, input: SendMessageInput): Promise<{ id: string; created: boolean }> {
  const data = parseInput(sendMessageInput, input);
  const payload = { ...data, recipients: [...new Set(data.recipients)] };
  return outbox.append(ctx, {
    topic: MESSAGE_SEND_TOPIC,
    payload,
    ...(data.dedupeKey ? { key: `${MESSAGE_SEND_TOPIC}:${data.dedupeKey}` } : {}),
  });
}

export type MessageHandlerOptions = {
  channels: ReadonlyArray<MessageChannelDefinition>;
  bus?: MessageBus;
};

/** Shaped like @baton/worker's OutboxHandler (message must not import the apps). */
export type MessageOutboxHandler = (message: OutboxMessage, ctx: DbCtx) => Promise<void>;

async function delivered(ctx: DbCtx, sendKey: string, recipientId: string, channel: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('baton_message_delivery')
    .select('sendKey')
    .where('sendKey', '=', sendKey)
    .where('recipientId', '=', recipientId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row !== undefined;
}

async function record(ctx: DbCtx, sendKey: string, recipientId: string, channel: string): Promise<boolean> {
  const row = await ctx.db
    .insertInto('baton_message_delivery')
    .values({ sendKey, recipientId, channel, deliveredAt: instant(ctx.clock.now()) })
    .onConflict((oc) => oc.columns(['sendKey', 'recipientId', 'channel']).doNothing())
    .returning('sendKey')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Fans one `message.send` row out per recipient and per channel the recipient wants. Each
 * (send key, recipient, channel) is delivered once: database channels write together with their
 * delivery record, external ones record after the call. A failing channel does not stop the others;
 * the row is then retried and only what is still missing is attempted again.
 */
export async function deliverSend(
  message: OutboxMessage,
  ctx: DbCtx,
  options: MessageHandlerOptions,
): Promise<{ delivered: number }> {
  const data = parseInput(sendMessageInput, message.payload);
  const sendKey = data.dedupeKey ?? message.key;
  const members = await ctx.db
    .selectFrom('baton_org_member')
    .select(['id', 'name', 'email', 'locale', 'status'])
    .where('id', 'in', data.recipients)
    .execute();
  if (members.length < data.recipients.length) {
    const known = new Set(members.map((m) => m.id));
    ctx.log.warn(
      { unknown: data.recipients.filter((id) => !known.has(id)) },
      'message.send: unknown recipients skipped',
    );
  }
  const failures: string[] = [];
  const changed = new Set<string>();
  let count = 0;
  for (const member of members) {
    if (member.status !== 'active') continue;
    const preferences = await getPreferences(ctx, { memberId: member.id });
    const delivery: Delivery = {
      sendKey,
      recipient: {
        id: member.id,
        name: member.name,
        email: member.email,
        locale: isLocale(member.locale) ? member.locale : 'zh-CN',
      },
      kind: data.kind,
      title: data.title,
      ...(data.body ? { body: data.body } : {}),
      ...(data.link ? { link: data.link } : {}),
    };
    for (const channel of options.channels) {
      if (!channelEnabled(preferences, data.kind, channel)) continue;
      try {
        if (await delivered(ctx, sendKey, member.id, channel.name)) continue;
        if (channel.effect === 'database') {
          const wrote = await withTx(ctx, async (tx) => {
            if (!(await record(tx, sendKey, member.id, channel.name))) return false;
            await channel.deliver(tx, delivery);
            return true;
          });
          if (wrote) changed.add(member.id);
          if (wrote) count += 1;
        } else {
          await channel.deliver(ctx, delivery);
          await record(ctx, sendKey, member.id, channel.name);
          count += 1;
        }
      } catch (error) {
        failures.push(`${channel.name}→${member.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  if (options.bus) {
    for (const memberId of changed) {
      try {
        await options.bus.publish({ memberId, unread: await countUnread(ctx, { memberId }) });
      } catch (error) {
        // The inbox row is committed; a lost push only delays the badge until the next change or reconnect.
        ctx.log.warn({ err: error, memberId }, 'unread push failed');
      }
    }
  }
  if (failures.length > 0) throw new Error(`message.send ${message.id}: ${failures.join('; ')}`);
  return { delivered: count };
}

/** The outbox handlers of this engine, keyed by topic, for the worker. */
export function messageOutboxHandlers(options: MessageHandlerOptions): Record<string, MessageOutboxHandler> {
  return {
    [MESSAGE_SEND_TOPIC]: async (message, ctx) => {
      await deliverSend(message, ctx, options);
    },
  };
}
