import type { FieldIssue } from '@baton/core';
import { z } from 'zod';
import { ScheduleErrors } from './errors.ts';
import { toFieldIssue } from './validate.ts';
import {
  dateOfDayNumber,
  dayNumber,
  instantOfWall,
  isDate,
  isoWeekday,
  isTimeZone,
  localDateOf,
  minutesOfClock,
} from './zoned.ts';

export type CalendarInput = {
  name?: string;
  /** IANA zone the wall-clock hours and dates are read in. */
  timeZone: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workdays: ReadonlyArray<number>;
  /** Working periods of a working day, 'HH:MM' (end may be '24:00'), ascending and not overlapping. */
  hours: ReadonlyArray<readonly [string, string]>;
  /** Local dates 'YYYY-MM-DD' that are not working days even on a workday. */
  holidays?: ReadonlyArray<string>;
  /** Local dates that are working days even on a weekend (调休). */
  makeupWorkdays?: ReadonlyArray<string>;
};

export type BusinessCalendar = Readonly<{
  name: string | null;
  timeZone: string;
  workdays: ReadonlyArray<number>;
  hours: ReadonlyArray<readonly [string, string]>;
  holidays: ReadonlyArray<string>;
  makeupWorkdays: ReadonlyArray<string>;
  /** Business minutes of one working day (the sum of `hours`): the length of `{ days: 1 }`. */
  minutesPerDay: number;
}>;

/**
 * An amount of business time; the parts add up. `days` counts working days of `minutesPerDay` each, so
 * `{ days: 1 }` from Monday 10:00 is Tuesday 10:00 when the days are alike. Negative amounts go backwards.
 */
export type BusinessDuration = { minutes?: number; hours?: number; days?: number };

type Compiled = {
  timeZone: string;
  workdays: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  makeup: ReadonlySet<string>;
  /** Minutes since local midnight. */
  spans: ReadonlyArray<readonly [number, number]>;
  /** Intervals [startMs, endMs) of a local day number, memoised. */
  days: Map<number, ReadonlyArray<readonly [number, number]>>;
};

const compiled = new WeakMap<BusinessCalendar, Compiled>();
const DAY_CACHE_MAX = 4_096;
/** A calendar without a single business minute for this many days in a row is treated as empty. */
const EMPTY_SPAN_DAYS = 3_660;
const MINUTE_MS = 60_000;

const dateText = z.string().refine(isDate, 'a date YYYY-MM-DD');
const clockText = z.string().refine((value) => !Number.isNaN(minutesOfClock(value)), 'a time HH:MM (00:00 … 24:00)');
const calendarInput = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'not an IANA time zone'),
  workdays: z.array(z.number().int().min(1).max(7)).max(7),
  hours: z
    .array(z.tuple([clockText, clockText]))
    .min(1)
    .max(24),
  holidays: z.array(dateText).max(5_000).optional(),
  makeupWorkdays: z.array(dateText).max(5_000).optional(),
});

/**
 * Validates a business calendar (every problem reported with its path, as SCHEDULE_CALENDAR_INVALID) and
 * returns it frozen. Working periods are wall-clock times in `timeZone`, so they follow its DST changes.
 */
export function defineCalendar(input: CalendarInput): BusinessCalendar {
  const parsed = calendarInput.safeParse(input);
  if (!parsed.success) {
    throw ScheduleErrors.calendarInvalid.create({}, { fields: parsed.error.issues.map(toFieldIssue) });
  }
  const data = parsed.data;
  const issues: FieldIssue[] = [];
  const spans: Array<readonly [number, number]> = [];
  data.hours.forEach(([from, to], index) => {
    const start = minutesOfClock(from);
    const end = minutesOfClock(to);
    if (start >= end) {
      issues.push({ path: ['hours', index], code: 'empty_period', message: `${from} is not before ${to}` });
      return;
    }
    const previous = spans.at(-1);
    if (previous && start < previous[1]) {
      issues.push({
        path: ['hours', index],
        code: 'overlapping_period',
        message: 'periods must be ascending and must not overlap',
      });
      return;
    }
    spans.push([start, end]);
  });
  const holidays = [...new Set(data.holidays ?? [])].sort();
  const makeupWorkdays = [...new Set(data.makeupWorkdays ?? [])].sort();
  const holidaySet = new Set(holidays);
  (data.makeupWorkdays ?? []).forEach((date, index) => {
    if (holidaySet.has(date)) {
      issues.push({
        path: ['makeupWorkdays', index],
        code: 'also_holiday',
        message: `${date} is also listed as a holiday`,
      });
    }
  });
  if (data.workdays.length === 0 && makeupWorkdays.length === 0) {
    issues.push({ path: ['workdays'], code: 'no_workdays', message: 'at least one working day is needed' });
  }
  if (issues.length > 0) throw ScheduleErrors.calendarInvalid.create({}, { fields: issues });

  const workdays = [...new Set(data.workdays)].sort((a, b) => a - b);
  const calendar: BusinessCalendar = Object.freeze({
    name: data.name ?? null,
    timeZone: data.timeZone,
    workdays: Object.freeze(workdays),
    hours: Object.freeze(data.hours.map(([from, to]) => Object.freeze([from, to] as const))),
    holidays: Object.freeze(holidays),
    makeupWorkdays: Object.freeze(makeupWorkdays),
    minutesPerDay: spans.reduce((sum, [start, end]) => sum + end - start, 0),
  });
  compiled.set(calendar, {
    timeZone: data.timeZone,
    workdays: new Set(workdays),
    holidays: holidaySet,
    makeup: new Set(makeupWorkdays),
    spans,
    days: new Map(),
  });
  return calendar;
}

function compiledOf(calendar: BusinessCalendar): Compiled {
  const found = compiled.get(calendar);
  if (!found) throw new TypeError('business calendar: build it with defineCalendar');
  return found;
}

/** True when local date `date` ('YYYY-MM-DD') is a working day: a makeup day, or a workday that is no holiday. */
export function isWorkingDay(calendar: BusinessCalendar, date: string): boolean {
  const c = compiledOf(calendar);
  if (!isDate(date)) throw new TypeError(`isWorkingDay: ${date} is not a date YYYY-MM-DD`);
  return isWorkingDayNumber(c, dayNumber(date));
}

function isWorkingDayNumber(c: Compiled, day: number): boolean {
  const date = dateOfDayNumber(day);
  if (c.makeup.has(date)) return true;
  return !c.holidays.has(date) && c.workdays.has(isoWeekday(day));
}

/** Business intervals [startMs, endMs) of local day `day`, ascending. */
function intervals(c: Compiled, day: number): ReadonlyArray<readonly [number, number]> {
  const cached = c.days.get(day);
  if (cached) return cached;
  const list: Array<readonly [number, number]> = [];
  if (isWorkingDayNumber(c, day)) {
    for (const [start, end] of c.spans) {
      const from = instantOfWall(c.timeZone, day, start);
      const to = instantOfWall(c.timeZone, day, end);
      // A period that lies inside a DST gap has no instants at all.
      if (from < to) list.push([from, to]);
    }
  }
  if (c.days.size >= DAY_CACHE_MAX) c.days.clear();
  c.days.set(day, list);
  return list;
}

function localDay(c: Compiled, ms: number): number {
  return dayNumber(localDateOf(c.timeZone, ms));
}

function instantMs(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError(`${name}: a valid Date is required`);
  return ms;
}

function noBusinessTime(from: number): never {
  throw ScheduleErrors.noBusinessTime.create({ from: new Date(from).toISOString(), days: EMPTY_SPAN_DAYS });
}

/** True when `at` falls in a working period of a working day (start included, end excluded). */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
  const c = compiledOf(calendar);
  const ms = instantMs(at, 'isBusinessTime');
  return intervals(c, localDay(c, ms)).some(([start, end]) => start <= ms && ms < end);
}

/** `at` itself when it is business time, else the start of the next working period. */
export function nextBusinessTime(calendar: BusinessCalendar, at: Date): Date {
  const c = compiledOf(calendar);
  const ms = instantMs(at, 'nextBusinessTime');
  const first = localDay(c, ms);
  for (let day = first; day <= first + EMPTY_SPAN_DAYS; day += 1) {
    for (const [start, end] of intervals(c, day)) {
      if (end > ms) return new Date(Math.max(start, ms));
    }
  }
  return noBusinessTime(ms);
}

const durationInput = z
  .object({
    minutes: z.number().finite().min(-5_256_000).max(5_256_000).optional(),
    hours: z.number().finite().min(-87_600).max(87_600).optional(),
    days: z.number().finite().min(-3_650).max(3_650).optional(),
  })
  .strict()
  .refine((d) => d.minutes !== undefined || d.hours !== undefined || d.days !== undefined, 'minutes, hours or days');

function durationMs(calendar: BusinessCalendar, duration: BusinessDuration): number {
  const parsed = durationInput.safeParse(duration);
  if (!parsed.success) {
    throw new TypeError(`business duration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const { minutes = 0, hours = 0, days = 0 } = parsed.data;
  return Math.round((minutes + hours * 60 + days * calendar.minutesPerDay) * MINUTE_MS);
}

/**
 * The instant `duration` of business time after `from` (before it, for a negative duration). Time outside
 * working periods does not count; an amount that ends exactly at the end of a period gives that end (12:00,
 * not 13:30). A zero duration returns `from`. Throws SCHEDULE_CALENDAR_NO_BUSINESS_TIME for a calendar without
 * business time for ten years.
 */
export function addBusinessTime(calendar: BusinessCalendar, from: Date, duration: BusinessDuration): Date {
  const c = compiledOf(calendar);
  const start = instantMs(from, 'addBusinessTime');
  let remaining = durationMs(calendar, duration);
  if (remaining === 0) return new Date(start);
  const forward = remaining > 0;
  remaining = Math.abs(remaining);
  let day = localDay(c, start);
  let idle = 0;
  for (;;) {
    const list = intervals(c, day);
    let used = false;
    for (const [s, e] of forward ? list : [...list].reverse()) {
      const lo = forward ? Math.max(s, start) : s;
      const hi = forward ? e : Math.min(e, start);
      if (hi <= lo) continue;
      used = true;
      const available = hi - lo;
      if (remaining <= available) return new Date(forward ? lo + remaining : hi - remaining);
      remaining -= available;
    }
    idle = used ? 0 : idle + 1;
    if (idle > EMPTY_SPAN_DAYS) noBusinessTime(start);
    day += forward ? 1 : -1;
  }
}

/**
 * Business minutes between `a` and `b` (negative when `b` is before `a`); fractional when the instants are not
 * on whole minutes.
 */
export function businessMinutesBetween(calendar: BusinessCalendar, a: Date, b: Date): number {
  const c = compiledOf(calendar);
  const from = instantMs(a, 'businessMinutesBetween');
  const to = instantMs(b, 'businessMinutesBetween');
  if (to < from) return -businessMinutesBetween(calendar, b, a);
  let total = 0;
  const last = localDay(c, to);
  for (let day = localDay(c, from); day <= last; day += 1) {
    for (const [s, e] of intervals(c, day)) {
      const lo = Math.max(s, from);
      const hi = Math.min(e, to);
      if (hi > lo) total += hi - lo;
    }
  }
  return total / MINUTE_MS;
}
