import { type DbCtx, instant, upsert, withTx } from '@baton/db';
import { z } from 'zod';
import { appendAudit } from './audit.ts';
import {
  activeAdminIds,
  assignAdminRole,
  createAdministratorMember,
  ensureAdminRole,
  ensureEveryoneRole,
  findMemberById,
  findMemberByLogin,
} from './org-port.ts';
import { hashPassword } from './password-hash.ts';
import { generatePassword } from './password-policy.ts';
import { parseInput } from './validate.ts';

export type EnsureAdministratorResult =
  | { created: false; memberId: string | null }
  | {
      created: true;
      memberId: string;
      login: string;
      /** Shown once, for the CLI to print. Only its hash is stored; it must be changed at first sign-in. */
      password: string;
    };

async function hasCredential(ctx: DbCtx, memberId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('baton_access_credential')
    .select('memberId')
    .where('memberId', '=', memberId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * First start: makes sure somebody can administer the platform. When an active member holds the system
 * role `admin` it does nothing. Otherwise it creates the role if missing and either gives it to the
 * existing member `admin` (when that member already has a password: nothing to print) or creates that
 * member with a generated password, returned once and to be changed at first sign-in. There is no fixed
 * default password anywhere. Idempotent; concurrent first starts create one administrator.
 */
export async function ensureAdministrator(ctx: DbCtx): Promise<EnsureAdministratorResult> {
  await ensureSystemRoles(ctx);
  // The hash takes ~80 ms: make it before the transaction, so SQLite's write lock is not held meanwhile.
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    return await bootstrapOnce(ctx, password, passwordHash);
  } catch (error) {
    // Two processes starting at once on PostgreSQL: the loser trips over the winner's unique login or
    // role code. Its transaction is gone; one more try sees the winner's administrator and does nothing.
    // (No lock taken up front: org operations lock the org revision first, and so do we, in that order.)
    if (ctx.db.isTransaction) throw error;
    return bootstrapOnce(ctx, password, passwordHash);
  }
}

/**
 * The system roles the platform relies on besides `admin`: today `everyone` (held by every active member
 * without assignment). Idempotent; run before packs install so they can grant to it.
 */
export async function ensureSystemRoles(ctx: DbCtx): Promise<void> {
  const once = () =>
    withTx(ctx, async (tx) => {
      const everyone = await ensureEveryoneRole(tx);
      if (everyone.created) {
        await appendAudit(tx, { action: 'access.bootstrap.everyoneRole', target: { type: 'role', id: everyone.id } });
      }
    });
  try {
    await once();
  } catch (error) {
    // A concurrent first start created it first: one more look finds it.
    if (ctx.db.isTransaction) throw error;
    await once();
  }
}

async function bootstrapOnce(ctx: DbCtx, password: string, passwordHash: string): Promise<EnsureAdministratorResult> {
  return withTx(ctx, async (tx) => {
    const holders = await activeAdminIds(tx);
    if (holders.length > 0) return { created: false, memberId: holders[0] ?? null };
    const role = await ensureAdminRole(tx);
    if (role.created) {
      await appendAudit(tx, { action: 'access.bootstrap.adminRole', target: { type: 'role', id: role.id } });
    }
    const existing = await findMemberByLogin(tx, ADMIN_LOGIN);
    if (existing && existing.status === 'active' && (await hasCredential(tx, existing.id))) {
      // Somebody set this account up and knows its password: restore the role, print nothing.
      await assignAdminRole(tx, existing.id);
      await appendAudit(tx, {
        action: 'access.bootstrap.adminRestored',
        target: { type: 'member', id: existing.id },
      });
      return { created: false, memberId: existing.id };
    }
    const member =
      existing && existing.status === 'active'
        ? existing
        : await createAdministratorMember(tx, existing ? null : ADMIN_LOGIN);
    const at = instant(tx.clock.now());
    await upsert(
      tx.db,
      'baton_access_credential',
      { memberId: member.id, passwordHash, mustChange: true, changedAt: at, createdAt: at, updatedAt: at },
      { conflict: ['memberId'], update: ['passwordHash', 'mustChange', 'changedAt', 'updatedAt'] },
    ).execute();
    await assignAdminRole(tx, member.id);
    await appendAudit(tx, {
      action: 'access.bootstrap.administrator',
      target: { type: 'member', id: member.id },
      detail: { login: member.login },
    });
    return { created: true, memberId: member.id, login: member.login, password };
  });
}

const ADMIN_LOGIN = 'admin';

const seedInput = z.object({
  memberIds: z.array(z.string().min(1).max(64)).max(5_000),
  /** Default false: demo members sign in with the printed password directly. */
  mustChange: z.boolean().default(false),
});

/**
 * Gives each listed active member a freshly generated password (for the demo org) and returns them once.
 * Members who left are skipped. Existing passwords are replaced.
 */
export async function seedPasswords(
  ctx: DbCtx,
  input: z.input<typeof seedInput> | string[],
): Promise<Array<{ memberId: string; login: string; password: string }>> {
  const data = parseInput(seedInput, Array.isArray(input) ? { memberIds: input } : input);
  const seeded: Array<{ memberId: string; login: string; password: string; hash: string }> = [];
  for (const memberId of new Set(data.memberIds)) {
    const member = await findMemberById(ctx, memberId);
    if (member?.status !== 'active') continue;
    const password = generatePassword();
    seeded.push({ memberId, login: member.login, password, hash: await hashPassword(password) });
  }
  await withTx(ctx, async (tx) => {
    const at = instant(tx.clock.now());
    for (const entry of seeded) {
      await upsert(
        tx.db,
        'baton_access_credential',
        {
          memberId: entry.memberId,
          passwordHash: entry.hash,
          mustChange: data.mustChange,
          changedAt: at,
          createdAt: at,
          updatedAt: at,
        },
        { conflict: ['memberId'], update: ['passwordHash', 'mustChange', 'changedAt', 'updatedAt'] },
      ).execute();
    }
    await appendAudit(tx, {
      action: 'auth.passwordsSeeded',
      detail: { count: seeded.length, memberIds: seeded.map((entry) => entry.memberId) },
    });
  });
  return seeded.map(({ hash: _hash, ...entry }) => entry);
}
