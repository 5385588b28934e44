import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { duplicateCode, OrgErrors } from './errors.ts';
import type { Department, DivisionLeader } from './model.ts';
import { type Batch, deleteEntity, fresh, insertEntity, runOp, updateEntity } from './op.ts';
import { divisionLeadersWhere, loadActiveMember, loadDepartment, loadUnit } from './repo.ts';
import { codeField, idField, invalid, nameField, parseInput, sortField, versionField } from './validate.ts';

const createDepartmentInput = z.strictObject({
  unitId: idField,
  /** Omitted or null: a top-level department of the unit. */
  parentId: idField.nullable().optional(),
  name: nameField,
  /** Unique within the unit, e.g. `10-00004` (first level) or `20-00138` (second level). */
  code: codeField,
  sort: sortField.optional(),
  headMemberId: idField.nullable().optional(),
});
export type CreateDepartmentInput = z.input<typeof createDepartmentInput>;

const updateDepartmentInput = z.strictObject({
  id: idField,
  version: versionField,
  name: nameField.optional(),
  code: codeField.optional(),
  sort: sortField.optional(),
});
export type UpdateDepartmentInput = z.input<typeof updateDepartmentInput>;

export async function departmentCodeTaken(
  batch: Batch,
  unitId: string,
  code: string,
  exceptId?: string,
): Promise<boolean> {
  let query = batch.ctx.db
    .selectFrom('baton_org_department')
    .select('id')
    .where('unitId', '=', unitId)
    .where('code', '=', code);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** The sort number after the last sibling's, in steps of 10, so that later inserts fit between. */
export async function nextSiblingSort(batch: Batch, unitId: string, parentId: string | null): Promise<number> {
  let query = batch.ctx.db
    .selectFrom('baton_org_department')
    .select((eb) => eb.fn.max('sort').as('top'))
    .where('unitId', '=', unitId);
  query = parentId ? query.where('parentId', '=', parentId) : query.where('parentId', 'is', null);
  const row = await query.executeTakeFirst();
  return (Number(row?.top ?? 0) || 0) + 10;
}

/** Creates a department; its parent must be an enabled department of the same unit. */
export async function createDepartment(ctx: DbCtx, input: CreateDepartmentInput): Promise<Department> {
  const data = parseInput(createDepartmentInput, input);
  return runOp(ctx, 'createDepartment', (batch) => insertDepartment(batch, data));
}

export async function insertDepartment(
  batch: Batch,
  data: z.output<typeof createDepartmentInput>,
): Promise<Department> {
  await loadUnit(batch.ctx, data.unitId);
  const parentId = data.parentId ?? null;
  if (parentId) {
    const parent = await loadDepartment(batch.ctx, parentId);
    if (parent.unitId !== data.unitId) throw OrgErrors.unitMismatch.create({ what: parent.name });
    if (!parent.enabled) throw OrgErrors.departmentDisabled.create({ name: parent.name });
  }
  if (data.headMemberId) await loadActiveMember(batch.ctx, data.headMemberId);
  if (await departmentCodeTaken(batch, data.unitId, data.code)) throw duplicateCode('department', data.code);
  const department: Department = {
    ...fresh(batch),
    unitId: data.unitId,
    parentId,
    name: data.name,
    code: data.code,
    sort: data.sort ?? (await nextSiblingSort(batch, data.unitId, parentId)),
    enabled: true,
    headMemberId: data.headMemberId ?? null,
    mergedIntoId: null,
  };
  return insertEntity(batch, 'department', department);
}

/** Renames, re-codes or re-sorts a department (moving, merging and disabling have their own operations). */
export async function updateDepartment(ctx: DbCtx, input: UpdateDepartmentInput): Promise<Department> {
  const data = parseInput(updateDepartmentInput, input);
  return runOp(ctx, 'updateDepartment', async (batch) => {
    const before = await loadDepartment(batch.ctx, data.id);
    if (data.code !== undefined && (await departmentCodeTaken(batch, before.unitId, data.code, before.id))) {
      throw duplicateCode('department', data.code);
    }
    const { id: _id, version, ...patch } = data;
    return updateEntity(batch, 'department', before, patch, { expectedVersion: version });
  });
}

const enableInput = z.strictObject({ departmentId: idField, version: versionField.optional() });

/** Enables a disabled department again; its parent must be enabled. */
export async function enableDepartment(ctx: DbCtx, input: z.input<typeof enableInput>): Promise<Department> {
  const data = parseInput(enableInput, input);
  return runOp(ctx, 'enableDepartment', async (batch) => {
    const before = await loadDepartment(batch.ctx, data.departmentId);
    if (before.parentId) {
      const parent = await loadDepartment(batch.ctx, before.parentId);
      if (!parent.enabled) throw OrgErrors.departmentDisabled.create({ name: parent.name });
    }
    return updateEntity(
      batch,
      'department',
      before,
      { enabled: true, mergedIntoId: null },
      { expectedVersion: data.version, action: 'enable' },
    );
  });
}

const setHeadInput = z.strictObject({
  departmentId: idField,
  /** null clears the head: resolution then walks up to the parent's head. */
  memberId: idField.nullable(),
  version: versionField.optional(),
});
export type SetHeadInput = z.input<typeof setHeadInput>;

/** Sets or clears the head (部门主管). The head need not belong to the department. */
export async function setHead(ctx: DbCtx, input: SetHeadInput): Promise<Department> {
  const data = parseInput(setHeadInput, input);
  return runOp(ctx, 'setHead', async (batch) => {
    const before = await loadDepartment(batch.ctx, data.departmentId);
    if (data.memberId) await loadActiveMember(batch.ctx, data.memberId);
    return updateEntity(
      batch,
      'department',
      before,
      { headMemberId: data.memberId },
      { expectedVersion: data.version, action: 'setHead' },
    );
  });
}

const setDivisionLeadersInput = z.strictObject({
  departmentId: idField,
  /** The complete new list, in order; empty clears it (resolution then looks at the parent). */
  memberIds: z.array(idField).max(50),
});
export type SetDivisionLeadersInput = z.input<typeof setDivisionLeadersInput>;

/** Replaces the division leaders (分管领导) of a department; each add and removal is logged. */
export async function setDivisionLeaders(ctx: DbCtx, input: SetDivisionLeadersInput): Promise<DivisionLeader[]> {
  const data = parseInput(setDivisionLeadersInput, input);
  const duplicates = data.memberIds
    .map((id, index) => ({ id, index }))
    .filter(({ id, index }) => data.memberIds.indexOf(id) !== index);
  if (duplicates.length > 0) {
    invalid(duplicates.map(({ index }) => ({ path: ['memberIds', index], code: 'duplicate' })));
  }
  return runOp(ctx, 'setDivisionLeaders', (batch) => replaceDivisionLeaders(batch, data.departmentId, data.memberIds));
}

export async function replaceDivisionLeaders(
  batch: Batch,
  departmentId: string,
  memberIds: string[],
): Promise<DivisionLeader[]> {
  await loadDepartment(batch.ctx, departmentId);
  for (const memberId of memberIds) await loadActiveMember(batch.ctx, memberId);
  const current = await divisionLeadersWhere(batch.ctx, { departmentId });
  for (const leader of current) {
    if (!memberIds.includes(leader.memberId)) await deleteEntity(batch, 'divisionLeader', leader);
  }
  const result: DivisionLeader[] = [];
  for (const [index, memberId] of memberIds.entries()) {
    const sort = (index + 1) * 10;
    const existing = current.find((leader) => leader.memberId === memberId);
    if (existing) result.push(await updateEntity(batch, 'divisionLeader', existing, { sort }));
    else result.push(await insertEntity(batch, 'divisionLeader', { ...fresh(batch), departmentId, memberId, sort }));
  }
  return result;
}
