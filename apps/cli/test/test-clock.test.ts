import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileOffsetClock, TEST_CLOCK_FILE, testClockFrom } from '../src/test-clock.ts';

// The movable clock of end-to-end tests: only with BATON_TEST_CLOCK=1, never in production, forward only.

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-clock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const quiet = { warn: () => undefined };
const DAY = 86_400_000;

describe('test clock', () => {
  it('exists only when BATON_TEST_CLOCK=1, and is refused in production', () => {
    const dir = tempDir();
    expect(testClockFrom({}, dir, quiet)).toBeUndefined();
    expect(testClockFrom({ BATON_TEST_CLOCK: '0' }, dir, quiet)).toBeUndefined();
    expect(testClockFrom({ BATON_TEST_CLOCK: '1' }, dir, quiet)).toBeDefined();
    expect(() => testClockFrom({ BATON_TEST_CLOCK: 'yes' }, dir, quiet)).toThrow(/must be 1/);
    expect(() => testClockFrom({ BATON_TEST_CLOCK: '1', NODE_ENV: 'production' }, dir, quiet)).toThrow(
      expect.objectContaining({ code: 'CLI_TEST_CLOCK_IN_PRODUCTION' }),
    );
  });

  it('follows the offset in test-clock.json, forward only and at most a year', () => {
    const dir = tempDir();
    let real = Date.parse('2026-11-30T02:00:00.000Z');
    const clock = fileOffsetClock(dir, () => real);
    expect(clock.now().toISOString()).toBe('2026-11-30T02:00:00.000Z');
    const write = (offsetMs: unknown) => writeFileSync(path.join(dir, TEST_CLOCK_FILE), JSON.stringify({ offsetMs }));
    write(DAY);
    real += 1_000; // the file is looked at again after 200 ms
    expect(clock.now().toISOString()).toBe('2026-12-01T02:00:01.000Z');
    for (const bad of [DAY / 2, -DAY, 'soon', 400 * DAY]) {
      write(bad);
      real += 1_000;
      expect(clock.now().toISOString()).toBe(new Date(real + DAY).toISOString());
    }
    writeFileSync(path.join(dir, TEST_CLOCK_FILE), '{"offsetMs": 17');
    real += 1_000;
    expect(clock.now().getTime()).toBe(real + DAY);
  });
});
