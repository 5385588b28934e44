import { type DbCtx, instant, upsert, withTx } from '@baton/db';
import { z } from 'zod';
import { appendAudit } from './audit.ts';
import { AccessErrors } from './errors.ts';
import { findMemberById, findMemberByLogin, type OrgMember } from './org-port.ts';
import { dummyHash, hashPassword, verifyPasswordHash } from './password-hash.ts';
import { assertPasswordPolicy, generatePassword, PASSWORD_MAX_LENGTH } from './password-policy.ts';
import { parseInput } from './validate.ts';

export type CredentialCheck =
  | { ok: true; member: OrgMember; passwordHash: string; mustChange: boolean }
  | {
      ok: false;
      member: OrgMember | undefined;
      reason: 'unknownLogin' | 'noPassword' | 'wrongPassword' | 'memberLeft';
    };

/**
 * Checks a login and password with the same work whatever the outcome: the credential query and one
 * argon2 verification (against a dummy hash when the login is unknown or has no password), so response
 * time does not reveal which logins exist. Not throttled: signIn wraps it with the counters.
 */
export async function checkCredentials(ctx: DbCtx, login: string, password: string): Promise<CredentialCheck> {
  const member = await findMemberByLogin(ctx, login);
  const credential = await ctx.db
    .selectFrom('baton_access_credential')
    .select(['passwordHash', 'mustChange'])
    .where('memberId', '=', member?.id ?? '')
    .executeTakeFirst();
  const matches = await verifyPasswordHash(credential?.passwordHash ?? (await dummyHash()), password);
  if (!member) return { ok: false, member, reason: 'unknownLogin' };
  if (!credential) return { ok: false, member, reason: 'noPassword' };
  if (!matches) return { ok: false, member, reason: 'wrongPassword' };
  if (member.status !== 'active') return { ok: false, member, reason: 'memberLeft' };
  return {
    ok: true,
    member,
    passwordHash: credential.passwordHash,
    mustChange: credential.mustChange === 1 || credential.mustChange === true,
  };
}

const verifyInput = z.object({
  login: z.string().trim().toLowerCase().min(1).max(200),
  password: z.string().min(1).max(1_024),
});

/**
 * The member whose login and password these are (active, with a password), or null. Same timing for
 * unknown logins. NOT throttled: use signIn to sign in; this is for re-authenticating a member who is
 * already signed in (confirming a sensitive action).
 */
export async function verifyPassword(
  ctx: DbCtx,
  input: z.input<typeof verifyInput>,
): Promise<{ memberId: string; mustChangePassword: boolean } | null> {
  const data = parseInput(verifyInput, input);
  const check = await checkCredentials(ctx, data.login, data.password);
  return check.ok ? { memberId: check.member.id, mustChangePassword: check.mustChange } : null;
}

async function activeMember(ctx: DbCtx, memberId: string): Promise<OrgMember> {
  const member = await findMemberById(ctx, memberId);
  if (!member) throw AccessErrors.memberNotFound.create({ memberId });
  if (member.status !== 'active') throw AccessErrors.memberLeft.create({ memberId });
  return member;
}

async function storeHash(ctx: DbCtx, memberId: string, passwordHash: string, mustChange: boolean): Promise<void> {
  const at = instant(ctx.clock.now());
  await upsert(
    ctx.db,
    'baton_access_credential',
    { memberId, passwordHash, mustChange, changedAt: at, createdAt: at, updatedAt: at },
    { conflict: ['memberId'], update: ['passwordHash', 'mustChange', 'changedAt', 'updatedAt'] },
  ).execute();
}

async function revokeSessions(ctx: DbCtx, memberId: string, reason: string, exceptSessionId?: string): Promise<number> {
  let query = ctx.db
    .updateTable('baton_access_session')
    .set({ revokedAt: instant(ctx.clock.now()), revokedReason: reason })
    .where('memberId', '=', memberId)
    .where('revokedAt', 'is', null);
  if (exceptSessionId) query = query.where('id', '<>', exceptSessionId);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

const setInput = z.object({
  memberId: z.string().min(1).max(64),
  /** Omitted: a strong password is generated and returned once. */
  password: z
    .string()
    .min(1)
    .max(PASSWORD_MAX_LENGTH * 4)
    .optional(),
  /** Default true: a password somebody else chose must be replaced at the next sign-in. */
  mustChange: z.boolean().default(true),
});
export type SetPasswordInput = z.input<typeof setInput>;

/**
 * An administrator sets (or resets) a member's password. By default the member must change it at next
 * sign-in. Every session of the member ends (whoever held the old password is out). Returns the password
 * only when it was generated here, for showing once.
 */
export async function setPassword(ctx: DbCtx, input: SetPasswordInput): Promise<{ generatedPassword?: string }> {
  const data = parseInput(setInput, input);
  const member = await activeMember(ctx, data.memberId);
  const generated = data.password === undefined ? generatePassword() : undefined;
  const password = data.password ?? (generated as string);
  assertPasswordPolicy(password, { login: member.login });
  const passwordHash = await hashPassword(password);
  return withTx(ctx, async (tx) => {
    await storeHash(tx, member.id, passwordHash, data.mustChange);
    const revoked = await revokeSessions(tx, member.id, 'passwordReset');
    await appendAudit(tx, {
      action: 'auth.passwordSet',
      target: { type: 'member', id: member.id },
      detail: { mustChange: data.mustChange, generated: generated !== undefined, sessionsRevoked: revoked },
    });
    return generated === undefined ? {} : { generatedPassword: generated };
  });
}

const changeInput = z.object({
  memberId: z.string().min(1).max(64),
  oldPassword: z.string().min(1).max(1_024),
  newPassword: z
    .string()
    .min(1)
    .max(PASSWORD_MAX_LENGTH * 4),
  /** The session making the change stays signed in; every other one ends. */
  keepSessionId: z.string().max(64).optional(),
});
export type ChangePasswordInput = z.input<typeof changeInput>;

/**
 * A member changes their own password: the current one is required (a hijacked session alone cannot
 * take the account over), the new one must meet the policy and differ from it. Clears must-change and
 * ends the member's other sessions.
 */
export async function changePassword(ctx: DbCtx, input: ChangePasswordInput): Promise<void> {
  const data = parseInput(changeInput, input);
  const member = await activeMember(ctx, data.memberId);
  const credential = await ctx.db
    .selectFrom('baton_access_credential')
    .select('passwordHash')
    .where('memberId', '=', member.id)
    .executeTakeFirst();
  const matches = await verifyPasswordHash(credential?.passwordHash ?? (await dummyHash()), data.oldPassword);
  if (!credential || !matches) throw AccessErrors.wrongOldPassword.create();
  assertPasswordPolicy(data.newPassword, { login: member.login }, ['newPassword']);
  if (data.newPassword === data.oldPassword) throw AccessErrors.passwordReused.create();
  const passwordHash = await hashPassword(data.newPassword);
  await withTx(ctx, async (tx) => {
    await storeHash(tx, member.id, passwordHash, false);
    const revoked = await revokeSessions(tx, member.id, 'passwordChanged', data.keepSessionId);
    await appendAudit(tx, {
      action: 'auth.passwordChanged',
      actor: { kind: 'member', memberId: member.id },
      target: { type: 'member', id: member.id },
      detail: { sessionsRevoked: revoked },
    });
  });
}
