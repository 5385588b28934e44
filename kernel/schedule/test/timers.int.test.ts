import { fromJson, withTx } from '@baton/db';
import {
  cancelTimer,
  cancelTimers,
  claimDueTimers,
  getTimer,
  listTimers,
  registerTimerHandler,
  runDueTimers,
  scheduleMigrations,
  scheduleTimer,
  type TimerHandler,
  timerJob,
  timerRetryDelayMs,
} from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { effectHandler, effectMigrations, effects } from './fixtures/schema.ts';

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

const MINUTE = 60_000;
const at = (ctx: ReturnType<typeof testCtx>, ms: number) => new Date(ctx.clock.now().getTime() + ms);

async function row(topic: string, key: string) {
  return database.db
    .selectFrom('baton_schedule_timer')
    .selectAll()
    .where('topic', '=', topic)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

describe(`timers (${testDialect})`, () => {
  it('schedules idempotently, reschedules a pending timer and keeps the payload as JSON', async () => {
    const ctx = testCtx(database.db);
    const due = at(ctx, 10 * MINUTE);
    const first = await scheduleTimer(ctx, {
      topic: 'flow.deadline',
      key: 'task:1',
      dueAt: due,
      payload: { taskId: 't1', b: [1, 'x'], a: null },
    });
    expect(first.outcome).toBe('created');
    const again = await scheduleTimer(ctx, {
      topic: 'flow.deadline',
      key: 'task:1',
      dueAt: due,
      payload: { a: null, b: [1, 'x'], taskId: 't1' },
    });
    expect(again).toEqual({ id: first.id, outcome: 'unchanged' });
    const timer = await getTimer(ctx, { topic: 'flow.deadline', key: 'task:1' });
    expect(timer).toMatchObject({
      id: first.id,
      dueAt: due.toISOString(),
      state: 'pending',
      attempts: 0,
      payload: { taskId: 't1', b: [1, 'x'], a: null },
      createdAt: '2026-01-05T01:00:00.000Z',
      doneAt: null,
    });
    const later = at(ctx, 30 * MINUTE);
    expect(await scheduleTimer(ctx, { topic: 'flow.deadline', key: 'task:1', dueAt: later, payload: 2 })).toEqual({
      id: first.id,
      outcome: 'rescheduled',
    });
    expect(await getTimer(ctx, { topic: 'flow.deadline', key: 'task:1' })).toMatchObject({
      dueAt: later.toISOString(),
      payload: 2,
    });
    expect(
      await scheduleTimer(ctx, { topic: 'flow.deadline', key: 'task:1', dueAt: due, ifPending: 'keep' }),
    ).toMatchObject({ outcome: 'unchanged' });
    expect((await getTimer(ctx, { topic: 'flow.deadline', key: 'task:1' }))?.dueAt).toBe(later.toISOString());
    // The same key under another topic is another timer.
    expect((await scheduleTimer(ctx, { topic: 'flow.reminder', key: 'task:1', dueAt: due })).outcome).toBe('created');
    expect(await getTimer(ctx, { topic: 'flow.other', key: 'task:1' })).toBeUndefined();
  });

  it('validates input with field paths', async () => {
    const ctx = testCtx(database.db);
    await expect(
      scheduleTimer(ctx, { topic: 'bad topic', key: '', dueAt: new Date(Number.NaN), payload: 1n }),
    ).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
      fields: [
        expect.objectContaining({ path: ['topic'] }),
        expect.objectContaining({ path: ['key'] }),
        expect.objectContaining({ path: ['dueAt'] }),
        expect.objectContaining({ path: ['payload'] }),
      ],
    });
    await expect(cancelTimers(ctx, { topic: 'flow.deadline', keyPrefix: '' })).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
    });
  });

  it('cancels one timer or every timer with a key prefix, case-sensitively and without LIKE wildcards', async () => {
    const ctx = testCtx(database.db);
    const due = at(ctx, MINUTE);
    for (const key of ['inst:1:a', 'inst:1:b', 'inst:10:a', 'INST:1:c', 'inst_1:d', 'inst:1%:e']) {
      await scheduleTimer(ctx, { topic: 'flow.reminder', key, dueAt: due });
    }
    await scheduleTimer(ctx, { topic: 'flow.deadline', key: 'inst:1:x', dueAt: due });
    expect(await cancelTimer(ctx, { topic: 'flow.reminder', key: 'inst:1:a' })).toBe(true);
    expect(await cancelTimer(ctx, { topic: 'flow.reminder', key: 'inst:1:a' })).toBe(false);
    expect(await cancelTimer(ctx, { topic: 'flow.reminder', key: 'nope' })).toBe(false);
    expect(await cancelTimers(ctx, { topic: 'flow.reminder', keyPrefix: 'inst:1:' })).toBe(1); // inst:1:b
    expect(await cancelTimers(ctx, { topic: 'flow.reminder', keyPrefix: 'inst:1%' })).toBe(1);
    const pending = await listTimers(ctx, { topic: 'flow.reminder', state: 'pending' });
    expect(pending.map((t) => t.key).sort()).toEqual(['INST:1:c', 'inst:10:a', 'inst_1:d']);
    expect((await getTimer(ctx, { topic: 'flow.deadline', key: 'inst:1:x' }))?.state).toBe('pending');
    const cancelled = await getTimer(ctx, { topic: 'flow.reminder', key: 'inst:1:b' });
    expect(cancelled).toMatchObject({ state: 'cancelled', doneAt: '2026-01-05T01:00:00.000Z' });
    expect((await listTimers(ctx, { topic: 'flow.reminder', keyPrefix: 'inst:1' })).map((t) => t.key).sort()).toEqual([
      'inst:1%:e',
      'inst:10:a',
      'inst:1:a',
      'inst:1:b',
    ]);
    // Scheduling a cancelled key again brings it back.
    expect((await scheduleTimer(ctx, { topic: 'flow.reminder', key: 'inst:1:a', dueAt: due })).outcome).toBe(
      'rescheduled',
    );
    expect((await getTimer(ctx, { topic: 'flow.reminder', key: 'inst:1:a' }))?.state).toBe('pending');
  });

  it('claims only due timers by the fake clock, earliest first, only for the given topics', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'later', dueAt: at(ctx, 5 * MINUTE) });
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'now', dueAt: at(ctx, 0) });
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'past', dueAt: at(ctx, -MINUTE) });
    await scheduleTimer(ctx, { topic: 'other.topic', key: 'x', dueAt: at(ctx, -MINUTE) });
    expect(await claimDueTimers(ctx, { owner: 'w', limit: 10, leaseMs: MINUTE, topics: [] })).toEqual([]);
    const claimed = await claimDueTimers(ctx, { owner: 'w', limit: 10, leaseMs: MINUTE, topics: ['test.effect'] });
    expect(claimed.map((t) => t.key)).toEqual(['past', 'now']);
    expect(claimed[0]).toMatchObject({ attempts: 1, leaseOwner: 'w', leaseUntil: '2026-01-05T01:01:00.000Z' });
    expect(claimed[0]?.leaseToken).toBeTruthy();
    // Leased: nobody else gets them until the lease ends.
    expect(await claimDueTimers(ctx, { owner: 'v', limit: 10, leaseMs: MINUTE, topics: ['test.effect'] })).toEqual([]);
    ctx.clock.advance(5 * MINUTE);
    const next = await claimDueTimers(ctx, { owner: 'v', limit: 10, leaseMs: MINUTE, topics: ['test.effect'] });
    expect(next.map((t) => [t.key, t.attempts])).toEqual([
      ['past', 2],
      ['now', 2],
      ['later', 1],
    ]);
    expect(next[0]?.leaseToken).not.toBe(claimed[0]?.leaseToken);
  });

  it('runs due timers: the handler effect and done commit together; not-yet-due ones wait', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'a', dueAt: at(ctx, 0), payload: { n: 1 } });
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'b', dueAt: at(ctx, MINUTE) });
    const seen: unknown[] = [];
    const handler: TimerHandler = async (tx, timer) => {
      expect(tx.db.isTransaction).toBe(true);
      seen.push(timer.payload);
      await effectHandler('w')(tx, timer);
    };
    const handlers = { 'test.effect': handler };
    expect(await runDueTimers(ctx, { owner: 'w', handlers })).toEqual({
      claimed: 1,
      done: 1,
      retried: 0,
      failed: 0,
      expired: 0,
      lost: 0,
    });
    expect(seen).toEqual([{ n: 1 }]);
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'a' })).toMatchObject({
      state: 'done',
      attempts: 1,
      leaseOwner: 'w',
      leaseUntil: null,
      doneAt: '2026-01-05T01:00:00.000Z',
    });
    expect((await runDueTimers(ctx, { owner: 'w', handlers })).claimed).toBe(0);
    ctx.clock.advance(MINUTE);
    expect((await runDueTimers(ctx, { owner: 'w', handlers })).done).toBe(1);
    expect((await effects(ctx)).map((e) => e.timerKey)).toEqual(['a', 'b']);
    // A done timer scheduled again for the same due time stays done; for another due time it comes back.
    const bDue = new Date('2026-01-05T01:01:00.000Z');
    expect((await scheduleTimer(ctx, { topic: 'test.effect', key: 'b', dueAt: bDue })).outcome).toBe('unchanged');
    expect((await cancelTimer(ctx, { topic: 'test.effect', key: 'b' })) as boolean).toBe(false);
    const rearmed = await scheduleTimer(ctx, { topic: 'test.effect', key: 'b', dueAt: at(ctx, MINUTE) });
    expect(rearmed.outcome).toBe('rescheduled');
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'b' })).toMatchObject({
      state: 'pending',
      attempts: 0,
      doneAt: null,
    });
  });

  it('retries a throwing handler with backoff, rolls back its writes, then fails after maxAttempts', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'flaky', dueAt: at(ctx, 0) });
    let calls = 0;
    const handler: TimerHandler = async (tx, timer) => {
      calls += 1;
      await effectHandler('w')(tx, timer);
      throw new Error(`boom ${calls}`);
    };
    const run = () =>
      runDueTimers(ctx, { owner: 'w', handlers: { 'test.effect': handler }, maxAttempts: 3, leaseMs: MINUTE });
    expect(await run()).toMatchObject({ claimed: 1, retried: 1 });
    let stored = await row('test.effect', 'flaky');
    expect(stored).toMatchObject({ state: 'pending', attempts: 1, lastError: 'boom 1', leaseOwner: null });
    expect(stored.leaseUntil).toBe(new Date(ctx.clock.now().getTime() + timerRetryDelayMs(1)).toISOString());
    expect(stored.dueAt).toBe('2026-01-05T01:00:00.000Z');
    ctx.clock.advance(timerRetryDelayMs(1) - 1);
    expect((await run()).claimed).toBe(0);
    ctx.clock.advance(1);
    expect(await run()).toMatchObject({ claimed: 1, retried: 1 });
    ctx.clock.advance(timerRetryDelayMs(2));
    expect(await run()).toMatchObject({ claimed: 1, failed: 1 });
    stored = await row('test.effect', 'flaky');
    expect(stored).toMatchObject({ state: 'failed', attempts: 3, lastError: 'boom 3', leaseToken: null });
    expect(stored.doneAt).toBe(ctx.clock.now().toISOString());
    ctx.clock.advance(86_400_000);
    expect((await run()).claimed).toBe(0);
    expect(await effects(ctx)).toEqual([]);
    expect(calls).toBe(3);
    // Coded errors keep their code in lastError; a custom backoff is used as given.
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'coded', dueAt: at(ctx, 0) });
    await runDueTimers(ctx, {
      owner: 'w',
      handlers: {
        'test.effect': async () => {
          throw Object.assign(new Error('x'), { name: 'Plain' });
        },
      },
      backoff: () => 5_000,
    });
    expect((await row('test.effect', 'coded')).leaseUntil).toBe(
      new Date(ctx.clock.now().getTime() + 5_000).toISOString(),
    );
    expect(timerRetryDelayMs(1)).toBe(10_000);
    expect(timerRetryDelayMs(40)).toBe(3_600_000);
  });

  it('a handler may reschedule its own timer (kept) or cancel it (recorded as done: it fired)', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'repeat', dueAt: at(ctx, 0), payload: { n: 1 } });
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'stop', dueAt: at(ctx, 0) });
    const handler: TimerHandler = async (tx, timer) => {
      await effectHandler('w')(tx, timer);
      if (timer.key === 'repeat') {
        await scheduleTimer(tx, {
          topic: timer.topic,
          key: timer.key,
          dueAt: new Date(tx.clock.now().getTime() + 4 * 3_600_000),
          payload: { n: 2 },
        });
      } else {
        await cancelTimer(tx, { topic: timer.topic, key: timer.key });
      }
    };
    expect(await runDueTimers(ctx, { owner: 'w', handlers: { 'test.effect': handler } })).toMatchObject({
      claimed: 2,
      done: 2,
    });
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'repeat' })).toMatchObject({
      state: 'pending',
      attempts: 0,
      payload: { n: 2 },
      dueAt: '2026-01-05T05:00:00.000Z',
    });
    expect((await getTimer(ctx, { topic: 'test.effect', key: 'stop' }))?.state).toBe('done');
    expect(await effects(ctx)).toHaveLength(2);
  });

  it('a timer rescheduled or cancelled after it was claimed is not handled by that claim', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'moved', dueAt: at(ctx, 0) });
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'gone', dueAt: at(ctx, 0) });
    const result = await runDueTimers(ctx, {
      owner: 'w',
      handlers: { 'test.effect': effectHandler('w') },
      afterClaim: async () => {
        await scheduleTimer(ctx, { topic: 'test.effect', key: 'moved', dueAt: at(ctx, MINUTE) });
        await cancelTimer(ctx, { topic: 'test.effect', key: 'gone' });
      },
    });
    expect(result).toMatchObject({ claimed: 2, done: 0, lost: 2 });
    expect(await effects(ctx)).toEqual([]);
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'moved' })).toMatchObject({
      state: 'pending',
      attempts: 0,
      leaseOwner: null,
    });
    ctx.clock.advance(MINUTE);
    expect((await runDueTimers(ctx, { owner: 'w', handlers: { 'test.effect': effectHandler('w') } })).done).toBe(1);
    expect((await effects(ctx)).map((e) => e.timerKey)).toEqual(['moved']);
  });

  it('refuses to run inside a transaction and claims nothing without handlers', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'a', dueAt: at(ctx, 0) });
    await expect(withTx(ctx, (tx) => runDueTimers(tx, { owner: 'w', handlers: {} }))).rejects.toThrow(TypeError);
    expect(await runDueTimers(ctx, { owner: 'w', handlers: {} })).toMatchObject({ claimed: 0 });
    expect(await runDueTimers(ctx, { owner: 'w', handlers: { 'other.topic': effectHandler('w') } })).toMatchObject({
      claimed: 0,
    });
    expect((await getTimer(ctx, { topic: 'test.effect', key: 'a' }))?.attempts).toBe(0);
  });

  it('a timer scheduled in a rolled-back transaction never exists', async () => {
    const ctx = testCtx(database.db);
    await expect(
      withTx(ctx, async (tx) => {
        await scheduleTimer(tx, { topic: 'test.effect', key: 'ghost', dueAt: at(ctx, 0) });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'ghost' })).toBeUndefined();
  });

  it('timerJob runs the registered handlers and counts what it processed', async () => {
    const ctx = testCtx(database.db);
    const job = timerJob(undefined, { owner: 'job' });
    expect(job.name).toBe('schedule.timers');
    await scheduleTimer(ctx, { topic: 'test.registry', key: 'r1', dueAt: at(ctx, 0), payload: 'p' });
    expect(await job.run(ctx)).toBe(0); // no handler registered for the topic yet: not claimed
    const unregister = registerTimerHandler('test.registry', effectHandler('registry'));
    try {
      expect(() => registerTimerHandler('test.registry', effectHandler('again'))).toThrow(TypeError);
      expect(await job.run(ctx)).toBe(1);
      expect(await job.run(ctx)).toBe(0);
    } finally {
      unregister();
    }
    expect(await effects(ctx)).toMatchObject([{ timerKey: 'r1', worker: 'registry', attempt: 1 }]);
    expect((await getTimer(ctx, { topic: 'test.registry', key: 'r1' }))?.leaseOwner).toBe('job');
    const explicit = timerJob({ 'test.effect': effectHandler('explicit') }, { name: 'custom', recurring: false });
    expect(explicit.name).toBe('custom');
    expect(fromJson('1')).toBe(1);
  });
});
