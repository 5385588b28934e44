import { createFakeClock } from '@baton/core';
import type { Database } from '@baton/db';
import {
  cancelTimer,
  getTimer,
  runDueTimers,
  scheduleMigrations,
  scheduleTimer,
  type TimerHandler,
} from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChildRunInput, ChildRunOutput } from './fixtures/child-run.ts';
import { effectHandler, effectMigrations, effects, sleep } from './fixtures/schema.ts';

// Two workers on two connections (PostgreSQL: a second pool in this process; SQLite: a child process, the only
// way to get a second writer there) racing for the same timers.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [scheduleMigrations, effectMigrations] });
});
afterAll(async () => {
  await database?.cleanup();
});
beforeEach(async () => {
  await database.db.deleteFrom('baton_schedule_timer').execute();
  await database.db.deleteFrom('schedule_test_effect').execute();
});

const LEASE = 30_000;
const childScript = new URL('./fixtures/child-run.ts', import.meta.url);

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function second(): Promise<Database> {
  const other = database.openSecond();
  await other.ping();
  return other;
}

async function expectExactlyOnce(keys: string[]) {
  const rows = await effects(testCtx(database.db));
  expect(rows.map((r) => r.timerKey).sort()).toEqual([...keys].sort());
  const states = await database.db.selectFrom('baton_schedule_timer').select(['key', 'state']).execute();
  expect(states.every((s) => s.state === 'done')).toBe(true);
  return rows;
}

describe(`two workers, one timer (${testDialect})`, () => {
  it('drain the same due timers concurrently: every effect exactly once', async () => {
    const ctx = testCtx(database.db);
    const keys = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    for (const key of keys) await scheduleTimer(ctx, { topic: 'test.effect', key, dueAt: ctx.clock.now() });
    const drain = async (runCtx: typeof ctx, owner: string) => {
      let handled = 0;
      for (;;) {
        const result = await runDueTimers(runCtx, {
          owner,
          limit: 3,
          leaseMs: 600_000,
          handlers: { 'test.effect': effectHandler(owner, { pauseMs: 1 }) },
        });
        expect(result.lost + result.expired + result.failed + result.retried).toBe(0);
        handled += result.done;
        if (result.claimed === 0) return handled;
        await sleep(2); // room for the other worker, so the two really interleave
        // On a loaded machine the other worker (a child process on SQLite) may start only after this one drained
        // everything: after its first batch the parent waits until the other has handled one, so the test always
        // sees both at work; the claims themselves still race.
        if (owner === 'parent' && !otherStarted) otherStarted = await otherHandledOne();
      }
    };
    let otherStarted = false;
    const otherHandledOne = async () => {
      for (let waited = 0; waited < 30_000; waited += 20) {
        if ((await effects(testCtx(database.db))).some((row) => row.worker === 'other')) return true;
        await sleep(20);
      }
      return true;
    };
    let mine: number;
    let theirs: number;
    if (testDialect === 'postgres') {
      const other = await second();
      [mine, theirs] = await Promise.all([
        drain(ctx, 'parent'),
        drain(testCtx(other.db, { clock: ctx.clock }), 'other'),
      ]);
    } else {
      const input: ChildRunInput = {
        now: ctx.clock.now().toISOString(),
        owner: 'other',
        limit: 3,
        leaseMs: 600_000,
        pauseMs: 1,
      };
      const child = await database.spawnChild<ChildRunOutput>(childScript, input);
      const [parentCount, childOutput] = await Promise.all([drain(ctx, 'parent'), child.go()]);
      mine = parentCount;
      theirs = childOutput.keys.length;
    }
    expect(mine + theirs).toBe(keys.length);
    expect(mine).toBeGreaterThan(0);
    expect(theirs).toBeGreaterThan(0);
    const rows = await expectExactlyOnce(keys);
    expect(rows.filter((r) => r.worker === 'other')).toHaveLength(theirs);
  });

  it('a stale claim loses to the worker that re-claimed after the lease ran out (forced interleaving)', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'deadline', dueAt: ctx.clock.now() });
    const calls: string[] = [];
    const tracked = (owner: string, before?: () => Promise<void>): TimerHandler => {
      const inner = effectHandler(owner, before ? { before } : {});
      return async (tx, timer) => {
        calls.push(owner);
        await inner(tx, timer);
      };
    };
    let other: Promise<unknown> | undefined;
    // A claims, then stalls before its handler; meanwhile its lease expires and B claims the same timer.
    const first = runDueTimers(ctx, {
      owner: 'A',
      leaseMs: LEASE,
      handlers: { 'test.effect': tracked('A') },
      afterClaim: async ([timer]) => {
        expect(timer?.leaseOwner).toBe('A');
        ctx.clock.advance(LEASE);
        if (testDialect === 'postgres') {
          // B claims and pauses inside its handler transaction (not committed) while A resumes: A finds B's token.
          const entered = deferred();
          const release = deferred();
          const otherDb = await second();
          other = runDueTimers(testCtx(otherDb.db, { clock: ctx.clock }), {
            owner: 'B',
            leaseMs: LEASE,
            handlers: {
              'test.effect': tracked('B', async () => {
                entered.resolve();
                await release.promise;
              }),
            },
          });
          await entered.promise;
          setTimeout(release.resolve, 150);
        } else {
          const input: ChildRunInput = {
            now: ctx.clock.now().toISOString(),
            owner: 'B',
            limit: 5,
            leaseMs: LEASE,
            pauseMs: 300,
          };
          const child = await database.spawnChild<ChildRunOutput>(childScript, input);
          other = child.go();
          // Resume A once B's claim has committed; B is then inside its 300 ms handler transaction (or about to).
          for (let i = 0; i < 500; i += 1) {
            const row = await getTimer(ctx, { topic: 'test.effect', key: 'deadline' });
            if (row?.leaseOwner === 'B') break;
            await sleep(10);
          }
        }
      },
    });
    const result = await first;
    expect(result).toMatchObject({ claimed: 1, done: 0, lost: 1 });
    await other;
    expect(calls).not.toContain('A');
    const rows = await expectExactlyOnce(['deadline']);
    expect(rows[0]?.worker).toBe('B');
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'deadline' })).toMatchObject({
      state: 'done',
      attempts: 2,
      leaseOwner: 'B',
    });
  });

  it('a lease that expires mid-handler rolls the late completion back; the retry commits it once', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'slow', dueAt: ctx.clock.now() });
    const slow = effectHandler('A', {
      before: async () => {
        ctx.clock.advance(LEASE + 1); // the handler outlives its lease
      },
    });
    const result = await runDueTimers(ctx, { owner: 'A', leaseMs: LEASE, handlers: { 'test.effect': slow } });
    expect(result).toMatchObject({ claimed: 1, done: 0, expired: 1 });
    expect(await effects(ctx)).toEqual([]);
    const timer = await getTimer(ctx, { topic: 'test.effect', key: 'slow' });
    expect(timer).toMatchObject({ state: 'pending', attempts: 1, leaseOwner: null });
    expect(timer?.lastError).toMatch(/^SCHEDULE_TIMER_LEASE_EXPIRED/);
    // Not claimable during the backoff, then handled once.
    expect((await runDueTimers(ctx, { owner: 'B', handlers: { 'test.effect': effectHandler('B') } })).claimed).toBe(0);
    ctx.clock.advance(10_000);
    expect(await runDueTimers(ctx, { owner: 'B', handlers: { 'test.effect': effectHandler('B') } })).toMatchObject({
      done: 1,
    });
    const rows = await expectExactlyOnce(['slow']);
    expect(rows[0]).toMatchObject({ worker: 'B', attempt: 2 });
  });

  it.runIf(testDialect === 'postgres')(
    'a worker on another connection takes over an expired lease mid-handler; the late one rolls back',
    async () => {
      const ctx = testCtx(database.db);
      await scheduleTimer(ctx, { topic: 'test.effect', key: 'slow', dueAt: ctx.clock.now() });
      let other: unknown;
      const slow = effectHandler('A', {
        before: async () => {
          ctx.clock.advance(LEASE + 1);
          const otherDb = await second();
          other = await runDueTimers(testCtx(otherDb.db, { clock: ctx.clock }), {
            owner: 'B',
            leaseMs: LEASE,
            handlers: { 'test.effect': effectHandler('B') },
          });
        },
      });
      const result = await runDueTimers(ctx, { owner: 'A', leaseMs: LEASE, handlers: { 'test.effect': slow } });
      expect(other).toMatchObject({ claimed: 1, done: 1 });
      expect(result).toMatchObject({ claimed: 1, done: 0, lost: 1 });
      const rows = await expectExactlyOnce(['slow']);
      expect(rows[0]).toMatchObject({ worker: 'B', attempt: 2 });
    },
  );

  it.runIf(testDialect === 'postgres')(
    'both handlers paused before commit (skewed clocks): only the current claim commits, whichever finishes first',
    async () => {
      for (const first of ['A', 'B'] as const) {
        await database.db.deleteFrom('baton_schedule_timer').execute();
        await database.db.deleteFrom('schedule_test_effect').execute();
        const ctxA = testCtx(database.db);
        // B's clock runs a lease ahead of A's: B sees A's lease as expired, A still believes it holds it.
        const ctxB = testCtx((await second()).db, {
          clock: createFakeClock(new Date(ctxA.clock.now().getTime() + LEASE)),
        });
        await scheduleTimer(ctxA, { topic: 'test.effect', key: `race-${first}`, dueAt: ctxA.clock.now() });
        const gates = { A: [deferred(), deferred()], B: [deferred(), deferred()] } as const;
        const worker = (name: 'A' | 'B', runCtx: typeof ctxA) =>
          runDueTimers(runCtx, {
            owner: name,
            leaseMs: LEASE,
            handlers: {
              'test.effect': effectHandler(name, {
                before: async () => {
                  gates[name][0].resolve();
                  await gates[name][1].promise;
                },
              }),
            },
          });
        const runA = worker('A', ctxA);
        await gates.A[0].promise;
        const runB = worker('B', ctxB);
        await gates.B[0].promise; // both inside their handler transactions, neither committed
        const later = first === 'A' ? 'B' : 'A';
        gates[first][1].resolve();
        const firstResult = await (first === 'A' ? runA : runB);
        gates[later][1].resolve();
        const [resultA, resultB] = [await runA, await runB];
        expect(first === 'A' ? resultA : resultB).toBe(firstResult);
        expect(resultA).toMatchObject({ claimed: 1, done: 0, lost: 1 });
        expect(resultB).toMatchObject({ claimed: 1, done: 1 });
        const rows = await expectExactlyOnce([`race-${first}`]);
        expect(rows[0]?.worker).toBe('B');
      }
    },
  );

  it.runIf(testDialect === 'postgres')(
    'a cancel committed while the handler runs wins: the handler rolls back, and neither waits for the other',
    async () => {
      const ctx = testCtx(database.db);
      await scheduleTimer(ctx, { topic: 'test.effect', key: 'deadline', dueAt: ctx.clock.now() });
      // A business row both sides write, as a flow instance would be.
      await database.db
        .insertInto('schedule_test_effect')
        .values({ id: 'instance', timerKey: '-', worker: 'seed', attempt: 0 })
        .execute();
      const user = testCtx((await second()).db, { clock: ctx.clock });
      const entered = deferred();
      const userLocked = deferred();
      const run = runDueTimers(ctx, {
        owner: 'A',
        leaseMs: LEASE,
        handlers: {
          'test.effect': async (tx) => {
            entered.resolve();
            await userLocked.promise;
            // Waits for the user's transaction, which holds the business row and then cancels the timer:
            // had the handler locked the timer row first, this would be a deadlock.
            await tx.db
              .updateTable('schedule_test_effect')
              .set({ worker: 'handler' })
              .where('id', '=', 'instance')
              .execute();
          },
        },
      });
      await entered.promise;
      const cancelled = await user.db.transaction().execute(async (trx) => {
        const userCtx = { ...user, db: trx };
        await trx.updateTable('schedule_test_effect').set({ worker: 'user' }).where('id', '=', 'instance').execute();
        userLocked.resolve();
        await sleep(100); // the handler is now waiting for the business row
        return cancelTimer(userCtx, { topic: 'test.effect', key: 'deadline' });
      });
      expect(cancelled).toBe(true);
      expect(await run).toMatchObject({ claimed: 1, done: 0, lost: 1 });
      expect(await getTimer(ctx, { topic: 'test.effect', key: 'deadline' })).toMatchObject({ state: 'cancelled' });
      const business = await database.db
        .selectFrom('schedule_test_effect')
        .select('worker')
        .where('id', '=', 'instance')
        .executeTakeFirstOrThrow();
      expect(business.worker).toBe('user');
    },
  );

  it('a handler that always outlives its lease ends failed after maxAttempts', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'hopeless', dueAt: ctx.clock.now() });
    const slow = effectHandler('A', {
      before: async () => {
        ctx.clock.advance(LEASE);
      },
    });
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) {
      outcomes.push(
        await runDueTimers(ctx, {
          owner: 'A',
          leaseMs: LEASE,
          maxAttempts: 2,
          backoff: () => 0,
          handlers: { 'test.effect': slow },
        }),
      );
    }
    expect(outcomes.map((o) => o.expired)).toEqual([1, 1, 0]);
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'hopeless' })).toMatchObject({
      state: 'failed',
      attempts: 2,
    });
    expect(await effects(ctx)).toEqual([]);
  });
});
