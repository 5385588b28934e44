import {
  addMonths,
  DAY_MS,
  dateDiff,
  dateFromParts,
  dateParts,
  dayNumber,
  fromDayNumber,
  instantMs,
  instantText,
  isDate,
  localDate,
  localParts,
} from '../dates.ts';
import { tidy } from '../money.ts';
import type { Value } from '../values.ts';
import { defineFunction, type Runtime } from './define.ts';
import { expectArg } from './helpers.ts';

const units = ['D', 'M', 'Y'] as const;

export const TODAY = defineFunction({
  name: 'TODAY',
  category: 'date',
  summary: {
    zh: '今天的日期（按计算时区，默认 Asia/Shanghai）；同 $today',
    en: "Today's date in the evaluation time zone (default Asia/Shanghai); same as $today",
  },
  signatures: ['TODAY() → date'],
  minArgs: 0,
  maxArgs: 0,
  volatile: true,
  type: () => 'date',
  evaluate: (_args, runtime) => runtime.today(),
});

export const NOW = defineFunction({
  name: 'NOW',
  category: 'date',
  summary: { zh: '当前时刻；同 $now', en: 'The current instant; same as $now' },
  signatures: ['NOW() → datetime'],
  minArgs: 0,
  maxArgs: 0,
  volatile: true,
  type: () => 'datetime',
  evaluate: (_args, runtime) => runtime.now(),
});

export const DATE = defineFunction({
  name: 'DATE',
  category: 'date',
  summary: {
    zh: "日期：DATE('2026-01-31')、DATE(年, 月, 日) 或某一时刻在计算时区的日期",
    en: "A date: DATE('2026-01-31'), DATE(year, month, day) or the date of an instant in the evaluation time zone",
  },
  signatures: ['DATE(text) → date', 'DATE(number, number, number) → date', 'DATE(datetime) → date'],
  minArgs: 1,
  maxArgs: 3,
  type: (context) => {
    if (context.args.length === 2) return context.argumentCount('1 / 3');
    if (context.args.length === 3) {
      const ok = [0, 1, 2].map((i) => expectArg(context, i, ['number'])).every(Boolean);
      return ok ? 'date' : 'unknown';
    }
    if (!expectArg(context, 0, ['text', 'date', 'datetime'])) return 'unknown';
    const literal = context.literal(0);
    if (typeof literal === 'string' && !isDate(literal)) context.invalidDate(0, 'date');
    return 'date';
  },
  evaluate: (args, runtime) => {
    if (args.length === 3) {
      const [y, m, d] = [0, 1, 2].map((i) => args.value(i));
      return typeof y === 'number' && typeof m === 'number' && typeof d === 'number' ? dateFromParts(y, m, d) : null;
    }
    const value = args.value(0);
    if (typeof value !== 'string') return null;
    if (args.type(0) === 'datetime') return instantDate(value, runtime);
    return isDate(value) ? value : null;
  },
});

export const DATETIME = defineFunction({
  name: 'DATETIME',
  category: 'date',
  summary: {
    zh: "时刻：DATETIME('2026-01-31T09:00:00+08:00')，必须带时区",
    en: "An instant: DATETIME('2026-01-31T09:00:00+08:00'); the zone is required",
  },
  signatures: ['DATETIME(text) → datetime'],
  minArgs: 1,
  maxArgs: 1,
  type: (context) => {
    if (!expectArg(context, 0, ['text', 'datetime'])) return 'unknown';
    const literal = context.literal(0);
    if (typeof literal === 'string' && instantMs(literal) === null) context.invalidDate(0, 'datetime');
    return 'datetime';
  },
  evaluate: (args) => {
    const value = args.value(0);
    const ms = typeof value === 'string' ? instantMs(value) : null;
    return ms === null ? null : instantText(ms);
  },
});

export const DATEDIF = defineFunction({
  name: 'DATEDIF',
  category: 'date',
  summary: {
    zh: "两个日期间的整天数 'D'、整月数 'M' 或整年数 'Y'；结束早于开始时为空",
    en: "Whole days 'D', months 'M' or years 'Y' between two dates; blank when the end is before the start",
  },
  signatures: ["DATEDIF(date, date, 'D'|'M'|'Y') → number"],
  minArgs: 3,
  maxArgs: 3,
  type: (context) => {
    const ok = [expectArg(context, 0, ['date']), expectArg(context, 1, ['date']), expectArg(context, 2, ['text'])];
    const unit = context.literal(2);
    if (typeof unit === 'string' && !isUnit(unit)) context.invalidOption(2, units);
    return ok.every(Boolean) ? 'number' : 'unknown';
  },
  evaluate: (args) => {
    const start = args.value(0);
    const end = args.value(1);
    const unit = args.value(2);
    if (typeof start !== 'string' || typeof end !== 'string' || typeof unit !== 'string' || !isUnit(unit)) return null;
    return dateDiff(start, end, unit.toUpperCase() as (typeof units)[number]);
  },
});

export const DAYS = defineFunction({
  name: 'DAYS',
  category: 'date',
  summary: {
    zh: '结束日期减开始日期的天数（可为负）',
    en: 'Days from the start date to the end date (may be negative)',
  },
  signatures: ['DAYS(end: date, start: date) → number'],
  minArgs: 2,
  maxArgs: 2,
  type: (context) => (expectArg(context, 0, ['date']) && expectArg(context, 1, ['date']) ? 'number' : 'unknown'),
  evaluate: (args) => {
    const end = args.value(0);
    const start = args.value(1);
    return typeof end === 'string' && typeof start === 'string' ? dayNumber(end) - dayNumber(start) : null;
  },
});

export const ADDDAYS = defineFunction({
  name: 'ADDDAYS',
  category: 'date',
  summary: { zh: '日期加若干天（可为负）', en: 'A date plus a number of days (may be negative)' },
  signatures: ['ADDDAYS(date, number) → date', 'ADDDAYS(datetime, number) → datetime'],
  minArgs: 2,
  maxArgs: 2,
  type: (context) => {
    const ok = expectArg(context, 0, ['date', 'datetime']) && expectArg(context, 1, ['number']);
    const type = context.args[0]?.type;
    return ok ? (type === 'datetime' ? 'datetime' : 'date') : 'unknown';
  },
  evaluate: (args) => {
    const value = args.value(0);
    const days = args.value(1);
    if (typeof value !== 'string' || typeof days !== 'number') return null;
    if (args.type(0) === 'datetime') {
      const ms = instantMs(value);
      return ms === null ? null : instantText(ms + days * DAY_MS);
    }
    return fromDayNumber(dayNumber(value) + Math.trunc(tidy(days)));
  },
});

export const ADDMONTHS = defineFunction({
  name: 'ADDMONTHS',
  category: 'date',
  summary: {
    zh: '日期加若干个月；日超出当月天数时取月末（1月31日加1个月为2月末）',
    en: 'A date plus whole months; the day is clamped to the month end (Jan 31 + 1 month is the end of February)',
  },
  signatures: ['ADDMONTHS(date, number) → date'],
  minArgs: 2,
  maxArgs: 2,
  type: (context) => (expectArg(context, 0, ['date']) && expectArg(context, 1, ['number']) ? 'date' : 'unknown'),
  evaluate: (args) => {
    const value = args.value(0);
    const months = args.value(1);
    return typeof value === 'string' && typeof months === 'number' ? addMonths(value, tidy(months)) : null;
  },
});

function datePart(name: 'YEAR' | 'MONTH' | 'DAY', zh: string) {
  const part = name === 'YEAR' ? 'year' : name === 'MONTH' ? 'month' : 'day';
  return defineFunction({
    name,
    category: 'date',
    summary: {
      zh: `日期的${zh}（时刻按计算时区）`,
      en: `The ${part} of a date (of an instant, in the evaluation time zone)`,
    },
    signatures: [`${name}(date|datetime) → number`],
    minArgs: 1,
    maxArgs: 1,
    type: (context) => (expectArg(context, 0, ['date', 'datetime']) ? 'number' : 'unknown'),
    evaluate: (args, runtime) => {
      const value = args.value(0);
      if (typeof value !== 'string') return null;
      const date = args.type(0) === 'datetime' ? instantDate(value, runtime) : value;
      return date === null ? null : dateParts(date)[part];
    },
  });
}

export const YEAR = datePart('YEAR', '年份');
export const MONTH = datePart('MONTH', '月份');
export const DAY = datePart('DAY', '日');

export const HOURS = defineFunction({
  name: 'HOURS',
  category: 'date',
  summary: {
    zh: '两个时刻之间的小时数（可有小数，可为负），如加班时长：ROUND(HOURS(start, end), 1)',
    en: 'Hours between two instants (fractional, may be negative), e.g. overtime: ROUND(HOURS(start, end), 1)',
  },
  signatures: ['HOURS(start: datetime, end: datetime) → number'],
  minArgs: 2,
  maxArgs: 2,
  type: (context) =>
    expectArg(context, 0, ['datetime']) && expectArg(context, 1, ['datetime']) ? 'number' : 'unknown',
  evaluate: (args) => {
    const start = args.value(0);
    const end = args.value(1);
    const a = typeof start === 'string' ? instantMs(start) : null;
    const b = typeof end === 'string' ? instantMs(end) : null;
    return a === null || b === null ? null : (b - a) / 3_600_000;
  },
});

function isUnit(unit: string): boolean {
  return (units as readonly string[]).includes(unit.toUpperCase());
}

function instantDate(value: string, runtime: Runtime): string | null {
  const ms = instantMs(value);
  return ms === null ? null : localDate(ms, runtime.timeZone);
}

/** The wall-clock hour of an instant, for TEXT formats. */
export function instantParts(value: Value, runtime: Runtime) {
  const ms = typeof value === 'string' ? instantMs(value) : null;
  return ms === null ? null : localParts(ms, runtime.timeZone);
}

export const dateFunctions = [TODAY, NOW, DATE, DATETIME, DATEDIF, DAYS, ADDDAYS, ADDMONTHS, YEAR, MONTH, DAY, HOURS];
