import {
  getSchedule,
  listTimers,
  materialiseSchedules,
  removeSchedule,
  scheduleMigrations,
  timerJob,
  upsertSchedule,
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
  await database.db.deleteFrom('baton_schedule_recurring').execute();
  await database.db.deleteFrom('schedule_test_effect').execute();
});

// The fake clock starts at 2026-01-05T01:00Z = Monday 09:00 in Asia/Shanghai.
const daily = { key: 'daily', cron: '0 10 * * *', timeZone: 'Asia/Shanghai', topic: 'test.effect', payload: { n: 1 } };

describe(`recurring schedules (${testDialect})`, () => {
  it('creates once and keeps nextDueAt on an identical upsert', async () => {
    const ctx = testCtx(database.db);
    const created = await upsertSchedule(ctx, daily);
    expect(created.outcome).toBe('created');
    expect(created.schedule).toMatchObject({ nextDueAt: '2026-01-05T02:00:00.000Z', enabled: true });
    ctx.clock.advance(2 * 3_600_000); // past the occurrence, nothing materialised yet
    const again = await upsertSchedule(ctx, daily);
    expect(again.outcome).toBe('unchanged');
    expect((await getSchedule(ctx, { key: 'daily' }))?.nextDueAt).toBe('2026-01-05T02:00:00.000Z');
    // A payload change keeps the timing; a cron change recomputes from now.
    expect((await upsertSchedule(ctx, { ...daily, payload: { n: 2 } })).schedule.nextDueAt).toBe(
      '2026-01-05T02:00:00.000Z',
    );
    const retimed = await upsertSchedule(ctx, { ...daily, payload: { n: 2 }, cron: '30 11 * * *' });
    expect(retimed).toMatchObject({ outcome: 'updated', schedule: { nextDueAt: '2026-01-05T03:30:00.000Z' } });
    expect(await getSchedule(ctx, { key: 'daily' })).toMatchObject({
      cron: '30 11 * * *',
      payload: { n: 2 },
      nextDueAt: '2026-01-05T03:30:00.000Z',
    });
  });

  it('two processes upserting the same new schedule at once make one row', async () => {
    const ctx = testCtx(database.db);
    const outcomes =
      testDialect === 'postgres'
        ? await Promise.all([
            upsertSchedule(ctx, daily),
            upsertSchedule(testCtx(database.openSecond().db, { clock: ctx.clock }), daily),
          ])
        : [await upsertSchedule(ctx, daily), await upsertSchedule(ctx, daily)];
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'unchanged']);
    expect(await database.db.selectFrom('baton_schedule_recurring').select('id').execute()).toHaveLength(1);
  });

  it('materialises exactly one timer per occurrence across runs, and the job handles it', async () => {
    const ctx = testCtx(database.db);
    await upsertSchedule(ctx, daily);
    expect(await materialiseSchedules(ctx)).toBe(0);
    ctx.clock.advance(3_600_000); // 10:00 Shanghai
    expect(await materialiseSchedules(ctx)).toBe(1);
    expect(await materialiseSchedules(ctx)).toBe(0);
    expect((await getSchedule(ctx, { key: 'daily' }))?.nextDueAt).toBe('2026-01-06T02:00:00.000Z');
    ctx.clock.advance(86_400_000);
    // Two workers materialising the next occurrence at once still make one timer.
    if (testDialect === 'postgres') {
      const other = database.openSecond();
      const counts = await Promise.all([
        materialiseSchedules(ctx),
        materialiseSchedules(testCtx(other.db, { clock: ctx.clock })),
      ]);
      expect(counts.sort()).toEqual([0, 1]);
    } else {
      expect([await materialiseSchedules(ctx), await materialiseSchedules(ctx)]).toEqual([1, 0]);
    }
    const timers = await listTimers(ctx, { topic: 'test.effect' });
    expect(timers.map((t) => [t.key, t.dueAt, t.payload])).toEqual([
      ['daily@2026-01-05T02:00:00.000Z', '2026-01-05T02:00:00.000Z', { n: 1 }],
      ['daily@2026-01-06T02:00:00.000Z', '2026-01-06T02:00:00.000Z', { n: 1 }],
    ]);
    const job = timerJob({ 'test.effect': effectHandler('job') }, { owner: 'job' });
    expect(await job.run(ctx)).toBe(2);
    expect(await job.run(ctx)).toBe(0);
    expect((await effects(ctx)).map((e) => e.timerKey)).toEqual([
      'daily@2026-01-05T02:00:00.000Z',
      'daily@2026-01-06T02:00:00.000Z',
    ]);
  });

  it('collapses occurrences missed while no worker ran into one, then continues after now', async () => {
    const ctx = testCtx(database.db);
    await upsertSchedule(ctx, { ...daily, key: 'hourly', cron: '0 * * * *' });
    ctx.clock.advance(3 * 86_400_000 + 30 * 60_000); // three days and a half hour later
    expect(await materialiseSchedules(ctx)).toBe(1);
    expect((await listTimers(ctx, { topic: 'test.effect' })).map((t) => t.key)).toEqual([
      'hourly@2026-01-05T02:00:00.000Z',
    ]);
    expect((await getSchedule(ctx, { key: 'hourly' }))?.nextDueAt).toBe('2026-01-08T02:00:00.000Z');
  });

  it('a disabled schedule makes no timers; enabling it again starts from now', async () => {
    const ctx = testCtx(database.db);
    await upsertSchedule(ctx, { ...daily, enabled: false });
    ctx.clock.advance(2 * 86_400_000);
    expect(await materialiseSchedules(ctx)).toBe(0);
    const enabled = await upsertSchedule(ctx, daily);
    expect(enabled).toMatchObject({ outcome: 'updated', schedule: { nextDueAt: '2026-01-07T02:00:00.000Z' } });
    ctx.clock.advance(3_600_000);
    expect(await materialiseSchedules(ctx)).toBe(1);
    expect((await listTimers(ctx, { topic: 'test.effect' })).map((t) => t.key)).toEqual([
      'daily@2026-01-07T02:00:00.000Z',
    ]);
  });

  it('follows the schedule zone: 09:00 New York on weekdays across the DST change', async () => {
    const ctx = testCtx(database.db, {});
    ctx.clock.set('2026-03-06T12:00:00Z');
    await upsertSchedule(ctx, { key: 'ny', cron: '0 9 * * 1-5', timeZone: 'America/New_York', topic: 'test.effect' });
    ctx.clock.set('2026-03-06T14:00:00Z');
    expect(await materialiseSchedules(ctx)).toBe(1);
    ctx.clock.set('2026-03-09T13:00:00Z');
    expect(await materialiseSchedules(ctx)).toBe(1);
    expect((await listTimers(ctx, { topic: 'test.effect' })).map((t) => t.dueAt)).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('removes a schedule, keeping timers already made', async () => {
    const ctx = testCtx(database.db);
    await upsertSchedule(ctx, daily);
    ctx.clock.advance(3_600_000);
    await materialiseSchedules(ctx);
    await removeSchedule(ctx, { key: 'daily' });
    expect(await getSchedule(ctx, { key: 'daily' })).toBeUndefined();
    await expect(removeSchedule(ctx, { key: 'daily' })).rejects.toMatchObject({ code: 'SCHEDULE_NOT_FOUND' });
    expect(await listTimers(ctx, { topic: 'test.effect', state: 'pending' })).toHaveLength(1);
    await expect(upsertSchedule(ctx, { ...daily, cron: 'not cron' })).rejects.toMatchObject({
      code: 'SCHEDULE_CRON_INVALID',
    });
  });
});

describe(`recurring schedule edge cases (${testDialect})`, () => {
  it('6-field expressions fire on seconds; a topic change keeps the timing; disabling stops it', async () => {
    const ctx = testCtx(database.db);
    const every30s = { key: 'tick', cron: '*/30 * * * * *', timeZone: 'UTC', topic: 'test.effect' };
    expect((await upsertSchedule(ctx, every30s)).schedule.nextDueAt).toBe('2026-01-05T01:00:30.000Z');
    const moved = await upsertSchedule(ctx, { ...every30s, topic: 'test.other' });
    expect(moved).toMatchObject({
      outcome: 'updated',
      schedule: { topic: 'test.other', nextDueAt: '2026-01-05T01:00:30.000Z' },
    });
    ctx.clock.advance(30_000);
    expect(await materialiseSchedules(ctx)).toBe(1);
    expect((await listTimers(ctx, { topic: 'test.other' })).map((t) => t.key)).toEqual([
      'tick@2026-01-05T01:00:30.000Z',
    ]);
    await upsertSchedule(ctx, { ...every30s, topic: 'test.other', enabled: false });
    ctx.clock.advance(60_000);
    expect(await materialiseSchedules(ctx)).toBe(0);
    expect((await getSchedule(ctx, { key: 'tick' }))?.enabled).toBe(false);
  });

  it('a stored expression that can no longer be read stops that schedule only', async () => {
    const ctx = testCtx(database.db);
    await upsertSchedule(ctx, daily);
    await upsertSchedule(ctx, { ...daily, key: 'other' });
    await database.db
      .updateTable('baton_schedule_recurring')
      .set({ cron: 'garbage' })
      .where('key', '=', 'daily')
      .execute();
    ctx.clock.advance(3_600_000);
    expect(await materialiseSchedules(ctx)).toBe(2);
    expect((await getSchedule(ctx, { key: 'daily' }))?.nextDueAt).toBeNull();
    expect((await getSchedule(ctx, { key: 'other' }))?.nextDueAt).toBe('2026-01-06T02:00:00.000Z');
  });
});
