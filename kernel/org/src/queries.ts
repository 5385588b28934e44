import type { Actor } from '@baton/core';
import { type BatonDatabase, type DbCtx, fromJson } from '@baton/db';
import { type Expression, expressionBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { OrgErrors } from './errors.ts';
import {
  type ConcurrentPost,
  type Department,
  type DivisionLeader,
  type EntityType,
  type Level,
  type Member,
  type OrgChange,
  type Post,
  type Role,
  type RoleAssignment,
  toDepartment,
  toLevel,
  toMember,
  toPost,
  toRole,
  toUnit,
  type Unit,
} from './model.ts';
import {
  concurrentPostsWhere,
  divisionLeadersWhere,
  findRole,
  loadDepartment,
  loadLevel,
  loadMember,
  loadPost,
  loadRole,
  loadUnit,
  roleAssignmentsWhere,
  subtreeOf,
} from './repo.ts';
import type { ChangeTable } from './schema.ts';
import { idField, loginField, parseInput } from './validate.ts';

// Read operations for routes, pickers and other engines. They read ctx.db directly (no cache): lists
// are for people; routing goes through the resolve* functions.

type Ctx = Pick<DbCtx, 'db'>;

export const getUnit = (ctx: Ctx, input: { id: string }): Promise<Unit> => loadUnit(ctx, input.id);
export const getDepartment = (ctx: Ctx, input: { id: string }): Promise<Department> => loadDepartment(ctx, input.id);
export const getPost = (ctx: Ctx, input: { id: string }): Promise<Post> => loadPost(ctx, input.id);
export const getLevel = (ctx: Ctx, input: { id: string }): Promise<Level> => loadLevel(ctx, input.id);
export const getMember = (ctx: Ctx, input: { id: string }): Promise<Member> => loadMember(ctx, input.id);
/** A member with the unit of the main department and the rank of the level. */
export type MemberWithUnit = { member: Member; unitId: string | null; levelRank: number | null };

/**
 * The member with the unit of the main department and the rank of the level, in one statement: a flow reads this
 * for its initiator at every submit (the record's context, conditions on department, post and level).
 */
export async function getMemberWithUnit(ctx: Ctx, input: { id: string }): Promise<MemberWithUnit> {
  const row = await ctx.db
    .selectFrom('baton_org_member as m')
    .leftJoin('baton_org_department as d', 'd.id', 'm.mainDepartmentId')
    .leftJoin('baton_org_level as l', 'l.id', 'm.levelId')
    .selectAll('m')
    .select(['d.unitId as placementUnitId', 'l.rank as placementLevelRank'])
    .where('m.id', '=', input.id)
    .executeTakeFirst();
  if (!row) throw OrgErrors.memberNotFound.create({ id: input.id });
  const { placementUnitId, placementLevelRank, ...member } = row;
  return {
    member: toMember(member),
    unitId: placementUnitId ?? null,
    levelRank: placementLevelRank === null || placementLevelRank === undefined ? null : Number(placementLevelRank),
  };
}
/** A role by id or code. */
export const getRole = (ctx: Ctx, input: { role: string }): Promise<Role> => loadRole(ctx, input.role);

/** The member with this login (case-insensitive), or undefined. */
/**
 * A condition true while the member exists and is active, for another engine's query: evaluated by the database
 * in the statement it joins, so a check such as "the viewer may see all records while still employed" costs no
 * statement of its own.
 */
export function memberIsActive(memberId: string): Expression<SqlBool> {
  const eb = expressionBuilder<BatonDatabase, never>();
  return eb.exists(
    eb.selectFrom('baton_org_member').select('id').where('id', '=', memberId).where('status', '=', 'active'),
  );
}

export async function findMemberByLogin(ctx: Ctx, input: { login: string }): Promise<Member | undefined> {
  const login = loginField.safeParse(input.login);
  if (!login.success) return undefined;
  const row = await ctx.db
    .selectFrom('baton_org_member')
    .selectAll()
    .where('login', '=', login.data)
    .executeTakeFirst();
  return row && toMember(row);
}

export async function listUnits(ctx: Ctx, input: { includeDisabled?: boolean } = {}): Promise<Unit[]> {
  let query = ctx.db.selectFrom('baton_org_unit').selectAll();
  if (!input.includeDisabled) query = query.where('enabled', '=', true);
  return (await query.orderBy('sort').orderBy('code').execute()).map(toUnit);
}

export type DepartmentTreeNode = Department & { children: DepartmentTreeNode[] };

/** Builds the tree (siblings by sort, then code) from a flat list; departments whose parent is absent are roots. */
export function toTree(departments: Department[]): DepartmentTreeNode[] {
  const nodes = new Map<string, DepartmentTreeNode>(departments.map((d) => [d.id, { ...d, children: [] }]));
  const roots: DepartmentTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: DepartmentTreeNode[]) => {
    list.sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

/** Departments of a unit (or all), flat, sorted by sort then code. */
export async function listDepartments(
  ctx: Ctx,
  input: { unitId?: string; parentId?: string | null; includeDisabled?: boolean } = {},
): Promise<Department[]> {
  let query = ctx.db.selectFrom('baton_org_department').selectAll();
  if (input.unitId) query = query.where('unitId', '=', input.unitId);
  if (input.parentId !== undefined) {
    query =
      input.parentId === null ? query.where('parentId', 'is', null) : query.where('parentId', '=', input.parentId);
  }
  if (!input.includeDisabled) query = query.where('enabled', '=', true);
  return (await query.orderBy('sort').orderBy('code').execute()).map(toDepartment);
}

/** The current department tree of one unit or of the whole group. */
export async function departmentTree(
  ctx: Ctx,
  input: { unitId?: string; includeDisabled?: boolean } = {},
): Promise<DepartmentTreeNode[]> {
  return toTree(await listDepartments(ctx, input));
}

const listMembersInput = z.strictObject({
  departmentId: idField.optional(),
  withSubDepartments: z.boolean().optional(),
  status: z.enum(['active', 'left', 'all']).default('active'),
  /** Part of a name, login or code. */
  search: z.string().trim().min(1).max(100).optional(),
  limit: z.number().int().min(1).max(1_000).default(100),
  /** Cursor: the last code of the previous page (members are ordered by code). */
  afterCode: z.string().max(64).optional(),
});
export type ListMembersInput = z.input<typeof listMembersInput>;

/** Members by main department (optionally with sub-departments), status and search, paged by code. */
export async function listMembers(ctx: Ctx, input: ListMembersInput = {}): Promise<Member[]> {
  const data = parseInput(listMembersInput, input);
  let query = ctx.db.selectFrom('baton_org_member').selectAll();
  if (data.departmentId) {
    const department = await loadDepartment(ctx, data.departmentId);
    const ids = data.withSubDepartments ? (await subtreeOf(ctx, department)).map((d) => d.id) : [department.id];
    query = query.where('mainDepartmentId', 'in', ids);
  }
  if (data.status !== 'all') query = query.where('status', '=', data.status);
  if (data.search) {
    // LIKE escapes differ between the databases; wildcards in a people search are noise, so drop them.
    const pattern = `%${data.search.replace(/[\\%_]/g, '')}%`;
    const lower = pattern.toLowerCase();
    query = query.where((eb) =>
      eb.or([eb('name', 'like', pattern), eb('login', 'like', lower), eb('code', 'like', pattern)]),
    );
  }
  if (data.afterCode) query = query.where('code', '>', data.afterCode);
  return (await query.orderBy('code').limit(data.limit).execute()).map(toMember);
}

export async function listPosts(ctx: Ctx, input: { unitId?: string; includeDisabled?: boolean } = {}): Promise<Post[]> {
  let query = ctx.db.selectFrom('baton_org_post').selectAll();
  // A unit sees its own posts and the group-wide ones.
  if (input.unitId)
    query = query.where((eb) => eb.or([eb('unitId', '=', input.unitId as string), eb('unitId', 'is', null)]));
  if (!input.includeDisabled) query = query.where('enabled', '=', true);
  return (await query.orderBy('sort').orderBy('code').execute()).map(toPost);
}

/** Levels, most senior first. */
export async function listLevels(ctx: Ctx): Promise<Level[]> {
  return (await ctx.db.selectFrom('baton_org_level').selectAll().orderBy('rank').orderBy('code').execute()).map(
    toLevel,
  );
}

export async function listRoles(ctx: Ctx, input: { kind?: 'system' | 'business' } = {}): Promise<Role[]> {
  let query = ctx.db.selectFrom('baton_org_role').selectAll();
  if (input.kind) query = query.where('kind', '=', input.kind);
  return (await query.orderBy('code').execute()).map(toRole);
}

export async function listRoleAssignments(
  ctx: Ctx,
  input: { role?: string; memberId?: string } = {},
): Promise<RoleAssignment[]> {
  let roleId: string | undefined;
  if (input.role) {
    roleId = (await findRole(ctx, input.role))?.id;
    if (!roleId) return [];
  }
  return roleAssignmentsWhere(ctx, { roleId, memberId: input.memberId });
}

export const listConcurrentPosts = (
  ctx: Ctx,
  input: { memberId?: string; departmentId?: string } = {},
): Promise<ConcurrentPost[]> => concurrentPostsWhere(ctx, input);

export const listDivisionLeaders = (
  ctx: Ctx,
  input: { departmentId?: string; memberId?: string } = {},
): Promise<DivisionLeader[]> => divisionLeadersWhere(ctx, input);

export type MemberPlacement = {
  departmentId: string;
  unitId: string;
  postId: string | null;
  levelId: string | null;
  concurrent: boolean;
};

/** Where a member works: the main department first, then concurrent posts (the "file from" choices). */
export async function memberPlacements(ctx: Ctx, input: { memberId: string }): Promise<MemberPlacement[]> {
  const member = await loadMember(ctx, input.memberId);
  const main = await loadDepartment(ctx, member.mainDepartmentId);
  const result: MemberPlacement[] = [
    { departmentId: main.id, unitId: main.unitId, postId: member.postId, levelId: member.levelId, concurrent: false },
  ];
  for (const post of await concurrentPostsWhere(ctx, { memberId: member.id })) {
    const department = await loadDepartment(ctx, post.departmentId);
    result.push({
      departmentId: department.id,
      unitId: department.unitId,
      postId: post.postId,
      levelId: post.levelId,
      concurrent: true,
    });
  }
  return result;
}

const listChangesInput = z.strictObject({
  entityType: z.string().max(32).optional(),
  entityId: idField.optional(),
  /** Changes concerning this member (their row, concurrent posts, role assignments, leaderships). */
  memberId: idField.optional(),
  batchId: idField.optional(),
  /** The operation that wrote the rows (mergeDepartments, memberLeaves …). */
  operation: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(10_000).default(500),
});
export type ListChangesInput = z.input<typeof listChangesInput>;

type ChangeRow = ChangeTable;

export function toChange(row: ChangeRow): OrgChange {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: fromJson<Actor>(row.actor),
    actorMemberId: row.actorMemberId,
    entityType: row.entityType as EntityType,
    entityId: row.entityId,
    memberId: row.memberId,
    action: row.action,
    operation: row.operation,
    before: fromJson(row.before),
    after: fromJson(row.after),
    batchId: row.batchId,
  };
}

/** The change log, oldest first. */
export async function listChanges(ctx: Ctx, input: ListChangesInput = {}): Promise<OrgChange[]> {
  const data = parseInput(listChangesInput, input);
  let query = ctx.db.selectFrom('baton_org_change').selectAll();
  if (data.entityType) query = query.where('entityType', '=', data.entityType);
  if (data.entityId) query = query.where('entityId', '=', data.entityId);
  if (data.memberId) query = query.where('memberId', '=', data.memberId);
  if (data.batchId) query = query.where('batchId', '=', data.batchId);
  if (data.operation) query = query.where('operation', '=', data.operation);
  const rows = await query.orderBy('at').orderBy('id').limit(data.limit).execute();
  return rows.map(toChange);
}
