import { isId } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { OrgErrors } from './errors.ts';
import {
  type ConcurrentPost,
  type Department,
  type DivisionLeader,
  type Level,
  type Member,
  type Post,
  type Role,
  type RoleAssignment,
  toConcurrentPost,
  toDepartment,
  toDivisionLeader,
  toLevel,
  toMember,
  toPost,
  toRole,
  toRoleAssignment,
  toUnit,
  type Unit,
} from './model.ts';

// Single-entity reads used by operations and queries. The `find*` functions return undefined,
// the `load*` functions throw the entity's coded not-found error.

type Reader = Pick<DbCtx, 'db'>;

export async function findUnit(ctx: Reader, id: string): Promise<Unit | undefined> {
  const row = await ctx.db.selectFrom('baton_org_unit').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUnit(row);
}

export async function loadUnit(ctx: Reader, id: string): Promise<Unit> {
  const unit = await findUnit(ctx, id);
  if (!unit) throw OrgErrors.unitNotFound.create({ id });
  return unit;
}

export async function findDepartment(ctx: Reader, id: string): Promise<Department | undefined> {
  const row = await ctx.db.selectFrom('baton_org_department').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDepartment(row);
}

export async function loadDepartment(ctx: Reader, id: string): Promise<Department> {
  const department = await findDepartment(ctx, id);
  if (!department) throw OrgErrors.departmentNotFound.create({ id });
  return department;
}

export async function loadPost(ctx: Reader, id: string): Promise<Post> {
  const row = await ctx.db.selectFrom('baton_org_post').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw OrgErrors.postNotFound.create({ id });
  return toPost(row);
}

export async function loadLevel(ctx: Reader, id: string): Promise<Level> {
  const row = await ctx.db.selectFrom('baton_org_level').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw OrgErrors.levelNotFound.create({ id });
  return toLevel(row);
}

export async function findMember(ctx: Reader, id: string): Promise<Member | undefined> {
  const row = await ctx.db.selectFrom('baton_org_member').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMember(row);
}

export async function loadMember(ctx: Reader, id: string): Promise<Member> {
  const member = await findMember(ctx, id);
  if (!member) throw OrgErrors.memberNotFound.create({ id });
  return member;
}

/** A member who must still be active (heads, supervisors, role holders, successors). */
export async function loadActiveMember(ctx: Reader, id: string): Promise<Member> {
  const member = await loadMember(ctx, id);
  if (member.status !== 'active') throw OrgErrors.memberLeft.create({ id, name: member.name });
  return member;
}

/** A role by id or by code. */
export async function findRole(ctx: Reader, idOrCode: string): Promise<Role | undefined> {
  const row = await ctx.db
    .selectFrom('baton_org_role')
    .selectAll()
    .where(isId(idOrCode) ? 'id' : 'code', '=', idOrCode)
    .executeTakeFirst();
  return row && toRole(row);
}

export async function loadRole(ctx: Reader, idOrCode: string): Promise<Role> {
  const role = await findRole(ctx, idOrCode);
  if (!role) throw OrgErrors.roleNotFound.create({ id: idOrCode });
  return role;
}

export async function departmentsOfUnit(ctx: Reader, unitId: string): Promise<Department[]> {
  const rows = await ctx.db.selectFrom('baton_org_department').selectAll().where('unitId', '=', unitId).execute();
  return rows.map(toDepartment);
}

/** `id` and every department below it (any depth, enabled or not), `id` first. */
export async function subtreeOf(ctx: Reader, department: Department): Promise<Department[]> {
  const all = await departmentsOfUnit(ctx, department.unitId);
  const children = new Map<string, Department[]>();
  for (const d of all) {
    if (!d.parentId) continue;
    const list = children.get(d.parentId) ?? [];
    list.push(d);
    children.set(d.parentId, list);
  }
  const result: Department[] = [];
  const stack = [department];
  while (stack.length > 0) {
    const next = stack.pop() as Department;
    result.push(next);
    stack.push(...(children.get(next.id) ?? []));
  }
  return result;
}

export async function childrenOf(ctx: Reader, departmentId: string): Promise<Department[]> {
  const rows = await ctx.db
    .selectFrom('baton_org_department')
    .selectAll()
    .where('parentId', '=', departmentId)
    .orderBy('sort')
    .orderBy('code')
    .execute();
  return rows.map(toDepartment);
}

export async function mainMembersOf(ctx: Reader, departmentId: string): Promise<Member[]> {
  const rows = await ctx.db
    .selectFrom('baton_org_member')
    .selectAll()
    .where('mainDepartmentId', '=', departmentId)
    .orderBy('sort')
    .orderBy('code')
    .execute();
  return rows.map(toMember);
}

export async function concurrentPostsWhere(
  ctx: Reader,
  where: { memberId?: string; departmentId?: string },
): Promise<ConcurrentPost[]> {
  let query = ctx.db.selectFrom('baton_org_concurrent_post').selectAll();
  if (where.memberId) query = query.where('memberId', '=', where.memberId);
  if (where.departmentId) query = query.where('departmentId', '=', where.departmentId);
  const rows = await query.orderBy('sort').orderBy('id').execute();
  return rows.map(toConcurrentPost);
}

export async function findConcurrentPost(ctx: Reader, id: string): Promise<ConcurrentPost | undefined> {
  const row = await ctx.db.selectFrom('baton_org_concurrent_post').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toConcurrentPost(row);
}

export async function divisionLeadersWhere(
  ctx: Reader,
  where: { memberId?: string; departmentId?: string },
): Promise<DivisionLeader[]> {
  let query = ctx.db.selectFrom('baton_org_division_leader').selectAll();
  if (where.memberId) query = query.where('memberId', '=', where.memberId);
  if (where.departmentId) query = query.where('departmentId', '=', where.departmentId);
  const rows = await query.orderBy('sort').orderBy('id').execute();
  return rows.map(toDivisionLeader);
}

export async function roleAssignmentsWhere(
  ctx: Reader,
  where: { roleId?: string; memberId?: string; scopeDepartmentId?: string; scopeUnitId?: string },
): Promise<RoleAssignment[]> {
  let query = ctx.db.selectFrom('baton_org_role_assignment').selectAll();
  if (where.roleId) query = query.where('roleId', '=', where.roleId);
  if (where.memberId) query = query.where('memberId', '=', where.memberId);
  if (where.scopeDepartmentId) query = query.where('scopeDepartmentId', '=', where.scopeDepartmentId);
  if (where.scopeUnitId) query = query.where('scopeUnitId', '=', where.scopeUnitId);
  const rows = await query.orderBy('id').execute();
  return rows.map(toRoleAssignment);
}

/** The department and its ancestors, nearest first (stops on a missing parent or a loop). */
export async function ancestryOf(ctx: Reader, department: Department): Promise<Department[]> {
  const chain = [department];
  const seen = new Set([department.id]);
  let parentId = department.parentId;
  while (parentId && !seen.has(parentId)) {
    const parent = await findDepartment(ctx, parentId);
    if (!parent) break;
    chain.push(parent);
    seen.add(parent.id);
    parentId = parent.parentId;
  }
  return chain;
}
