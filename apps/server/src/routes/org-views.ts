import type { DbCtx } from '@baton/db';
import {
  type DepartmentTreeNode,
  departmentTree,
  getDepartment,
  getMember,
  getRole,
  getUnit,
  listDivisionLeaders,
  listMembers,
  listRoleAssignments,
  type Member,
  memberPlacements,
  OrgErrors,
  type Role,
  type RoleAssignment,
  unassignRole,
} from '@baton/org';
import type * as z from 'zod';
import type {
  DepartmentNodeView,
  departmentDetailView,
  heldRoleView,
  memberDetailView,
  roleHolderView,
} from './org-schemas.ts';

// Reads the Organisation API answers with that combine several org queries (a tree with head names,
// a member with placements and roles …), each one function so that route handlers stay one call.
// They use only org's public entry point.
// TODO(org): once kernel/org offers bulk look-ups by id (members, roles), use them here instead of one
// primary-key read per distinct id.

type Reader = Pick<DbCtx, 'db'>;

/** Members by id, each read once; a dangling id (no FK on PostgreSQL for heads) maps to nothing. */
async function membersById(ctx: Reader, ids: Iterable<string | null | undefined>): Promise<Map<string, Member>> {
  const result = new Map<string, Member>();
  for (const id of new Set(ids)) {
    if (!id || result.has(id)) continue;
    const member = await getMember(ctx, { id }).catch((error: unknown) => {
      if (isCode(error, OrgErrors.memberNotFound.code)) return undefined;
      throw error;
    });
    if (member) result.set(id, member);
  }
  return result;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

const personRef = (member: Member | undefined) =>
  member ? { id: member.id, code: member.code, name: member.name } : null;

/** The department tree of one unit (unknown unit: ORG_UNIT_NOT_FOUND) or the whole group, with head names. */
export async function departmentTreeView(
  ctx: Reader,
  input: { unitId?: string; includeDisabled?: boolean },
): Promise<DepartmentNodeView[]> {
  if (input.unitId) await getUnit(ctx, { id: input.unitId });
  const roots = await departmentTree(ctx, input);
  const heads: string[] = [];
  const collect = (nodes: DepartmentTreeNode[]) => {
    for (const node of nodes) {
      if (node.headMemberId) heads.push(node.headMemberId);
      collect(node.children);
    }
  };
  collect(roots);
  const members = await membersById(ctx, heads);
  const view = (node: DepartmentTreeNode): DepartmentNodeView => ({
    id: node.id,
    unitId: node.unitId,
    parentId: node.parentId,
    name: node.name,
    code: node.code,
    sort: node.sort,
    enabled: node.enabled,
    headMemberId: node.headMemberId,
    headName: (node.headMemberId && members.get(node.headMemberId)?.name) || null,
    mergedIntoId: node.mergedIntoId,
    version: node.version,
    children: node.children.map(view),
  });
  return roots.map(view);
}

const COUNT_PAGE = 1_000;

/** One department with its head, its division leaders in order and its count of active members. */
export async function departmentDetail(
  ctx: Reader,
  input: { id: string },
): Promise<z.output<typeof departmentDetailView>> {
  const department = await getDepartment(ctx, { id: input.id });
  const leaders = await listDivisionLeaders(ctx, { departmentId: department.id });
  const members = await membersById(ctx, [department.headMemberId, ...leaders.map((l) => l.memberId)]);
  let memberCount = 0;
  let afterCode: string | undefined;
  for (;;) {
    const page = await listMembers(ctx, { departmentId: department.id, limit: COUNT_PAGE, afterCode });
    memberCount += page.length;
    if (page.length < COUNT_PAGE) break;
    afterCode = page.at(-1)?.code;
  }
  return {
    ...department,
    head: personRef(department.headMemberId ? members.get(department.headMemberId) : undefined),
    divisionLeaders: leaders.flatMap((leader) => personRef(members.get(leader.memberId)) ?? []),
    memberCount,
  };
}

/** The roles a member holds, with the role's code and names. */
async function heldRoles(ctx: Reader, assignments: RoleAssignment[]): Promise<Array<z.output<typeof heldRoleView>>> {
  const roles = new Map<string, Role>();
  for (const assignment of assignments) {
    if (!roles.has(assignment.roleId)) roles.set(assignment.roleId, await getRole(ctx, { role: assignment.roleId }));
  }
  return assignments.map((assignment) => {
    const role = roles.get(assignment.roleId) as Role;
    return {
      assignmentId: assignment.id,
      roleId: role.id,
      code: role.code,
      name: role.name,
      nameEn: role.nameEn,
      scopeUnitId: assignment.scopeUnitId,
      scopeDepartmentId: assignment.scopeDepartmentId,
    };
  });
}

/** A member with where they work (main department first, then concurrent posts) and the roles they hold. */
export async function memberDetail(ctx: Reader, input: { id: string }): Promise<z.output<typeof memberDetailView>> {
  const member = await getMember(ctx, { id: input.id });
  const placements = [];
  for (const placement of await memberPlacements(ctx, { memberId: member.id })) {
    const department = await getDepartment(ctx, { id: placement.departmentId });
    placements.push({ ...placement, departmentName: department.name });
  }
  const roles = await heldRoles(ctx, await listRoleAssignments(ctx, { memberId: member.id }));
  return { ...member, placements, roles };
}

/** Who holds a role (unknown role: ORG_ROLE_NOT_FOUND), in assignment order. */
export async function roleHolders(
  ctx: Reader,
  input: { roleId: string },
): Promise<Array<z.output<typeof roleHolderView>>> {
  const role = await getRole(ctx, { role: input.roleId });
  const assignments = await listRoleAssignments(ctx, { role: role.id });
  const members = await membersById(
    ctx,
    assignments.map((a) => a.memberId),
  );
  return assignments.flatMap((assignment) => {
    const member = members.get(assignment.memberId);
    if (!member) return [];
    return [
      {
        assignmentId: assignment.id,
        memberId: member.id,
        code: member.code,
        name: member.name,
        status: member.status,
        scopeUnitId: assignment.scopeUnitId,
        scopeDepartmentId: assignment.scopeDepartmentId,
      },
    ];
  });
}

/**
 * Ends one assignment of one role. The assignment must belong to the role named in the path, so that a
 * caller cannot end an assignment of another role through a role they were looking at (not found otherwise).
 */
export async function unassignRoleOf(
  ctx: DbCtx,
  input: { roleId: string; assignmentId: string },
): Promise<RoleAssignment> {
  const role = await getRole(ctx, { role: input.roleId });
  const held = await listRoleAssignments(ctx, { role: role.id });
  if (!held.some((assignment) => assignment.id === input.assignmentId)) {
    throw OrgErrors.roleAssignmentNotFound.create({});
  }
  return unassignRole(ctx, { id: input.assignmentId });
}
