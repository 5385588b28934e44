import { isBatonError, newId } from '@baton/core';
import { type DbCtx, forUpdate, fromJson, instant, toJson, withTx } from '@baton/db';
import { sql } from 'kysely';
import { z } from 'zod';
import { ScheduleErrors } from './errors.ts';
import type { TimerState, TimerTable } from './schema.ts';
import { instantField, keyField, parseInput, payloadField, topicField } from './validate.ts';

export type { TimerState } from './schema.ts';

export type Timer<P = unknown> = {
  id: string;
  topic: string;
  key: string;
  /** ISO instant the timer is due at (unchanged by retries). */
  dueAt: string;
  payload: P;
  state: TimerState;
  /** Claims so far; inside a handler, the number of this attempt. */
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  /** When it left `pending` (done, failed or cancelled). */
  doneAt: string | null;
};

/** A timer as handed out by claimDueTimers: the token proves the claim when completing it. */
export type ClaimedTimer<P = unknown> = Timer<P> & { leaseToken: string; leaseOwner: string; leaseUntil: string };

/**
 * Handles one due timer inside the transaction that marks it done: `ctx.db` is that transaction. Throwing
 * rolls everything back and retries later. Outside effects (mail, IM, webhooks) go through the outbox.
 */
export type TimerHandler = (ctx: DbCtx, timer: ClaimedTimer) => Promise<void>;

export type ScheduleTimerInput = {
  topic: string;
  key: string;
  dueAt: Date;
  payload?: unknown;
  /** What to do when a pending timer with this key exists: move it (default) or leave it as it is. */
  ifPending?: 'reschedule' | 'keep';
};

/**
 * created: new row · rescheduled: a pending (or cancelled, or finished for another due time) timer now fires
 * at dueAt with this payload · unchanged: identical pending timer, `ifPending: 'keep'`, or it already fired
 * (done or failed) for this very dueAt.
 */
export type ScheduleTimerOutcome = 'created' | 'rescheduled' | 'unchanged';

export type ClaimDueTimersInput = {
  /** Unique per claimer (e.g. `timers-<host>-<pid>`), recorded on the row. */
  owner: string;
  limit: number;
  leaseMs: number;
  /** Only these topics (e.g. the ones this process has handlers for). Empty: nothing. */
  topics?: ReadonlyArray<string>;
};

export type RunDueTimersInput = {
  handlers: Readonly<Record<string, TimerHandler>>;
  owner: string;
  /** Timers claimed per run (default 20). */
  limit?: number;
  /** How long a claim is exclusive (default 60 s); a handler that outlasts it is rolled back. */
  leaseMs?: number;
  /** Attempts before a timer is marked failed (default 10). */
  maxAttempts?: number;
  /** Delay before the next attempt after `attempts` failed ones (default timerRetryDelayMs). */
  backoff?: (attempts: number) => number;
  /** Test hook: runs after the claim committed and before any handler, to force interleavings. */
  afterClaim?: (timers: ReadonlyArray<ClaimedTimer>) => Promise<void>;
};

/**
 * Disjoint counts: done (handler committed), retried / failed (handler threw; failed = gave up after
 * maxAttempts), expired (handler outlasted its lease: rolled back, then retried or failed), lost (the claim
 * was superseded — rescheduled, cancelled or re-claimed — before the handler ran; nothing happened).
 */
export type RunDueTimersResult = {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
  expired: number;
  lost: number;
};

const DEFAULT_LIMIT = 20;
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 10;
const RETRY_BASE_MS = 10_000;
const RETRY_MAX_MS = 3_600_000;
const LAST_ERROR_MAX = 2_000;

/** Delay before the next attempt after `attempts` failed ones: 10 s, 20 s, 40 s … at most 1 h (as the outbox). */
export function timerRetryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

/** @internal A row as callers see it (also used by browse.ts). */
export function toTimer(row: TimerTable): Timer {
  return {
    id: row.id,
    topic: row.topic,
    key: row.key,
    dueAt: row.dueAt,
    payload: fromJson(row.payload),
    state: row.state,
    attempts: Number(row.attempts),
    leaseOwner: row.leaseOwner,
    leaseUntil: row.leaseUntil,
    lastError: row.lastError,
    createdAt: row.createdAt,
    doneAt: row.doneAt,
  };
}

/** JSON with sorted keys, so payloads compare equal whatever order PostgreSQL's jsonb keeps them in. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

const scheduleInput = z.object({
  topic: topicField,
  key: keyField,
  dueAt: instantField,
  payload: payloadField.optional(),
  ifPending: z.enum(['reschedule', 'keep']).optional(),
});

/**
 * Creates the timer (topic, key), or moves it: scheduling a key again is idempotent. A pending timer gets the
 * new dueAt and payload (its attempts and any claim are reset, so an in-flight handler's completion is
 * discarded); a cancelled one comes back; a done or failed one comes back only for a different dueAt.
 * Joins the caller's transaction.
 */
export async function scheduleTimer(
  ctx: DbCtx,
  input: ScheduleTimerInput,
): Promise<{ id: string; outcome: ScheduleTimerOutcome }> {
  const data = parseInput(scheduleInput, input);
  const dueAt = instant(data.dueAt);
  const payload = data.payload ?? null;
  return withTx(ctx, async ({ db, clock }) => {
    const now = instant(clock.now());
    const id = newId();
    const inserted = await db
      .insertInto('baton_schedule_timer')
      .values({
        id,
        topic: data.topic,
        key: data.key,
        dueAt,
        payload: toJson(db, payload),
        state: 'pending',
        attempts: 0,
        leaseOwner: null,
        leaseToken: null,
        leaseUntil: null,
        lastError: null,
        createdAt: now,
        doneAt: null,
      })
      .onConflict((oc) => oc.columns(['topic', 'key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id, outcome: 'created' as const };
    const query = db
      .selectFrom('baton_schedule_timer')
      .selectAll()
      .where('topic', '=', data.topic)
      .where('key', '=', data.key);
    const row = await forUpdate(query, db).executeTakeFirstOrThrow();
    const sameDue = Date.parse(row.dueAt) === data.dueAt.getTime();
    const same = sameDue && canonical(fromJson(row.payload)) === canonical(payload);
    const keep =
      row.state === 'pending' ? same || data.ifPending === 'keep' : row.state === 'cancelled' ? false : sameDue; // done or failed: it already fired for this due time
    if (keep) return { id: row.id, outcome: 'unchanged' as const };
    await db
      .updateTable('baton_schedule_timer')
      .set({
        dueAt,
        payload: toJson(db, payload),
        state: 'pending',
        attempts: 0,
        leaseOwner: null,
        leaseToken: null,
        leaseUntil: null,
        lastError: null,
        doneAt: null,
      })
      .where('id', '=', row.id)
      .execute();
    noteChanges({ ...ctx, db }, [row.id]);
    return { id: row.id, outcome: 'rescheduled' as const };
  });
}

const timerRef = z.object({ topic: topicField, key: keyField });

/** Cancels the pending timer (topic, key); false when there is none (unknown, already fired or cancelled). */
export async function cancelTimer(ctx: DbCtx, input: { topic: string; key: string }): Promise<boolean> {
  const data = parseInput(timerRef, input);
  const result = await ctx.db
    .updateTable('baton_schedule_timer')
    .set(cancelled(ctx))
    .where('topic', '=', data.topic)
    .where('key', '=', data.key)
    .where('state', '=', 'pending')
    .returning('id')
    .execute();
  noteChanges(
    ctx,
    result.map((row) => row.id),
  );
  return result.length > 0;
}

const prefixRef = z.object({ topic: topicField, keyPrefix: keyField });

/** Cancels every pending timer of `topic` whose key starts with `keyPrefix` (case-sensitive); returns how many. */
export async function cancelTimers(ctx: DbCtx, input: { topic: string; keyPrefix: string }): Promise<number> {
  const data = parseInput(prefixRef, input);
  const result = await ctx.db
    .updateTable('baton_schedule_timer')
    .set(cancelled(ctx))
    .where('topic', '=', data.topic)
    .where('state', '=', 'pending')
    .where(keyPrefixOf(data.keyPrefix), '=', data.keyPrefix)
    .returning('id')
    .execute();
  noteChanges(
    ctx,
    result.map((row) => row.id),
  );
  return result.length;
}

/**
 * The first characters of `key`, as many as `prefix` has. substr, not LIKE: LIKE is case-insensitive on SQLite and
 * would need % and _ escaped. Both databases count code points, so the length is too (not UTF-16 units).
 */
function keyPrefixOf(prefix: string) {
  return sql<string>`substr(${sql.ref('key')}, 1, cast(${[...prefix].length} as integer))`;
}

function cancelled(ctx: DbCtx) {
  return {
    state: 'cancelled' as const,
    doneAt: instant(ctx.clock.now()),
    leaseOwner: null,
    leaseToken: null,
    leaseUntil: null,
  };
}

export async function getTimer(ctx: DbCtx, input: { topic: string; key: string }): Promise<Timer | undefined> {
  const data = parseInput(timerRef, input);
  const row = await ctx.db
    .selectFrom('baton_schedule_timer')
    .selectAll()
    .where('topic', '=', data.topic)
    .where('key', '=', data.key)
    .executeTakeFirst();
  return row ? toTimer(row) : undefined;
}

const listInput = z.object({
  topic: topicField,
  keyPrefix: keyField.optional(),
  state: z.enum(['pending', 'done', 'failed', 'cancelled']).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

/** Timers of one topic, by due time then id, optionally only keys starting with `keyPrefix` or one state. */
export async function listTimers(
  ctx: DbCtx,
  input: { topic: string; keyPrefix?: string; state?: TimerState; limit?: number },
): Promise<Timer[]> {
  const data = parseInput(listInput, input);
  let query = ctx.db
    .selectFrom('baton_schedule_timer')
    .selectAll()
    .where('topic', '=', data.topic)
    .orderBy('dueAt')
    .orderBy('id')
    .limit(data.limit ?? 100);
  if (data.state) query = query.where('state', '=', data.state);
  if (data.keyPrefix) {
    query = query.where(keyPrefixOf(data.keyPrefix), '=', data.keyPrefix);
  }
  return (await query.execute()).map(toTimer);
}

/**
 * Leases up to `limit` due timers (pending, dueAt <= now, no live lease and no retry delay running), earliest
 * first, counts the attempt and gives each claim a fresh lease token. Concurrent claimers never get the same
 * timer: PostgreSQL locks with FOR UPDATE SKIP LOCKED, SQLite runs select and update in one BEGIN IMMEDIATE
 * transaction (the same design as the outbox).
 */
export async function claimDueTimers(ctx: DbCtx, input: ClaimDueTimersInput): Promise<ClaimedTimer[]> {
  if (!input.owner) throw new TypeError('claimDueTimers: owner is required');
  if (!(Number.isInteger(input.limit) && input.limit > 0)) throw new TypeError('claimDueTimers: limit must be > 0');
  if (!(Number.isFinite(input.leaseMs) && input.leaseMs > 0)) {
    throw new TypeError('claimDueTimers: leaseMs must be > 0');
  }
  if (input.topics && input.topics.length === 0) return [];
  return withTx(ctx, async ({ db, clock }) => {
    const now = clock.now();
    const nowText = instant(now);
    let due = db
      .selectFrom('baton_schedule_timer')
      .select('id')
      .where('state', '=', 'pending')
      .where('dueAt', '<=', nowText)
      .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', nowText)]))
      .orderBy('dueAt')
      .orderBy('id')
      .limit(input.limit);
    if (input.topics) due = due.where('topic', 'in', [...input.topics]);
    const ids = (await forUpdate(due, db, { skipLocked: true }).execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    // One token per claim call is enough: a timer is claimed at most once per call.
    const leaseToken = newId();
    const leaseUntil = instant(new Date(now.getTime() + input.leaseMs));
    const rows = await db
      .updateTable('baton_schedule_timer')
      .set((eb) => ({ leaseOwner: input.owner, leaseToken, leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    const order = new Map(ids.map((id, index) => [id, index]));
    return rows
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
      .map((row) => ({ ...toTimer(row), leaseToken, leaseOwner: input.owner, leaseUntil }));
  });
}

/** Timers changed by scheduleTimer / cancelTimer(s) inside a running handler's transaction, by transaction. */
const ownChanges = new WeakMap<object, Set<string>>();

function noteChanges(ctx: DbCtx, ids: Iterable<string>): void {
  const changed = ownChanges.get(ctx.db);
  if (changed) for (const id of ids) changed.add(id);
}

/** Thrown inside a handler's transaction to roll it back; never escapes runDueTimers. */
class Abandon extends Error {
  constructor(readonly reason: 'lost' | 'expired') {
    super(reason);
  }
}

function errorText(error: unknown): string {
  const text = isBatonError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message || error.name
      : String(error);
  return text.slice(0, LAST_ERROR_MAX);
}

/**
 * Claims due timers of the topics in `handlers` and handles each in its own transaction, which also marks it
 * done — but only while the row still carries this claim's lease token and the lease has not expired by
 * ctx.clock; otherwise the transaction rolls back, so a handler's effect never commits twice. A handler may
 * reschedule or cancel its own timer; it is then left as the handler set it. A throwing handler is retried
 * after `backoff(attempts)` until `maxAttempts`, then the timer is failed. `ctx.db` must not be a transaction.
 */
export async function runDueTimers(ctx: DbCtx, input: RunDueTimersInput): Promise<RunDueTimersResult> {
  if (ctx.db.isTransaction)
    throw new TypeError('runDueTimers: each timer needs its own transaction; pass the database');
  const result: RunDueTimersResult = { claimed: 0, done: 0, retried: 0, failed: 0, expired: 0, lost: 0 };
  const topics = Object.keys(input.handlers);
  if (topics.length === 0) return result;
  const leaseMs = input.leaseMs ?? DEFAULT_LEASE_MS;
  const timers = await claimDueTimers(ctx, {
    owner: input.owner,
    limit: input.limit ?? DEFAULT_LIMIT,
    leaseMs,
    topics,
  });
  result.claimed = timers.length;
  if (timers.length === 0) return result;
  await input.afterClaim?.(timers);
  for (const timer of timers) {
    const outcome = await handleOne(ctx, timer, input, leaseMs);
    result[outcome] += 1;
  }
  return result;
}

async function handleOne(
  ctx: DbCtx,
  timer: ClaimedTimer,
  input: RunDueTimersInput,
  leaseMs: number,
): Promise<'done' | 'retried' | 'failed' | 'expired' | 'lost'> {
  const handler = input.handlers[timer.topic];
  try {
    await withTx(ctx, async (tx) => {
      // A plain read, no lock: locking the timer row before the handler's writes would invert the lock order of
      // user actions that change their rows and then cancel or move the timer, and deadlock on PostgreSQL.
      const current = await tx.db
        .selectFrom('baton_schedule_timer')
        .select(['leaseToken', 'leaseUntil', 'state'])
        .where('id', '=', timer.id)
        .executeTakeFirst();
      if (current?.state !== 'pending' || current.leaseToken !== timer.leaseToken) throw new Abandon('lost');
      if (expired(tx, current.leaseUntil)) throw new Abandon('expired');
      if (!handler) throw new Error(`no handler for topic ${timer.topic}`);
      const changed = new Set<string>();
      ownChanges.set(tx.db, changed);
      try {
        await handler(tx, Object.freeze({ ...timer }));
      } finally {
        ownChanges.delete(tx.db);
      }
      if (expired(tx, timer.leaseUntil)) throw new Abandon('expired');
      // Done only while the row still carries this claim's token: another claim (after our lease ran out), a
      // reschedule or a cancel committed meanwhile makes this 0 rows and the whole transaction rolls back.
      const done = await tx.db
        .updateTable('baton_schedule_timer')
        .set({ state: 'done', doneAt: instant(tx.clock.now()), leaseToken: null, leaseUntil: null, lastError: null })
        .where('id', '=', timer.id)
        .where('state', '=', 'pending')
        .where('leaseToken', '=', timer.leaseToken)
        .executeTakeFirst();
      if (done.numUpdatedRows === 0n) {
        if (!changed.has(timer.id)) throw new Abandon('lost');
        // The handler itself rescheduled its timer (in this transaction, so the row is ours): keep the new due
        // time. If it cancelled it (an overdue task auto-approved cancels its own task's timers), the timer
        // still fired: record it as done, so operators never read a fired timer as one that did not.
        await tx.db
          .updateTable('baton_schedule_timer')
          .set({ state: 'done', doneAt: instant(tx.clock.now()), leaseToken: null, leaseUntil: null, lastError: null })
          .where('id', '=', timer.id)
          .where('state', '=', 'cancelled')
          .execute();
      }
    });
    return 'done';
  } catch (error) {
    if (error instanceof Abandon && error.reason === 'lost') {
      ctx.log.warn({ timerId: timer.id, topic: timer.topic }, 'timer claim superseded; its handling was rolled back');
      return 'lost';
    }
    const reason =
      error instanceof Abandon ? errorText(ScheduleErrors.leaseExpired.create({ key: timer.key, leaseMs })) : error;
    const recorded = await recordFailure(ctx, timer, errorText(reason), input);
    if (recorded === 'lost') return 'lost';
    ctx.log.warn(
      { timerId: timer.id, topic: timer.topic, attempts: timer.attempts, outcome: recorded, err: reason },
      'timer handler failed',
    );
    if (error instanceof Abandon) return 'expired';
    return recorded === 'failed' ? 'failed' : 'retried';
  }
}

function expired(ctx: DbCtx, leaseUntil: string | null): boolean {
  return leaseUntil === null || Date.parse(leaseUntil) <= ctx.clock.now().getTime();
}

/** Retry after the backoff or give up; only while the row still carries this claim's token. */
async function recordFailure(
  ctx: DbCtx,
  timer: ClaimedTimer,
  lastError: string,
  input: RunDueTimersInput,
): Promise<'retried' | 'failed' | 'lost'> {
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = input.backoff ?? timerRetryDelayMs;
  return withTx(ctx, async ({ db, clock }) => {
    const row = await forUpdate(
      db.selectFrom('baton_schedule_timer').select(['attempts', 'state', 'leaseToken']).where('id', '=', timer.id),
      db,
    ).executeTakeFirst();
    if (row?.state !== 'pending' || row.leaseToken !== timer.leaseToken) return 'lost';
    const now = clock.now();
    if (Number(row.attempts) >= maxAttempts) {
      await db
        .updateTable('baton_schedule_timer')
        .set({ state: 'failed', doneAt: instant(now), leaseToken: null, leaseUntil: null, lastError })
        .where('id', '=', timer.id)
        .execute();
      return 'failed';
    }
    const delay = Math.max(0, backoff(Number(row.attempts)));
    // With no owner, lease_until is the earliest retry: claims skip the row until then, and dueAt stays the real one.
    await db
      .updateTable('baton_schedule_timer')
      .set({
        leaseOwner: null,
        leaseToken: null,
        leaseUntil: instant(new Date(now.getTime() + delay)),
        lastError,
      })
      .where('id', '=', timer.id)
      .execute();
    return 'retried';
  });
}
