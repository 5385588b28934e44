import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessMinutesBetween,
  defineCalendar,
  isBusinessTime,
  isWorkingDay,
  nextBusinessTime,
} from './calendar.ts';
import { CHINA_2026, chinaCalendar2026 } from './china-2026.ts';

// Shanghai is UTC+8 all year; New York is UTC−5 (EST) or UTC−4 (EDT, 2026-03-08 … 2026-11-01).
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const iso = (date: Date) => date.toISOString();

const shanghai = defineCalendar({
  name: 'office',
  timeZone: 'Asia/Shanghai',
  workdays: [1, 2, 3, 4, 5],
  hours: [
    ['09:00', '12:00'],
    ['13:30', '18:00'],
  ],
  holidays: CHINA_2026.holidays,
  makeupWorkdays: CHINA_2026.makeupWorkdays,
});

const newYork = defineCalendar({
  timeZone: 'America/New_York',
  workdays: [1, 2, 3, 4, 5],
  hours: [['09:00', '17:00']],
});

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    const e = error as { code?: string; fields?: Array<{ path: unknown[]; code: string }> };
    return { code: e.code, fields: (e.fields ?? []).map((f) => ({ path: f.path, code: f.code })) };
  }
  throw new Error('expected a failure');
}

describe('defineCalendar', () => {
  it('returns a frozen calendar with the business minutes of a day', () => {
    expect(shanghai.minutesPerDay).toBe(450);
    expect(shanghai.name).toBe('office');
    expect(Object.isFrozen(shanghai)).toBe(true);
    expect(Object.isFrozen(shanghai.hours)).toBe(true);
    expect(Object.isFrozen(shanghai.hours[0])).toBe(true);
    expect(Object.isFrozen(shanghai.holidays)).toBe(true);
    expect(() => (shanghai.workdays as number[]).push(6)).toThrow(TypeError);
  });

  it('reports every problem with its path', () => {
    const result = issuesOf(() =>
      defineCalendar({
        timeZone: 'Mars/Olympus',
        workdays: [0, 3],
        hours: [['9:00', '12:00']],
        holidays: ['2026-02-30'],
      }),
    );
    expect(result.code).toBe('SCHEDULE_CALENDAR_INVALID');
    expect(result.fields.map((f) => f.path)).toEqual([['timeZone'], ['workdays', 0], ['hours', 0, 0], ['holidays', 0]]);
  });

  it('refuses empty and overlapping periods, makeup days that are holidays and no working day at all', () => {
    const result = issuesOf(() =>
      defineCalendar({
        timeZone: 'Asia/Shanghai',
        workdays: [],
        hours: [
          ['09:00', '12:00'],
          ['11:00', '13:00'],
          ['14:00', '14:00'],
          ['15:00', '24:00'],
        ],
        holidays: ['2026-10-01'],
        makeupWorkdays: ['2026-10-01'],
      }),
    );
    expect(result.fields).toEqual([
      { path: ['hours', 1], code: 'overlapping_period' },
      { path: ['hours', 2], code: 'empty_period' },
      { path: ['makeupWorkdays', 0], code: 'also_holiday' },
    ]);
    const none = issuesOf(() => defineCalendar({ timeZone: 'UTC', workdays: [], hours: [['09:00', '17:00']] }));
    expect(none.fields).toEqual([{ path: ['workdays'], code: 'no_workdays' }]);
    expect(issuesOf(() => defineCalendar({ timeZone: 'UTC', workdays: [1], hours: [] })).fields[0]?.path).toEqual([
      'hours',
    ]);
  });

  it('refuses calendars not built by defineCalendar', () => {
    const fake = { ...shanghai } as BusinessCalendar;
    expect(() => isBusinessTime(fake, new Date())).toThrow(/defineCalendar/);
  });
});

describe('business time in Asia/Shanghai', () => {
  it('knows working periods, lunch, weekends, holidays and makeup days', () => {
    expect(isBusinessTime(shanghai, sh('2026-03-02 09:00'))).toBe(true); // Monday
    expect(isBusinessTime(shanghai, sh('2026-03-02 11:59'))).toBe(true);
    expect(isBusinessTime(shanghai, sh('2026-03-02 12:00'))).toBe(false);
    expect(isBusinessTime(shanghai, sh('2026-03-02 13:29'))).toBe(false);
    expect(isBusinessTime(shanghai, sh('2026-03-02 13:30'))).toBe(true);
    expect(isBusinessTime(shanghai, sh('2026-03-02 18:00'))).toBe(false);
    expect(isBusinessTime(shanghai, sh('2026-03-02 08:59'))).toBe(false);
    expect(isBusinessTime(shanghai, sh('2026-03-07 10:00'))).toBe(false); // Saturday
    expect(isBusinessTime(shanghai, sh('2026-10-01 10:00'))).toBe(false); // National Day
    expect(isBusinessTime(shanghai, sh('2026-10-10 10:00'))).toBe(true); // Saturday, makeup day
    expect(isBusinessTime(shanghai, sh('2026-09-20 17:59'))).toBe(true); // Sunday, makeup day
    expect(isWorkingDay(shanghai, '2026-02-14')).toBe(true);
    expect(isWorkingDay(shanghai, '2026-02-23')).toBe(false);
    expect(() => isWorkingDay(shanghai, '2026-13-01')).toThrow(TypeError);
  });

  it('adds minutes and hours across lunch, the evening and the weekend', () => {
    const monday11 = sh('2026-03-02 11:00');
    expect(iso(addBusinessTime(shanghai, monday11, { hours: 2 }))).toBe(iso(sh('2026-03-02 14:30')));
    expect(iso(addBusinessTime(shanghai, monday11, { hours: 1 }))).toBe(iso(sh('2026-03-02 12:00')));
    expect(iso(addBusinessTime(shanghai, monday11, { minutes: 61 }))).toBe(iso(sh('2026-03-02 13:31')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 12:30'), { minutes: 30 }))).toBe(iso(sh('2026-03-02 14:00')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 07:00'), { minutes: 10 }))).toBe(iso(sh('2026-03-02 09:10')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-06 17:00'), { hours: 2 }))).toBe(iso(sh('2026-03-09 10:00')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-07 10:00'), { minutes: 1 }))).toBe(iso(sh('2026-03-09 09:01')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 11:00'), { hours: 1, minutes: 30 }))).toBe(
      iso(sh('2026-03-02 14:00')),
    );
    expect(iso(addBusinessTime(shanghai, monday11, { minutes: 0 }))).toBe(iso(monday11));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 09:00'), { minutes: 0.5 }))).toBe('2026-03-02T01:00:30.000Z');
  });

  it('adds working days of minutesPerDay each', () => {
    const monday10 = sh('2026-03-02 10:00');
    expect(iso(addBusinessTime(shanghai, monday10, { days: 1 }))).toBe(iso(sh('2026-03-03 10:00')));
    expect(iso(addBusinessTime(shanghai, monday10, { days: 5 }))).toBe(iso(sh('2026-03-09 10:00')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 18:00'), { days: 1 }))).toBe(iso(sh('2026-03-03 18:00')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-07 10:00'), { days: 1 }))).toBe(iso(sh('2026-03-09 18:00')));
    expect(iso(addBusinessTime(shanghai, monday10, { days: 0.5 }))).toBe(iso(sh('2026-03-02 15:15')));
  });

  it('skips holidays and works on makeup days (调休)', () => {
    // National Day: Oct 1–7 off, Sat Oct 10 and Sun Sep 20 are working days.
    expect(iso(addBusinessTime(shanghai, sh('2026-09-30 17:00'), { hours: 2 }))).toBe(iso(sh('2026-10-08 10:00')));
    expect(iso(addBusinessTime(shanghai, sh('2026-10-09 17:30'), { hours: 1 }))).toBe(iso(sh('2026-10-10 09:30')));
    expect(iso(addBusinessTime(shanghai, sh('2026-09-18 17:00'), { hours: 2 }))).toBe(iso(sh('2026-09-20 10:00')));
    // Spring Festival: Sat Feb 14 is worked, Feb 15–23 off.
    expect(iso(addBusinessTime(shanghai, sh('2026-02-13 17:00'), { hours: 2 }))).toBe(iso(sh('2026-02-14 10:00')));
    expect(iso(addBusinessTime(shanghai, sh('2026-02-14 18:00'), { minutes: 1 }))).toBe(iso(sh('2026-02-24 09:01')));
    expect(iso(addBusinessTime(shanghai, sh('2026-09-30 09:00'), { days: 2 }))).toBe(iso(sh('2026-10-08 18:00')));
  });

  it('goes backwards for negative amounts', () => {
    expect(iso(addBusinessTime(shanghai, sh('2026-03-09 10:00'), { hours: -2 }))).toBe(iso(sh('2026-03-06 17:00')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 14:30'), { hours: -1 }))).toBe(iso(sh('2026-03-02 13:30')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 14:30'), { minutes: -61 }))).toBe(iso(sh('2026-03-02 11:59')));
    expect(iso(addBusinessTime(shanghai, sh('2026-10-08 10:00'), { hours: -2 }))).toBe(iso(sh('2026-09-30 17:00')));
    const from = sh('2026-05-08 16:20');
    for (const minutes of [1, 59, 450, 1_000, 4_321]) {
      const later = addBusinessTime(shanghai, from, { minutes });
      expect(businessMinutesBetween(shanghai, from, later)).toBe(minutes);
      expect(iso(addBusinessTime(shanghai, later, { minutes: -minutes }))).toBe(iso(from));
    }
  });

  it('counts business minutes between two instants', () => {
    expect(businessMinutesBetween(shanghai, sh('2026-03-02 11:00'), sh('2026-03-02 14:30'))).toBe(120);
    expect(businessMinutesBetween(shanghai, sh('2026-03-06 17:00'), sh('2026-03-09 10:00'))).toBe(120);
    expect(businessMinutesBetween(shanghai, sh('2026-03-09 10:00'), sh('2026-03-06 17:00'))).toBe(-120);
    expect(businessMinutesBetween(shanghai, sh('2026-09-30 09:00'), sh('2026-10-08 18:00'))).toBe(900);
    expect(businessMinutesBetween(shanghai, sh('2026-10-01 00:00'), sh('2026-10-07 23:59'))).toBe(0);
    expect(businessMinutesBetween(shanghai, sh('2026-03-02 12:10'), sh('2026-03-02 12:50'))).toBe(0);
    expect(businessMinutesBetween(shanghai, sh('2026-03-02 10:00'), sh('2026-03-02 10:00'))).toBe(0);
    expect(businessMinutesBetween(shanghai, new Date('2026-03-02T01:00:00Z'), new Date('2026-03-02T01:00:30Z'))).toBe(
      0.5,
    );
  });

  it('finds the next business instant', () => {
    expect(iso(nextBusinessTime(shanghai, sh('2026-03-07 10:00')))).toBe(iso(sh('2026-03-09 09:00')));
    expect(iso(nextBusinessTime(shanghai, sh('2026-03-02 12:15')))).toBe(iso(sh('2026-03-02 13:30')));
    expect(iso(nextBusinessTime(shanghai, sh('2026-03-02 10:15')))).toBe(iso(sh('2026-03-02 10:15')));
    expect(iso(nextBusinessTime(shanghai, sh('2026-09-30 18:00')))).toBe(iso(sh('2026-10-08 09:00')));
  });

  it('refuses bad arguments', () => {
    expect(() => addBusinessTime(shanghai, new Date(Number.NaN), { hours: 1 })).toThrow(TypeError);
    expect(() => addBusinessTime(shanghai, new Date(), {})).toThrow(TypeError);
    expect(() => addBusinessTime(shanghai, new Date(), { hours: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => addBusinessTime(shanghai, new Date(), { weeks: 1 } as never)).toThrow(TypeError);
  });
});

describe('business time in America/New_York across DST', () => {
  it('spring forward: Friday 16:00 EST + 2 h is Monday 10:00 EDT', () => {
    const friday = new Date('2026-03-06T16:00:00-05:00');
    const monday = addBusinessTime(newYork, friday, { hours: 2 });
    expect(iso(monday)).toBe('2026-03-09T14:00:00.000Z');
    expect(businessMinutesBetween(newYork, friday, monday)).toBe(120);
    expect(isBusinessTime(newYork, new Date('2026-03-09T13:00:00Z'))).toBe(true); // 09:00 EDT
    expect(isBusinessTime(newYork, new Date('2026-03-06T13:30:00Z'))).toBe(false); // 08:30 EST
  });

  it('fall back: Friday 16:00 EDT + 2 h is Monday 10:00 EST', () => {
    const friday = new Date('2026-10-30T16:00:00-04:00');
    expect(iso(addBusinessTime(newYork, friday, { hours: 2 }))).toBe('2026-11-02T15:00:00.000Z');
    expect(iso(addBusinessTime(newYork, new Date('2026-11-02T15:00:00Z'), { hours: -2 }))).toBe(iso(friday));
  });

  it('counts real elapsed time on the short and the long day', () => {
    const always = defineCalendar({
      timeZone: 'America/New_York',
      workdays: [1, 2, 3, 4, 5, 6, 7],
      hours: [['00:00', '24:00']],
    });
    expect(businessMinutesBetween(always, new Date('2026-03-08T05:00:00Z'), new Date('2026-03-09T04:00:00Z'))).toBe(
      23 * 60,
    );
    expect(businessMinutesBetween(always, new Date('2026-11-01T04:00:00Z'), new Date('2026-11-02T05:00:00Z'))).toBe(
      25 * 60,
    );
    expect(isBusinessTime(always, new Date('2026-03-08T07:30:00Z'))).toBe(true);
    // { days: 2 } is 2 × 1440 nominal minutes: from Saturday 00:00 the short Sunday leaves one hour for Monday.
    expect(iso(addBusinessTime(always, new Date('2026-03-07T05:00:00Z'), { days: 2 }))).toBe(
      '2026-03-09T05:00:00.000Z',
    );
  });

  it('a period inside the spring gap is empty; one in the repeated hour lasts two hours', () => {
    const night = defineCalendar({
      timeZone: 'America/New_York',
      workdays: [1, 2, 3, 4, 5, 6, 7],
      hours: [['02:00', '03:00']],
    });
    const springDay = businessMinutesBetween(night, new Date('2026-03-08T05:00:00Z'), new Date('2026-03-09T04:00:00Z'));
    expect(springDay).toBe(0);
    const early = defineCalendar({
      timeZone: 'America/New_York',
      workdays: [1, 2, 3, 4, 5, 6, 7],
      hours: [['01:00', '02:00']],
    });
    expect(businessMinutesBetween(early, new Date('2026-11-01T04:00:00Z'), new Date('2026-11-02T05:00:00Z'))).toBe(120);
    expect(businessMinutesBetween(early, new Date('2026-10-31T04:00:00Z'), new Date('2026-11-01T04:00:00Z'))).toBe(60);
  });
});

describe('chinaCalendar2026', () => {
  const china = chinaCalendar2026();

  it('has the published 2026 holidays and makeup days, 248 working days in all', () => {
    expect(CHINA_2026.holidays).toHaveLength(33);
    expect(CHINA_2026.makeupWorkdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    for (const date of CHINA_2026.makeupWorkdays) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect([0, 6]).toContain(weekday);
      expect(isWorkingDay(china, date)).toBe(true);
    }
    let working = 0;
    for (let day = 0; day < 365; day += 1) {
      const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
      if (isWorkingDay(china, date)) working += 1;
    }
    expect(working).toBe(248);
    expect(china.minutesPerDay).toBe(480);
    expect(china.timeZone).toBe('Asia/Shanghai');
  });

  it('New Year, Labour Day and Dragon Boat breaks', () => {
    expect(iso(addBusinessTime(china, sh('2025-12-31 17:00'), { hours: 2 }))).toBe(iso(sh('2026-01-04 10:00')));
    expect(iso(addBusinessTime(china, sh('2026-04-30 17:00'), { hours: 2 }))).toBe(iso(sh('2026-05-06 10:00')));
    expect(isWorkingDay(china, '2026-05-09')).toBe(true);
    expect(isWorkingDay(china, '2026-06-19')).toBe(false);
    expect(isWorkingDay(china, '2026-04-06')).toBe(false);
    const custom = chinaCalendar2026({ hours: [['08:30', '17:30']], name: 'plant' });
    expect(custom.minutesPerDay).toBe(540);
    expect(custom.name).toBe('plant');
  });
});

describe('calendar edge cases', () => {
  const china = chinaCalendar2026();

  it('a period may end at 24:00 and amounts carry over midnight', () => {
    const late = defineCalendar({ timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], hours: [['22:00', '24:00']] });
    expect(late.minutesPerDay).toBe(120);
    expect(isBusinessTime(late, sh('2026-03-02 23:59'))).toBe(true);
    expect(isBusinessTime(late, sh('2026-03-03 00:00'))).toBe(false);
    expect(iso(addBusinessTime(late, sh('2026-03-02 23:00'), { hours: 1 }))).toBe(iso(sh('2026-03-03 00:00')));
    expect(iso(addBusinessTime(late, sh('2026-03-02 23:00'), { hours: 2 }))).toBe(iso(sh('2026-03-03 23:00')));
  });

  it('starts exactly on period boundaries', () => {
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 12:00'), { minutes: 1 }))).toBe(iso(sh('2026-03-02 13:31')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 13:30'), { minutes: -1 }))).toBe(iso(sh('2026-03-02 11:59')));
    // Saturday 2026-02-28 is a makeup working day, so one minute before Monday 09:00 is on it.
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 09:00'), { minutes: -1 }))).toBe(iso(sh('2026-02-28 17:59')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-09 09:00'), { minutes: -1 }))).toBe(iso(sh('2026-03-06 17:59')));
    expect(iso(addBusinessTime(shanghai, sh('2026-03-02 18:00'), { minutes: 270 }))).toBe(iso(sh('2026-03-03 15:00')));
  });

  it('counts the whole of 2026 and round-trips long amounts across holidays', () => {
    expect(businessMinutesBetween(china, sh('2026-01-01 00:00'), sh('2027-01-01 00:00'))).toBe(248 * 480);
    const from = sh('2026-01-30 15:45');
    for (const days of [1, 7, 13, 40, 100, 200]) {
      const to = addBusinessTime(china, from, { days });
      expect(businessMinutesBetween(china, from, to)).toBe(days * 480);
      expect(isBusinessTime(china, new Date(to.getTime() - 1))).toBe(true);
      expect(iso(addBusinessTime(china, to, { days: -days }))).toBe(iso(from));
    }
  });

  it('throws a coded error when a calendar has no business time left', () => {
    const once = defineCalendar({
      timeZone: 'Asia/Shanghai',
      workdays: [],
      hours: [['09:00', '10:00']],
      makeupWorkdays: ['2026-01-04'],
    });
    expect(iso(addBusinessTime(once, sh('2026-01-01 00:00'), { minutes: 60 }))).toBe(iso(sh('2026-01-04 10:00')));
    expect(() => addBusinessTime(once, sh('2026-01-01 00:00'), { minutes: 61 })).toThrow(
      expect.objectContaining({ code: 'SCHEDULE_CALENDAR_NO_BUSINESS_TIME' }),
    );
    expect(() => nextBusinessTime(once, sh('2026-01-05 00:00'))).toThrow(
      expect.objectContaining({ code: 'SCHEDULE_CALENDAR_NO_BUSINESS_TIME' }),
    );
    expect(() => addBusinessTime(once, sh('2026-01-04 09:00'), { minutes: -1 })).toThrow(
      expect.objectContaining({ code: 'SCHEDULE_CALENDAR_NO_BUSINESS_TIME' }),
    );
  });

  it('works in zones with odd offsets and southern-hemisphere DST', () => {
    const kathmandu = defineCalendar({
      timeZone: 'Asia/Kathmandu',
      workdays: [1, 2, 3, 4, 5],
      hours: [['09:00', '17:00']],
    });
    expect(isBusinessTime(kathmandu, new Date('2026-03-02T03:15:00Z'))).toBe(true); // 09:00 +05:45
    expect(isBusinessTime(kathmandu, new Date('2026-03-02T03:14:00Z'))).toBe(false);
    const sydney = defineCalendar({
      timeZone: 'Australia/Sydney',
      workdays: [1, 2, 3, 4, 5],
      hours: [['09:00', '17:00']],
    });
    // Clocks go forward on Sunday 2026-10-04: Friday 16:00 AEST (+10) + 2 h is Monday 10:00 AEDT (+11).
    expect(iso(addBusinessTime(sydney, new Date('2026-10-02T06:00:00Z'), { hours: 2 }))).toBe(
      '2026-10-04T23:00:00.000Z',
    );
  });
});
