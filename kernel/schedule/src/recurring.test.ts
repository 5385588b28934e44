import { describe, expect, it } from 'vitest';
import { defineSchedule, nextOccurrence, occurrenceKey } from './recurring.ts';

function failure(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    const e = error as { code?: string; fields?: Array<{ path: unknown[] }> };
    return { code: e.code, paths: (e.fields ?? []).map((f) => f.path) };
  }
  throw new Error('expected a failure');
}

describe('defineSchedule', () => {
  it('validates and freezes, defaulting to Asia/Shanghai and enabled', () => {
    const definition = defineSchedule({
      key: 'report.weekly',
      cron: '0 9 * * 1',
      topic: 'report.digest',
      payload: { to: ['a'] },
    });
    expect(definition).toEqual({
      key: 'report.weekly',
      cron: '0 9 * * 1',
      timeZone: 'Asia/Shanghai',
      topic: 'report.digest',
      payload: { to: ['a'] },
      enabled: true,
    });
    expect(Object.isFrozen(definition)).toBe(true);
    expect(Object.isFrozen((definition.payload as { to: string[] }).to)).toBe(true);
  });

  it('refuses bad cron expressions, expressions that never fire, bad zones and keys', () => {
    expect(failure(() => defineSchedule({ key: 'k', cron: '61 * * * *', topic: 't.x' }))).toEqual({
      code: 'SCHEDULE_CRON_INVALID',
      paths: [['cron']],
    });
    expect(failure(() => defineSchedule({ key: 'k', cron: '0 0 30 2 *', topic: 't.x' }))).toEqual({
      code: 'SCHEDULE_CRON_INVALID',
      paths: [['cron']],
    });
    expect(
      failure(() => defineSchedule({ key: 'a@b', cron: '* * * * *', timeZone: 'Nowhere/City', topic: 'bad topic' })),
    ).toEqual({ code: 'CORE_VALIDATION_FAILED', paths: [['key'], ['timeZone'], ['topic']] });
  });
});

describe('nextOccurrence', () => {
  it('follows the zone across DST: 09:00 New York is 14:00Z in winter, 13:00Z in summer', () => {
    const cron = '0 9 * * 1-5';
    const friday = nextOccurrence(cron, 'America/New_York', new Date('2026-03-06T12:00:00Z'));
    expect(friday?.toISOString()).toBe('2026-03-06T14:00:00.000Z');
    const monday = nextOccurrence(cron, 'America/New_York', friday as Date);
    expect(monday?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(nextOccurrence(cron, 'Asia/Shanghai', new Date('2026-03-06T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-09T01:00:00.000Z',
    );
  });

  it('is strictly after the given instant', () => {
    const at = new Date('2026-01-05T02:00:00.000Z');
    expect(nextOccurrence('0 10 * * *', 'Asia/Shanghai', at)?.toISOString()).toBe('2026-01-06T02:00:00.000Z');
    expect(occurrenceKey('daily', at)).toBe('daily@2026-01-05T02:00:00.000Z');
  });
});
