import { type BatonError, CoreErrors, type FieldIssue } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { duplicateCode, OrgErrors } from './errors.ts';
import { runHandovers } from './handover.ts';
import type { ConcurrentPost, Department, Member } from './model.ts';
import { type Batch, bumpRevision, deleteEntity, fresh, insertEntity, runOp, updateEntity } from './op.ts';
import {
  concurrentPostsWhere,
  findConcurrentPost,
  findDepartment,
  findMember,
  loadActiveMember,
  loadDepartment,
  loadLevel,
  loadMember,
  loadPost,
} from './repo.ts';
import {
  codeField,
  emailField,
  idField,
  localeField,
  loginField,
  nameField,
  parseInput,
  phoneField,
  sortField,
  versionField,
} from './validate.ts';

const memberFields = {
  /** Employee number, unique. */
  code: codeField,
  name: nameField,
  /** Unique; stored lower-case. */
  login: loginField,
  email: emailField.nullable().optional(),
  phone: phoneField.nullable().optional(),
  mainDepartmentId: idField,
  postId: idField.nullable().optional(),
  levelId: idField.nullable().optional(),
  /** Overrides the head rule: this member's first supervisor (see resolveHeadOf). */
  supervisorId: idField.nullable().optional(),
  locale: localeField.nullable().optional(),
  sort: sortField.optional(),
};

const createMemberInput = z.strictObject(memberFields);
export type CreateMemberInput = z.input<typeof createMemberInput>;
type MemberData = z.output<typeof createMemberInput>;

const createMembersInput = z.strictObject({ members: z.array(createMemberInput).min(1).max(5_000) });
export type CreateMembersInput = z.input<typeof createMembersInput>;

type Problem = { issue: FieldIssue; error: BatonError };

/** Checks one new member against the database and the other members of the same batch. */
async function memberProblems(
  batch: Batch,
  data: MemberData,
  path: Array<string | number>,
  taken: { logins: Set<string>; codes: Set<string> },
): Promise<{ problems: Problem[]; department?: Department }> {
  const problems: Problem[] = [];
  const at = (field: string, code: string, error: BatonError) =>
    problems.push({ issue: { path: [...path, field], code, message: error.message }, error });
  const { db } = batch.ctx;
  if (
    taken.logins.has(data.login) ||
    (await db.selectFrom('baton_org_member').select('id').where('login', '=', data.login).executeTakeFirst())
  ) {
    at('login', 'duplicate', OrgErrors.duplicateLogin.create({ login: data.login }));
  }
  if (
    taken.codes.has(data.code) ||
    (await db.selectFrom('baton_org_member').select('id').where('code', '=', data.code).executeTakeFirst())
  ) {
    at('code', 'duplicate', duplicateCode('member', data.code, [...path, 'code']));
  }
  taken.logins.add(data.login);
  taken.codes.add(data.code);
  const department = await findDepartment(batch.ctx, data.mainDepartmentId);
  if (!department) {
    at('mainDepartmentId', 'not_found', OrgErrors.departmentNotFound.create({ id: data.mainDepartmentId }));
  } else if (!department.enabled) {
    at('mainDepartmentId', 'disabled', OrgErrors.departmentDisabled.create({ name: department.name }));
  }
  const problem = await referenceProblem(batch, data, department);
  if (problem) at(problem.field, problem.code, problem.error);
  if (data.supervisorId) {
    const supervisor = await findMember(batch.ctx, data.supervisorId);
    if (!supervisor) at('supervisorId', 'not_found', OrgErrors.memberNotFound.create({ id: data.supervisorId }));
    else if (supervisor.status !== 'active') {
      at('supervisorId', 'left', OrgErrors.memberLeft.create({ name: supervisor.name }));
    }
  }
  return { problems, department };
}

/** Post and level must exist; a unit's own post only in that unit's departments. */
async function referenceProblem(
  batch: Batch,
  data: { postId?: string | null; levelId?: string | null },
  department: Department | undefined,
): Promise<{ field: string; code: string; error: BatonError } | undefined> {
  if (data.postId) {
    const post = await loadPost(batch.ctx, data.postId).catch((error: BatonError) => error);
    if (!('id' in post)) return { field: 'postId', code: 'not_found', error: post };
    if (post.unitId && department && post.unitId !== department.unitId) {
      return { field: 'postId', code: 'unit_mismatch', error: OrgErrors.unitMismatch.create({ what: post.name }) };
    }
  }
  if (data.levelId) {
    const level = await loadLevel(batch.ctx, data.levelId).catch((error: BatonError) => error);
    if (!('id' in level)) return { field: 'levelId', code: 'not_found', error: level };
  }
  return undefined;
}

function newMember(batch: Batch, data: MemberData): Member {
  return {
    ...fresh(batch),
    code: data.code,
    name: data.name,
    login: data.login,
    email: data.email ?? null,
    phone: data.phone ?? null,
    mainDepartmentId: data.mainDepartmentId,
    postId: data.postId ?? null,
    levelId: data.levelId ?? null,
    supervisorId: data.supervisorId ?? null,
    status: 'active',
    leftAt: null,
    locale: data.locale ?? null,
    sort: data.sort ?? 0,
  };
}

/** Onboards one member. Duplicate login or code, unknown or disabled department … are coded errors. */
export async function createMember(ctx: DbCtx, input: CreateMemberInput): Promise<Member> {
  const data = parseInput(createMemberInput, input);
  return runOp(ctx, 'createMember', async (batch) => {
    const { problems } = await memberProblems(batch, data, [], { logins: new Set(), codes: new Set() });
    const first = problems[0];
    if (first) {
      throw first.error.definition.create(first.error.params, { fields: problems.map((p) => p.issue) });
    }
    return insertEntity(batch, 'member', newMember(batch, data));
  });
}

/**
 * Onboards many members in one transaction (bulk hiring, imports). Every problem of every row is
 * reported at once as field issues `members.<i>.<field>` of CORE_VALIDATION_FAILED; nothing is written
 * unless all rows are valid.
 */
export async function createMembers(ctx: DbCtx, input: CreateMembersInput): Promise<Member[]> {
  const data = parseInput(createMembersInput, input);
  return runOp(ctx, 'createMembers', async (batch) => {
    const taken = { logins: new Set<string>(), codes: new Set<string>() };
    const issues: FieldIssue[] = [];
    for (const [index, row] of data.members.entries()) {
      const { problems } = await memberProblems(batch, row, ['members', index], taken);
      issues.push(...problems.map((p) => p.issue));
    }
    if (issues.length > 0) throw CoreErrors.validation.create({}, { fields: issues });
    const members: Member[] = [];
    for (const row of data.members) members.push(await insertEntity(batch, 'member', newMember(batch, row)));
    return members;
  });
}

const updateMemberInput = z.strictObject({
  id: idField,
  version: versionField,
  code: codeField.optional(),
  name: nameField.optional(),
  login: loginField.optional(),
  email: emailField.nullable().optional(),
  phone: phoneField.nullable().optional(),
  supervisorId: idField.nullable().optional(),
  locale: localeField.nullable().optional(),
  sort: sortField.optional(),
});
export type UpdateMemberInput = z.input<typeof updateMemberInput>;

/** Refuses an override that points at the member or at someone whose override chain leads back. */
export async function checkSupervisor(batch: Batch, memberId: string, supervisorId: string): Promise<void> {
  if (supervisorId === memberId) throw OrgErrors.supervisorInvalid.create({});
  const supervisor = await loadMember(batch.ctx, supervisorId);
  if (supervisor.status !== 'active') throw OrgErrors.supervisorInvalid.create({});
  let next: string | null = supervisor.supervisorId;
  const seen = new Set<string>([supervisorId]);
  while (next && !seen.has(next)) {
    if (next === memberId) throw OrgErrors.supervisorInvalid.create({});
    seen.add(next);
    next = (await findMember(batch.ctx, next))?.supervisorId ?? null;
  }
}

/** Changes a member's personal data and supervisor override (placement changes go through moveMember). */
export async function updateMember(ctx: DbCtx, input: UpdateMemberInput): Promise<Member> {
  const data = parseInput(updateMemberInput, input);
  return runOp(ctx, 'updateMember', async (batch) => {
    const before = await loadMember(batch.ctx, data.id);
    const { db } = batch.ctx;
    if (data.login !== undefined) {
      const other = await db
        .selectFrom('baton_org_member')
        .select('id')
        .where('login', '=', data.login)
        .where('id', '<>', before.id)
        .executeTakeFirst();
      if (other) {
        throw OrgErrors.duplicateLogin.create(
          { login: data.login },
          { fields: [{ path: ['login'], code: 'duplicate' }] },
        );
      }
    }
    if (data.code !== undefined) {
      const other = await db
        .selectFrom('baton_org_member')
        .select('id')
        .where('code', '=', data.code)
        .where('id', '<>', before.id)
        .executeTakeFirst();
      if (other) throw duplicateCode('member', data.code);
    }
    if (data.supervisorId) await checkSupervisor(batch, before.id, data.supervisorId);
    const { id: _id, version, ...patch } = data;
    return updateEntity(batch, 'member', before, patch, { expectedVersion: version });
  });
}

const moveMemberInput = z.strictObject({
  memberId: idField,
  /** New main department (must be enabled). */
  departmentId: idField.optional(),
  /** New post; null clears it. */
  postId: idField.nullable().optional(),
  /** New level; null clears it. */
  levelId: idField.nullable().optional(),
  /**
   * 工作交接: hands the member's open work (every handover hook: pending approval tasks …) to this member.
   * Without it the member keeps their tasks in the new post.
   */
  successorId: idField.optional(),
  version: versionField.optional(),
});
export type MoveMemberInput = z.input<typeof moveMemberInput>;

/**
 * Transfers a member: new main department, post and/or level. A concurrent post in the new main
 * department is dropped (it became the main one). Headships, division leaderships, roles and the
 * supervisor override stay as they are: they are properties of the department or the role.
 */
export async function moveMember(ctx: DbCtx, input: MoveMemberInput): Promise<Member> {
  const data = parseInput(moveMemberInput, input);
  return runOp(ctx, 'moveMember', async (batch) => {
    const before = await loadMember(batch.ctx, data.memberId);
    if (before.status !== 'active') throw OrgErrors.memberLeft.create({ name: before.name });
    const departmentId = data.departmentId ?? before.mainDepartmentId;
    const department = await loadDepartment(batch.ctx, departmentId);
    if (!department.enabled && departmentId !== before.mainDepartmentId) {
      throw OrgErrors.departmentDisabled.create({ name: department.name });
    }
    const postId = data.postId === undefined ? before.postId : data.postId;
    const problem = await referenceProblem(batch, { postId, levelId: data.levelId }, department);
    if (problem) throw problem.error;
    const after = await updateEntity(
      batch,
      'member',
      before,
      { mainDepartmentId: departmentId, postId: data.postId, levelId: data.levelId },
      { expectedVersion: data.version, action: 'move' },
    );
    if (departmentId !== before.mainDepartmentId) {
      for (const post of await concurrentPostsWhere(batch.ctx, { memberId: before.id, departmentId })) {
        await deleteEntity(batch, 'concurrentPost', post);
      }
    }
    if (data.successorId) {
      const successor = await findMember(batch.ctx, data.successorId);
      if (successor?.status !== 'active' || successor.id === before.id) {
        throw OrgErrors.successorInvalid.create({}, { fields: [{ path: ['successorId'], code: 'invalid' }] });
      }
      // Hooks resolve against the org after the move, like a leave's.
      await bumpRevision(batch.ctx);
      await runHandovers(batch.ctx, { memberId: before.id, successorId: successor.id, reason: 'move' });
    }
    return after;
  });
}

const addConcurrentPostInput = z.strictObject({
  memberId: idField,
  departmentId: idField,
  postId: idField.nullable().optional(),
  levelId: idField.nullable().optional(),
  sort: sortField.optional(),
});
export type AddConcurrentPostInput = z.input<typeof addConcurrentPostInput>;

/** Gives a member a concurrent post (兼职) in another department: one per department. */
export async function addConcurrentPost(ctx: DbCtx, input: AddConcurrentPostInput): Promise<ConcurrentPost> {
  const data = parseInput(addConcurrentPostInput, input);
  return runOp(ctx, 'addConcurrentPost', async (batch) => {
    const member = await loadActiveMember(batch.ctx, data.memberId);
    const department = await loadDepartment(batch.ctx, data.departmentId);
    if (!department.enabled) throw OrgErrors.departmentDisabled.create({ name: department.name });
    const existing = await concurrentPostsWhere(batch.ctx, { memberId: member.id, departmentId: department.id });
    if (member.mainDepartmentId === department.id || existing.length > 0) {
      throw OrgErrors.concurrentPostExists.create({ name: department.name });
    }
    const problem = await referenceProblem(batch, data, department);
    if (problem) throw problem.error;
    return insertEntity(batch, 'concurrentPost', {
      ...fresh(batch),
      memberId: member.id,
      departmentId: department.id,
      postId: data.postId ?? null,
      levelId: data.levelId ?? null,
      sort: data.sort ?? 0,
    });
  });
}

const removeConcurrentPostInput = z
  .strictObject({
    /** The concurrent post's id … */
    id: idField.optional(),
    /** … or the member and the department. */
    memberId: idField.optional(),
    departmentId: idField.optional(),
    version: versionField.optional(),
  })
  .superRefine((value, context) => {
    if (value.id || (value.memberId && value.departmentId)) return;
    context.addIssue({ code: 'custom', path: ['id'], message: 'give id, or memberId and departmentId' });
  });
export type RemoveConcurrentPostInput = z.input<typeof removeConcurrentPostInput>;

export async function removeConcurrentPost(ctx: DbCtx, input: RemoveConcurrentPostInput): Promise<ConcurrentPost> {
  const data = parseInput(removeConcurrentPostInput, input);
  return runOp(ctx, 'removeConcurrentPost', async (batch) => {
    let found: ConcurrentPost | undefined;
    if (data.id) {
      found = await findConcurrentPost(batch.ctx, data.id);
    } else {
      [found] = await concurrentPostsWhere(batch.ctx, {
        memberId: data.memberId as string,
        departmentId: data.departmentId as string,
      });
    }
    if (!found) throw OrgErrors.concurrentPostNotFound.create({});
    if (data.version !== undefined && data.version !== found.version) {
      await deleteEntity(batch, 'concurrentPost', { ...found, version: data.version });
    } else {
      await deleteEntity(batch, 'concurrentPost', found);
    }
    return found;
  });
}
