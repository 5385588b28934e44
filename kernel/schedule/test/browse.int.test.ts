import {
  browseTimers,
  countTimers,
  listSchedules,
  materialiseSchedules,
  runDueTimers,
  scheduleMigrations,
  scheduleTimer,
  setScheduleEnabled,
  upsertSchedule,
} from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [scheduleMigrations] });
});
afterAll(async () => {
  await database?.cleanup();
});
beforeEach(async () => {
  await database.db.deleteFrom('baton_schedule_timer').execute();
  await database.db.deleteFrom('baton_schedule_recurring').execute();
});

// The fake clock starts at 2026-01-05T01:00Z = Monday 09:00 in Asia/Shanghai.
const daily = { key: 'report.digest', cron: '0 10 * * *', topic: 'test.digest' };

describe(`browsing schedules and timers (${testDialect})`, () => {
  it('lists each schedule with its latest occurrence and how handling it went', async () => {
    const ctx = testCtx(database.db);
    await upsertSchedule(ctx, daily);
    await upsertSchedule(ctx, { key: 'a.never-ran', cron: '0 0 1 1 *', topic: 'test.digest' });
    expect((await listSchedules(ctx)).map((s) => [s.key, s.lastOccurrence])).toEqual([
      ['a.never-ran', null],
      ['report.digest', null],
    ]);
    for (let day = 0; day < 2; day += 1) {
      ctx.clock.advance(86_400_000);
      await materialiseSchedules(ctx);
    }
    await runDueTimers(ctx, {
      owner: 'test',
      handlers: {
        'test.digest': async () => {
          throw new Error('mail server away');
        },
      },
      maxAttempts: 1,
    });
    const [, digest] = await listSchedules(ctx);
    expect(digest).toMatchObject({
      key: 'report.digest',
      enabled: true,
      nextDueAt: '2026-01-07T02:00:00.000Z',
      lastOccurrence: { dueAt: '2026-01-06T02:00:00.000Z', state: 'failed', attempts: 1 },
    });
    expect(digest?.lastOccurrence?.lastError).toContain('mail server away');
  });

  it('pauses and resumes a schedule; resuming skips what fell due while paused', async () => {
    const ctx = testCtx(database.db);
    await upsertSchedule(ctx, daily);
    expect(await setScheduleEnabled(ctx, { key: daily.key, enabled: false })).toMatchObject({
      changed: true,
      schedule: { enabled: false },
    });
    expect((await setScheduleEnabled(ctx, { key: daily.key, enabled: false })).changed).toBe(false);
    ctx.clock.advance(3 * 86_400_000);
    expect(await materialiseSchedules(ctx)).toBe(0);
    const resumed = await setScheduleEnabled(ctx, { key: daily.key, enabled: true });
    expect(resumed.schedule).toMatchObject({ enabled: true, nextDueAt: '2026-01-08T02:00:00.000Z' });
    await expect(setScheduleEnabled(ctx, { key: 'nobody', enabled: true })).rejects.toMatchObject({
      code: 'SCHEDULE_NOT_FOUND',
    });
  });

  it('counts timers by topic and state and pages the pending ones by due time', async () => {
    const ctx = testCtx(database.db);
    const base = ctx.clock.now().getTime();
    for (let i = 0; i < 5; i += 1) {
      await scheduleTimer(ctx, { topic: 'flow.deadline', key: `task:${i}`, dueAt: new Date(base + (5 - i) * 60_000) });
    }
    // Two timers due at the same instant page by id.
    await scheduleTimer(ctx, { topic: 'rule.date', key: 'r:1', dueAt: new Date(base + 60_000) });
    await scheduleTimer(ctx, { topic: 'rule.date', key: 'gone', dueAt: new Date(base + 60_000) });
    await database.db
      .updateTable('baton_schedule_timer')
      .set({ state: 'cancelled' })
      .where('key', '=', 'gone')
      .execute();
    expect(await countTimers(ctx)).toEqual([
      { topic: 'flow.deadline', state: 'pending', count: 5 },
      { topic: 'rule.date', state: 'cancelled', count: 1 },
      { topic: 'rule.date', state: 'pending', count: 1 },
    ]);
    const first = await browseTimers(ctx, { state: 'pending', limit: 4 });
    expect(
      first.timers
        .map((t) => t.key)
        .slice(0, 2)
        .sort(),
    ).toEqual(['r:1', 'task:4']);
    expect(first.timers.map((t) => t.key).slice(2)).toEqual(['task:3', 'task:2']);
    expect(first.next).not.toBeNull();
    const second = await browseTimers(ctx, { state: 'pending', limit: 4, after: first.next ?? undefined });
    expect(second.timers.map((t) => t.key)).toEqual(['task:1', 'task:0']);
    expect(second.next).toBeNull();
    expect((await browseTimers(ctx, { state: 'pending', topic: 'rule.date' })).timers.map((t) => t.key)).toEqual([
      'r:1',
    ]);
    await expect(browseTimers(ctx, { state: 'everything' as never })).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
    });
  });
});
