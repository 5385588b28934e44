import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { departmentCodeTaken, insertDepartment, nextSiblingSort } from './departments.ts';
import { duplicateCode, OrgErrors } from './errors.ts';
import { type Department, toRole } from './model.ts';
import { type Batch, deleteEntity, runOp, updateEntity } from './op.ts';
import {
  ancestryOf,
  childrenOf,
  concurrentPostsWhere,
  loadDepartment,
  loadUnit,
  mainMembersOf,
  roleAssignmentsWhere,
  subtreeOf,
} from './repo.ts';
import { sameScope } from './roles.ts';
import { codeField, idField, invalid, nameField, parseInput, sortField, versionField } from './validate.ts';

// Reorganisation (P-02, DIDI-1). Running flows are unaffected by design: the flow engine resolves
// assignees when a node is entered, so every node entered after a change follows the new structure,
// and tasks already created stay with the member they were given to.

/** Is `candidate` the department itself or somewhere below it? */
async function isWithin(batch: Batch, candidate: Department, ancestorId: string): Promise<boolean> {
  return (await ancestryOf(batch.ctx, candidate)).some((d) => d.id === ancestorId);
}

/**
 * Puts `department` under `parentId` in `unitId`. Moving into another unit takes the whole sub-tree
 * along, and every code must still be unique in the new unit.
 */
async function reparent(
  batch: Batch,
  department: Department,
  parentId: string | null,
  unitId: string,
  options: { sort?: number; expectedVersion?: number } = {},
): Promise<Department> {
  const patch: Partial<Department> = { parentId };
  if (options.sort !== undefined) patch.sort = options.sort;
  else if (parentId !== department.parentId) patch.sort = await nextSiblingSort(batch, unitId, parentId);
  if (unitId !== department.unitId) {
    const subtree = await subtreeOf(batch.ctx, department);
    for (const [index, node] of subtree.entries()) {
      if (await departmentCodeTaken(batch, unitId, node.code)) throw duplicateCode('department', node.code);
      if (index > 0) await updateEntity(batch, 'department', node, { unitId }, { action: 'move' });
    }
    patch.unitId = unitId;
  }
  return updateEntity(batch, 'department', department, patch, {
    action: 'move',
    expectedVersion: options.expectedVersion,
  });
}

const moveDepartmentInput = z.strictObject({
  departmentId: idField,
  /** The new parent; null makes it a top-level department (of `unitId`, default its own unit). */
  parentId: idField.nullable(),
  unitId: idField.optional(),
  /** Moving to another unit is refused unless this is true. */
  allowCrossUnit: z.boolean().optional(),
  sort: sortField.optional(),
  version: versionField.optional(),
});
export type MoveDepartmentInput = z.input<typeof moveDepartmentInput>;

/** Moves a department (with its sub-tree) under a new parent. Refuses cycles and, unless allowed, unit changes. */
export async function moveDepartment(ctx: DbCtx, input: MoveDepartmentInput): Promise<Department> {
  const data = parseInput(moveDepartmentInput, input);
  return runOp(ctx, 'moveDepartment', async (batch) => {
    const department = await loadDepartment(batch.ctx, data.departmentId);
    let unitId = data.unitId ?? department.unitId;
    if (data.parentId) {
      const parent = await loadDepartment(batch.ctx, data.parentId);
      if (await isWithin(batch, parent, department.id)) throw OrgErrors.departmentCycle.create({});
      if (!parent.enabled && department.enabled) throw OrgErrors.departmentDisabled.create({ name: parent.name });
      if (data.unitId && data.unitId !== parent.unitId) {
        invalid([{ path: ['unitId'], code: 'unit_mismatch', message: 'the parent belongs to another unit' }]);
      }
      unitId = parent.unitId;
    } else if (data.unitId) {
      await loadUnit(batch.ctx, data.unitId);
    }
    if (unitId !== department.unitId && !data.allowCrossUnit) throw OrgErrors.crossUnitMove.create({});
    return reparent(batch, department, data.parentId, unitId, { sort: data.sort, expectedVersion: data.version });
  });
}

export type AbsorbResult = {
  movedMembers: string[];
  movedDepartments: string[];
  movedConcurrentPosts: string[];
  movedRoleAssignments: string[];
};

/**
 * Moves everything that hangs on `source` to `target`: active members (main department), sub-departments,
 * concurrent posts, department-scoped role assignments and department-scoped roles. Members who left keep
 * `source` as the record of where they worked.
 */
async function absorb(batch: Batch, source: Department, target: Department): Promise<AbsorbResult> {
  const result: AbsorbResult = {
    movedMembers: [],
    movedDepartments: [],
    movedConcurrentPosts: [],
    movedRoleAssignments: [],
  };
  const inTarget = new Set([
    ...(await mainMembersOf(batch.ctx, target.id)).map((m) => m.id),
    ...(await concurrentPostsWhere(batch.ctx, { departmentId: target.id })).map((p) => p.memberId),
  ]);
  for (const member of await mainMembersOf(batch.ctx, source.id)) {
    if (member.status !== 'active') continue;
    await updateEntity(batch, 'member', member, { mainDepartmentId: target.id }, { action: 'move' });
    // The member's concurrent post in the target, if any, became the main placement.
    for (const post of await concurrentPostsWhere(batch.ctx, { memberId: member.id, departmentId: target.id })) {
      await deleteEntity(batch, 'concurrentPost', post);
    }
    inTarget.add(member.id);
    result.movedMembers.push(member.id);
  }
  for (const child of await childrenOf(batch.ctx, source.id)) {
    await reparent(batch, child, target.id, target.unitId);
    result.movedDepartments.push(child.id);
  }
  for (const post of await concurrentPostsWhere(batch.ctx, { departmentId: source.id })) {
    if (inTarget.has(post.memberId)) {
      await deleteEntity(batch, 'concurrentPost', post);
    } else {
      await updateEntity(batch, 'concurrentPost', post, { departmentId: target.id }, { action: 'move' });
      inTarget.add(post.memberId);
      result.movedConcurrentPosts.push(post.id);
    }
  }
  const targetAssignments = await roleAssignmentsWhere(batch.ctx, { scopeDepartmentId: target.id });
  for (const assignment of await roleAssignmentsWhere(batch.ctx, { scopeDepartmentId: source.id })) {
    const duplicate = targetAssignments.some(
      (a) => a.roleId === assignment.roleId && a.memberId === assignment.memberId && sameScope(a, null, target.id),
    );
    if (duplicate) await deleteEntity(batch, 'roleAssignment', assignment, 'unassign');
    else {
      await updateEntity(batch, 'roleAssignment', assignment, { scopeDepartmentId: target.id }, { action: 'move' });
      result.movedRoleAssignments.push(assignment.id);
    }
  }
  const scopedRoles = await batch.ctx.db
    .selectFrom('baton_org_role')
    .selectAll()
    .where('scope', '=', 'department')
    .where('scopeId', '=', source.id)
    .execute();
  for (const role of scopedRoles.map(toRole)) {
    await updateEntity(batch, 'role', role, { scopeId: target.id }, { action: 'move' });
  }
  return result;
}

async function checkAbsorbTarget(
  batch: Batch,
  source: Department,
  targetId: string,
  allowCrossUnit: boolean,
): Promise<Department> {
  const target = await loadDepartment(batch.ctx, targetId);
  if (await isWithin(batch, target, source.id)) throw OrgErrors.mergeInvalid.create({});
  if (!target.enabled) throw OrgErrors.departmentDisabled.create({ name: target.name });
  if (target.unitId !== source.unitId && !allowCrossUnit) throw OrgErrors.crossUnitMove.create({});
  return target;
}

const mergeDepartmentsInput = z.strictObject({
  sourceId: idField,
  targetId: idField,
  allowCrossUnit: z.boolean().optional(),
  /** The source's version, when the caller wants the merge to fail if it changed meanwhile. */
  version: versionField.optional(),
});
export type MergeDepartmentsInput = z.input<typeof mergeDepartmentsInput>;

export type MergeResult = AbsorbResult & { source: Department; target: Department; batchId: string };

/**
 * Merges `source` into `target`: members, sub-departments, concurrent posts and department-scoped role
 * assignments move; the source is disabled (never deleted) with `mergedIntoId` pointing at the target.
 * The source's head and division leaders stay on the (disabled) source.
 */
export async function mergeDepartments(ctx: DbCtx, input: MergeDepartmentsInput): Promise<MergeResult> {
  const data = parseInput(mergeDepartmentsInput, input);
  return runOp(ctx, 'mergeDepartments', async (batch) => {
    const source = await loadDepartment(batch.ctx, data.sourceId);
    const target = await checkAbsorbTarget(batch, source, data.targetId, data.allowCrossUnit ?? false);
    const moved = await absorb(batch, source, target);
    const disabled = await updateEntity(
      batch,
      'department',
      await loadDepartment(batch.ctx, source.id),
      { enabled: false, mergedIntoId: target.id },
      { action: 'merge', expectedVersion: data.version },
    );
    return { ...moved, source: disabled, target: await loadDepartment(batch.ctx, target.id), batchId: batch.id };
  });
}

const splitDepartmentInput = z.strictObject({
  departmentId: idField,
  /** The new department, created under the same parent in the same unit. */
  name: nameField,
  code: codeField,
  sort: sortField.optional(),
  headMemberId: idField.nullable().optional(),
  /** Members to move: a main placement in the source moves, or else a concurrent post in it. */
  memberIds: z.array(idField).max(5_000).default([]),
  /** Direct sub-departments of the source to move under the new department. */
  departmentIds: z.array(idField).max(1_000).default([]),
});
export type SplitDepartmentInput = z.input<typeof splitDepartmentInput>;

export type SplitResult = {
  source: Department;
  department: Department;
  movedMembers: string[];
  movedConcurrentPosts: string[];
  movedDepartments: string[];
  batchId: string;
};

/** Splits a department: creates a sibling and moves the named members and sub-departments into it. */
export async function splitDepartment(ctx: DbCtx, input: SplitDepartmentInput): Promise<SplitResult> {
  const data = parseInput(splitDepartmentInput, input);
  return runOp(ctx, 'splitDepartment', async (batch) => {
    const source = await loadDepartment(batch.ctx, data.departmentId);
    if (!source.enabled) throw OrgErrors.departmentDisabled.create({ name: source.name });
    const members = await mainMembersOf(batch.ctx, source.id);
    const posts = await concurrentPostsWhere(batch.ctx, { departmentId: source.id });
    const children = await childrenOf(batch.ctx, source.id);
    const issues = [
      ...data.memberIds
        .map((id, index) => ({ id, index }))
        .filter(
          ({ id }) =>
            !members.some((m) => m.id === id && m.status === 'active') && !posts.some((p) => p.memberId === id),
        )
        .map(({ index }) => ({ path: ['memberIds', index], code: 'not_in_department' })),
      ...data.departmentIds
        .map((id, index) => ({ id, index }))
        .filter(({ id }) => !children.some((c) => c.id === id))
        .map(({ index }) => ({ path: ['departmentIds', index], code: 'not_in_department' })),
    ];
    if (issues.length > 0) {
      throw OrgErrors.notInDepartment.create(
        { what: `${issues.length} item(s)`, name: source.name },
        { fields: issues },
      );
    }
    const department = await insertDepartment(batch, {
      unitId: source.unitId,
      parentId: source.parentId,
      name: data.name,
      code: data.code,
      sort: data.sort,
      headMemberId: data.headMemberId,
    });
    const result: SplitResult = {
      source,
      department,
      movedMembers: [],
      movedConcurrentPosts: [],
      movedDepartments: [],
      batchId: batch.id,
    };
    for (const memberId of new Set(data.memberIds)) {
      const member = members.find((m) => m.id === memberId);
      if (member) {
        await updateEntity(batch, 'member', member, { mainDepartmentId: department.id }, { action: 'move' });
        result.movedMembers.push(member.id);
      } else {
        const post = posts.find((p) => p.memberId === memberId) as (typeof posts)[number];
        await updateEntity(batch, 'concurrentPost', post, { departmentId: department.id }, { action: 'move' });
        result.movedConcurrentPosts.push(post.id);
      }
    }
    for (const childId of new Set(data.departmentIds)) {
      const child = children.find((c) => c.id === childId) as Department;
      await reparent(batch, child, department.id, department.unitId);
      result.movedDepartments.push(child.id);
    }
    result.source = await loadDepartment(batch.ctx, source.id);
    return result;
  });
}

const disableDepartmentInput = z
  .strictObject({
    departmentId: idField,
    /** Disable even with members or enabled sub-departments: the sub-tree is disabled too, members stay. */
    force: z.boolean().optional(),
    /** Move members, sub-departments, concurrent posts and scoped roles here first (same as a merge). */
    moveTo: idField.optional(),
    version: versionField.optional(),
  })
  .superRefine((value, context) => {
    if (value.force && value.moveTo) {
      context.addIssue({ code: 'custom', path: ['moveTo'], message: 'give force or moveTo, not both' });
    }
  });
export type DisableDepartmentInput = z.input<typeof disableDepartmentInput>;

export type DisableResult = Partial<AbsorbResult> & { department: Department; disabled: string[]; batchId: string };

/**
 * Disables a department. Refused (ORG_DEPARTMENT_NOT_EMPTY) while it has active members (concurrent posts
 * included) or enabled sub-departments, unless `moveTo` names where they go or `force` disables the
 * whole sub-tree with its members in place.
 */
export async function disableDepartment(ctx: DbCtx, input: DisableDepartmentInput): Promise<DisableResult> {
  const data = parseInput(disableDepartmentInput, input);
  return runOp(ctx, 'disableDepartment', async (batch) => {
    const department = await loadDepartment(batch.ctx, data.departmentId);
    if (data.moveTo) {
      const target = await checkAbsorbTarget(batch, department, data.moveTo, false);
      const moved = await absorb(batch, department, target);
      const disabled = await updateEntity(
        batch,
        'department',
        await loadDepartment(batch.ctx, department.id),
        { enabled: false, mergedIntoId: target.id },
        { action: 'disable', expectedVersion: data.version },
      );
      return { ...moved, department: disabled, disabled: [disabled.id], batchId: batch.id };
    }
    const members = (await mainMembersOf(batch.ctx, department.id)).filter((m) => m.status === 'active').length;
    const concurrent = await batch.ctx.db
      .selectFrom('baton_org_concurrent_post as p')
      .innerJoin('baton_org_member as m', 'm.id', 'p.memberId')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('p.departmentId', '=', department.id)
      .where('m.status', '=', 'active')
      .executeTakeFirst();
    const children = (await childrenOf(batch.ctx, department.id)).filter((c) => c.enabled).length;
    const people = members + Number(concurrent?.count ?? 0);
    if ((people > 0 || children > 0) && !data.force) {
      throw OrgErrors.departmentNotEmpty.create({ name: department.name, members: people, children });
    }
    const disabled: string[] = [];
    const subtree = data.force ? await subtreeOf(batch.ctx, department) : [department];
    let result = department;
    for (const node of subtree) {
      if (node.id === department.id) {
        result = await updateEntity(
          batch,
          'department',
          node,
          { enabled: false },
          { action: 'disable', expectedVersion: data.version },
        );
        disabled.push(node.id);
      } else if (node.enabled) {
        await updateEntity(batch, 'department', node, { enabled: false }, { action: 'disable' });
        disabled.push(node.id);
      }
    }
    return { department: result, disabled, batchId: batch.id };
  });
}
