import { performance } from 'node:perf_hooks';
import {
  buildDemoOrg,
  buildLargeOrg,
  catalogRoles,
  departmentTree,
  departmentTreeAsOf,
  findMemberByLogin,
  listDepartments,
  listRoles,
  resetOrgCache,
  resolveDivisionLeaderOf,
  resolveHeadOf,
  resolveHoldersOfRole,
  resolveMembersOfDepartment,
  resolveNthSupervisor,
  resolveSupervisorsUpToLevel,
  setHead,
} from '@baton/org';
import { testDialect } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrgTest, openOrgDatabase } from './org-fixture.ts';

// Every role the brief and catalog.md name; buildDemoOrg must give each one a holder.
const namedInCatalog = [
  '市场经理',
  '市场总监',
  '财务总监',
  '财务人员',
  '分管领导',
  '销售人员',
  '销售总监',
  '销管人员',
  '法务人员',
  '档案管理员',
  '采购员',
  '采购总监',
  'Call Center',
  '一线运维',
  '二线运维',
  '一线服务人员',
  '二线服务人员',
  '研发人员',
  '研发主管',
  '创新团队',
  '创新评审委员会',
  '行政部',
  '招聘专员',
  'HR 总监',
  '培训专员',
  '考勤员',
  '硬件工程师',
  '软件工程师',
  'IT 运维负责人',
  'IT 工程师',
  'IT 负责人',
  '物资管理员',
  '总经理',
  '董事长',
  '分公司领导',
];

function print(label: string, value: string): void {
  // Figures for the report; the budget is printed, not asserted (machines differ).
  console.log(`[org ${testDialect}] ${label}: ${value}`);
}

const ms = (start: number) => `${(performance.now() - start).toFixed(0)} ms`;

describe(`generators (${testDialect})`, () => {
  describe('buildDemoOrg', () => {
    let t: OrgTest;
    beforeAll(async () => {
      t = await openOrgDatabase();
    });
    afterAll(async () => {
      await t.database.cleanup();
    });

    it('builds 星河互联集团 with every catalog role held', async () => {
      const start = performance.now();
      const summary = await buildDemoOrg(t.ctx);
      print(
        'buildDemoOrg',
        `${ms(start)} (${summary.counts.members} members, ${summary.counts.departments} departments)`,
      );
      expect(summary.counts).toMatchObject({ units: 3, members: 200, levels: 7 });
      expect(summary.counts.departments).toBeGreaterThanOrEqual(40);
      expect(summary.counts.maxDepth).toBeGreaterThanOrEqual(4);
      expect(new Set(summary.logins).size).toBe(200);
      expect(summary.logins.every((login) => /^[a-z]+\d{2}$/.test(login))).toBe(true);

      const roles = await listRoles(t.ctx);
      expect(roles.map((r) => r.name)).toEqual(expect.arrayContaining(namedInCatalog));
      for (const role of catalogRoles) {
        const holders = await resolveHoldersOfRole(t.ctx, { role: role.code });
        expect(holders.length, `${role.name} has a holder`).toBeGreaterThan(0);
        expect(summary.keyLogins[role.code]).toBeDefined();
      }

      const hq = await listDepartments(t.ctx, { unitId: summary.unitIds.hq });
      expect(hq.map((d) => d.code)).toEqual(expect.arrayContaining(['10-00004', '20-00138']));
      const tree = await departmentTree(t.ctx, { unitId: summary.unitIds.hq });
      expect(tree.map((d) => d.name).slice(0, 3)).toEqual(['董事会', '总裁办', '战略部']);

      // Relative roles resolve across the tree: a salesperson four levels down has four supervisors.
      const keyAccounts = summary.departmentIds.keyAccounts as string;
      const [someone] = (await resolveMembersOfDepartment(t.ctx, { departmentId: keyAccounts })).slice(1);
      // Heads of 大客户小组, 北京销售一组, 华北销售部, 销售中心, then 汇报对象 overrides: VP, CEO, chairman.
      const chain = [];
      for (let n = 1; n <= 8; n++)
        chain.push(...(await resolveNthSupervisor(t.ctx, { memberId: someone as string, n })));
      expect(chain).toHaveLength(7);
      const chairman = await findMemberByLogin(t.ctx, { login: summary.keyLogins.chairman as string });
      expect(chain.at(-1)).toBe(chairman?.id);
      expect(await resolveDivisionLeaderOf(t.ctx, { memberId: someone as string })).toHaveLength(1);
      // 考勤员 is scoped per first-level department.
      const clerks = await resolveHoldersOfRole(t.ctx, { role: 'attendanceClerk', departmentId: keyAccounts });
      expect(clerks).toHaveLength(1);
      const branchFinance = await resolveHoldersOfRole(t.ctx, {
        role: 'financeStaff',
        unitId: summary.unitIds.branch,
      });
      expect(branchFinance).toHaveLength(1);

      await expect(buildDemoOrg(t.ctx)).rejects.toMatchObject({ code: 'ORG_DUPLICATE_CODE' });
    });
  });

  describe('buildLargeOrg', () => {
    let t: OrgTest;
    beforeAll(async () => {
      t = await openOrgDatabase();
    });
    afterAll(async () => {
      await t.database.cleanup();
    });

    it('builds 1,000 departments / depth 6 / 10,000 members and resolves in microseconds', {
      timeout: 180_000,
    }, async () => {
      let start = performance.now();
      const org = await buildLargeOrg(t.ctx, { departments: 1_000, depth: 6, members: 10_000, seed: 7 });
      print('buildLargeOrg 1,000 departments / depth 6 / 10,000 members', ms(start));
      expect(org.counts).toMatchObject({ departments: 1_000, members: 10_000 });
      expect(org.maxDepth).toBe(6);
      expect(org.counts.concurrentPosts).toBeGreaterThan(100);

      resetOrgCache();
      start = performance.now();
      await resolveHeadOf(t.ctx, { memberId: org.memberIds[0] as string });
      print('cold cache build (first resolution)', ms(start));

      const timeCalls = async (label: string, calls: number, fn: (i: number) => Promise<string[]>) => {
        const begin = performance.now();
        let found = 0;
        for (let i = 0; i < calls; i++) found += (await fn(i)).length;
        const perCall = ((performance.now() - begin) * 1000) / calls;
        print(`${label}`, `${perCall.toFixed(1)} µs/call over ${calls} calls (${found} ids)`);
        return found;
      };
      const member = (i: number) => org.memberIds[(i * 7919) % org.memberIds.length] as string;
      const department = (i: number) => org.departmentIds[(i * 104_729) % org.departmentIds.length] as string;
      expect(
        await timeCalls('resolveHeadOf', 2_000, (i) => resolveHeadOf(t.ctx, { memberId: member(i) })),
      ).toBeGreaterThan(0);
      await timeCalls('resolveNthSupervisor n=3', 2_000, (i) =>
        resolveNthSupervisor(t.ctx, { memberId: member(i), n: 3 }),
      );
      await timeCalls('resolveSupervisorsUpToLevel rank 30', 2_000, (i) =>
        resolveSupervisorsUpToLevel(t.ctx, { memberId: member(i), levelRank: 30 }),
      );
      await timeCalls('resolveDivisionLeaderOf', 2_000, (i) => resolveDivisionLeaderOf(t.ctx, { memberId: member(i) }));
      await timeCalls('resolveHoldersOfRole (department context)', 2_000, (i) =>
        resolveHoldersOfRole(t.ctx, {
          role: org.roleCodes[i % org.roleCodes.length] as string,
          departmentId: department(i),
        }),
      );
      await timeCalls('resolveMembersOfDepartment withSubDepartments', 500, (i) =>
        resolveMembersOfDepartment(t.ctx, { departmentId: department(i), withSubDepartments: true }),
      );
      const root = org.departmentIds[0] as string;
      await timeCalls('resolveMembersOfDepartment, sub-tree of the deepest top-level department', 20, () =>
        resolveMembersOfDepartment(t.ctx, { departmentId: root, withSubDepartments: true }),
      );

      // A change moves the revision on: the next resolution rebuilds, then it is fast again.
      await setHead(t.ctx, { departmentId: department(3), memberId: member(5) });
      start = performance.now();
      await resolveHeadOf(t.ctx, { memberId: member(1) });
      print('first resolution after a change (rebuild)', ms(start));

      start = performance.now();
      const tree = await departmentTreeAsOf(t.ctx, { unitId: org.unitId, at: t.ctx.clock.now() });
      print('departmentTreeAsOf (1,000 departments)', ms(start));
      expect(tree.length).toBeGreaterThan(0);
      start = performance.now();
      await departmentTree(t.ctx, { unitId: org.unitId });
      print('departmentTree (1,000 departments)', ms(start));
    });
  });
});
