import { accessMigrations } from '@baton/access';
import { type Actor, createFakeClock, type FakeClock } from '@baton/core';
import type { DbCtx } from '@baton/db';
import {
  addConcurrentPost,
  createDepartment,
  createMember,
  createUnit,
  type Department,
  type Member,
  orgMigrations,
  setDivisionLeaders,
  setHead,
} from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';

export type Env = { database: TestDatabase; ctx: DbCtx & { clock: FakeClock }; clock: FakeClock };

/** A fresh database with org and access migrated, and a ctx on a fake clock. */
export async function openEnv(): Promise<Env> {
  const database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations] });
  const clock = createFakeClock('2026-03-02T01:00:00.000Z');
  return { database, ctx: testCtx(database.db, { clock }), clock };
}

export function asMember(ctx: DbCtx & { clock: FakeClock }, memberId: string): DbCtx & { clock: FakeClock } {
  const actor: Actor = { kind: 'member', memberId };
  return { ...ctx, actor };
}

/**
 * The org every scope test knows by heart:
 *
 *   unit U1 (HQ)                                  unit U2 (branch)
 *   D1 销售部 (head alice)                        E1 分公司运营 (division leader erin)
 *   ├─ D11 华东销售 (head bob)                    └─ E11 分公司服务   members: frank; dave (concurrent)
 *   │  └─ D111 华东一组          members: carol
 *   └─ D12 华西销售              members: dave
 *   D2 财务部 (head erin)        members: erin, gina (left)
 */
export async function buildOrg(ctx: DbCtx) {
  const u1 = await createUnit(ctx, { code: 'U1', name: '总部', kind: 'headquarters' });
  const u2 = await createUnit(ctx, { code: 'U2', name: '分公司', kind: 'branch' });
  const dept = (unitId: string, parentId: string | null, code: string, name: string) =>
    createDepartment(ctx, { unitId, parentId, code, name });
  const D1 = await dept(u1.id, null, 'D1', '销售部');
  const D11 = await dept(u1.id, D1.id, 'D11', '华东销售');
  const D111 = await dept(u1.id, D11.id, 'D111', '华东一组');
  const D12 = await dept(u1.id, D1.id, 'D12', '华西销售');
  const D2 = await dept(u1.id, null, 'D2', '财务部');
  const E1 = await dept(u2.id, null, 'E1', '分公司运营');
  const E11 = await dept(u2.id, E1.id, 'E11', '分公司服务');

  let n = 0;
  const member = (login: string, department: Department): Promise<Member> =>
    createMember(ctx, {
      code: `M${String(++n).padStart(3, '0')}`,
      name: login,
      login,
      mainDepartmentId: department.id,
    });
  const alice = await member('alice', D1);
  const bob = await member('bob', D11);
  const carol = await member('carol', D111);
  const dave = await member('dave', D12);
  const erin = await member('erin', D2);
  const frank = await member('frank', E11);
  const gina = await member('gina', D2);
  await setHead(ctx, { departmentId: D1.id, memberId: alice.id });
  await setHead(ctx, { departmentId: D11.id, memberId: bob.id });
  await setHead(ctx, { departmentId: D2.id, memberId: erin.id });
  await setDivisionLeaders(ctx, { departmentId: E1.id, memberIds: [erin.id] });
  await addConcurrentPost(ctx, { memberId: dave.id, departmentId: E11.id });
  return {
    units: { u1, u2 },
    departments: { D1, D11, D111, D12, D2, E1, E11 },
    members: { alice, bob, carol, dave, erin, frank, gina },
  };
}

export type Org = Awaited<ReturnType<typeof buildOrg>>;
