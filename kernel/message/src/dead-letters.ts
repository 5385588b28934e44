import { type DbCtx, fromJson, instant, withTx } from '@baton/db';
import * as z from 'zod';
import { MessageErrors } from './errors.ts';
import { MESSAGE_SEND_TOPIC } from './send.ts';
import { parseInput } from './validate.ts';

export type DeadLetter = {
  id: string;
  topic: string;
  key: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  /** Shown for this engine's own topic only: other topics may carry another system's credentials. */
  payload: unknown;
};

const listInput = z.strictObject({
  cursor: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(100).optional(),
  topic: z.string().min(1).max(100).optional(),
});

/** Outbox rows that used up their attempts, newest first (every topic: one place for administrators). */
export async function listDeadLetters(
  ctx: DbCtx,
  input: { cursor?: string; limit?: number; topic?: string } = {},
): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
  const data = parseInput(listInput, input);
  const limit = data.limit ?? 20;
  let query = ctx.db
    .selectFrom('baton_db_outbox')
    .select(['id', 'topic', 'key', 'attempts', 'lastError', 'createdAt', 'payload'])
    .where('status', '=', 'dead')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (data.cursor) query = query.where('id', '<', data.cursor);
  if (data.topic) query = query.where('topic', '=', data.topic);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      topic: row.topic,
      key: row.key,
      attempts: Number(row.attempts),
      lastError: row.lastError,
      createdAt: row.createdAt,
      payload: row.topic === MESSAGE_SEND_TOPIC ? fromJson(row.payload) : null,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Puts a dead row back in the queue with a fresh set of attempts, due now; same key, so still idempotent. */
export async function retryDeadLetter(ctx: DbCtx, input: { id: string }): Promise<{ id: string; topic: string }> {
  const data = parseInput(z.strictObject({ id: z.string().min(1).max(64) }), input);
  return withTx(ctx, async (tx) => {
    const row = await tx.db
      .updateTable('baton_db_outbox')
      .set({
        status: 'pending',
        attempts: 0,
        availableAt: instant(tx.clock.now()),
        leaseOwner: null,
        leaseUntil: null,
      })
      .where('id', '=', data.id)
      .where('status', '=', 'dead')
      .returning(['id', 'topic'])
      .executeTakeFirst();
    if (!row) throw MessageErrors.deadLetterNotFound.create({ id: data.id });
    return row;
  });
}
