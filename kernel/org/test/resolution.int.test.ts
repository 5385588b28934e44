import { withTx } from '@baton/db';
import {
  addConcurrentPost,
  assignRole,
  createDepartment,
  createRole,
  disableDepartment,
  memberLeaves,
  mergeDepartments,
  moveDepartment,
  moveMember,
  orgRevision,
  resolveDivisionLeaderOf,
  resolveHeadOf,
  resolveHeadOfDepartment,
  resolveHoldersOfPost,
  resolveHoldersOfRole,
  resolveMembersOfDepartment,
  resolveNthSupervisor,
  resolveSubordinates,
  resolveSupervisorsUpToLevel,
  setDivisionLeaders,
  setHead,
  updateMember,
  updateRole,
  updateUnit,
} from '@baton/org';
import { testDialect } from '@baton/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture, type OrgTest, openOrgDatabase } from './org-fixture.ts';

describe(`relative-role resolution (${testDialect})`, () => {
  let t: OrgTest;
  let f: Fixture;
  beforeEach(async () => {
    t = await openOrgDatabase();
    f = await buildFixture(t.ctx);
  });
  afterEach(async () => {
    await t.database.cleanup();
  });

  describe('head and supervisor chain', () => {
    it('headOf walks up when the department has no head or the member is the head', async () => {
      const { members: m } = f;
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.devManager.id]);
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev2.id })).toEqual([m.devManager.id]);
      expect(await resolveHeadOf(t.ctx, { memberId: m.devManager.id })).toEqual([m.cto.id]);
      expect(await resolveHeadOf(t.ctx, { memberId: m.cto.id })).toEqual([m.ceo.id]);
      // The top of the unit has nobody above: empty, not an error.
      expect(await resolveHeadOf(t.ctx, { memberId: m.ceo.id })).toEqual([]);
      expect(await resolveHeadOf(t.ctx, { memberId: '0190c0de-0000-7000-8000-000000000000' })).toEqual([]);
    });

    it('nthSupervisor follows the chain and is empty past its end', async () => {
      const { members: m } = f;
      const nth = async (n: number) => resolveNthSupervisor(t.ctx, { memberId: m.dev1.id, n });
      expect(await nth(1)).toEqual([m.devManager.id]);
      expect(await nth(2)).toEqual([m.cto.id]);
      expect(await nth(3)).toEqual([m.ceo.id]);
      expect(await nth(4)).toEqual([]);
      await expect(resolveNthSupervisor(t.ctx, { memberId: m.dev1.id, n: 0 })).rejects.toMatchObject({
        code: 'CORE_VALIDATION_FAILED',
      });
    });

    it('a person heading two nested departments counts once', async () => {
      const { members: m, departments: d } = f;
      await setHead(t.ctx, { departmentId: d.B.id, memberId: m.devManager.id });
      expect(await resolveNthSupervisor(t.ctx, { memberId: m.dev1.id, n: 1 })).toEqual([m.devManager.id]);
      expect(await resolveNthSupervisor(t.ctx, { memberId: m.dev1.id, n: 2 })).toEqual([m.ceo.id]);
    });

    it('supervisorsUpToLevel stops at the first supervisor at or above the rank', async () => {
      const { members: m, levels } = f;
      expect(await resolveSupervisorsUpToLevel(t.ctx, { memberId: m.dev1.id, levelRank: 40 })).toEqual([
        m.devManager.id,
      ]);
      expect(await resolveSupervisorsUpToLevel(t.ctx, { memberId: m.dev1.id, levelRank: 30 })).toEqual([
        m.devManager.id,
        m.cto.id,
      ]);
      expect(await resolveSupervisorsUpToLevel(t.ctx, { memberId: m.dev1.id, levelId: levels.vp.id })).toEqual([
        m.devManager.id,
        m.cto.id,
        m.ceo.id,
      ]);
      // Nobody reaches rank 1: the whole chain.
      expect(await resolveSupervisorsUpToLevel(t.ctx, { memberId: m.dev1.id, levelRank: 1 })).toHaveLength(3);
    });

    it('a supervisor override wins for the main department, and its chain continues from the override', async () => {
      const { members: m } = f;
      await updateMember(t.ctx, { id: m.dev2.id, version: m.dev2.version, supervisorId: m.cfo.id });
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev2.id })).toEqual([m.cfo.id]);
      expect(await resolveNthSupervisor(t.ctx, { memberId: m.dev2.id, n: 2 })).toEqual([m.ceo.id]);
      // Filing from a concurrent post's department uses that department's head, not the override.
      await addConcurrentPost(t.ctx, { memberId: m.dev2.id, departmentId: f.departments.D.id });
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev2.id, departmentId: f.departments.D.id })).toEqual([
        m.opsManager.id,
      ]);
    });

    it('subordinates invert the chain up to a depth, and follow a transfer', async () => {
      const { members: m, departments: d } = f;
      const under = async (memberId: string, depth: number) =>
        (await resolveSubordinates(t.ctx, { memberId, depth })).sort();
      const ids = (...list: { id: string }[]) => list.map((x) => x.id).sort();
      expect(await under(m.ceo.id, 1)).toEqual(ids(m.cto, m.cfo));
      expect(await under(m.ceo.id, 2)).toEqual(ids(m.cto, m.cfo, m.devManager, m.opsManager, m.acc1));
      expect(await under(m.ceo.id, 3)).toEqual(
        ids(m.cto, m.cfo, m.devManager, m.opsManager, m.acc1, m.dev1, m.dev2, m.ops1),
      );
      expect(await under(m.devManager.id, 1)).toEqual(ids(m.dev1, m.dev2));
      expect(await under(m.dev1.id, 3)).toEqual([]);
      // Each is the inverse of resolveNthSupervisor.
      for (const n of [1, 2, 3]) expect(await resolveNthSupervisor(t.ctx, { memberId: m.dev1.id, n })).toHaveLength(1);
      // dev1 moves to 财务部: the chain is worked out from the org as it is now.
      await moveMember(t.ctx, { memberId: m.dev1.id, departmentId: d.F.id });
      expect(await under(m.devManager.id, 1)).toEqual(ids(m.dev2));
      expect(await under(m.cfo.id, 1)).toEqual(ids(m.acc1, m.dev1));
      await expect(resolveSubordinates(t.ctx, { memberId: m.ceo.id, depth: 0 })).rejects.toMatchObject({
        code: 'CORE_VALIDATION_FAILED',
      });
    });

    it('refuses an override that would loop back to the member', async () => {
      const { members: m } = f;
      const cfo = await updateMember(t.ctx, { id: m.cfo.id, version: m.cfo.version, supervisorId: m.dev2.id });
      expect(cfo.supervisorId).toBe(m.dev2.id);
      await expect(
        updateMember(t.ctx, { id: m.dev2.id, version: m.dev2.version, supervisorId: m.cfo.id }),
      ).rejects.toMatchObject({ code: 'ORG_SUPERVISOR_INVALID' });
      await expect(
        updateMember(t.ctx, { id: m.dev2.id, version: m.dev2.version, supervisorId: m.dev2.id }),
      ).rejects.toMatchObject({ code: 'ORG_SUPERVISOR_INVALID' });
    });

    it('skips a disabled department on the way up and ignores members who left', async () => {
      const { members: m, departments: d } = f;
      // Disable C and, with force, E below it; their members stay in place.
      await disableDepartment(t.ctx, { departmentId: d.C.id, force: true });
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.cto.id]);
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.C.id })).toEqual([]);
      expect(await resolveMembersOfDepartment(t.ctx, { departmentId: d.E.id })).toEqual([]);
      // The head of D leaves; D's members now resolve to the next head up.
      await memberLeaves(t.ctx, { memberId: m.opsManager.id, successorId: m.ops1.id });
      expect(await resolveHeadOf(t.ctx, { memberId: m.ops1.id })).toEqual([m.cto.id]);
      expect(await resolveMembersOfDepartment(t.ctx, { departmentId: d.D.id })).toEqual([m.ops1.id]);
      // A member who left can still be the subject (a flow they filed), never a result.
      expect(await resolveHeadOf(t.ctx, { memberId: m.opsManager.id })).toEqual([m.ops1.id]);
    });
  });

  describe('departments, division leaders, posts', () => {
    it('headOfDepartment is exact unless walkUp, and empty for missing or disabled departments', async () => {
      const { members: m, departments: d } = f;
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.C.id })).toEqual([m.devManager.id]);
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.E.id })).toEqual([]);
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.E.id, walkUp: true })).toEqual([m.devManager.id]);
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: 'missing' })).toEqual([]);
      await updateUnit(t.ctx, { id: f.units.branch.id, version: f.units.branch.version, enabled: false });
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.G.id })).toEqual([]);
    });

    it('divisionLeaderOf inherits from the nearest ancestor that has one', async () => {
      const { members: m, departments: d } = f;
      expect(await resolveDivisionLeaderOf(t.ctx, { departmentId: d.E.id })).toEqual([]);
      await setDivisionLeaders(t.ctx, { departmentId: d.B.id, memberIds: [m.ceo.id, m.cfo.id] });
      expect(await resolveDivisionLeaderOf(t.ctx, { departmentId: d.E.id })).toEqual([m.ceo.id, m.cfo.id]);
      expect(await resolveDivisionLeaderOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.ceo.id, m.cfo.id]);
      expect(await resolveDivisionLeaderOf(t.ctx, { departmentId: d.F.id })).toEqual([]);
      await setDivisionLeaders(t.ctx, { departmentId: d.C.id, memberIds: [m.cto.id] });
      expect(await resolveDivisionLeaderOf(t.ctx, { departmentId: d.E.id })).toEqual([m.cto.id]);
      await setDivisionLeaders(t.ctx, { departmentId: d.C.id, memberIds: [] });
      expect(await resolveDivisionLeaderOf(t.ctx, { departmentId: d.E.id })).toEqual([m.ceo.id, m.cfo.id]);
      await disableDepartment(t.ctx, { departmentId: d.E.id, moveTo: d.C.id });
      expect(await resolveDivisionLeaderOf(t.ctx, { departmentId: d.E.id })).toEqual([]);
    });

    it('holdersOfPost counts main and concurrent posts, filtered by unit or department', async () => {
      const { members: m, departments: d, posts } = f;
      const all = await resolveHoldersOfPost(t.ctx, { postId: posts.devPost.id });
      expect(all.sort()).toEqual([m.devManager.id, m.dev1.id, m.dev2.id].sort());
      expect(await resolveHoldersOfPost(t.ctx, { postId: posts.devPost.id, departmentId: d.C.id })).toEqual([
        m.devManager.id,
        m.dev2.id,
      ]);
      expect(
        (
          await resolveHoldersOfPost(t.ctx, {
            postId: posts.devPost.id,
            departmentId: d.B.id,
            withSubDepartments: true,
          })
        ).sort(),
      ).toEqual([m.devManager.id, m.dev1.id, m.dev2.id].sort());
      await addConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: d.G.id, postId: posts.opsPost.id });
      expect(await resolveHoldersOfPost(t.ctx, { postId: posts.opsPost.id, unitId: f.units.branch.id })).toEqual([
        m.acc1.id,
      ]);
      expect(await resolveHoldersOfPost(t.ctx, { postId: 'nope' })).toEqual([]);
    });

    it('membersOfDepartment counts concurrent posts, optionally with sub-departments', async () => {
      const { members: m, departments: d } = f;
      expect(await resolveMembersOfDepartment(t.ctx, { departmentId: d.C.id })).toEqual([m.devManager.id, m.dev2.id]);
      await addConcurrentPost(t.ctx, { memberId: m.acc1.id, departmentId: d.C.id });
      expect(await resolveMembersOfDepartment(t.ctx, { departmentId: d.C.id })).toEqual([
        m.devManager.id,
        m.dev2.id,
        m.acc1.id,
      ]);
      const tree = await resolveMembersOfDepartment(t.ctx, { departmentId: d.B.id, withSubDepartments: true });
      expect(tree.sort()).toEqual(
        [m.cto.id, m.devManager.id, m.dev2.id, m.acc1.id, m.dev1.id, m.opsManager.id, m.ops1.id].sort(),
      );
    });
  });

  describe('roles', () => {
    it('returns [] for a role nobody holds, an unknown role and a disabled role', async () => {
      const role = await createRole(t.ctx, { code: 'legalStaff', name: '法务人员', nameEn: 'Legal staff' });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'legalStaff' })).toEqual([]);
      expect(await resolveHoldersOfRole(t.ctx, { role: 'noSuchRole' })).toEqual([]);
      await assignRole(t.ctx, { role: role.id, memberId: f.members.acc1.id });
      expect(await resolveHoldersOfRole(t.ctx, { role: role.id })).toEqual([f.members.acc1.id]);
      await updateRole(t.ctx, { id: role.id, version: role.version, enabled: false });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'legalStaff' })).toEqual([]);
    });

    it('the most specific assignment wins for a department or unit context', async () => {
      const { members: m, departments: d, units } = f;
      await createRole(t.ctx, { code: 'financeStaff', name: '财务人员' });
      await assignRole(t.ctx, { role: 'financeStaff', memberId: m.acc1.id });
      await assignRole(t.ctx, { role: 'financeStaff', memberId: m.branchStaff.id, scopeUnitId: units.branch.id });
      expect((await resolveHoldersOfRole(t.ctx, { role: 'financeStaff' })).sort()).toEqual(
        [m.acc1.id, m.branchStaff.id].sort(),
      );
      expect(await resolveHoldersOfRole(t.ctx, { role: 'financeStaff', departmentId: d.G.id })).toEqual([
        m.branchStaff.id,
      ]);
      expect(await resolveHoldersOfRole(t.ctx, { role: 'financeStaff', departmentId: d.E.id })).toEqual([m.acc1.id]);

      await createRole(t.ctx, { code: 'attendanceClerk', name: '考勤员' });
      await assignRole(t.ctx, { role: 'attendanceClerk', memberId: m.dev2.id, scopeDepartmentId: d.B.id });
      await assignRole(t.ctx, { role: 'attendanceClerk', memberId: m.acc1.id, scopeDepartmentId: d.A.id });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'attendanceClerk', departmentId: d.E.id })).toEqual([m.dev2.id]);
      expect(await resolveHoldersOfRole(t.ctx, { role: 'attendanceClerk', departmentId: d.F.id })).toEqual([m.acc1.id]);
      // Nobody serves the branch: no fallback to other departments' clerks.
      expect(await resolveHoldersOfRole(t.ctx, { role: 'attendanceClerk', departmentId: d.G.id })).toEqual([]);
    });

    it('unscoped holders placed in the context unit (main or concurrent post) come before the rest', async () => {
      const { members: m, departments: d, units } = f;
      await createRole(t.ctx, { code: 'itEngineer', name: 'IT 工程师' });
      await assignRole(t.ctx, { role: 'itEngineer', memberId: m.ops1.id });
      await assignRole(t.ctx, { role: 'itEngineer', memberId: m.branchStaff.id });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'itEngineer', unitId: units.branch.id })).toEqual([
        m.branchStaff.id,
      ]);
      expect(await resolveHoldersOfRole(t.ctx, { role: 'itEngineer', departmentId: d.F.id })).toEqual([m.ops1.id]);
      await addConcurrentPost(t.ctx, { memberId: m.ops1.id, departmentId: d.G.id });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'itEngineer', departmentId: d.G.id })).toEqual([
        m.ops1.id,
        m.branchStaff.id,
      ]);
    });

    it('a unit- or department-scoped role resolves only inside its scope', async () => {
      const { members: m, departments: d, units } = f;
      await createRole(t.ctx, { code: 'branchLeader', name: '分公司领导', scope: 'unit', scopeId: units.branch.id });
      await assignRole(t.ctx, { role: 'branchLeader', memberId: m.branchGm.id });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'branchLeader', departmentId: d.G.id })).toEqual([
        m.branchGm.id,
      ]);
      expect(await resolveHoldersOfRole(t.ctx, { role: 'branchLeader', departmentId: d.F.id })).toEqual([]);
      await expect(
        assignRole(t.ctx, { role: 'branchLeader', memberId: m.cfo.id, scopeUnitId: units.hq.id }),
      ).rejects.toMatchObject({ code: 'ORG_ROLE_SCOPE_MISMATCH' });

      await createRole(t.ctx, { code: 'rdLead', name: '研发主管', scope: 'department', scopeId: d.B.id });
      await assignRole(t.ctx, { role: 'rdLead', memberId: m.devManager.id });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'rdLead', departmentId: d.E.id })).toEqual([m.devManager.id]);
      expect(await resolveHoldersOfRole(t.ctx, { role: 'rdLead', departmentId: d.F.id })).toEqual([]);
    });

    it('leaves out members who left', async () => {
      const { members: m } = f;
      await createRole(t.ctx, { code: 'buyer', name: '采购员' });
      await assignRole(t.ctx, { role: 'buyer', memberId: m.acc1.id });
      await memberLeaves(t.ctx, { memberId: m.acc1.id, successorId: m.cfo.id });
      expect(await resolveHoldersOfRole(t.ctx, { role: 'buyer' })).toEqual([m.cfo.id]);
    });
  });

  describe('cache', () => {
    it('follows moveDepartment and mergeDepartments (revision bumped, cache rebuilt)', async () => {
      const { members: m, departments: d } = f;
      const before = await orgRevision(t.ctx);
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.devManager.id]);
      await moveDepartment(t.ctx, { departmentId: d.E.id, parentId: d.D.id });
      const after = await orgRevision(t.ctx);
      expect(after.revision).toBeGreaterThan(before.revision);
      expect(after.stamp).not.toBe(before.stamp);
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.opsManager.id]);

      await mergeDepartments(t.ctx, { sourceId: d.D.id, targetId: d.C.id });
      // ops1 moved into C; E (a child of D) moved under C too.
      expect(await resolveHeadOf(t.ctx, { memberId: m.ops1.id })).toEqual([m.devManager.id]);
      expect(await resolveHeadOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.devManager.id]);
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.D.id })).toEqual([]);
      // D's members, its head included, now work in C.
      expect(await resolveMembersOfDepartment(t.ctx, { departmentId: d.C.id })).toEqual(
        expect.arrayContaining([m.ops1.id, m.opsManager.id]),
      );
    });

    it('sees changes made earlier in the same transaction, and forgets them after a rollback', async () => {
      const { members: m, departments: d } = f;
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.C.id })).toEqual([m.devManager.id]);
      const boom = new Error('roll back');
      await expect(
        withTx(t.ctx, async (tx) => {
          await setHead(tx, { departmentId: d.C.id, memberId: m.dev2.id });
          expect(await resolveHeadOfDepartment(tx, { departmentId: d.C.id })).toEqual([m.dev2.id]);
          const e2 = await createDepartment(tx, {
            unitId: f.units.hq.id,
            parentId: d.C.id,
            code: 'X-1',
            name: '临时组',
          });
          expect(await resolveHeadOfDepartment(tx, { departmentId: e2.id, walkUp: true })).toEqual([m.dev2.id]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await resolveHeadOfDepartment(t.ctx, { departmentId: d.C.id })).toEqual([m.devManager.id]);
    });

    it('answers from the cache with one revision read per call', async () => {
      const { members: m } = f;
      await resolveHeadOf(t.ctx, { memberId: m.dev1.id });
      const queries: string[] = [];
      const counting = {
        ...t.ctx,
        db: t.ctx.db.withPlugin({
          transformQuery: (args) => {
            queries.push(args.node.kind);
            return args.node;
          },
          transformResult: async (args) => args.result,
        }),
      };
      for (let i = 0; i < 10; i++) await resolveNthSupervisor(counting, { memberId: m.dev1.id, n: 2 });
      expect(queries).toHaveLength(10);
    });
  });
});
