import { type DbCtx, instant } from '@baton/db';
import { sql } from 'kysely';
import { z } from 'zod';
import { ScheduleErrors } from './errors.ts';
import { getSchedule, type RecurringSchedule, upsertSchedule } from './recurring.ts';
import type { TimerState } from './schema.ts';
import { type Timer, toTimer } from './timers.ts';
import { parseInput, topicField } from './validate.ts';

// What an administrator reads about the schedule engine: every recurring schedule with the timer of its last
// occurrence, timers by topic and state, and the timers waiting or given up. Reads only, except pausing.

/** The timer of a schedule's latest materialised occurrence: when it was due, and how handling it went. */
export type ScheduleOccurrence = Pick<
  Timer,
  'dueAt' | 'state' | 'attempts' | 'lastError' | 'doneAt' | 'leaseOwner' | 'leaseUntil'
>;

export type ScheduleOverview = RecurringSchedule & { lastOccurrence: ScheduleOccurrence | null };

/**
 * Every recurring schedule by key, each with its latest occurrence (`<key>@…` on its topic). Occurrence keys
 * carry an ISO instant, so the greatest key of the prefix is the latest one.
 */
export async function listSchedules(ctx: DbCtx): Promise<ScheduleOverview[]> {
  const rows = await ctx.db.selectFrom('baton_schedule_recurring').select('key').orderBy('key').execute();
  const out: ScheduleOverview[] = [];
  for (const { key } of rows) {
    const schedule = await getSchedule(ctx, { key });
    if (!schedule) continue;
    const prefix = `${key}@`;
    const last = await ctx.db
      .selectFrom('baton_schedule_timer')
      .selectAll()
      .where('topic', '=', schedule.topic)
      .where(sql<string>`substr(${sql.ref('key')}, 1, cast(${[...prefix].length} as integer))`, '=', prefix)
      .orderBy('dueAt', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const timer = last ? toTimer(last) : undefined;
    out.push({
      ...schedule,
      lastOccurrence: timer
        ? {
            dueAt: timer.dueAt,
            state: timer.state,
            attempts: timer.attempts,
            lastError: timer.lastError,
            doneAt: timer.doneAt,
            leaseOwner: timer.leaseOwner,
            leaseUntil: timer.leaseUntil,
          }
        : null,
    });
  }
  return out;
}

/**
 * Pauses (false) or resumes (true) a recurring schedule. Resuming computes the next occurrence from now, so
 * the occurrences missed while paused never fire. Throws SCHEDULE_NOT_FOUND. Returns the schedule and whether
 * anything changed. A schedule owned by a definition (a timed rule) follows that definition again when it is
 * next published.
 */
export async function setScheduleEnabled(
  ctx: DbCtx,
  input: { key: string; enabled: boolean },
): Promise<{ schedule: RecurringSchedule; changed: boolean }> {
  const data = parseInput(z.strictObject({ key: z.string().min(1).max(200), enabled: z.boolean() }), input);
  const current = await getSchedule(ctx, { key: data.key });
  if (!current) throw ScheduleErrors.scheduleNotFound.create({ key: data.key });
  const { schedule, outcome } = await upsertSchedule(ctx, {
    key: current.key,
    cron: current.cron,
    timeZone: current.timeZone,
    topic: current.topic,
    payload: current.payload,
    enabled: data.enabled,
  });
  return { schedule, changed: outcome !== 'unchanged' };
}

export type TimerCount = { topic: string; state: TimerState; count: number };

/** How many timers each topic has in each state. */
export async function countTimers(ctx: DbCtx): Promise<TimerCount[]> {
  const rows = await ctx.db
    .selectFrom('baton_schedule_timer')
    .select(['topic', 'state', (eb) => eb.fn.countAll<number | string | bigint>().as('count')])
    .groupBy(['topic', 'state'])
    .orderBy('topic')
    .orderBy('state')
    .execute();
  return rows.map((row) => ({ topic: row.topic, state: row.state, count: Number(row.count) }));
}

const browseInput = z.strictObject({
  state: z.enum(['pending', 'done', 'failed', 'cancelled']),
  topic: topicField.optional(),
  /** Due at or after this instant (the next page starts at the last row's dueAt and id). */
  after: z.strictObject({ dueAt: z.string().min(1).max(40), id: z.string().min(1).max(64) }).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

/**
 * Timers in one state (of one topic, or all), earliest due first, keyset-paged by (dueAt, id): the pending
 * ones an administrator checks (next fire time, lease, attempts so far) and the failed ones (last error).
 */
export async function browseTimers(
  ctx: DbCtx,
  input: z.input<typeof browseInput>,
): Promise<{ timers: Timer[]; next: { dueAt: string; id: string } | null; now: string }> {
  const data = parseInput(browseInput, input);
  const limit = data.limit ?? 100;
  let query = ctx.db
    .selectFrom('baton_schedule_timer')
    .selectAll()
    .where('state', '=', data.state)
    .orderBy('dueAt')
    .orderBy('id')
    .limit(limit + 1);
  if (data.topic) query = query.where('topic', '=', data.topic);
  const after = data.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('dueAt', '>', after.dueAt), eb.and([eb('dueAt', '=', after.dueAt), eb('id', '>', after.id)])]),
    );
  }
  const rows = (await query.execute()).map(toTimer);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    timers: page,
    next: rows.length > limit && last ? { dueAt: last.dueAt, id: last.id } : null,
    now: instant(ctx.clock.now()),
  };
}
