import { type Actor, newId } from '@baton/core';
import { type DbCtx, instant, withTx } from '@baton/db';
import { z } from 'zod';
import { appendAudit } from './audit.ts';
import { constantTimeEqual, randomToken, sha256Hex } from './crypto.ts';
import { AccessErrors } from './errors.ts';
import { findMemberById } from './org-port.ts';
import { checkCredentials } from './password.ts';
import { hashPassword, needsRehash } from './password-hash.ts';
import { type AccessPolicy, effectivePolicy, resolvePolicy } from './policy.ts';
import type { SessionTable } from './schema.ts';
import { clientAddressKey, recordSuccess, registerAttempt } from './throttle.ts';
import { parseInput } from './validate.ts';

/** 32 random bytes in base64url: exactly 43 characters. Anything else is not ours and costs no query. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const signInInput = z.object({
  login: z.string().trim().toLowerCase().min(1).max(200),
  // Not trimmed: spaces are part of a password.
  password: z.string().min(1).max(1_024),
  ip: z.string().max(100).nullish(),
  userAgent: z.string().max(1_000).nullish(),
  /**
   * The session token the client presented, if any. It is never upgraded: sign-in always issues a new
   * session (so a token planted before sign-in is worthless) and ends this one.
   */
  previousToken: z.string().max(200).nullish(),
});
export type SignInInput = z.input<typeof signInInput>;

export type SignInResult = {
  sessionId: string;
  /** Shown once: put it in an httpOnly, Secure, SameSite cookie. Only its hash is stored. */
  sessionToken: string;
  /** Shown once: the client echoes it in a header on every state-changing request. */
  csrfToken: string;
  memberId: string;
  /** The absolute end of the session (the cookie's expiry); idle use ends it sooner. */
  expiresAt: string;
  /** An administrator reset the password: the client must send the member to change it first. */
  mustChangePassword: boolean;
};

export type Session = {
  id: string;
  memberId: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end. */
  expiresAt: string;
  /** When the session ends if unused from now on. */
  idleExpiresAt: string;
  /** SHA-256 of the CSRF token, for verifyCsrf. */
  csrfHash: string;
  mustChangePassword: boolean;
  ip: string | null;
  userAgent: string | null;
  /** The member's chosen language (read anyway to check they are active), so callers need no second read. */
  locale: string | null;
};

function memberActor(memberId: string): Actor {
  return { kind: 'member', memberId };
}

/**
 * Signs a member in and opens a new session. Unknown login, wrong password and a member who left all
 * give ACCESS_BAD_CREDENTIALS, after the same argon2 work. Failures are counted per login and per client
 * address (see AccessPolicy); a locked login gives ACCESS_ACCOUNT_LOCKED with the unlock time, an address
 * over its limit ACCESS_TOO_MANY_ATTEMPTS.
 *
 * Unlike other operations, signIn opens its own transactions and refuses a ctx already in one: a failed
 * attempt must be counted and audited even though the call throws, which the caller's rollback would undo.
 * The password is checked between them, outside any transaction, so SQLite's write lock is never held
 * while argon2 runs.
 */
export async function signIn(
  ctx: DbCtx,
  input: SignInInput,
  options: Partial<AccessPolicy> = {},
): Promise<SignInResult> {
  if (ctx.db.isTransaction) {
    throw new TypeError('signIn records failed attempts in its own transactions: call it outside a transaction');
  }
  const data = parseInput(signInInput, input);
  const policy = await effectivePolicy(ctx, options);
  const ip = data.ip ?? null;
  const attempt = { login: data.login, ip: clientAddressKey(ip) };

  const verdict = await withTx(ctx, async (tx) => {
    const result = await registerAttempt(tx, attempt, policy);
    if (result.kind !== 'allowed') {
      await appendAudit(tx, {
        action: 'auth.signInRefused',
        actor: ctx.actor,
        target: { type: 'login', id: data.login },
        ip,
        detail: { reason: result.kind, until: result.until },
      });
    }
    return result;
  });
  if (verdict.kind === 'locked') throw AccessErrors.accountLocked.create({ unlockAt: verdict.until });
  if (verdict.kind === 'tooMany') throw AccessErrors.tooManyAttempts.create({ retryAt: verdict.until });

  const check = await checkCredentials(ctx, data.login, data.password);
  if (!check.ok) {
    await withTx(ctx, (tx) =>
      appendAudit(tx, {
        action: 'auth.signInFailed',
        actor: ctx.actor,
        target: check.member ? { type: 'member', id: check.member.id } : { type: 'login', id: data.login },
        ip,
        detail: { login: data.login, reason: check.reason },
      }),
    );
    if (verdict.lockedUntil) throw AccessErrors.accountLocked.create({ unlockAt: verdict.lockedUntil });
    throw AccessErrors.badCredentials.create();
  }
  const { member } = check;

  const rehashed = needsRehash(check.passwordHash) ? await hashPassword(data.password) : undefined;
  const session = await withTx(ctx, async (tx) => {
    // The password was checked outside this transaction: if it was reset meanwhile (which ends every
    // session), a session made now from the old password would outlive the reset.
    const current = await tx.db
      .selectFrom('baton_access_credential')
      .select('passwordHash')
      .where('memberId', '=', member.id)
      .executeTakeFirst();
    if (current?.passwordHash !== check.passwordHash) return undefined;
    await recordSuccess(tx, attempt);
    const now = tx.clock.now();
    const at = instant(now);
    if (rehashed) {
      await tx.db
        .updateTable('baton_access_credential')
        .set({ passwordHash: rehashed, updatedAt: at })
        .where('memberId', '=', member.id)
        .execute();
    }
    if (data.previousToken && TOKEN.test(data.previousToken)) {
      await tx.db
        .updateTable('baton_access_session')
        .set({ revokedAt: at, revokedReason: 'replaced' })
        .where('tokenHash', '=', sha256Hex(data.previousToken))
        .where('revokedAt', 'is', null)
        .execute();
    }
    const sessionToken = randomToken(32);
    const csrfToken = randomToken(32);
    const id = newId();
    const expiresAt = instant(new Date(now.getTime() + policy.sessionAbsoluteMs));
    await tx.db
      .insertInto('baton_access_session')
      .values({
        id,
        tokenHash: sha256Hex(sessionToken),
        csrfHash: sha256Hex(csrfToken),
        memberId: member.id,
        ip,
        userAgent: data.userAgent ?? null,
        createdAt: at,
        lastSeenAt: at,
        idleTimeoutMs: policy.sessionIdleMs,
        expiresAt,
        revokedAt: null,
        revokedReason: null,
      })
      .execute();
    const mustChangePassword = check.mustChange;
    await appendAudit(tx, {
      action: 'auth.signIn',
      actor: memberActor(member.id),
      target: { type: 'session', id },
      ip,
      detail: { userAgent: data.userAgent ?? null, mustChangePassword },
    });
    return { sessionId: id, sessionToken, csrfToken, memberId: member.id, expiresAt, mustChangePassword };
  });
  if (!session) throw AccessErrors.badCredentials.create();
  return session;
}

function idleEnd(row: Pick<SessionTable, 'lastSeenAt' | 'idleTimeoutMs'>): number {
  return new Date(row.lastSeenAt).getTime() + Number(row.idleTimeoutMs);
}

/**
 * The live session for `token`, or null when it is unknown, signed out, idle too long, past its absolute
 * end, or its member has left or lost their password. Writes last_seen at most once per sessionTouchMs.
 */
export async function resolveSession(
  ctx: DbCtx,
  token: string | null | undefined,
  options: Pick<Partial<AccessPolicy>, 'sessionTouchMs'> = {},
): Promise<Session | null> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return null;
  const policy = resolvePolicy(options);
  const row = await ctx.db
    .selectFrom('baton_access_session as s')
    .innerJoin('baton_access_credential as c', 'c.memberId', 's.memberId')
    .selectAll('s')
    .select('c.mustChange')
    .where('s.tokenHash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revokedAt) return null;
  const now = ctx.clock.now().getTime();
  if (now >= new Date(row.expiresAt).getTime() || now >= idleEnd(row)) return null;
  const member = await findMemberById(ctx, row.memberId);
  if (member?.status !== 'active') return null;
  let lastSeenAt = row.lastSeenAt;
  if (now - new Date(row.lastSeenAt).getTime() >= policy.sessionTouchMs) {
    lastSeenAt = instant(new Date(now));
    await ctx.db
      .updateTable('baton_access_session')
      .set({ lastSeenAt })
      .where('id', '=', row.id)
      .where('revokedAt', 'is', null)
      .execute();
  }
  return {
    id: row.id,
    memberId: row.memberId,
    createdAt: row.createdAt,
    lastSeenAt,
    expiresAt: row.expiresAt,
    idleExpiresAt: instant(new Date(idleEnd({ lastSeenAt, idleTimeoutMs: row.idleTimeoutMs }))),
    csrfHash: row.csrfHash,
    mustChangePassword: row.mustChange === 1 || row.mustChange === true,
    ip: row.ip,
    userAgent: row.userAgent,
    locale: member.locale,
  };
}

/**
 * True when `headerValue` is the session's CSRF token, compared in constant time. Check it on every
 * state-changing request made with the session cookie; a missing header is a failure.
 */
export function verifyCsrf(session: Pick<Session, 'csrfHash'>, headerValue: string | null | undefined): boolean {
  if (typeof headerValue !== 'string' || !TOKEN.test(headerValue)) return false;
  return constantTimeEqual(sha256Hex(headerValue), session.csrfHash);
}

/** verifyCsrf that throws ACCESS_CSRF_INVALID (403). */
export function assertCsrf(session: Pick<Session, 'csrfHash'>, headerValue: string | null | undefined): void {
  if (!verifyCsrf(session, headerValue)) throw AccessErrors.csrfInvalid.create();
}

/**
 * Issues a new CSRF token for a live session (after a page reload the client no longer has the old one,
 * which is only stored hashed). The old token stops working.
 */
export async function renewCsrfToken(ctx: DbCtx, sessionId: string): Promise<string | null> {
  const csrfToken = randomToken(32);
  const result = await ctx.db
    .updateTable('baton_access_session')
    .set({ csrfHash: sha256Hex(csrfToken) })
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n ? csrfToken : null;
}

/** Ends the session of `token`. True when a live session was ended. */
export async function signOut(ctx: DbCtx, token: string | null | undefined): Promise<boolean> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return false;
  return withTx(ctx, async (tx) => {
    const row = await tx.db
      .selectFrom('baton_access_session')
      .select(['id', 'memberId', 'ip'])
      .where('tokenHash', '=', sha256Hex(token))
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (!row) return false;
    await tx.db
      .updateTable('baton_access_session')
      .set({ revokedAt: instant(tx.clock.now()), revokedReason: 'signOut' })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(tx, {
      action: 'auth.signOut',
      actor: memberActor(row.memberId),
      target: { type: 'session', id: row.id },
    });
    return true;
  });
}

/** Ends every session of a member (all devices), optionally but one. Returns how many were ended. */
export async function signOutEverywhere(
  ctx: DbCtx,
  memberId: string,
  options: { exceptSessionId?: string; reason?: string } = {},
): Promise<number> {
  return withTx(ctx, async (tx) => {
    let query = tx.db
      .updateTable('baton_access_session')
      .set({ revokedAt: instant(tx.clock.now()), revokedReason: options.reason ?? 'signOutEverywhere' })
      .where('memberId', '=', memberId)
      .where('revokedAt', 'is', null);
    if (options.exceptSessionId) query = query.where('id', '<>', options.exceptSessionId);
    const result = await query.executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    await appendAudit(tx, {
      action: 'auth.sessionsRevoked',
      target: { type: 'member', id: memberId },
      detail: { count, reason: options.reason ?? 'signOutEverywhere', exceptSessionId: options.exceptSessionId },
    });
    return count;
  });
}

/** Deletes sessions that ended more than `olderThanMs` ago (for the worker). */
export async function purgeSessions(ctx: DbCtx, olderThanMs = 30 * 24 * 3_600_000): Promise<number> {
  const cutoff = instant(new Date(ctx.clock.now().getTime() - olderThanMs));
  const result = await ctx.db
    .deleteFrom('baton_access_session')
    .where((eb) => eb.or([eb('expiresAt', '<', cutoff), eb('revokedAt', '<', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
