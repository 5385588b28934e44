/**
 * Calendar dates are ISO `YYYY-MM-DD` strings and instants are ISO strings in UTC (`…Z`), as in the database.
 * Calendar arithmetic runs on day numbers (days since 1970-01-01 in the proleptic Gregorian calendar), which has no
 * time zone; only "today" and the parts of an instant depend on the zone, through Intl, which browsers have too.
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function dateParts(date: string): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function dayNumber(date: string): number {
  const { year, month, day } = dateParts(date);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  return Math.round(utc.getTime() / DAY_MS);
}

/** A day number back to a date, or null outside the years 1–9999 that a form can hold. */
export function fromDayNumber(days: number): string | null {
  if (!Number.isFinite(days)) return null;
  const utc = new Date(Math.floor(days) * DAY_MS);
  return dateFromParts(utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate());
}

export function dateFromParts(year: number, month: number, day: number): string | null {
  if (![year, month, day].every(Number.isInteger) || year < 1 || year > 9999) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Adds whole months; the day is clamped to the end of a shorter month (01-31 + 1 month → 02-28 or 02-29). */
export function addMonths(date: string, months: number): string | null {
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + Math.trunc(months);
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return dateFromParts(y, m, Math.min(day, daysInMonth(y, m)));
}

/**
 * Whole units between two dates, as the spreadsheet DATEDIF: 'D' days, 'M' complete months, 'Y' complete years.
 * A month is complete when the end day reaches the start day, so 01-31 → 02-28 is 0 months and 2024-02-29 →
 * 2025-02-28 is 0 years. An end before the start has no answer (null), as in spreadsheets.
 */
export function dateDiff(start: string, end: string, unit: 'D' | 'M' | 'Y'): number | null {
  const days = dayNumber(end) - dayNumber(start);
  if (days < 0) return null;
  if (unit === 'D') return days;
  const a = dateParts(start);
  const b = dateParts(end);
  const months = (b.year - a.year) * 12 + (b.month - a.month) - (b.day < a.day ? 1 : 0);
  return unit === 'M' ? months : Math.floor(months / 12);
}

/** Parses an ISO instant with an explicit zone (Z or ±hh:mm) into epoch milliseconds; null otherwise. */
export function instantMs(value: string): number | null {
  if (!DATETIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && instantMs(value) !== null;
}

/** Epoch milliseconds → canonical instant text, null out of range. */
export function instantText(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 1 || year > 9999 ? null : date.toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError for a zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock parts of an instant in a time zone. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The calendar date of an instant in a time zone. */
export function localDate(ms: number, timeZone: string): string | null {
  const { year, month, day } = localParts(ms, timeZone);
  return dateFromParts(year, month, day);
}

export { DAY_MS };
