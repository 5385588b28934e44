import { createFakeClock, type FakeClock, isBatonError } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { type FlowDefinitionInput, flowMigrations, publishFlow } from '@baton/flow';
import { type FormDefinitionInput, formMigrations, publishForm } from '@baton/form';
import {
  assignRole,
  createDepartment,
  createLevel,
  createMember,
  createPost,
  createRole,
  createUnit,
  orgMigrations,
  setDivisionLeaders,
  setHead,
} from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';

export type Env = Awaited<ReturnType<typeof openEnv>>;

const l = (zh: string, en: string) => ({ zh, en });

/** 报销单: a small flow form with money, a department, a member, an opinion slot and a subtable with totals. */
export const expenseForm: FormDefinitionInput = {
  pack: 'finance',
  key: 'expense',
  kind: 'flow',
  label: l('报销单', 'Expense claim'),
  fields: [
    { key: 'amount', label: l('金额', 'Amount'), type: 'money', required: true },
    { key: 'reason', label: l('事由', 'Reason'), type: 'text' },
    { key: 'costCenter', label: l('成本中心', 'Cost centre'), type: 'department' },
    { key: 'reviewer', label: l('复核人', 'Reviewer'), type: 'member' },
    { key: 'invoiceNo', label: l('发票号', 'Invoice no.'), type: 'text' },
    { key: 'managerOpinion', label: l('经理意见', 'Manager opinion'), type: 'opinion', node: 'manager' },
  ],
  subtables: [
    {
      key: 'items',
      label: l('明细', 'Items'),
      columns: [
        { key: 'what', label: l('项目', 'Item'), type: 'text' },
        { key: 'cost', label: l('金额', 'Cost'), type: 'money' },
      ],
      totals: ['cost'],
    },
  ],
};

/** Members by short name, one tiny org: 总部 A (ceo) ─ 技术中心 B (cto) ─ 研发部 C (devManager: dev1, dev2); 财务部 F (cfo: acc1). */
export async function buildOrg(ctx: DbCtx) {
  const hq = await createUnit(ctx, { code: 'HQ', name: '总部', kind: 'headquarters' });
  const vp = await createLevel(ctx, { code: 'VP', name: '副总裁', rank: 20 });
  const director = await createLevel(ctx, { code: 'DIR', name: '总监', rank: 30 });
  const manager = await createLevel(ctx, { code: 'MGR', name: '经理', rank: 40 });
  const staff = await createLevel(ctx, { code: 'STAFF', name: '专员', rank: 60 });
  const accPost = await createPost(ctx, { code: 'ACC', name: '会计' });
  const dept = (parentId: string | null, code: string, name: string) =>
    createDepartment(ctx, { unitId: hq.id, parentId, code, name });
  const A = await dept(null, '10-1', '总部');
  const B = await dept(A.id, '20-1', '技术中心');
  const C = await dept(B.id, '30-1', '研发部');
  const F = await dept(A.id, '20-2', '财务部');
  let n = 0;
  const member = (login: string, name: string, departmentId: string, levelId: string, postId?: string) =>
    createMember(ctx, { code: `E${++n}`, name, login, mainDepartmentId: departmentId, levelId, postId });
  const ceo = await member('ceo', '张总', A.id, vp.id);
  const cto = await member('cto', '李技术', B.id, director.id);
  const devManager = await member('devmanager', '王研发', C.id, manager.id);
  const dev1 = await member('dev1', '赵一', C.id, staff.id);
  const dev2 = await member('dev2', '钱二', C.id, staff.id);
  const cfo = await member('cfo', '吴财务', F.id, director.id, accPost.id);
  const acc1 = await member('acc1', '郑四', F.id, staff.id, accPost.id);
  const acc2 = await member('acc2', '王五', F.id, staff.id, accPost.id);
  const admin = await member('flowadmin', '流程管理员', A.id, staff.id);
  for (const [department, head] of [
    [A, ceo],
    [B, cto],
    [C, devManager],
    [F, cfo],
  ] as const) {
    await setHead(ctx, { departmentId: department.id, memberId: head.id });
  }
  await setDivisionLeaders(ctx, { departmentId: B.id, memberIds: [ceo.id] });
  const financeRole = await createRole(ctx, { code: 'financeReviewer', name: '财务复核' });
  await assignRole(ctx, { role: financeRole.id, memberId: acc1.id });
  return {
    departments: { A, B, C, F },
    posts: { accPost },
    m: { ceo, cto, devManager, dev1, dev2, cfo, acc1, acc2, admin },
  };
}

export async function openEnv() {
  const database: TestDatabase = await createTestDatabase({
    migrations: [orgMigrations, formMigrations, flowMigrations],
  });
  const clock: FakeClock = createFakeClock('2026-11-28T01:00:00.000Z');
  const ctx = testCtx(database.db, { clock });
  const org = await buildOrg(ctx);
  await publishForm(ctx, expenseForm);
  const as = (memberId: string, db = database.db) =>
    testCtx(db, { clock, actor: { kind: 'member', memberId } }) as DbCtx & { clock: FakeClock };
  return { database, clock, ctx, org, m: org.m, as };
}

let flowCounter = 0;

/** Publishes a flow on the expense form under a fresh key and returns its reference. */
export async function publish(
  env: Env,
  nodes: FlowDefinitionInput['nodes'],
  edges: FlowDefinitionInput['edges'],
  extra: Partial<FlowDefinitionInput> = {},
): Promise<{ pack: string; key: string }> {
  const key = `flow${++flowCounter}`;
  await publishFlow(env.ctx, {
    pack: 'finance',
    key,
    name: l('报销审批', 'Expense approval'),
    form: { pack: 'finance', key: 'expense' },
    administrators: [env.m.admin.id],
    nodes,
    edges,
    ...extra,
  });
  return { pack: 'finance', key };
}

/** start → the given nodes in a line → end. */
export function line(...nodes: FlowDefinitionInput['nodes']): Pick<FlowDefinitionInput, 'nodes' | 'edges'> {
  const all = [{ key: 'start', kind: 'start' }, ...nodes, { key: 'end', kind: 'end' }];
  const edges = all.slice(1).map((node, index) => ({ from: (all[index] as { key: string }).key, to: node.key }));
  return { nodes: all, edges };
}

export const members = (...ids: string[]) => [{ source: 'members', ids }];

export async function caught(promise: Promise<unknown>): Promise<{ code: string; paths: string[] }> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return { code: error.code, paths: error.fields.map((f) => f.path.join('.')) };
    throw error;
  }
  throw new Error('expected an error');
}
