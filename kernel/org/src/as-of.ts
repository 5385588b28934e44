import { type DbCtx, instant } from '@baton/db';
import { z } from 'zod';
import type { ConcurrentPost, Department, EntityType, Member, RoleAssignment } from './model.ts';
import { type DepartmentTreeNode, toTree } from './queries.ts';
import { idField, parseInput } from './validate.ts';

// Historical views rebuilt from the change log: for every entity, the `after` snapshot of its latest
// change at or before the instant (null after = deleted then). Works because every operation logs a
// full snapshot of each row it writes.

type Ctx = Pick<DbCtx, 'db'>;

const atField = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => instant(new Date(value)));

/** Latest snapshot per entity id of one type at or before `at`, filtered by entity or member. */
async function latest<T>(
  ctx: Ctx,
  entityType: EntityType,
  at: string,
  where: { entityId?: string; memberId?: string } = {},
): Promise<Map<string, T | null>> {
  let query = ctx.db
    .selectFrom('baton_org_change')
    .select(['entityId', 'after'])
    .where('entityType', '=', entityType)
    .where('at', '<=', at);
  if (where.entityId) query = query.where('entityId', '=', where.entityId);
  if (where.memberId) query = query.where('memberId', '=', where.memberId);
  const rows = await query.orderBy('entityId').orderBy('at').orderBy('id').execute();
  const result = new Map<string, T | null>();
  for (const row of rows) {
    result.set(
      row.entityId,
      row.after === null ? null : ((typeof row.after === 'string' ? JSON.parse(row.after) : row.after) as T),
    );
  }
  return result;
}

function present<T>(map: Map<string, T | null>): T[] {
  return [...map.values()].filter((value): value is T => value !== null);
}

const treeAsOfInput = z.strictObject({
  unitId: idField.optional(),
  at: atField,
  includeDisabled: z.boolean().optional(),
});

/** The department tree as it was at `at` (of one unit, or of every unit), enabled departments only by default. */
export async function departmentTreeAsOf(
  ctx: Ctx,
  input: { unitId?: string; at: Date | string; includeDisabled?: boolean },
): Promise<DepartmentTreeNode[]> {
  const data = parseInput(treeAsOfInput, input);
  const departments = present(await latest<Department>(ctx, 'department', data.at)).filter(
    (d) => (!data.unitId || d.unitId === data.unitId) && (data.includeDisabled || d.enabled),
  );
  return toTree(departments);
}

export type MemberAsOf = {
  member: Member;
  /** The main department as it was then (undefined if it had no logged state yet). */
  mainDepartment: Department | undefined;
  concurrentPosts: ConcurrentPost[];
  roleAssignments: RoleAssignment[];
};

const memberAsOfInput = z.strictObject({ memberId: idField, at: atField });

/** A member as they were at `at`, with their department, concurrent posts and roles; null before they existed. */
export async function memberAsOf(ctx: Ctx, input: { memberId: string; at: Date | string }): Promise<MemberAsOf | null> {
  const data = parseInput(memberAsOfInput, input);
  const member = (await latest<Member>(ctx, 'member', data.at, { entityId: data.memberId })).get(data.memberId);
  if (!member) return null;
  const department = (await latest<Department>(ctx, 'department', data.at, { entityId: member.mainDepartmentId })).get(
    member.mainDepartmentId,
  );
  const concurrentPosts = present(
    await latest<ConcurrentPost>(ctx, 'concurrentPost', data.at, { memberId: member.id }),
  );
  const roleAssignments = present(
    await latest<RoleAssignment>(ctx, 'roleAssignment', data.at, { memberId: member.id }),
  );
  return {
    member,
    mainDepartment: department ?? undefined,
    // A concurrent post or assignment whose member changed hands is logged under the new member too.
    concurrentPosts: concurrentPosts.filter((p) => p.memberId === member.id),
    roleAssignments: roleAssignments.filter((a) => a.memberId === member.id),
  };
}
