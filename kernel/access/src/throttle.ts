import { isIPv4, isIPv6 } from 'node:net';
import type { DbCtx } from '@baton/db';
import { forUpdate, instant, upsert } from '@baton/db';
import { AccessErrors } from './errors.ts';
import type { AccessPolicy } from './policy.ts';

// Failure counters live in the database, not in memory, so that every server process (and a restarted
// one) sees the same count. Each is a fixed window per key: `login:<login>` and `ip:<address>`.

/** The IPv4 address, or the /64 network of an IPv6 address (one subscriber usually owns a whole /64). */
export function clientAddressKey(ip: string | null | undefined): string | null {
  if (!ip) return null;
  let address = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) address = mapped[1];
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return null;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export function loginKey(login: string): string {
  return `login:${login.trim().toLowerCase()}`;
}

export type AttemptVerdict =
  /** lockedUntil: set when this attempt, if it fails, is the one that locks the login. */
  | { kind: 'allowed'; lockedUntil: string | null }
  | { kind: 'locked'; until: string }
  | { kind: 'tooMany'; until: string };

type Counter = { key: string; windowStart: string; failures: number; lockedUntil: string | null };

async function lockCounter(ctx: DbCtx, key: string, now: Date): Promise<Counter> {
  const { db } = ctx;
  const at = instant(now);
  // Create the row first, so FOR UPDATE has something to lock even for a login never seen before.
  await upsert(
    db,
    'baton_access_throttle',
    { key, windowStart: at, failures: 0, lockedUntil: null, updatedAt: at },
    { conflict: ['key'], update: [] },
  ).execute();
  const row = await forUpdate(
    db
      .selectFrom('baton_access_throttle')
      .select(['key', 'windowStart', 'failures', 'lockedUntil'])
      .where('key', '=', key),
    db,
  ).executeTakeFirstOrThrow();
  return { ...row, failures: Number(row.failures) };
}

function expired(start: string, windowMs: number, now: Date): boolean {
  return new Date(start).getTime() + windowMs <= now.getTime();
}

/**
 * Counts an attempt as a failure BEFORE the password is checked, inside the caller's transaction.
 * Counting first closes the race where many parallel guesses all pass the check before any failure is
 * written; a successful sign-in then takes its count back (recordSuccess). Refuses a locked login or an
 * address over its limit without counting.
 */
export async function registerAttempt(
  ctx: DbCtx,
  input: { login: string; ip: string | null },
  policy: AccessPolicy,
): Promise<AttemptVerdict> {
  const now = ctx.clock.now();
  const at = instant(now);
  // The address first (always in this order, so two attempts never wait for each other's locks): a
  // refused address must not even create a counter row for whatever login it is trying.
  let address: Counter | undefined;
  if (input.ip) {
    address = await lockCounter(ctx, `ip:${input.ip}`, now);
    if (expired(address.windowStart, policy.ipWindowMs, now)) {
      address.windowStart = at;
      address.failures = 0;
    } else if (address.failures >= policy.ipMaxFailures) {
      return { kind: 'tooMany', until: instant(new Date(new Date(address.windowStart).getTime() + policy.ipWindowMs)) };
    }
  }
  const login = await lockCounter(ctx, loginKey(input.login), now);
  if (login.lockedUntil && new Date(login.lockedUntil).getTime() > now.getTime()) {
    return { kind: 'locked', until: login.lockedUntil };
  }
  if (login.lockedUntil || expired(login.windowStart, policy.loginWindowMs, now)) {
    // A lock that has run out starts a fresh window: the member gets the full number of tries again.
    login.windowStart = at;
    login.failures = 0;
    login.lockedUntil = null;
  }
  login.failures += 1;
  if (login.failures >= policy.loginMaxFailures) login.lockedUntil = instant(new Date(now.getTime() + policy.lockMs));
  await save(ctx, login, at);
  if (address) {
    address.failures += 1;
    await save(ctx, address, at);
  }
  return { kind: 'allowed', lockedUntil: login.lockedUntil };
}

async function save(ctx: DbCtx, counter: Counter, at: string): Promise<void> {
  await ctx.db
    .updateTable('baton_access_throttle')
    .set({
      windowStart: counter.windowStart,
      failures: counter.failures,
      lockedUntil: counter.lockedUntil,
      updatedAt: at,
    })
    .where('key', '=', counter.key)
    .execute();
}

/** A successful sign-in clears its login's counter and takes back the address's provisional count. */
export async function recordSuccess(ctx: DbCtx, input: { login: string; ip: string | null }): Promise<void> {
  const at = instant(ctx.clock.now());
  await ctx.db
    .updateTable('baton_access_throttle')
    .set({ failures: 0, lockedUntil: null, windowStart: at, updatedAt: at })
    .where('key', '=', loginKey(input.login))
    .execute();
  if (input.ip) {
    await ctx.db
      .updateTable('baton_access_throttle')
      .set((eb) => ({ failures: eb('failures', '-', 1), updatedAt: at }))
      .where('key', '=', `ip:${input.ip}`)
      .where('failures', '>', 0)
      .execute();
  }
}

/** Deletes counters whose window and lock are over (for the worker; they would otherwise pile up). */
export async function purgeThrottle(ctx: DbCtx, olderThanMs: number): Promise<number> {
  const cutoff = instant(new Date(ctx.clock.now().getTime() - olderThanMs));
  const result = await ctx.db
    .deleteFrom('baton_access_throttle')
    .where('updatedAt', '<', cutoff)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Counts one use of a rate-limited action (exports, intake, urges …) against `limit` per fixed window of
 * `windowMs`, in the caller's transaction, and refuses it with ACCESS_QUOTA_EXCEEDED (429, with the time the
 * window ends) once the limit is reached. Shares the throttle table, under keys `quota:<name>:<who>`.
 */
export async function consumeQuota(
  ctx: DbCtx,
  input: { name: string; who: string; limit: number; windowMs: number },
): Promise<{ used: number; resetsAt: string }> {
  const now = ctx.clock.now();
  const counter = await lockCounter(ctx, `quota:${input.name}:${input.who}`, now);
  if (expired(counter.windowStart, input.windowMs, now)) {
    counter.windowStart = instant(now);
    counter.failures = 0;
  }
  const resetsAt = instant(new Date(new Date(counter.windowStart).getTime() + input.windowMs));
  if (counter.failures >= input.limit) throw AccessErrors.quotaExceeded.create({ retryAt: resetsAt });
  counter.failures += 1;
  await save(ctx, counter, instant(now));
  return { used: counter.failures, resetsAt };
}
