// Wall-clock arithmetic in an IANA time zone with nothing but Intl, so that the calendar works the same in
// every process whatever its TZ. Local dates are 'YYYY-MM-DD'; times of day are minutes since local midnight.

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when Intl knows `timeZone` (an IANA name such as 'Asia/Shanghai'). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall time of instant `ms` in `timeZone`, expressed as if it were a UTC timestamp. */
function wallOf(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  // Date.UTC maps two-digit years to 19xx; setUTCFullYear does not.
  const wall = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  wall.setUTCFullYear(year);
  return wall.getTime() + (((ms % 1000) + 1000) % 1000);
}

/** UTC offset of `timeZone` at instant `ms`, in ms (Asia/Shanghai: +8 h). */
export function offsetAt(timeZone: string, ms: number): number {
  return wallOf(timeZone, ms) - ms;
}

/** The local date ('YYYY-MM-DD') of instant `ms` in `timeZone`. */
export function localDateOf(timeZone: string, ms: number): string {
  return new Date(wallOf(timeZone, ms)).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; the inverse of dateOfDayNumber. */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The instant at which the wall clock in `timeZone` shows `minuteOfDay` (0 … 1440) on local day `day`.
 * Like Temporal's 'compatible' disambiguation: a time repeated when clocks go back maps to the earlier
 * instant; a time skipped when clocks go forward maps to the same distance after the gap's start
 * (02:30 on a spring-forward day in New York is 03:30 EDT).
 */
export function instantOfWall(timeZone: string, day: number, minuteOfDay: number): number {
  const wall = day * DAY_MS + minuteOfDay * 60_000;
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((ms) => wallOf(timeZone, ms) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

/** 'HH:MM' (00:00 … 24:00) to minutes since midnight; NaN when malformed. */
export function minutesOfClock(clock: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(clock);
  if (!match) return Number.NaN;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes > 1440 ? Number.NaN : minutes;
}

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}
