import { BatonError } from '@baton/core';
import {
  addConcurrentPost,
  assignRole,
  createDepartment,
  createLevel,
  createMember,
  createMembers,
  createPost,
  createRole,
  createUnit,
  findMemberByLogin,
  getDepartment,
  getMemberWithUnit,
  listChanges,
  listConcurrentPosts,
  listMembers,
  listRoleAssignments,
  memberPlacements,
  moveMember,
  removeConcurrentPost,
  setDivisionLeaders,
  setHead,
  unassignRole,
  updateDepartment,
  updateLevel,
  updateMember,
  updatePost,
  updateRole,
  updateUnit,
} from '@baton/org';
import { testCtx, testDialect } from '@baton/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture, type OrgTest, openOrgDatabase } from './org-fixture.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BatonError) return error.code;
    throw error;
  }
  throw new Error('expected a coded error');
}

describe(`org operations (${testDialect})`, () => {
  let t: OrgTest;
  let f: Fixture;
  beforeEach(async () => {
    t = await openOrgDatabase();
    f = await buildFixture(t.ctx);
  });
  afterEach(async () => {
    await t.database.cleanup();
  });

  describe('change log', () => {
    it('records who, when, before and after for every create and update, one batch per operation', async () => {
      const actor = { kind: 'member' as const, memberId: f.members.ceo.id };
      const ctx = testCtx(t.database.db, { actor, clock: t.ctx.clock });
      t.ctx.clock.advance(3_600_000);
      const created = await createDepartment(ctx, {
        unitId: f.units.hq.id,
        parentId: f.departments.A.id,
        code: '20-00138',
        name: '政策研究院',
      });
      t.ctx.clock.advance(60_000);
      const renamed = await updateDepartment(ctx, { id: created.id, version: created.version, name: '政策研究中心' });
      expect(renamed.version).toBe(created.version + 1);

      const changes = await listChanges(t.ctx, { entityType: 'department', entityId: created.id });
      expect(changes).toHaveLength(2);
      const [create, update] = changes as [(typeof changes)[number], (typeof changes)[number]];
      expect(create).toMatchObject({
        action: 'create',
        operation: 'createDepartment',
        actor,
        actorMemberId: f.members.ceo.id,
        at: '2026-01-05T02:00:00.000Z',
        before: null,
        after: created,
      });
      expect(update).toMatchObject({
        action: 'update',
        operation: 'updateDepartment',
        at: '2026-01-05T02:01:00.000Z',
        before: created,
        after: renamed,
      });
      expect(update.batchId).not.toBe(create.batchId);
      expect(await getDepartment(t.ctx, { id: created.id })).toEqual(renamed);
    });

    it('logs every entity kind an operation touches', async () => {
      const { members: m, departments: d } = f;
      const role = await createRole(t.ctx, { code: 'legalStaff', name: '法务人员' });
      const assignment = await assignRole(t.ctx, { role: 'legalStaff', memberId: m.acc1.id });
      await unassignRole(t.ctx, { id: assignment.id });
      const post = await addConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: d.C.id });
      await removeConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: d.C.id });
      await setDivisionLeaders(t.ctx, { departmentId: d.B.id, memberIds: [m.ceo.id] });
      await setHead(t.ctx, { departmentId: d.E.id, memberId: m.dev1.id });
      await moveMember(t.ctx, { memberId: m.dev2.id, departmentId: d.D.id, postId: f.posts.opsPost.id });

      const kinds = async (entityType: string) =>
        (await listChanges(t.ctx, { entityType })).map((c) => `${c.operation}:${c.action}`);
      expect(await kinds('role')).toEqual(['createRole:create']);
      expect(await kinds('roleAssignment')).toEqual(['assignRole:create', 'unassignRole:unassign']);
      expect(await kinds('concurrentPost')).toEqual(['addConcurrentPost:create', 'removeConcurrentPost:delete']);
      expect(await kinds('divisionLeader')).toEqual(['setDivisionLeaders:create']);
      const memberChanges = await listChanges(t.ctx, { memberId: m.acc1.id });
      expect(memberChanges.map((c) => c.entityType)).toEqual([
        'member',
        'roleAssignment',
        'roleAssignment',
        'concurrentPost',
        'concurrentPost',
      ]);
      const moves = await listChanges(t.ctx, { entityType: 'member', entityId: m.dev2.id });
      expect(moves.at(-1)).toMatchObject({
        action: 'move',
        before: { mainDepartmentId: d.C.id, postId: f.posts.devPost.id },
        after: { mainDepartmentId: d.D.id, postId: f.posts.opsPost.id },
      });
      expect(post.memberId).toBe(m.acc1.id);
      expect(role.kind).toBe('business');
    });

    it('is append-only: rows are never rewritten', async () => {
      const before = await listChanges(t.ctx, { limit: 10_000 });
      await updateMember(t.ctx, { id: f.members.dev1.id, version: f.members.dev1.version, name: '赵一一' });
      const after = await listChanges(t.ctx, { limit: 10_000 });
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after.length).toBe(before.length + 1);
    });
  });

  describe('coded errors', () => {
    it('unknown ids', async () => {
      const missing = '0190c0de-0000-7000-8000-000000000000';
      expect(await codeOf(createDepartment(t.ctx, { unitId: missing, code: 'X', name: 'X' }))).toBe(
        'ORG_UNIT_NOT_FOUND',
      );
      expect(
        await codeOf(createDepartment(t.ctx, { unitId: f.units.hq.id, parentId: missing, code: 'X', name: 'X' })),
      ).toBe('ORG_DEPARTMENT_NOT_FOUND');
      expect(await codeOf(setHead(t.ctx, { departmentId: f.departments.C.id, memberId: missing }))).toBe(
        'ORG_MEMBER_NOT_FOUND',
      );
      expect(await codeOf(assignRole(t.ctx, { role: 'nobody', memberId: f.members.dev1.id }))).toBe(
        'ORG_ROLE_NOT_FOUND',
      );
      expect(
        await codeOf(
          createMember(t.ctx, {
            code: 'Z1',
            name: '某人',
            login: 'someone',
            mainDepartmentId: f.departments.C.id,
            postId: missing,
          }),
        ),
      ).toBe('ORG_POST_NOT_FOUND');
      expect(await codeOf(removeConcurrentPost(t.ctx, { id: missing }))).toBe('ORG_CONCURRENT_POST_NOT_FOUND');
      expect(await codeOf(unassignRole(t.ctx, { id: missing }))).toBe('ORG_ROLE_ASSIGNMENT_NOT_FOUND');
    });

    it('duplicate codes and logins', async () => {
      const { units, departments: d } = f;
      const error = await createDepartment(t.ctx, { unitId: units.hq.id, code: '30-00001', name: '重复' }).catch(
        (e: BatonError) => e,
      );
      expect(error).toMatchObject({ code: 'ORG_DUPLICATE_CODE', fields: [{ path: ['code'], code: 'duplicate' }] });
      expect((error as BatonError).localized('zh-CN')).toBe('编码 30-00001 已被其他部门使用');
      // The same code in another unit is fine.
      await createDepartment(t.ctx, { unitId: units.branch.id, code: '30-00001', name: '分公司研发' });
      expect(await codeOf(createUnit(t.ctx, { code: 'HQ', name: '又一个总部' }))).toBe('ORG_DUPLICATE_CODE');
      expect(await codeOf(createPost(t.ctx, { code: 'DEV', name: '研发' }))).toBe('ORG_DUPLICATE_CODE');
      expect(await codeOf(createLevel(t.ctx, { code: 'VP', name: '副总裁', rank: 20 }))).toBe('ORG_DUPLICATE_CODE');
      expect(
        await codeOf(
          createRole(t.ctx, { code: 'x', name: 'x' }).then(() => createRole(t.ctx, { code: 'x', name: 'y' })),
        ),
      ).toBe('ORG_DUPLICATE_CODE');
      // Logins are unique ignoring case, and stored lower-case.
      const login = await createMember(t.ctx, {
        code: 'N1',
        name: '新人',
        login: 'NewComer',
        mainDepartmentId: d.C.id,
      });
      expect(login.login).toBe('newcomer');
      expect((await findMemberByLogin(t.ctx, { login: 'NEWCOMER' }))?.id).toBe(login.id);
      expect(
        await codeOf(createMember(t.ctx, { code: 'N2', name: '新人二', login: 'DEV1', mainDepartmentId: d.C.id })),
      ).toBe('ORG_DUPLICATE_LOGIN');
      expect(
        await codeOf(createMember(t.ctx, { code: 'E001', name: '新人三', login: 'fresh', mainDepartmentId: d.C.id })),
      ).toBe('ORG_DUPLICATE_CODE');
      const dev2 = f.members.dev2;
      expect(await codeOf(updateMember(t.ctx, { id: dev2.id, version: dev2.version, login: 'Dev1' }))).toBe(
        'ORG_DUPLICATE_LOGIN',
      );
      expect(await codeOf(updateDepartment(t.ctx, { id: d.C.id, version: d.C.version, code: '30-00002' }))).toBe(
        'ORG_DUPLICATE_CODE',
      );
    });

    it('validates input and reports every problem as a field issue', async () => {
      const error = await createMember(t.ctx, {
        code: '',
        name: ' ',
        login: 'Bad Login!',
        email: 'not-an-email',
        mainDepartmentId: f.departments.C.id,
      }).catch((e: BatonError) => e);
      expect(error).toBeInstanceOf(BatonError);
      expect((error as BatonError).code).toBe('CORE_VALIDATION_FAILED');
      expect([...new Set((error as BatonError).fields.map((issue) => issue.path.join('.')))].sort()).toEqual([
        'code',
        'email',
        'login',
        'name',
      ]);
      expect(await codeOf(createUnit(t.ctx, { code: 'TZ', name: '时区', timeZone: 'Mars/Olympus' }))).toBe(
        'CORE_VALIDATION_FAILED',
      );
      expect(await codeOf(createRole(t.ctx, { code: 'r', name: 'r', scope: 'unit' }))).toBe('CORE_VALIDATION_FAILED');
      // Unknown keys are refused rather than silently dropped.
      expect(await codeOf(updateUnit(t.ctx, { id: f.units.hq.id, version: 1, colour: 'red' } as never))).toBe(
        'CORE_VALIDATION_FAILED',
      );
    });

    it('bulk onboarding reports every problem of every row, and writes nothing', async () => {
      const d = f.departments;
      const rows = Array.from({ length: 50 }, (_, i) => ({
        code: `B${String(i).padStart(3, '0')}`,
        name: `新员工${i}`,
        login: `hire${i}`,
        mainDepartmentId: i % 2 ? d.C.id : d.F.id,
      }));
      const created = await createMembers(t.ctx, { members: rows });
      expect(created).toHaveLength(50);
      const error = await createMembers(t.ctx, {
        members: [
          { code: 'Q1', name: '甲', login: 'hire1', mainDepartmentId: d.C.id },
          { code: 'Q2', name: '乙', login: 'fresh2', mainDepartmentId: 'missing' },
          { code: 'Q2', name: '丙', login: 'fresh2', mainDepartmentId: d.C.id },
        ],
      }).catch((e: BatonError) => e);
      expect(error).toMatchObject({ code: 'CORE_VALIDATION_FAILED' });
      expect((error as BatonError).fields.map((issue) => `${issue.path.join('.')}:${issue.code}`)).toEqual([
        'members.0.login:duplicate',
        'members.1.mainDepartmentId:not_found',
        'members.2.login:duplicate',
        'members.2.code:duplicate',
      ]);
      expect(await findMemberByLogin(t.ctx, { login: 'fresh2' })).toBeUndefined();
    });

    it('optimistic versions: a stale update is a conflict and changes nothing', async () => {
      const { C } = f.departments;
      const current = await getDepartment(t.ctx, { id: C.id });
      await updateDepartment(t.ctx, { id: C.id, version: current.version, name: '研发一部' });
      expect(await codeOf(updateDepartment(t.ctx, { id: C.id, version: current.version, name: '研发二部' }))).toBe(
        'DB_VERSION_CONFLICT',
      );
      expect((await getDepartment(t.ctx, { id: C.id })).name).toBe('研发一部');
      const { dev1 } = f.members;
      expect(
        await codeOf(moveMember(t.ctx, { memberId: dev1.id, departmentId: C.id, version: dev1.version + 5 })),
      ).toBe('DB_VERSION_CONFLICT');
      expect(await codeOf(setHead(t.ctx, { departmentId: C.id, memberId: null, version: current.version }))).toBe(
        'DB_VERSION_CONFLICT',
      );
      const unit = await updateUnit(t.ctx, { id: f.units.hq.id, version: f.units.hq.version, timeZone: 'Asia/Urumqi' });
      expect(unit.timeZone).toBe('Asia/Urumqi');
      expect(await codeOf(updateUnit(t.ctx, { id: unit.id, version: f.units.hq.version, name: 'x' }))).toBe(
        'DB_VERSION_CONFLICT',
      );
      const level = await updateLevel(t.ctx, { id: f.levels.vp.id, version: 1, rank: 15 });
      expect(level).toMatchObject({ rank: 15, version: 2 });
      const post = await updatePost(t.ctx, { id: f.posts.devPost.id, version: 1, name: '开发工程师' });
      expect(post.version).toBe(2);
      const role = await createRole(t.ctx, { code: 'r1', name: '角色' });
      expect(await codeOf(updateRole(t.ctx, { id: role.id, version: 9, name: 'x' }))).toBe('DB_VERSION_CONFLICT');
    });
  });

  describe('members', () => {
    it('moveMember drops a concurrent post in the new main department; concurrent posts are one per department', async () => {
      const { members: m, departments: d } = f;
      await addConcurrentPost(t.ctx, { memberId: m.dev2.id, departmentId: d.D.id, postId: f.posts.opsPost.id });
      expect(await codeOf(addConcurrentPost(t.ctx, { memberId: m.dev2.id, departmentId: d.D.id }))).toBe(
        'ORG_CONCURRENT_POST_EXISTS',
      );
      expect(await codeOf(addConcurrentPost(t.ctx, { memberId: m.dev2.id, departmentId: d.C.id }))).toBe(
        'ORG_CONCURRENT_POST_EXISTS',
      );
      expect(
        await codeOf(
          addConcurrentPost(t.ctx, { memberId: m.dev2.id, departmentId: d.F.id, postId: f.posts.branchPost.id }),
        ),
      ).toBe('ORG_UNIT_MISMATCH');
      const moved = await moveMember(t.ctx, {
        memberId: m.dev2.id,
        departmentId: d.D.id,
        levelId: f.levels.manager.id,
      });
      expect(moved).toMatchObject({
        mainDepartmentId: d.D.id,
        levelId: f.levels.manager.id,
        postId: f.posts.devPost.id,
      });
      expect(await listConcurrentPosts(t.ctx, { memberId: m.dev2.id })).toEqual([]);
    });

    it("lists members by department, status and search, and a member's placements", async () => {
      const { members: m, departments: d } = f;
      expect((await listMembers(t.ctx, { departmentId: d.C.id })).map((x) => x.login)).toEqual(['devmanager', 'dev2']);
      expect((await listMembers(t.ctx, { departmentId: d.B.id, withSubDepartments: true })).length).toBe(6);
      expect((await listMembers(t.ctx, { search: '运维' })).map((x) => x.login)).toEqual(['opsmanager']);
      expect((await listMembers(t.ctx, { search: 'DEV%' })).map((x) => x.login)).toEqual([
        'devmanager',
        'dev1',
        'dev2',
      ]);
      const page = await listMembers(t.ctx, { limit: 4 });
      const next = await listMembers(t.ctx, { limit: 4, afterCode: page.at(-1)?.code });
      expect(new Set([...page, ...next].map((x) => x.id)).size).toBe(8);
      await addConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: d.G.id, postId: f.posts.branchPost.id });
      expect(await memberPlacements(t.ctx, { memberId: m.acc1.id })).toEqual([
        {
          departmentId: d.F.id,
          unitId: f.units.hq.id,
          postId: f.posts.accPost.id,
          levelId: f.levels.staff.id,
          concurrent: false,
        },
        {
          departmentId: d.G.id,
          unitId: f.units.branch.id,
          postId: f.posts.branchPost.id,
          levelId: null,
          concurrent: true,
        },
      ]);
      // The flow's initiator: the main department's unit and the level's rank, read in one statement.
      const placed = await getMemberWithUnit(t.ctx, { id: m.acc1.id });
      expect([placed.member.id, placed.unitId, placed.levelRank]).toEqual([m.acc1.id, f.units.hq.id, 60]);
      expect(await codeOf(getMemberWithUnit(t.ctx, { id: f.units.hq.id }))).toBe('ORG_MEMBER_NOT_FOUND');
    });

    it('role assignments are unique per scope', async () => {
      const { members: m, departments: d } = f;
      await createRole(t.ctx, { code: 'clerk', name: '考勤员' });
      await assignRole(t.ctx, { role: 'clerk', memberId: m.dev2.id, scopeDepartmentId: d.B.id });
      await assignRole(t.ctx, { role: 'clerk', memberId: m.dev2.id });
      expect(await codeOf(assignRole(t.ctx, { role: 'clerk', memberId: m.dev2.id, scopeDepartmentId: d.B.id }))).toBe(
        'ORG_ROLE_ASSIGNMENT_EXISTS',
      );
      await unassignRole(t.ctx, { role: 'clerk', memberId: m.dev2.id, scopeDepartmentId: d.B.id });
      expect(await listRoleAssignments(t.ctx, { role: 'clerk' })).toMatchObject([
        { memberId: m.dev2.id, scopeDepartmentId: null },
      ]);
    });
  });
});
