import { newId } from '@baton/core';
import { forUpdate, fromJson, instant, toJson } from './dialect.ts';
import { DbErrors } from './errors.ts';
import type { DbCtx, OutboxStatus, OutboxTable } from './schema.ts';
import { withTx } from './tx.ts';

export type OutboxMessage<P = unknown> = {
  id: string;
  topic: string;
  /** Idempotency key to pass downstream (the id when none was given). */
  key: string;
  payload: P;
  status: OutboxStatus;
  /** Deliveries started so far, this one included. */
  attempts: number;
  availableAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
};

export type OutboxAppendInput = {
  topic: string;
  payload: unknown;
  /** Idempotency key, unique across the outbox: appending it again is a no-op returning the first id. */
  key?: string;
  /** Not before this instant (default: now). */
  availableAt?: Date;
};

export type OutboxClaimInput = {
  /** Unique per claimer (e.g. `worker-<host>-<pid>-<random>`): complete and fail check it. */
  owner: string;
  limit: number;
  leaseMs: number;
  topics?: string[];
};

const DEFAULT_MAX_ATTEMPTS = 10;
const RETRY_BASE_MS = 10_000;
const RETRY_MAX_MS = 3_600_000;
const LAST_ERROR_MAX = 2_000;

/** Delay before the next attempt after `attempts` failed ones: 10 s, 20 s, 40 s … at most 1 h. */
export function outboxRetryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

function toMessage(row: OutboxTable): OutboxMessage {
  return {
    id: row.id,
    topic: row.topic,
    key: row.key,
    payload: fromJson(row.payload),
    status: row.status,
    attempts: Number(row.attempts),
    availableAt: row.availableAt,
    leaseOwner: row.leaseOwner,
    leaseUntil: row.leaseUntil,
    lastError: row.lastError,
    createdAt: row.createdAt,
  };
}

/**
 * Effects to run after commit (mail, IM, webhooks, connector calls). `append` joins the caller's
 * transaction, so the message exists exactly when the action that caused it committed; the worker
 * then claims, delivers at least once, and completes or fails each message.
 */
export const outbox = {
  async append(ctx: DbCtx, input: OutboxAppendInput): Promise<{ id: string; created: boolean }> {
    if (!input.topic) throw new TypeError('outbox.append: topic is required');
    const { db } = ctx;
    const id = newId();
    const key = input.key ?? id;
    const now = ctx.clock.now();
    const inserted = await db
      .insertInto('baton_db_outbox')
      .values({
        id,
        topic: input.topic,
        key,
        payload: toJson(db, input.payload),
        status: 'pending',
        attempts: 0,
        availableAt: instant(input.availableAt ?? now),
        leaseOwner: null,
        leaseUntil: null,
        lastError: null,
        createdAt: instant(now),
        deliveredAt: null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id, created: true };
    const existing = await db
      .selectFrom('baton_db_outbox')
      .select('id')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  },

  /**
   * Leases up to `limit` due messages (pending, availableAt <= now, lease free or expired), oldest
   * first, and counts the attempt. Concurrent claimers never get the same message: PG locks with
   * FOR UPDATE SKIP LOCKED, SQLite runs the select and update inside one BEGIN IMMEDIATE transaction.
   */
  async claim(ctx: DbCtx, input: OutboxClaimInput): Promise<OutboxMessage[]> {
    if (!input.owner) throw new TypeError('outbox.claim: owner is required');
    if (!(Number.isInteger(input.limit) && input.limit > 0)) throw new TypeError('outbox.claim: limit must be > 0');
    if (!(Number.isFinite(input.leaseMs) && input.leaseMs > 0))
      throw new TypeError('outbox.claim: leaseMs must be > 0');
    if (input.topics && input.topics.length === 0) return [];
    return withTx(ctx, async ({ db, clock }) => {
      const now = clock.now();
      const nowText = instant(now);
      let due = db
        .selectFrom('baton_db_outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('availableAt', '<=', nowText)
        .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', nowText)]))
        .orderBy('availableAt')
        .orderBy('id')
        .limit(input.limit);
      if (input.topics) due = due.where('topic', 'in', input.topics);
      const ids = (await forUpdate(due, db, { skipLocked: true }).execute()).map((row) => row.id);
      if (ids.length === 0) return [];
      const rows = await db
        .updateTable('baton_db_outbox')
        .set((eb) => ({
          leaseOwner: input.owner,
          leaseUntil: instant(new Date(now.getTime() + input.leaseMs)),
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      const order = new Map(ids.map((id, index) => [id, index]));
      return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)).map(toMessage);
    });
  },

  /** Marks a message delivered. Only its lease owner can; false when the lease was lost to another claimer. */
  async complete(ctx: DbCtx, input: { id: string; owner: string }): Promise<boolean> {
    const result = await ctx.db
      .updateTable('baton_db_outbox')
      .set({ status: 'delivered', deliveredAt: instant(ctx.clock.now()), leaseUntil: null })
      .where('id', '=', input.id)
      .where('leaseOwner', '=', input.owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /**
   * Records a failed delivery: 'retry' makes the message due again after outboxRetryDelayMs(attempts),
   * 'dead' stops it once `maxAttempts` (default 10) attempts were made. Throws DB_OUTBOX_LEASE_LOST
   * when `owner` no longer holds the message (another claimer took it over or it was completed).
   */
  async fail(
    ctx: DbCtx,
    input: { id: string; owner: string; error: string; maxAttempts?: number },
  ): Promise<'retry' | 'dead'> {
    const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    return withTx(ctx, async ({ db, clock }) => {
      const query = db
        .selectFrom('baton_db_outbox')
        .select(['attempts', 'status', 'leaseOwner'])
        .where('id', '=', input.id);
      const row = await forUpdate(query, db).executeTakeFirst();
      if (row?.status !== 'pending' || row.leaseOwner !== input.owner) {
        throw DbErrors.leaseLost.create({ id: input.id });
      }
      const attempts = Number(row.attempts);
      const lastError = input.error.slice(0, LAST_ERROR_MAX);
      if (attempts >= maxAttempts) {
        await db
          .updateTable('baton_db_outbox')
          .set({ status: 'dead', leaseUntil: null, lastError })
          .where('id', '=', input.id)
          .execute();
        return 'dead';
      }
      const retryAt = new Date(clock.now().getTime() + outboxRetryDelayMs(attempts));
      await db
        .updateTable('baton_db_outbox')
        .set({ availableAt: instant(retryAt), leaseOwner: null, leaseUntil: null, lastError })
        .where('id', '=', input.id)
        .execute();
      return 'retry';
    });
  },
};
