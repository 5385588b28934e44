/**
 * Time comes only from a Clock handed in through Ctx, never from `new Date()` in engine code,
 * so that deadlines, expiries and schedules can be tested on a fake clock.
 */
export type Clock = {
  now(): Date;
};

export const systemClock: Clock = Object.freeze({ now: () => new Date() });

export type FakeClock = Clock & {
  /** Moves time forward by `ms` milliseconds (negative values are refused: time never runs back). */
  advance(ms: number): Date;
  /** Jumps to an instant at or after the current one. */
  set(instant: Date | string): Date;
};

export function createFakeClock(start: Date | string = '2026-01-05T01:00:00.000Z'): FakeClock {
  let current = new Date(start).getTime();
  if (Number.isNaN(current)) throw new TypeError(`fake clock: invalid start ${String(start)}`);
  return {
    now: () => new Date(current),
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('fake clock: advance needs a finite, non-negative ms');
      current += ms;
      return new Date(current);
    },
    set(instant) {
      const next = new Date(instant).getTime();
      if (Number.isNaN(next) || next < current)
        throw new RangeError('fake clock: set needs a valid instant not before now');
      current = next;
      return new Date(current);
    },
  };
}
