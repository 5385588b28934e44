import { randomBytes } from 'node:crypto';
import type { DbCtx } from '@baton/db';
import {
  assignRole,
  createDepartment,
  createMember,
  createRole,
  createUnit,
  getMember,
  getRole,
  listDepartments,
  listDivisionLeaders,
  listMembers,
  listRoleAssignments,
  listRoles,
  listUnits,
  memberIsActive,
  memberPlacements,
  OrgErrors,
  findMemberByLogin as orgFindMemberByLogin,
  orgRevision,
  resolveSubordinates,
  updateRole,
} from '@baton/org';

// The one place where access talks to org. Everything below uses org's exported API only; a change on
// org's side should touch this file and nothing else in access.

/** The system role whose holders have every permission. */
export const ADMIN_ROLE_CODE = 'admin';

/**
 * The system role every active member holds without being assigned it (全体员工): what everyone may do —
 * file the common requests, enter an opportunity — is granted once to it, and a member who joins tomorrow
 * has it too. Assigning it to someone changes nothing.
 */
export const EVERYONE_ROLE_CODE = 'everyone';

export type OrgMember = { id: string; login: string; name: string; status: 'active' | 'left'; locale: string | null };

type Reader = Pick<DbCtx, 'db'>;

function toOrgMember(member: OrgMember): OrgMember {
  return { id: member.id, login: member.login, name: member.name, status: member.status, locale: member.locale };
}

export async function findMemberByLogin(ctx: Reader, login: string): Promise<OrgMember | undefined> {
  const member = await orgFindMemberByLogin(ctx, { login });
  return member && toOrgMember(member);
}

export async function findMemberById(ctx: Reader, id: string): Promise<OrgMember | undefined> {
  try {
    return toOrgMember(await getMember(ctx, { id }));
  } catch (error) {
    if (OrgErrors.memberNotFound.is(error)) return undefined;
    throw error;
  }
}

export type OrgRole = { id: string; code: string; kind: 'system' | 'business'; enabled: boolean };

export async function findRole(ctx: Reader, idOrCode: string): Promise<OrgRole | undefined> {
  try {
    const role = await getRole(ctx, { role: idOrCode });
    return { id: role.id, code: role.code, kind: role.kind, enabled: role.enabled };
  } catch (error) {
    if (OrgErrors.roleNotFound.is(error)) return undefined;
    throw error;
  }
}

/**
 * The enabled roles assigned to a member, whatever the assignment's scope, and the system role `everyone`
 * when it exists. Callers decide whether the member is active.
 */
export async function rolesOfMember(ctx: Reader, memberId: string): Promise<OrgRole[]> {
  const isEveryone = (role: OrgRole) => role.code === EVERYONE_ROLE_CODE && role.kind === 'system';
  const assignments = await listRoleAssignments(ctx, { memberId });
  // Most members hold no assigned role: one lookup of `everyone` by code, not the whole role list, per check.
  if (assignments.length === 0) {
    const everyone = await findRole(ctx, EVERYONE_ROLE_CODE);
    return everyone?.enabled && isEveryone(everyone) ? [everyone] : [];
  }
  const ids = new Set(assignments.map((a) => a.roleId));
  const roles = await listRoles(ctx);
  return roles
    .filter((role) => role.enabled && (ids.has(role.id) || isEveryone(role)))
    .map((role) => ({ id: role.id, code: role.code, kind: role.kind, enabled: role.enabled }));
}

// ---- Department tree, cached per org revision -------------------------------------------------------

type TreeNode = { id: string; unitId: string; parentId: string | null; headMemberId: string | null };
type Tree = { nodes: Map<string, TreeNode>; children: Map<string, string[]> };

const MAX_TREES = 8;
const trees = new Map<string, Promise<Tree>>();

/**
 * The whole department tree (disabled departments included) as ctx.db sees it. Keyed by org's revision
 * stamp, which changes in every org transaction and is random: inside a transaction that changed the org
 * the stamp is private to it, and a rolled-back stamp never comes back, so a cached tree is never stale.
 */
async function departmentTreeFor(ctx: Reader): Promise<Tree> {
  const { stamp } = await orgRevision(ctx);
  const cached = trees.get(stamp);
  if (cached) return cached;
  const building = (async () => {
    const departments = await listDepartments(ctx, { includeDisabled: true });
    const nodes = new Map<string, TreeNode>();
    const children = new Map<string, string[]>();
    for (const d of departments) {
      nodes.set(d.id, { id: d.id, unitId: d.unitId, parentId: d.parentId, headMemberId: d.headMemberId });
      if (d.parentId) {
        const list = children.get(d.parentId) ?? [];
        list.push(d.id);
        children.set(d.parentId, list);
      }
    }
    return { nodes, children };
  })();
  trees.set(stamp, building);
  building.catch(() => trees.delete(stamp));
  while (trees.size > MAX_TREES) {
    const oldest = trees.keys().next().value;
    if (oldest === undefined) break;
    trees.delete(oldest);
  }
  return building;
}

/**
 * The given departments and every department below them, de-duplicated, sorted.
 * (Candidate for org: "department ids of these departments and below".)
 */
export async function departmentsAndBelow(ctx: Reader, rootIds: readonly string[]): Promise<string[]> {
  if (rootIds.length === 0) return [];
  const tree = await departmentTreeFor(ctx);
  const result = new Set<string>();
  const stack = rootIds.filter((id) => tree.nodes.has(id));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (result.has(id)) continue;
    result.add(id);
    stack.push(...(tree.children.get(id) ?? []));
  }
  return [...result].sort();
}

/** Members whose first `depth` supervisors include `memberId` (org's head rule, the org as it is now). */
export function subordinatesOf(ctx: Reader, memberId: string, depth: number): Promise<string[]> {
  return resolveSubordinates(ctx, { memberId, depth });
}

export type ViewerPlacement = {
  memberId: string;
  /** Main department and concurrent-post departments. */
  departmentIds: string[];
  /** The units of those departments. */
  unitIds: string[];
  /** Departments the member heads or is division leader of (not yet expanded to sub-trees). */
  managedDepartmentIds: string[];
};

/** Whether the viewer is an active member, as a condition of the query it joins (no statement of its own). */
export function viewerIsActiveWhere(memberId: string) {
  return memberIsActive(memberId);
}

/**
 * Where an active member sits, for record scopes; undefined for unknown members and members who left.
 * (Candidate for org: "departments a member heads" — computed here from the cached tree.)
 */
export async function viewerPlacement(ctx: Reader, memberId: string): Promise<ViewerPlacement | undefined> {
  const member = await findMemberById(ctx, memberId);
  if (member?.status !== 'active') return undefined;
  const placements = await memberPlacements(ctx, { memberId });
  const tree = await departmentTreeFor(ctx);
  const headed = [...tree.nodes.values()].filter((node) => node.headMemberId === memberId).map((node) => node.id);
  const led = (await listDivisionLeaders(ctx, { memberId })).map((leader) => leader.departmentId);
  return {
    memberId,
    departmentIds: [...new Set(placements.map((p) => p.departmentId))].sort(),
    unitIds: [...new Set(placements.map((p) => p.unitId))].sort(),
    managedDepartmentIds: [...new Set([...headed, ...led])].sort(),
  };
}

// ---- First start -------------------------------------------------------------------------------------

/** Active members holding the `admin` role (any assignment scope). */
export async function activeAdminIds(ctx: Reader): Promise<string[]> {
  const role = await findRole(ctx, ADMIN_ROLE_CODE);
  if (!role?.enabled || role.kind !== 'system') return [];
  const assignments = await listRoleAssignments(ctx, { role: role.id });
  const ids: string[] = [];
  for (const memberId of new Set(assignments.map((a) => a.memberId))) {
    if ((await findMemberById(ctx, memberId))?.status === 'active') ids.push(memberId);
  }
  return ids;
}

/** The system role `admin`, created (or re-enabled) when needed. */
export async function ensureAdminRole(ctx: DbCtx): Promise<{ id: string; created: boolean }> {
  const existing = await findRole(ctx, ADMIN_ROLE_CODE);
  if (!existing) {
    const role = await createRole(ctx, {
      code: ADMIN_ROLE_CODE,
      name: '系统管理员',
      nameEn: 'Administrator',
      kind: 'system',
      scope: 'global',
      description: 'Holds every permission. 拥有全部权限。',
    });
    return { id: role.id, created: true };
  }
  if (existing.kind !== 'system') {
    throw new Error(
      `access: role "${ADMIN_ROLE_CODE}" exists as a business role; rename it so the system role can be created`,
    );
  }
  if (!existing.enabled) {
    const role = await getRole(ctx, { role: existing.id });
    await updateRole(ctx, { id: role.id, version: role.version, enabled: true });
  }
  return { id: existing.id, created: false };
}

/** Creates the system role `everyone` when missing (idempotent); a business role of that code is refused. */
export async function ensureEveryoneRole(ctx: DbCtx): Promise<{ id: string; created: boolean }> {
  const existing = await findRole(ctx, EVERYONE_ROLE_CODE);
  if (existing) {
    if (existing.kind !== 'system') {
      throw new Error(
        `access: role "${EVERYONE_ROLE_CODE}" exists as a business role; rename it so the system role can be created`,
      );
    }
    return { id: existing.id, created: false };
  }
  const role = await createRole(ctx, {
    code: EVERYONE_ROLE_CODE,
    name: '全体员工',
    nameEn: 'Everyone',
    kind: 'system',
    scope: 'global',
    description: 'Held by every active member without assignment. 所有在职员工自动拥有。',
  });
  return { id: role.id, created: true };
}

export async function assignAdminRole(ctx: DbCtx, memberId: string): Promise<void> {
  const held = await listRoleAssignments(ctx, { role: ADMIN_ROLE_CODE, memberId });
  if (held.some((a) => !a.scopeUnitId && !a.scopeDepartmentId)) return;
  await assignRole(ctx, { role: ADMIN_ROLE_CODE, memberId });
}

const suffix = () => randomBytes(2).toString('hex');

/**
 * Creates the administrator member. Org requires a main department: the first enabled one, or on an empty
 * install a unit 总部 with a department 系统管理 made for it. `login` null: `admin-xxxx` (the plain login
 * belongs to a member who left).
 */
export async function createAdministratorMember(ctx: DbCtx, login: string | null): Promise<OrgMember> {
  let department = (await listDepartments(ctx))[0];
  if (!department) {
    let unit = (await listUnits(ctx))[0];
    unit ??= await createUnit(ctx, { code: 'HQ', name: '总部', kind: 'headquarters' });
    const taken = new Set((await listDepartments(ctx, { unitId: unit.id, includeDisabled: true })).map((d) => d.code));
    department = await createDepartment(ctx, {
      unitId: unit.id,
      name: '系统管理',
      code: taken.has('ADMIN') ? `ADMIN-${suffix()}` : 'ADMIN',
    });
  }
  const finalLogin = login ?? `admin-${suffix()}`;
  const sameCode = await listMembers(ctx, { search: finalLogin, status: 'all', limit: 1_000 });
  const member = await createMember(ctx, {
    code: sameCode.some((m) => m.code === finalLogin) ? `${finalLogin}-${suffix()}` : finalLogin,
    name: '系统管理员',
    login: finalLogin,
    mainDepartmentId: department.id,
  });
  return toOrgMember(member);
}
