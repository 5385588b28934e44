import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { duplicateCode, OrgErrors } from './errors.ts';
import type { Role, RoleAssignment } from './model.ts';
import { type Batch, deleteEntity, fresh, insertEntity, runOp, updateEntity } from './op.ts';
import { ancestryOf, loadActiveMember, loadDepartment, loadRole, loadUnit, roleAssignmentsWhere } from './repo.ts';
import { idField, invalid, nameField, parseInput, roleCodeField, versionField } from './validate.ts';

const roleKind = z.enum(['system', 'business']);
const roleScope = z.enum(['global', 'unit', 'department']);

const createRoleInput = z.strictObject({
  /** ASCII identifier used by flows and packs (`financeDirector`); never shaped like an id. */
  code: roleCodeField,
  /** zh-CN name (财务总监). */
  name: nameField,
  nameEn: nameField.nullable().optional(),
  kind: roleKind.default('business'),
  /** Where the role applies: everywhere, in one unit, or in one department and below. */
  scope: roleScope.default('global'),
  scopeId: idField.nullable().optional(),
  description: z.string().trim().max(2_000).nullable().optional(),
});
export type CreateRoleInput = z.input<typeof createRoleInput>;

const updateRoleInput = z.strictObject({
  id: idField,
  version: versionField,
  code: roleCodeField.optional(),
  name: nameField.optional(),
  nameEn: nameField.nullable().optional(),
  scope: roleScope.optional(),
  scopeId: idField.nullable().optional(),
  description: z.string().trim().max(2_000).nullable().optional(),
  enabled: z.boolean().optional(),
});
export type UpdateRoleInput = z.input<typeof updateRoleInput>;

async function checkRoleScope(batch: Batch, scope: Role['scope'], scopeId: string | null): Promise<void> {
  if (scope === 'global') {
    if (scopeId) invalid([{ path: ['scopeId'], code: 'not_allowed', message: 'a global role has no scope id' }]);
    return;
  }
  if (!scopeId) invalid([{ path: ['scopeId'], code: 'required', message: `a ${scope} role needs a scope id` }]);
  if (scope === 'unit') await loadUnit(batch.ctx, scopeId);
  else await loadDepartment(batch.ctx, scopeId);
}

async function roleCodeTaken(batch: Batch, code: string, exceptId?: string): Promise<boolean> {
  let query = batch.ctx.db.selectFrom('baton_org_role').select('id').where('code', '=', code);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createRole(ctx: DbCtx, input: CreateRoleInput): Promise<Role> {
  const data = parseInput(createRoleInput, input);
  return runOp(ctx, 'createRole', async (batch) => {
    const scopeId = data.scopeId ?? null;
    await checkRoleScope(batch, data.scope, scopeId);
    if (await roleCodeTaken(batch, data.code)) throw duplicateCode('role', data.code);
    return insertEntity(batch, 'role', {
      ...fresh(batch),
      code: data.code,
      name: data.name,
      nameEn: data.nameEn ?? null,
      kind: data.kind,
      scope: data.scope,
      scopeId,
      description: data.description ?? null,
      enabled: true,
    });
  });
}

export async function updateRole(ctx: DbCtx, input: UpdateRoleInput): Promise<Role> {
  const data = parseInput(updateRoleInput, input);
  return runOp(ctx, 'updateRole', async (batch) => {
    const before = await loadRole(batch.ctx, data.id);
    if (data.code !== undefined && (await roleCodeTaken(batch, data.code, before.id))) {
      throw duplicateCode('role', data.code);
    }
    const scope = data.scope ?? before.scope;
    const scopeId = data.scopeId !== undefined ? data.scopeId : data.scope === 'global' ? null : before.scopeId;
    if (data.scope !== undefined || data.scopeId !== undefined) await checkRoleScope(batch, scope, scopeId);
    const { id: _id, version, ...patch } = data;
    return updateEntity(batch, 'role', before, { ...patch, scope, scopeId }, { expectedVersion: version });
  });
}

const assignmentScope = {
  /** The holder serves only this unit … */
  scopeUnitId: idField.nullable().optional(),
  /** … or only this department and its sub-departments. Neither: every context. */
  scopeDepartmentId: idField.nullable().optional(),
};

const assignRoleInput = z
  .strictObject({
    /** Role id or code. */
    role: z.string().trim().min(1).max(64),
    memberId: idField,
    ...assignmentScope,
  })
  .superRefine((value, context) => {
    if (value.scopeUnitId && value.scopeDepartmentId) {
      context.addIssue({ code: 'custom', path: ['scopeDepartmentId'], message: 'give at most one scope' });
    }
  });
export type AssignRoleInput = z.input<typeof assignRoleInput>;

/** Checks that an assignment's scope lies within the role's own scope. */
async function checkAssignmentScope(
  batch: Batch,
  role: Role,
  scopeUnitId: string | null,
  scopeDepartmentId: string | null,
): Promise<void> {
  if (scopeUnitId) await loadUnit(batch.ctx, scopeUnitId);
  const department = scopeDepartmentId ? await loadDepartment(batch.ctx, scopeDepartmentId) : undefined;
  if (role.scope === 'unit') {
    const unitId = scopeUnitId ?? department?.unitId;
    if (unitId && unitId !== role.scopeId) throw OrgErrors.roleScopeMismatch.create({ role: role.name });
  } else if (role.scope === 'department') {
    if (scopeUnitId) throw OrgErrors.roleScopeMismatch.create({ role: role.name });
    if (department && !(await ancestryOf(batch.ctx, department)).some((d) => d.id === role.scopeId)) {
      throw OrgErrors.roleScopeMismatch.create({ role: role.name });
    }
  }
}

export async function insertAssignment(
  batch: Batch,
  role: Role,
  memberId: string,
  scopeUnitId: string | null,
  scopeDepartmentId: string | null,
): Promise<RoleAssignment> {
  return insertEntity(batch, 'roleAssignment', {
    ...fresh(batch),
    roleId: role.id,
    memberId,
    scopeUnitId,
    scopeDepartmentId,
  });
}

export function sameScope(a: RoleAssignment, scopeUnitId: string | null, scopeDepartmentId: string | null): boolean {
  return a.scopeUnitId === scopeUnitId && a.scopeDepartmentId === scopeDepartmentId;
}

/** Gives a member a role, optionally for one unit or one department (and below). */
export async function assignRole(ctx: DbCtx, input: AssignRoleInput): Promise<RoleAssignment> {
  const data = parseInput(assignRoleInput, input);
  return runOp(ctx, 'assignRole', async (batch) => {
    const role = await loadRole(batch.ctx, data.role);
    await loadActiveMember(batch.ctx, data.memberId);
    const scopeUnitId = data.scopeUnitId ?? null;
    const scopeDepartmentId = data.scopeDepartmentId ?? null;
    await checkAssignmentScope(batch, role, scopeUnitId, scopeDepartmentId);
    const existing = await roleAssignmentsWhere(batch.ctx, { roleId: role.id, memberId: data.memberId });
    if (existing.some((a) => sameScope(a, scopeUnitId, scopeDepartmentId))) {
      throw OrgErrors.roleAssignmentExists.create({ role: role.name });
    }
    return insertAssignment(batch, role, data.memberId, scopeUnitId, scopeDepartmentId);
  });
}

const unassignRoleInput = z
  .strictObject({
    /** The assignment id … */
    id: idField.optional(),
    /** … or the role (id or code), the member and the same scope as assigned. */
    role: z.string().trim().min(1).max(64).optional(),
    memberId: idField.optional(),
    ...assignmentScope,
  })
  .superRefine((value, context) => {
    if (value.id || (value.role && value.memberId)) return;
    context.addIssue({ code: 'custom', path: ['id'], message: 'give id, or role and memberId' });
  });
export type UnassignRoleInput = z.input<typeof unassignRoleInput>;

export async function unassignRole(ctx: DbCtx, input: UnassignRoleInput): Promise<RoleAssignment> {
  const data = parseInput(unassignRoleInput, input);
  return runOp(ctx, 'unassignRole', async (batch) => {
    let found: RoleAssignment | undefined;
    if (data.id) {
      const rows = await batch.ctx.db
        .selectFrom('baton_org_role_assignment')
        .select(['roleId', 'memberId'])
        .where('id', '=', data.id)
        .executeTakeFirst();
      if (rows) {
        found = (await roleAssignmentsWhere(batch.ctx, rows)).find((a) => a.id === data.id);
      }
    } else {
      const role = await loadRole(batch.ctx, data.role as string);
      const held = await roleAssignmentsWhere(batch.ctx, { roleId: role.id, memberId: data.memberId });
      found = held.find((a) => sameScope(a, data.scopeUnitId ?? null, data.scopeDepartmentId ?? null));
    }
    if (!found) throw OrgErrors.roleAssignmentNotFound.create({});
    await deleteEntity(batch, 'roleAssignment', found, 'unassign');
    return found;
  });
}
