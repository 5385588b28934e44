// Moving the server's clock forward, for journeys that need time to pass (a borrowing that expires). run.mjs
// starts the server with BATON_TEST_CLOCK=1, so its clock is the real time plus the offset in
// $E2E_DATA_DIR/test-clock.json (apps/cli/src/test-clock.ts); the offset only grows. A journey that imports this
// file runs after the others (run.mjs), so they all see the real date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function clockFile(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set (run.mjs sets it): the server clock cannot be moved');
  return path.join(dir, 'test-clock.json');
}

/** The server's offset from real time now, in ms. */
export function serverClockOffset(): number {
  const file = clockFile();
  if (!existsSync(file)) return 0;
  const value = (JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: number }).offsetMs;
  return typeof value === 'number' ? value : 0;
}

/** The server's time now (the machine's clock plus the offset). */
export function serverNow(): Date {
  return new Date(Date.now() + serverClockOffset());
}

/** Moves the server's clock forward by `ms` and waits until it has looked at the file again (every 200 ms). */
export async function advanceServerClock(ms: number): Promise<Date> {
  if (!Number.isInteger(ms) || ms <= 0) throw new Error('the server clock only moves forward');
  writeFileSync(clockFile(), JSON.stringify({ offsetMs: serverClockOffset() + ms }));
  await new Promise((resolve) => setTimeout(resolve, 600));
  return serverNow();
}

/** Milliseconds from the server's now to `days` days after today's midnight in China (UTC+8), plus `extraMs`. */
export function untilChinaMidnight(days: number, extraMs = 0): number {
  const now = serverNow().getTime();
  const shanghai = now + 8 * 3_600_000;
  const midnight = Math.floor(shanghai / 86_400_000) * 86_400_000 + days * 86_400_000 - 8 * 3_600_000;
  return midnight - now + extraMs;
}
