import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Clock, defineError, type Logger } from '@baton/core';

// A server clock that end-to-end tests can move forward, for journeys that need time to pass (a borrowing that
// expires at midnight). It exists only when BATON_TEST_CLOCK=1 is set in the environment — never from a
// configuration file — and is refused when NODE_ENV=production. It is moved by writing `test-clock.json`
// ({ "offsetMs": n }) into the data directory: whoever can do that already holds the data, and there is no
// HTTP door to it. The offset only ever grows (time never runs backwards for sessions, timers and grants), and
// every process sharing the data directory (server, worker) reads the same file.

export const TEST_CLOCK_FILE = 'test-clock.json';

export const TestClockErrors = {
  refusedInProduction: defineError('CLI_TEST_CLOCK_IN_PRODUCTION', {
    status: 500,
    zh: 'BATON_TEST_CLOCK 只用于端到端测试，生产环境（NODE_ENV=production）拒绝启动',
    en: 'BATON_TEST_CLOCK is for end-to-end tests only; refused with NODE_ENV=production',
  }),
};

/** How often the file is looked at (a stat), at most. */
const CHECK_EVERY_MS = 200;

/** The real time plus the offset in `<dataDir>/test-clock.json`, re-read when the file changes. */
export function fileOffsetClock(dataDir: string, realNow: () => number = Date.now): Clock {
  const file = path.join(dataDir, TEST_CLOCK_FILE);
  let offsetMs = 0;
  let seenStamp = '';
  let checkedAt = Number.NEGATIVE_INFINITY;
  const refresh = (now: number) => {
    if (now - checkedAt < CHECK_EVERY_MS) return;
    checkedAt = now;
    let stamp: string;
    try {
      const stat = statSync(file);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return; // No file (yet): the offset stays as it is.
    }
    if (stamp === seenStamp) return;
    seenStamp = stamp;
    try {
      const value = (JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown }).offsetMs;
      // Forward only, and at most a year: a typo must not throw sessions and grants decades ahead.
      if (typeof value === 'number' && Number.isInteger(value) && value > offsetMs && value <= 366 * 86_400_000) {
        offsetMs = value;
      }
    } catch {
      // A half-written file: read it again when it changes.
      seenStamp = '';
    }
  };
  return Object.freeze({
    now: () => {
      const real = realNow();
      refresh(real);
      return new Date(real + offsetMs);
    },
  });
}

/**
 * The clock of `baton start` / `server` / `worker`: the system clock, unless BATON_TEST_CLOCK=1 asks for the
 * movable test clock (refused in production). Undefined means "the system clock".
 */
export function testClockFrom(env: NodeJS.ProcessEnv, dataDir: string, log: Pick<Logger, 'warn'>): Clock | undefined {
  if (env.BATON_TEST_CLOCK === undefined || env.BATON_TEST_CLOCK === '' || env.BATON_TEST_CLOCK === '0') {
    return undefined;
  }
  if (env.BATON_TEST_CLOCK !== '1') {
    throw new Error(`BATON_TEST_CLOCK must be 1 (or unset), not "${env.BATON_TEST_CLOCK}"`);
  }
  if (env.NODE_ENV === 'production') throw TestClockErrors.refusedInProduction.create({});
  log.warn(
    { file: path.join(dataDir, TEST_CLOCK_FILE) },
    'BATON_TEST_CLOCK=1: the server clock follows test-clock.json in the data directory (end-to-end tests only)',
  );
  return fileOffsetClock(dataDir);
}
