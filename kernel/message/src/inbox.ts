import { type DbCtx, instant, withTx } from '@baton/db';
import * as z from 'zod';
import { MessageErrors } from './errors.ts';
import { parseInput } from './validate.ts';

export type InboxMessage = {
  id: string;
  kind: string;
  title: { zh: string; en: string };
  body: { zh: string; en: string } | null;
  link: string | null;
  readAt: string | null;
  createdAt: string;
};

export type ListMessagesInput = { memberId: string; cursor?: string; limit?: number; unreadOnly?: boolean };

const memberId = z.string().min(1).max(64);
const listInput = z.strictObject({
  memberId,
  cursor: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(100).optional(),
  unreadOnly: z.boolean().optional(),
});

/** A member's inbox, newest first; `nextCursor` is the id to pass as `cursor` for the next page. */
export async function listMessages(
  ctx: DbCtx,
  input: ListMessagesInput,
): Promise<{ items: InboxMessage[]; nextCursor: string | null }> {
  const data = parseInput(listInput, input);
  const limit = data.limit ?? 20;
  let query = ctx.db
    .selectFrom('baton_message_item')
    .selectAll()
    .where('recipientId', '=', data.memberId)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  // UUIDv7 ids grow with time, so "older than the cursor" is "id below the cursor".
  if (data.cursor) query = query.where('id', '<', data.cursor);
  if (data.unreadOnly) query = query.where('readAt', 'is', null);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: { zh: row.titleZh, en: row.titleEn },
      body: row.bodyZh !== null && row.bodyEn !== null ? { zh: row.bodyZh, en: row.bodyEn } : null,
      link: row.link,
      readAt: row.readAt,
      createdAt: row.createdAt,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function countUnread(ctx: DbCtx, input: { memberId: string }): Promise<number> {
  const data = parseInput(z.strictObject({ memberId }), input);
  const row = await ctx.db
    .selectFrom('baton_message_item')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipientId', '=', data.memberId)
    .where('readAt', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks one of the member's own messages read; someone else's message is "not found". */
export async function markRead(
  ctx: DbCtx,
  input: { memberId: string; id: string },
): Promise<{ changed: boolean; unread: number }> {
  const data = parseInput(z.strictObject({ memberId, id: z.string().min(1).max(64) }), input);
  return withTx(ctx, async (tx) => {
    const row = await tx.db
      .selectFrom('baton_message_item')
      .select(['id', 'readAt'])
      .where('id', '=', data.id)
      .where('recipientId', '=', data.memberId)
      .executeTakeFirst();
    if (!row) throw MessageErrors.notFound.create({ id: data.id });
    let changed = false;
    if (row.readAt === null) {
      await tx.db
        .updateTable('baton_message_item')
        .set({ readAt: instant(tx.clock.now()) })
        .where('id', '=', data.id)
        .where('readAt', 'is', null)
        .execute();
      changed = true;
    }
    return { changed, unread: await countUnread(tx, { memberId: data.memberId }) };
  });
}

export async function markAllRead(ctx: DbCtx, input: { memberId: string }): Promise<{ updated: number }> {
  const data = parseInput(z.strictObject({ memberId }), input);
  const result = await ctx.db
    .updateTable('baton_message_item')
    .set({ readAt: instant(ctx.clock.now()) })
    .where('recipientId', '=', data.memberId)
    .where('readAt', 'is', null)
    .executeTakeFirst();
  return { updated: Number(result.numUpdatedRows) };
}
