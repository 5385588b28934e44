import { newId } from '@baton/core';
import { type DbCtx, forUpdate, fromJson, instant, toJson, withTx } from '@baton/db';
import { Cron } from 'croner';
import { z } from 'zod';
import { ScheduleErrors } from './errors.ts';
import type { RecurringTable } from './schema.ts';
import { scheduleTimer } from './timers.ts';
import { keyField, parseInput, payloadField, topicField } from './validate.ts';
import { isTimeZone } from './zoned.ts';

export type ScheduleInput = {
  /** Unique name of the schedule, e.g. `report.weekly-digest`; its timers are keyed `<key>@<ISO occurrence>`. */
  key: string;
  /** 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; croner syntax. */
  cron: string;
  /** IANA zone the expression is read in (default Asia/Shanghai). */
  timeZone?: string;
  /** Timer topic each occurrence fires on. */
  topic: string;
  payload?: unknown;
  enabled?: boolean;
};

export type ScheduleDefinition = Readonly<{
  key: string;
  cron: string;
  timeZone: string;
  topic: string;
  payload: unknown;
  enabled: boolean;
}>;

export type RecurringSchedule = ScheduleDefinition & {
  id: string;
  /** Next occurrence to materialise (ISO), null when the expression has no more. */
  nextDueAt: string | null;
  createdAt: string;
  updatedAt: string;
};

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const CRON_MAX = 200;
/** defineSchedule has no clock: it checks that the expression fires at all after this instant. */
const PROBE_FROM = new Date('2000-01-01T00:00:00Z');

function cronOf(expression: string, timeZone: string): Cron {
  return new Cron(expression, { timezone: timeZone, paused: true });
}

/** The first occurrence of `cron` in `timeZone` strictly after `after`, or null when there is none. */
export function nextOccurrence(cron: string, timeZone: string, after: Date): Date | null {
  return cronOf(cron, timeZone).nextRun(after);
}

const scheduleInput = z.object({
  key: keyField.max(200).refine((key) => !key.includes('@'), 'must not contain @ (it separates the occurrence)'),
  cron: z.string().trim().min(1).max(CRON_MAX),
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'not an IANA time zone').optional(),
  topic: topicField,
  payload: payloadField.optional(),
  enabled: z.boolean().optional(),
});

/** Validates a recurring schedule (cron syntax, zone, that it ever fires) and freezes it. */
export function defineSchedule(input: ScheduleInput): ScheduleDefinition {
  const data = parseInput(scheduleInput, input);
  const timeZone = data.timeZone ?? DEFAULT_TIME_ZONE;
  let first: Date | null;
  try {
    first = nextOccurrence(data.cron, timeZone, PROBE_FROM);
  } catch (error) {
    throw ScheduleErrors.cronInvalid.create(
      { cron: data.cron, reason: error instanceof Error ? error.message : String(error) },
      { fields: [{ path: ['cron'], code: 'invalid_cron', message: String(error) }] },
    );
  }
  if (!first) {
    throw ScheduleErrors.cronInvalid.create(
      { cron: data.cron, reason: 'it never fires' },
      { fields: [{ path: ['cron'], code: 'never_fires', message: 'the expression has no occurrence' }] },
    );
  }
  return Object.freeze({
    key: data.key,
    cron: data.cron,
    timeZone,
    topic: data.topic,
    payload: deepFreeze(structuredClone(data.payload ?? null)),
    enabled: data.enabled ?? true,
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function toSchedule(row: RecurringTable): RecurringSchedule {
  return {
    id: row.id,
    key: row.key,
    cron: row.cron,
    timeZone: row.timeZone,
    topic: row.topic,
    payload: fromJson(row.payload),
    enabled: Boolean(row.enabled),
    nextDueAt: row.nextDueAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function nextAfter(definition: { cron: string; timeZone: string }, after: Date): string | null {
  const next = nextOccurrence(definition.cron, definition.timeZone, after);
  return next ? instant(next) : null;
}

/**
 * Creates or updates the schedule `key`. Its next occurrence is computed from now when it is created, when
 * its cron or zone changes and when it is enabled again; otherwise it is kept, so calling this at every start
 * neither skips nor repeats an occurrence. Joins the caller's transaction.
 */
export async function upsertSchedule(
  ctx: DbCtx,
  input: ScheduleInput | ScheduleDefinition,
): Promise<{ schedule: RecurringSchedule; outcome: 'created' | 'updated' | 'unchanged' }> {
  const definition = defineSchedule(input);
  return withTx(ctx, async ({ db, clock }) => {
    const now = clock.now();
    const row: RecurringTable = {
      id: newId(),
      key: definition.key,
      cron: definition.cron,
      timeZone: definition.timeZone,
      topic: definition.topic,
      payload: JSON.stringify(definition.payload),
      nextDueAt: nextAfter(definition, now),
      enabled: definition.enabled ? 1 : 0,
      createdAt: instant(now),
      updatedAt: instant(now),
    };
    // Several processes may upsert the same schedule at start-up: insert-or-nothing, then update under a lock.
    const inserted = await db
      .insertInto('baton_schedule_recurring')
      .values({ ...row, payload: toJson(db, definition.payload), enabled: definition.enabled })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { schedule: toSchedule(row), outcome: 'created' as const };
    const existing = await forUpdate(
      db.selectFrom('baton_schedule_recurring').selectAll().where('key', '=', definition.key),
      db,
    ).executeTakeFirstOrThrow();
    const current = toSchedule(existing);
    const retimed =
      current.cron !== definition.cron ||
      current.timeZone !== definition.timeZone ||
      (!current.enabled && definition.enabled);
    const changed =
      retimed ||
      current.topic !== definition.topic ||
      current.enabled !== definition.enabled ||
      JSON.stringify(sortKeys(current.payload)) !== JSON.stringify(sortKeys(definition.payload));
    if (!changed) return { schedule: current, outcome: 'unchanged' as const };
    const nextDueAt = retimed ? nextAfter(definition, now) : current.nextDueAt;
    await db
      .updateTable('baton_schedule_recurring')
      .set({
        cron: definition.cron,
        timeZone: definition.timeZone,
        topic: definition.topic,
        payload: toJson(db, definition.payload),
        enabled: definition.enabled,
        nextDueAt,
        updatedAt: instant(now),
      })
      .where('id', '=', existing.id)
      .execute();
    return {
      schedule: { ...current, ...definition, nextDueAt, updatedAt: instant(now) },
      outcome: 'updated' as const,
    };
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export async function getSchedule(ctx: DbCtx, input: { key: string }): Promise<RecurringSchedule | undefined> {
  const row = await ctx.db
    .selectFrom('baton_schedule_recurring')
    .selectAll()
    .where('key', '=', input.key)
    .executeTakeFirst();
  return row ? toSchedule(row) : undefined;
}

/** Deletes the schedule; its timers already materialised stay (they are ordinary timers). Throws SCHEDULE_NOT_FOUND. */
export async function removeSchedule(ctx: DbCtx, input: { key: string }): Promise<void> {
  const result = await ctx.db.deleteFrom('baton_schedule_recurring').where('key', '=', input.key).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw ScheduleErrors.scheduleNotFound.create({ key: input.key });
}

/** The timer key of one occurrence: `<schedule key>@<ISO instant>`. */
export function occurrenceKey(scheduleKey: string, occurrence: Date | string): string {
  return `${scheduleKey}@${typeof occurrence === 'string' ? occurrence : instant(occurrence)}`;
}

/**
 * Turns every due occurrence (enabled, nextDueAt <= now) into a timer keyed `<key>@<ISO occurrence>` and
 * advances nextDueAt, in one transaction (PG: SKIP LOCKED; SQLite: BEGIN IMMEDIATE), so each occurrence
 * becomes exactly one timer. Occurrences missed while no worker ran collapse into the oldest one: the schedule
 * then continues with the first occurrence after now. Returns how many timers were created.
 */
export async function materialiseSchedules(ctx: DbCtx, input: { limit?: number } = {}): Promise<number> {
  const limit = input.limit ?? 50;
  return withTx(ctx, async (tx) => {
    const now = tx.clock.now();
    const due = await forUpdate(
      tx.db
        .selectFrom('baton_schedule_recurring')
        .selectAll()
        .where('enabled', '=', true)
        .where('nextDueAt', 'is not', null)
        .where('nextDueAt', '<=', instant(now))
        .orderBy('nextDueAt')
        .orderBy('id')
        .limit(limit),
      tx.db,
      { skipLocked: true },
    ).execute();
    let created = 0;
    for (const row of due) {
      if (!row.nextDueAt) continue;
      const occurrence = new Date(row.nextDueAt);
      const { outcome } = await scheduleTimer(tx, {
        topic: row.topic,
        key: occurrenceKey(row.key, occurrence),
        dueAt: occurrence,
        payload: fromJson(row.payload),
        ifPending: 'keep',
      });
      if (outcome === 'created') created += 1;
      const after = occurrence.getTime() > now.getTime() ? occurrence : now;
      let nextDueAt: string | null = null;
      try {
        nextDueAt = nextAfter(row, after);
      } catch (error) {
        // A stored expression this build cannot read must not block every other schedule: it stops, loudly.
        tx.log.error({ schedule: row.key, cron: row.cron, err: error }, 'recurring schedule stopped: cron unreadable');
      }
      await tx.db
        .updateTable('baton_schedule_recurring')
        .set({ nextDueAt, updatedAt: instant(now) })
        .where('id', '=', row.id)
        .execute();
    }
    return created;
  });
}
