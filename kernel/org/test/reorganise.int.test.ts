import { BatonError } from '@baton/core';
import { withTx } from '@baton/db';
import {
  addConcurrentPost,
  assignRole,
  createDepartment,
  createRole,
  departmentTree,
  departmentTreeAsOf,
  disableDepartment,
  enableDepartment,
  getDepartment,
  getMember,
  getRole,
  listChanges,
  listConcurrentPosts,
  listDepartments,
  listRoleAssignments,
  memberAsOf,
  mergeDepartments,
  moveDepartment,
  moveMember,
  splitDepartment,
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

const names = (nodes: Array<{ name: string; children: unknown[] }>): unknown =>
  nodes.map((node) => (node.children.length ? { [node.name]: names(node.children as typeof nodes) } : node.name));

describe(`reorganisation (${testDialect})`, () => {
  let t: OrgTest;
  let f: Fixture;
  beforeEach(async () => {
    t = await openOrgDatabase();
    f = await buildFixture(t.ctx);
  });
  afterEach(async () => {
    await t.database.cleanup();
  });

  it('moveDepartment refuses cycles and cross-unit moves unless allowed', async () => {
    const { B, C, E, G } = f.departments;
    expect(await codeOf(moveDepartment(t.ctx, { departmentId: B.id, parentId: E.id }))).toBe('ORG_DEPARTMENT_CYCLE');
    expect(await codeOf(moveDepartment(t.ctx, { departmentId: B.id, parentId: B.id }))).toBe('ORG_DEPARTMENT_CYCLE');
    expect(await codeOf(moveDepartment(t.ctx, { departmentId: C.id, parentId: G.id }))).toBe('ORG_CROSS_UNIT_MOVE');
    expect(await codeOf(moveDepartment(t.ctx, { departmentId: C.id, parentId: null, unitId: f.units.branch.id }))).toBe(
      'ORG_CROSS_UNIT_MOVE',
    );
    expect(await codeOf(moveDepartment(t.ctx, { departmentId: C.id, parentId: 'missing' }))).toBe(
      'ORG_DEPARTMENT_NOT_FOUND',
    );

    const moved = await moveDepartment(t.ctx, { departmentId: C.id, parentId: G.id, allowCrossUnit: true });
    expect(moved).toMatchObject({ parentId: G.id, unitId: f.units.branch.id });
    // The sub-tree goes along.
    expect((await getDepartment(t.ctx, { id: E.id })).unitId).toBe(f.units.branch.id);
    expect(names(await departmentTree(t.ctx, { unitId: f.units.branch.id }))).toEqual([
      { 成都分公司: [{ 研发部: ['支付组'] }] },
    ]);
  });

  it('cross-unit moves keep codes unique in the new unit', async () => {
    await createDepartment(t.ctx, { unitId: f.units.branch.id, code: '40-00001', name: '撞码' });
    expect(
      await codeOf(
        moveDepartment(t.ctx, { departmentId: f.departments.C.id, parentId: f.departments.G.id, allowCrossUnit: true }),
      ),
    ).toBe('ORG_DUPLICATE_CODE');
    expect((await getDepartment(t.ctx, { id: f.departments.C.id })).unitId).toBe(f.units.hq.id);
  });

  it('mergeDepartments moves members, sub-departments, concurrent posts and scoped roles; the source is disabled', async () => {
    const { members: m, departments: d } = f;
    // D gets a sub-department, a concurrent member, a scoped role assignment and a department-scoped role.
    const sub = await createDepartment(t.ctx, {
      unitId: f.units.hq.id,
      parentId: d.D.id,
      code: '40-00009',
      name: '值班组',
    });
    await addConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: d.D.id });
    await addConcurrentPost(t.ctx, { memberId: m.dev2.id, departmentId: d.D.id });
    await createRole(t.ctx, { code: 'clerk', name: '考勤员' });
    await assignRole(t.ctx, { role: 'clerk', memberId: m.ops1.id, scopeDepartmentId: d.D.id });
    const scoped = await createRole(t.ctx, { code: 'dutyLead', name: '值班长', scope: 'department', scopeId: d.D.id });

    const result = await mergeDepartments(t.ctx, { sourceId: d.D.id, targetId: d.C.id });
    expect(result.movedMembers.sort()).toEqual([m.opsManager.id, m.ops1.id].sort());
    expect(result.movedDepartments).toEqual([sub.id]);
    expect(result.source).toMatchObject({ enabled: false, mergedIntoId: d.C.id });
    expect((await getMember(t.ctx, { id: m.ops1.id })).mainDepartmentId).toBe(d.C.id);
    expect((await getDepartment(t.ctx, { id: sub.id })).parentId).toBe(d.C.id);
    // acc1's concurrent post moved; dev2's was dropped, since C is already dev2's main department.
    expect(await listConcurrentPosts(t.ctx, { departmentId: d.C.id })).toMatchObject([{ memberId: m.acc1.id }]);
    expect(await listConcurrentPosts(t.ctx, { memberId: m.dev2.id })).toEqual([]);
    expect(await listRoleAssignments(t.ctx, { role: 'clerk' })).toMatchObject([{ scopeDepartmentId: d.C.id }]);
    expect((await getRole(t.ctx, { role: scoped.id })).scopeId).toBe(d.C.id);
    // Disabled, not deleted; listed only when asked for.
    expect((await listDepartments(t.ctx, { unitId: f.units.hq.id })).map((x) => x.id)).not.toContain(d.D.id);
    expect((await listDepartments(t.ctx, { unitId: f.units.hq.id, includeDisabled: true })).map((x) => x.id)).toContain(
      d.D.id,
    );
    const batch = await listChanges(t.ctx, { batchId: result.batchId });
    expect(new Set(batch.map((c) => c.operation))).toEqual(new Set(['mergeDepartments']));
    expect(batch.find((c) => c.entityId === d.D.id)).toMatchObject({ action: 'merge' });

    expect(await codeOf(mergeDepartments(t.ctx, { sourceId: d.B.id, targetId: d.E.id }))).toBe('ORG_MERGE_INVALID');
    expect(await codeOf(mergeDepartments(t.ctx, { sourceId: d.C.id, targetId: d.C.id }))).toBe('ORG_MERGE_INVALID');
    expect(await codeOf(mergeDepartments(t.ctx, { sourceId: d.F.id, targetId: d.G.id }))).toBe('ORG_CROSS_UNIT_MOVE');
    expect(await codeOf(mergeDepartments(t.ctx, { sourceId: d.F.id, targetId: d.D.id }))).toBe(
      'ORG_DEPARTMENT_DISABLED',
    );
  });

  it('splitDepartment creates a sibling and moves the named members and sub-departments', async () => {
    const { members: m, departments: d } = f;
    await addConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: d.C.id });
    const result = await splitDepartment(t.ctx, {
      departmentId: d.C.id,
      name: '研发二部',
      code: '30-00003',
      headMemberId: m.dev2.id,
      memberIds: [m.dev2.id, m.acc1.id],
      departmentIds: [d.E.id],
    });
    expect(result.department).toMatchObject({ parentId: d.B.id, unitId: f.units.hq.id, headMemberId: m.dev2.id });
    expect(result.movedMembers).toEqual([m.dev2.id]);
    expect(result.movedConcurrentPosts).toHaveLength(1);
    expect((await getDepartment(t.ctx, { id: d.E.id })).parentId).toBe(result.department.id);
    expect(await listConcurrentPosts(t.ctx, { memberId: m.acc1.id })).toMatchObject([
      { departmentId: result.department.id },
    ]);
    const error = await splitDepartment(t.ctx, {
      departmentId: d.C.id,
      name: '研发三部',
      code: '30-00004',
      memberIds: [m.cfo.id],
      departmentIds: [d.F.id],
    }).catch((e: BatonError) => e);
    expect(error).toMatchObject({
      code: 'ORG_NOT_IN_DEPARTMENT',
      fields: [{ path: ['memberIds', 0] }, { path: ['departmentIds', 0] }],
    });
  });

  it('disableDepartment is refused while people or enabled children remain, unless moveTo or force', async () => {
    const { members: m, departments: d } = f;
    const error = await disableDepartment(t.ctx, { departmentId: d.C.id }).catch((e: BatonError) => e);
    expect(error).toMatchObject({ code: 'ORG_DEPARTMENT_NOT_EMPTY', params: { members: 2, children: 1 } });
    // A department whose only member is a concurrent post holder is not empty either.
    const empty = await createDepartment(t.ctx, {
      unitId: f.units.hq.id,
      parentId: d.A.id,
      code: '20-00099',
      name: '空部门',
    });
    await addConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: empty.id });
    expect(await codeOf(disableDepartment(t.ctx, { departmentId: empty.id }))).toBe('ORG_DEPARTMENT_NOT_EMPTY');

    const moved = await disableDepartment(t.ctx, { departmentId: d.E.id, moveTo: d.D.id });
    expect(moved.movedMembers).toEqual([m.dev1.id]);
    expect(moved.department.enabled).toBe(false);

    const forced = await disableDepartment(t.ctx, { departmentId: d.B.id, force: true });
    expect(forced.disabled.sort()).toEqual([d.B.id, d.C.id, d.D.id].sort());
    expect((await getMember(t.ctx, { id: m.dev2.id })).mainDepartmentId).toBe(d.C.id);
    // Children cannot be enabled under a disabled parent.
    expect(await codeOf(enableDepartment(t.ctx, { departmentId: d.C.id }))).toBe('ORG_DEPARTMENT_DISABLED');
    await enableDepartment(t.ctx, { departmentId: d.B.id });
    expect((await enableDepartment(t.ctx, { departmentId: d.C.id })).enabled).toBe(true);
    // New members cannot join a disabled department.
    expect(await codeOf(moveMember(t.ctx, { memberId: m.dev2.id, departmentId: d.D.id }))).toBe(
      'ORG_DEPARTMENT_DISABLED',
    );
  });

  // SQLite runs one writer at a time by construction (BEGIN IMMEDIATE); on PostgreSQL the revision row lock
  // taken first by every org operation must serialise them, or two moves could each pass the cycle check.
  it.skipIf(testDialect === 'sqlite')(
    'concurrent moves cannot create a cycle: org changes are serialised',
    async () => {
      const { C, D } = f.departments;
      const second = t.database.openSecond();
      const other = testCtx(second.db, { clock: t.ctx.clock });
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let moved = () => {};
      const firstMoved = new Promise<void>((resolve) => {
        moved = resolve;
      });
      const first = withTx(t.ctx, async (tx) => {
        await moveDepartment(tx, { departmentId: C.id, parentId: D.id });
        moved();
        await gate; // paused before commit
      });
      await firstMoved;
      const racing = codeOf(moveDepartment(other, { departmentId: D.id, parentId: C.id }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await first;
      expect(await racing).toBe('ORG_DEPARTMENT_CYCLE');
      expect((await getDepartment(t.ctx, { id: D.id })).parentId).toBe(f.departments.B.id);
    },
  );

  it('as-of queries show the tree and a member before and after a move', async () => {
    const { members: m, departments: d } = f;
    const beforeMove = t.ctx.clock.advance(86_400_000).toISOString();
    t.ctx.clock.advance(1_000);
    await moveDepartment(t.ctx, { departmentId: d.E.id, parentId: d.D.id });
    await moveMember(t.ctx, { memberId: m.dev2.id, departmentId: d.F.id });
    t.ctx.clock.advance(86_400_000);
    await mergeDepartments(t.ctx, { sourceId: d.D.id, targetId: d.C.id });
    const afterMerge = t.ctx.clock.advance(1_000);

    const then = await departmentTreeAsOf(t.ctx, { unitId: f.units.hq.id, at: beforeMove });
    expect(names(then)).toEqual([{ 总部: [{ 技术中心: [{ 研发部: ['支付组'] }, '运维部'] }, '财务部'] }]);
    const middle = await departmentTreeAsOf(t.ctx, {
      unitId: f.units.hq.id,
      at: new Date(Date.parse(beforeMove) + 2_000),
    });
    expect(names(middle)).toEqual([{ 总部: [{ 技术中心: ['研发部', { 运维部: ['支付组'] }] }, '财务部'] }]);
    const now = await departmentTreeAsOf(t.ctx, { unitId: f.units.hq.id, at: afterMerge });
    expect(names(now)).toEqual(names(await departmentTree(t.ctx, { unitId: f.units.hq.id })));
    expect(names(now)).toEqual([{ 总部: [{ 技术中心: [{ 研发部: ['支付组'] }] }, '财务部'] }]);

    const dev2Then = await memberAsOf(t.ctx, { memberId: m.dev2.id, at: beforeMove });
    expect(dev2Then?.member.mainDepartmentId).toBe(d.C.id);
    expect(dev2Then?.mainDepartment?.name).toBe('研发部');
    const dev2Now = await memberAsOf(t.ctx, { memberId: m.dev2.id, at: afterMerge });
    expect(dev2Now?.member.mainDepartmentId).toBe(d.F.id);
    expect(await memberAsOf(t.ctx, { memberId: m.dev2.id, at: '2020-01-01T00:00:00Z' })).toBeNull();
  });
});
