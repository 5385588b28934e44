import { type DbCtx, instant } from '@baton/db';
import type { CompiledExpression } from '@baton/expression';
import { listRecords } from '@baton/form';
import {
  cancelTimer,
  cancelTimers,
  getSchedule,
  scheduleTimer,
  type TimerHandler,
  upsertSchedule,
} from '@baton/schedule';
import { applyOne, loadSource, type Normalized } from './apply.ts';
import { evaluateAt } from './expressions.ts';
import { compiledOf, ruleRow } from './store.ts';
import { type DateTrigger, type FormRef, type RuleDefinition, refId } from './types.ts';

// Timed rules (issue 6 item 3) on kernel/schedule: a cron schedule runs a rule over a form's records; a date field
// arms one timer per record for a reminder N days before or after it. Timers are durable rows claimed with a lease,
// so each occurrence fires once across workers and late after downtime; the run key makes applying it idempotent.

export const RULE_SCHEDULE_TOPIC = 'rule.schedule';
export const RULE_RECORD_TOPIC = 'rule.record';
export const RULE_DATE_TOPIC = 'rule.date';

const DAY = 86_400_000;
const PAGE = 200;

/** The recurring schedule of a rule in baton_schedule_recurring. */
export const scheduleKeyOf = (rule: { pack: string; key: string }) => `rule.${rule.pack}.${rule.key}`;
const dateKeyPrefix = (rule: { pack: string; key: string }) => `rule:${rule.pack}.${rule.key}#`;

type DateOn = Readonly<Required<DateTrigger>>;

/** The local wall time of instant `ms` in `timeZone`, written as if it were UTC. */
function wallOf(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  for (const part of format.formatToParts(new Date(ms)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day, parts.hour, parts.minute);
}

/** The instant of a local date and time in a zone (a time skipped by daylight saving moves forward). */
export function zonedInstant(date: string, time: string, timeZone: string, addDays = 0): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d + addDays, hh, mm);
  let guess = wall;
  for (let i = 0; i < 3; i += 1) guess = wall - (wallOf(timeZone, guess) - guess);
  return new Date(guess);
}

/** When a date rule fires for a field value: a date at `at` local time, a datetime as it is, `days` later (negative: earlier). */
export function dueOf(on: DateOn, value: unknown, days = on.days): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return zonedInstant(value, on.at, on.timeZone, days);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms + days * DAY);
}

/** Arms, moves or cancels the date timer of one record (called on its record events and when the rule is published). */
async function armDate(
  ctx: DbCtx,
  rule: RuleDefinition,
  on: DateOn,
  record: { id: string; values: Record<string, unknown>; voidedAt: string | null },
): Promise<void> {
  const key = `${dateKeyPrefix(rule)}${record.id}`;
  const value = record.values[on.field];
  const due = record.voidedAt ? undefined : dueOf(on, value);
  const now = ctx.clock.now();
  // A reminder whose moment passed while the date itself is still ahead fires now; one for a past date never does.
  const anchor = dueOf(on, value, 0);
  if (!due || !anchor || (due < now && anchor < now)) {
    await cancelTimer(ctx, { topic: RULE_DATE_TOPIC, key });
    return;
  }
  await scheduleTimer(ctx, {
    topic: RULE_DATE_TOPIC,
    key,
    dueAt: new Date(Math.max(due.getTime(), now.getTime())),
    payload: { pack: rule.pack, key: rule.key, recordId: record.id, due: instant(due) },
  });
}

/** After a version is published: register (or switch off) its schedule, arm (or cancel) its date timers. */
export async function syncTimedRule(ctx: DbCtx, rule: RuleDefinition): Promise<void> {
  const on = rule.on;
  const key = scheduleKeyOf(rule);
  if ('schedule' in on) {
    await upsertSchedule(ctx, {
      key,
      cron: on.schedule.cron,
      timeZone: on.schedule.timeZone,
      topic: RULE_SCHEDULE_TOPIC,
      payload: { pack: rule.pack, key: rule.key },
      enabled: rule.enabled,
    });
  } else {
    const existing = await getSchedule(ctx, { key });
    if (existing?.enabled) await upsertSchedule(ctx, { ...existing, enabled: false });
  }
  if (!('date' in on) || !rule.enabled) {
    await cancelTimers(ctx, { topic: RULE_DATE_TOPIC, keyPrefix: dateKeyPrefix(rule) });
    return;
  }
  let cursor: string | undefined;
  do {
    const page = await listRecords(
      ctx,
      { ...on.form, limit: PAGE, ...(cursor ? { cursor } : {}) },
      { referenceIds: true },
    );
    for (const record of page.records) await armDate(ctx, rule, on.date, record);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** A record of `form` was written: arm, move or cancel the timers of the date rules on that form. */
export async function armDateRules(
  ctx: DbCtx,
  rules: readonly RuleDefinition[],
  record: { id: string; values: Record<string, unknown>; voidedAt: string | null },
): Promise<void> {
  for (const rule of rules) {
    if (!('date' in rule.on)) continue;
    if (!rule.enabled) continue;
    await armDate(ctx, rule, rule.on.date, record);
  }
}

function timedEvent(
  form: FormRef,
  type: 'schedule' | 'date',
  recordId: string,
  at: string,
  eventKey: string,
): Normalized {
  return {
    kind: 'form',
    ref: refId(form),
    type,
    compensation: undefined,
    subjectId: recordId,
    instanceId: null,
    eventKey,
    nodeKey: null,
    at,
    actorId: null,
    record: { form, id: recordId },
  };
}

/** Reads only record fields and `$event`/`$record`: can be decided from a list row before fanning out. */
function listDecidable(expression: CompiledExpression | undefined, subtables: ReadonlySet<string>): boolean {
  if (!expression) return false;
  const rows = expression.fields.some((field) => subtables.has(field.split('.')[0] as string));
  const context = expression.context.every((name) => name.startsWith('event.') || name.startsWith('record.'));
  return !rows && context;
}

/** An occurrence of a rule's schedule: one `rule.record` timer per record that may pass `when` (each its own transaction). */
const onSchedule: TimerHandler = async (ctx, timer) => {
  const { pack, key } = timer.payload as { pack: string; key: string };
  const row = await ruleRow(ctx, pack, key);
  if (!row?.enabled || row.triggerKind !== 'schedule') return;
  const compiled = await compiledOf(ctx, row);
  const on = compiled.def.on;
  if (!('schedule' in on)) return;
  const when = compiled.expressions.get('when');
  const decidable = listDecidable(when, new Set(compiled.source?.subtables.keys() ?? []));
  let cursor: string | undefined;
  do {
    const page = await listRecords(
      ctx,
      { ...on.form, limit: PAGE, ...(cursor ? { cursor } : {}) },
      { referenceIds: true },
    );
    for (const record of page.records) {
      if (decidable && when) {
        const context = {
          'event.type': 'schedule',
          'event.at': timer.dueAt,
          'event.nodeKey': null,
          'event.instanceId': record.flowInstanceId,
          'record.id': record.id,
          'record.state': record.state,
          'record.ownerId': record.ownerId,
          'record.departmentId': record.departmentId,
          'record.createdAt': record.createdAt,
        };
        if (evaluateAt(when, record.values, { clock: ctx.clock, context }) !== true) continue;
      }
      await scheduleTimer(ctx, {
        topic: RULE_RECORD_TOPIC,
        key: `${timer.key}#${record.id}`,
        dueAt: ctx.clock.now(),
        payload: { pack, key, version: Number(row.version), recordId: record.id, occurrence: timer.dueAt },
        ifPending: 'keep',
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
};

/** One record of one schedule occurrence. */
const onScheduledRecord: TimerHandler = async (ctx, timer) => {
  const data = timer.payload as { pack: string; key: string; version: number; recordId: string; occurrence: string };
  const latest = await ruleRow(ctx, data.pack, data.key);
  const row = await ruleRow(ctx, data.pack, data.key, data.version);
  if (!latest?.enabled || !row) return;
  const compiled = await compiledOf(ctx, row);
  const on = compiled.def.on;
  if (!('schedule' in on)) return;
  const event = timedEvent(
    on.form,
    'schedule',
    data.recordId,
    data.occurrence,
    `schedule:${data.occurrence}:${data.recordId}`,
  );
  const view = await loadSource(ctx, event);
  if (!view || view.record.voidedAt) return;
  event.instanceId = view.record.flowInstanceId;
  await applyOne(ctx, compiled, event, { ...view, instanceId: view.record.flowInstanceId });
};

/** A date reminder came due. */
const onDate: TimerHandler = async (ctx, timer) => {
  const data = timer.payload as { pack: string; key: string; recordId: string; due: string };
  const row = await ruleRow(ctx, data.pack, data.key);
  if (!row?.enabled || row.triggerKind !== 'date') return;
  const compiled = await compiledOf(ctx, row);
  const on = compiled.def.on;
  if (!('date' in on)) return;
  const event = timedEvent(on.form, 'date', data.recordId, data.due, `date:${data.recordId}:${data.due}`);
  const view = await loadSource(ctx, event);
  if (!view || view.record.voidedAt) return;
  // The date moved since this timer was armed (the record event re-armed it; a newer version re-armed all).
  const current = dueOf(on.date, view.record.values[on.date.field]);
  if (!current || instant(current) !== data.due) return;
  event.instanceId = view.record.flowInstanceId;
  await applyOne(ctx, compiled, event, { ...view, instanceId: view.record.flowInstanceId });
};

/** Timer handlers of timed rules, for registerTimerHandler at the composition root. */
export const ruleTimerHandlers: Readonly<Record<string, TimerHandler>> = Object.freeze({
  [RULE_SCHEDULE_TOPIC]: onSchedule,
  [RULE_RECORD_TOPIC]: onScheduledRecord,
  [RULE_DATE_TOPIC]: onDate,
});
