import {
  cancelTimers,
  getTimer,
  listTimers,
  runDueTimers,
  scheduleMigrations,
  scheduleTimer,
  type TimerHandler,
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

const handlers = { 'test.effect': effectHandler('w') };

describe(`timer edge cases (${testDialect})`, () => {
  it('an idempotent repeat of scheduleTimer while claimed does not void the claim', async () => {
    const ctx = testCtx(database.db);
    const input = { topic: 'test.effect', key: 'same', dueAt: ctx.clock.now(), payload: { a: 1, b: 2 } };
    await scheduleTimer(ctx, input);
    const result = await runDueTimers(ctx, {
      owner: 'w',
      handlers,
      afterClaim: async () => {
        expect((await scheduleTimer(ctx, { ...input, payload: { b: 2, a: 1 } })).outcome).toBe('unchanged');
      },
    });
    expect(result).toMatchObject({ claimed: 1, done: 1, lost: 0 });
    expect(await effects(ctx)).toHaveLength(1);
  });

  it('respects the claim limit, earliest due first, and leaves the rest for the next run', async () => {
    const ctx = testCtx(database.db);
    for (let i = 4; i >= 0; i -= 1) {
      await scheduleTimer(ctx, { topic: 'test.effect', key: `k${i}`, dueAt: new Date(ctx.clock.now().getTime() - i) });
    }
    expect(await runDueTimers(ctx, { owner: 'w', handlers, limit: 2 })).toMatchObject({ claimed: 2, done: 2 });
    expect((await effects(ctx)).map((e) => e.timerKey)).toEqual(['k3', 'k4']);
    expect(await runDueTimers(ctx, { owner: 'w', handlers, limit: 10 })).toMatchObject({ claimed: 3, done: 3 });
  });

  it('a failed timer stays failed for its due time and comes back for another', async () => {
    const ctx = testCtx(database.db);
    const dueAt = ctx.clock.now();
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'f', dueAt });
    const failing: TimerHandler = async () => {
      throw new Error('down');
    };
    await runDueTimers(ctx, { owner: 'w', handlers: { 'test.effect': failing }, maxAttempts: 1 });
    expect((await getTimer(ctx, { topic: 'test.effect', key: 'f' }))?.state).toBe('failed');
    expect((await scheduleTimer(ctx, { topic: 'test.effect', key: 'f', dueAt })).outcome).toBe('unchanged');
    const later = new Date(dueAt.getTime() + 1);
    expect((await scheduleTimer(ctx, { topic: 'test.effect', key: 'f', dueAt: later })).outcome).toBe('rescheduled');
    expect(await getTimer(ctx, { topic: 'test.effect', key: 'f' })).toMatchObject({
      state: 'pending',
      attempts: 0,
      lastError: null,
      doneAt: null,
    });
  });

  it('hands the handler a frozen copy of the timer', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'frozen', dueAt: ctx.clock.now() });
    let mutated: unknown;
    await runDueTimers(ctx, {
      owner: 'w',
      handlers: {
        'test.effect': async (_tx, timer) => {
          try {
            (timer as { state: string }).state = 'done';
          } catch (error) {
            mutated = error;
          }
        },
      },
    });
    expect(mutated).toBeInstanceOf(TypeError);
    expect((await getTimer(ctx, { topic: 'test.effect', key: 'frozen' }))?.state).toBe('done');
  });

  it('keys in any script, prefixes counted in characters', async () => {
    const ctx = testCtx(database.db);
    const dueAt = new Date(ctx.clock.now().getTime() + 60_000);
    for (const key of ['任务:😀:提醒', '任务:😀:截止', '任务:😁:提醒', '任务:😀']) {
      await scheduleTimer(ctx, { topic: 'flow.reminder', key, dueAt });
    }
    expect((await listTimers(ctx, { topic: 'flow.reminder', keyPrefix: '任务:😀:' })).map((t) => t.key).sort()).toEqual(
      ['任务:😀:截止', '任务:😀:提醒'],
    );
    expect(await cancelTimers(ctx, { topic: 'flow.reminder', keyPrefix: '任务:😀:' })).toBe(2);
    expect((await listTimers(ctx, { topic: 'flow.reminder', state: 'pending' })).map((t) => t.key).sort()).toEqual([
      '任务:😀',
      '任务:😁:提醒',
    ]);
  });

  it('far past and far future due times compare correctly', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'past', dueAt: new Date('1999-12-31T23:59:59.999Z') });
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'future', dueAt: new Date('2999-01-01T00:00:00.000Z') });
    await scheduleTimer(ctx, {
      topic: 'test.effect',
      key: 'next-ms',
      dueAt: new Date(ctx.clock.now().getTime() + 1),
    });
    expect(await runDueTimers(ctx, { owner: 'w', handlers })).toMatchObject({ claimed: 1, done: 1 });
    ctx.clock.advance(1);
    expect(await runDueTimers(ctx, { owner: 'w', handlers })).toMatchObject({ claimed: 1, done: 1 });
    expect((await getTimer(ctx, { topic: 'test.effect', key: 'future' }))?.state).toBe('pending');
    expect((await getTimer(ctx, { topic: 'test.effect', key: 'past' }))?.dueAt).toBe('1999-12-31T23:59:59.999Z');
  });

  it('one failing handler does not stop the others in the same run', async () => {
    const ctx = testCtx(database.db);
    for (const key of ['a', 'bad', 'c'])
      await scheduleTimer(ctx, { topic: 'test.effect', key, dueAt: ctx.clock.now() });
    const mixed: TimerHandler = async (tx, timer) => {
      await effectHandler('w')(tx, timer);
      if (timer.key === 'bad') throw new Error('bad one');
    };
    expect(await runDueTimers(ctx, { owner: 'w', handlers: { 'test.effect': mixed } })).toMatchObject({
      claimed: 3,
      done: 2,
      retried: 1,
    });
    expect((await effects(ctx)).map((e) => e.timerKey)).toEqual(['a', 'c']);
  });

  it('a handler error that is not an Error is recorded as text', async () => {
    const ctx = testCtx(database.db);
    await scheduleTimer(ctx, { topic: 'test.effect', key: 'odd', dueAt: ctx.clock.now() });
    await runDueTimers(ctx, {
      owner: 'w',
      handlers: {
        'test.effect': async () => {
          throw 'x'.repeat(5_000);
        },
      },
    });
    const timer = await getTimer(ctx, { topic: 'test.effect', key: 'odd' });
    expect(timer?.lastError).toHaveLength(2_000);
  });
});
