import { asMember, createResolver, type MemberView } from '@baton/pack';
import { expect } from 'vitest';
import type { Scenario } from './setup.ts';

// Helpers of the purchase scenarios: who acts, F15/F34 values, and acting on a request node by node (each step
// moves the fake clock a second, as real actions are apart in time: rules key their runs by the event's instant).

export const who = {
  buyer: 'staff:采购部:0',
  buyer2: 'staff:采购部:1',
  purchasingHead: 'head:采购部',
  legal: 'staff:法务部:0',
  financeHead: 'head:财务中心',
  accountant: 'staff:会计核算部:0',
  financeManager: 'head:会计核算部',
  vpFinance: 'staff:总裁办:1',
  ceo: 'head:总裁办',
  cashier: 'staff:资金管理部:0',
} as const;

export async function departmentId(s: Scenario, name: string): Promise<string> {
  return (await createResolver(s.ctx, 'contracts').department(name)).id;
}

/** The record of a demo ref (supplier, budget line, base-table row, filing). */
export const ref = (s: Scenario, name: string): string => {
  const id = s.demo.refs[name];
  if (!id) throw new Error(`no demo ref ${name}`);
  return id;
};

type ContractInput = {
  total: number;
  dept: string;
  budget: string;
  supplier?: string;
  ratios?: number[];
  projectNo?: string;
  [field: string]: unknown;
};

/** F15 values: a total in fen for a department, paid by the given ratios (default 30/70) from its budget line. */
export async function contractValues(s: Scenario, input: ContractInput): Promise<Record<string, unknown>> {
  const { total, dept, budget, supplier = 'sp-yunqi', ratios = [30, 70], projectNo = '777', ...rest } = input;
  return {
    supplierRef: ref(s, supplier),
    productName: '系统集成服务',
    contractTotal: total,
    contractNoPrefix: 'XHJS',
    projectNo,
    projectName: '场景测试项目',
    applicantDept: await departmentId(s, dept),
    budgetRef: ref(s, budget),
    handlerConfirm: true,
    paymentPlanItems: ratios.map((ratio, i) => ({
      ratio,
      plannedDate: `2026-12-${String(10 + i).padStart(2, '0')}`,
      condition: `第 ${i + 1} 期`,
    })),
    ...rest,
  };
}

export function tick(s: Scenario, ms = 1_000): void {
  s.ctx.clock.advance(ms);
}

export async function viewOf(s: Scenario, memberId: string): Promise<MemberView> {
  return asMember(s.ctx, 'contracts', memberId);
}

/** The pending tasks of an instance: node and assignee member ids. */
export async function pendingOf(s: Scenario, instanceId: string) {
  const { tasks } = await (await s.as(who.financeHead)).history(instanceId);
  return tasks.filter((t) => t.state === 'pending').map((t) => ({ node: t.nodeKey, memberId: t.assigneeId }));
}

/** The member a selector names acts on their pending task of the instance, which must sit at `node`. */
export async function act(
  s: Scenario,
  selector: string,
  instanceId: string,
  node: string,
  options: { values?: Record<string, unknown>; opinion?: string; reject?: boolean } = {},
) {
  tick(s);
  const view = await s.as(selector);
  const task = (await view.pending()).find((t) => t.instanceId === instanceId);
  expect(task?.nodeKey, `${selector} at ${node}`).toBe(node);
  if (!task) throw new Error(`${selector} has no task on ${instanceId}`);
  return options.reject
    ? view.reject(task.taskId, options.opinion)
    : view.approve(task.taskId, options.opinion, options.values);
}

/** The nodes where a member approved the instance, in order (nodes passed by themselves are left out). */
export async function trail(s: Scenario, instanceId: string): Promise<string[]> {
  const { actions } = await (await s.as(who.financeHead)).history(instanceId);
  return actions.filter((a) => a.action === 'approve').map((a) => a.nodeKey as string);
}

/** How each task of a node ended (`approved`, `deduped` …). */
export async function outcomes(s: Scenario, instanceId: string, node: string): Promise<(string | null)[]> {
  const { tasks } = await (await s.as(who.financeHead)).history(instanceId);
  return tasks.filter((t) => t.nodeKey === node).map((t) => t.outcome);
}

/** A budget line's figures, in fen. */
export async function budgetOf(s: Scenario, refName: string) {
  const line = await (await s.as(who.financeHead)).get('budgetLedger', ref(s, refName));
  const fen = (field: string) => line.values[field] as number;
  return {
    budget: fen('budgetAmount'),
    committed: fen('committedAmount'),
    paid: fen('paidAmount'),
    remaining: fen('remainingAmount'),
  };
}

/** The payment chain at headquarters up to the cashier (the remote GM passes by itself there). */
export const paymentChain: Array<[string, string]> = [
  [who.purchasingHead, 'purchasingDirector'],
  [who.vpFinance, 'purchasingVp'],
  [who.accountant, 'invoiceCheck'],
  [who.financeManager, 'financeManager'],
  [who.financeHead, 'financeDirector'],
  [who.ceo, 'cpo'],
];

/** Walks a payment through the whole chain; the cashier pays `paid` fen at the clock's time. */
export async function payThrough(s: Scenario, instanceId: string, paid: number) {
  for (const [selector, node] of paymentChain) await act(s, selector, instanceId, node);
  const cashier = await s.memberId(who.cashier);
  return act(s, who.cashier, instanceId, 'cashier', {
    values: { paidAmount: paid, paidAt: s.ctx.clock.now().toISOString(), cashier },
  });
}
