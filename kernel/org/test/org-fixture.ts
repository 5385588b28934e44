import type { FakeClock } from '@baton/core';
import type { DbCtx } from '@baton/db';
import {
  createDepartment,
  createLevel,
  createMember,
  createPost,
  createUnit,
  type Department,
  type Member,
  orgMigrations,
  setHead,
} from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';

export type Fixture = Awaited<ReturnType<typeof buildFixture>>;

/**
 * A small org every resolution test knows by heart:
 *
 *   unit hq                                        unit branch
 *   A 总部 (head ceo)                              G 成都分公司 (head branchGm)
 *   ├─ B 技术中心 (head cto)                          members: branchGm, branchStaff
 *   │  ├─ C 研发部 (head devManager)   members: devManager, dev2
 *   │  │  └─ E 支付组 (no head)        members: dev1
 *   │  └─ D 运维部 (head opsManager)   members: opsManager, ops1
 *   └─ F 财务部 (head cfo)             members: cfo, acc1
 *   ceo in A, cto in B.
 */
export async function buildFixture(ctx: DbCtx) {
  const hq = await createUnit(ctx, { code: 'HQ', name: '总部', kind: 'headquarters' });
  const branch = await createUnit(ctx, { code: 'CD', name: '成都分公司', kind: 'branch' });
  const vp = await createLevel(ctx, { code: 'VP', name: '副总裁', rank: 20 });
  const director = await createLevel(ctx, { code: 'DIR', name: '总监', rank: 30 });
  const manager = await createLevel(ctx, { code: 'MGR', name: '经理', rank: 40 });
  const staff = await createLevel(ctx, { code: 'STAFF', name: '专员', rank: 60 });
  const devPost = await createPost(ctx, { code: 'DEV', name: '研发工程师' });
  const opsPost = await createPost(ctx, { code: 'OPS', name: '运维工程师' });
  const accPost = await createPost(ctx, { code: 'ACC', name: '会计' });
  const branchPost = await createPost(ctx, { code: 'CD-GM', name: '分公司总经理', unitId: branch.id });

  const dept = (unitId: string, parentId: string | null, code: string, name: string) =>
    createDepartment(ctx, { unitId, parentId, code, name });
  const A = await dept(hq.id, null, '10-00001', '总部');
  const B = await dept(hq.id, A.id, '20-00001', '技术中心');
  const C = await dept(hq.id, B.id, '30-00001', '研发部');
  const D = await dept(hq.id, B.id, '30-00002', '运维部');
  const E = await dept(hq.id, C.id, '40-00001', '支付组');
  const F = await dept(hq.id, A.id, '20-00002', '财务部');
  const G = await dept(branch.id, null, '10-00001', '成都分公司');

  let n = 0;
  const member = (login: string, name: string, department: Department, levelId: string, postId?: string) =>
    createMember(ctx, {
      code: `E${String(++n).padStart(3, '0')}`,
      name,
      login,
      mainDepartmentId: department.id,
      levelId,
      postId,
    });
  const ceo = await member('ceo', '张总', A, vp.id);
  const cto = await member('cto', '李技术', B, director.id);
  const devManager = await member('devmanager', '王研发', C, manager.id, devPost.id);
  const dev1 = await member('dev1', '赵一', E, staff.id, devPost.id);
  const dev2 = await member('dev2', '钱二', C, staff.id, devPost.id);
  const opsManager = await member('opsmanager', '孙运维', D, manager.id, opsPost.id);
  const ops1 = await member('ops1', '周三', D, staff.id, opsPost.id);
  const cfo = await member('cfo', '吴财务', F, director.id, accPost.id);
  const acc1 = await member('acc1', '郑四', F, staff.id, accPost.id);
  const branchGm = await member('branchgm', '冯分总', G, director.id, branchPost.id);
  const branchStaff = await member('branchstaff', '陈五', G, staff.id);

  const heads: Array<[Department, Member]> = [
    [A, ceo],
    [B, cto],
    [C, devManager],
    [D, opsManager],
    [F, cfo],
    [G, branchGm],
  ];
  for (const [department, head] of heads) await setHead(ctx, { departmentId: department.id, memberId: head.id });

  return {
    units: { hq, branch },
    levels: { vp, director, manager, staff },
    posts: { devPost, opsPost, accPost, branchPost },
    departments: { A, B, C, D, E, F, G },
    members: { ceo, cto, devManager, dev1, dev2, opsManager, ops1, cfo, acc1, branchGm, branchStaff },
  };
}

export type OrgTest = { database: TestDatabase; ctx: DbCtx & { clock: FakeClock } };

export async function openOrgDatabase(): Promise<OrgTest> {
  const database = await createTestDatabase({ migrations: [orgMigrations] });
  return { database, ctx: testCtx(database.db) };
}
