import { type DbCtx, instant, upsert, withTx } from '@baton/db';
import { z } from 'zod';
import { appendAudit } from './audit.ts';
import { AccessErrors } from './errors.ts';
import { ADMIN_ROLE_CODE, findMemberById, findRole, rolesOfMember } from './org-port.ts';
import { isPermission, type Permission, permissionCatalog, unknownPermissions } from './permission-registry.ts';
import { parseInput } from './validate.ts';

/**
 * Who is asking: a member (session), or a member acting through an API token, which can do only what
 * both its scopes and its member's current permissions allow.
 */
export type Principal = string | { memberId: string; scopes: readonly Permission[] };

function principalOf(who: Principal): { memberId: string; scopes: readonly Permission[] | null } {
  return typeof who === 'string' ? { memberId: who, scopes: null } : { memberId: who.memberId, scopes: who.scopes };
}

function actorName(ctx: DbCtx): string | null {
  const { actor } = ctx;
  if (actor.kind === 'member') return actor.memberId;
  if (actor.kind === 'system') return `system:${actor.name}`;
  return null;
}

/**
 * The permissions a principal holds now: the union over the enabled roles assigned to the member (any
 * assignment scope: scopes narrow routing, not function permissions), every declared permission for the
 * system role `admin`, nothing for a member who left; for a token, intersected with its scopes. Codes no
 * longer declared by any engine are dropped. Computed per call from the database: no cache to go stale
 * when a role changes or a member leaves.
 */
export async function permissionsOf(ctx: DbCtx, who: Principal): Promise<ReadonlySet<Permission>> {
  const { memberId, scopes } = principalOf(who);
  const member = await findMemberById(ctx, memberId);
  if (member?.status !== 'active') return new Set();
  const roles = await rolesOfMember(ctx, memberId);
  let held: Set<Permission>;
  if (roles.some((role) => role.code === ADMIN_ROLE_CODE && role.kind === 'system')) {
    held = new Set(permissionCatalog().map((p) => p.code));
  } else if (roles.length === 0) {
    held = new Set();
  } else {
    const rows = await ctx.db
      .selectFrom('baton_access_role_permission')
      .select('permission')
      .distinct()
      .where(
        'roleId',
        'in',
        roles.map((role) => role.id),
      )
      .execute();
    held = new Set(rows.map((row) => row.permission).filter(isPermission));
  }
  if (scopes === null) return held;
  const allowed = new Set(scopes);
  return new Set([...held].filter((code) => allowed.has(code)));
}

function assertDeclared(permission: Permission): void {
  // A typo in a permission check must fail loudly in development, not deny (or allow) silently.
  if (!isPermission(permission)) throw new TypeError(`access: permission "${permission}" is not declared`);
}

export async function can(ctx: DbCtx, who: Principal, permission: Permission): Promise<boolean> {
  assertDeclared(permission);
  return (await permissionsOf(ctx, who)).has(permission);
}

/** Throws ACCESS_FORBIDDEN (403) unless the principal holds `permission`. */
export async function assertCan(ctx: DbCtx, who: Principal, permission: Permission): Promise<void> {
  if (!(await can(ctx, who, permission))) throw AccessErrors.forbidden.create({ permission });
}

const rolePermissionInput = z.object({
  /** Role id or code. */
  role: z.string().trim().min(1).max(64),
  permissions: z.array(z.string().min(1).max(200)).min(1).max(500),
});
export type RolePermissionInput = z.input<typeof rolePermissionInput>;

async function loadRole(ctx: DbCtx, role: string): Promise<{ id: string; code: string }> {
  const found = await findRole(ctx, role);
  if (!found) throw AccessErrors.roleNotFound.create({ role });
  return found;
}

/** Grants function permissions to a role (already granted ones are kept). Audited. */
export async function grantPermissions(ctx: DbCtx, input: RolePermissionInput): Promise<void> {
  const data = parseInput(rolePermissionInput, input);
  const unknown = unknownPermissions(data.permissions);
  if (unknown.length > 0) throw AccessErrors.permissionUnknown.create({ permissions: unknown.join(', ') });
  await withTx(ctx, async (tx) => {
    const role = await loadRole(tx, data.role);
    const at = instant(tx.clock.now());
    const grantedBy = actorName(tx);
    await upsert(
      tx.db,
      'baton_access_role_permission',
      [...new Set(data.permissions)].map((permission) => ({ roleId: role.id, permission, grantedAt: at, grantedBy })),
      { conflict: ['roleId', 'permission'], update: [] },
    ).execute();
    await appendAudit(tx, {
      action: 'access.permission.grant',
      target: { type: 'role', id: role.id },
      detail: { role: role.code, permissions: data.permissions },
    });
  });
}

/** Takes function permissions away from a role. Audited. */
export async function revokePermissions(ctx: DbCtx, input: RolePermissionInput): Promise<void> {
  const data = parseInput(rolePermissionInput, input);
  await withTx(ctx, async (tx) => {
    const role = await loadRole(tx, data.role);
    await tx.db
      .deleteFrom('baton_access_role_permission')
      .where('roleId', '=', role.id)
      .where('permission', 'in', data.permissions)
      .execute();
    await appendAudit(tx, {
      action: 'access.permission.revoke',
      target: { type: 'role', id: role.id },
      detail: { role: role.code, permissions: data.permissions },
    });
  });
}

/** The permissions granted to a role (declared or not, so stale grants show up to be cleaned). */
export async function listRolePermissions(ctx: DbCtx, input: { role: string }): Promise<Permission[]> {
  const role = await loadRole(ctx, parseInput(z.object({ role: z.string().trim().min(1).max(64) }), input).role);
  const rows = await ctx.db
    .selectFrom('baton_access_role_permission')
    .select('permission')
    .where('roleId', '=', role.id)
    .orderBy('permission')
    .execute();
  return rows.map((row) => row.permission);
}
