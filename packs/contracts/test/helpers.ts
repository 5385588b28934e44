import type { MemberView } from '@baton/pack';
import type { Scenario } from './setup.ts';

/** Members of the demo organisation the sales scenarios act as. */
export const who = {
  salesNorth: 'staff:华北销售部:0',
  salesEast: 'staff:华东销售部:0',
  directorNorth: 'head:华北销售部',
  directorEast: 'head:华东销售部',
  legal: ['staff:法务部:0', 'staff:法务部:1', 'staff:法务部:2'],
  clerk: 'staff:会计核算部:0',
  clerkHead: 'head:会计核算部',
} as const;

/** A valid F12: ¥100,000 in two products and three payment terms (planned on the given dates). */
export function contractValues(dates: [string, string, string], overrides: Record<string, unknown> = {}) {
  return {
    contractName: '品牌升级整合营销服务合同',
    customerName: '河北华安金融服务有限公司',
    customerNo: 'KH-2026-0005',
    contactName: '周敏',
    contractAmount: 10_000_000,
    termStart: dates[0],
    termEnd: dates[2],
    productType: 'marketing',
    grossProfit: 2_500_000,
    products: [
      { name: '品牌策划', amount: 4_000_000 },
      { name: '媒介投放', spec: '季度包', amount: 6_000_000 },
    ],
    paymentTerms: [
      { milestone: '首付款', amount: 3_000_000, plannedDate: dates[0], condition: '签订后 5 日内' },
      { milestone: '中期款', amount: 5_000_000, plannedDate: dates[1] },
      { milestone: '尾款', amount: 2_000_000, plannedDate: dates[2], method: 'cheque' },
    ],
    ...overrides,
  };
}

/** The member's pending task on an instance (or undefined). */
export async function taskOf(view: MemberView, instanceId: string, nodeKey?: string) {
  return (await view.pending()).find((t) => t.instanceId === instanceId && (!nodeKey || t.nodeKey === nodeKey));
}

/** Approves the member's pending task on the instance; fails the test when there is none. */
export async function approveAs(s: Scenario, selector: string, instanceId: string, opinion = '同意。') {
  const view = await s.as(selector);
  const task = await taskOf(view, instanceId);
  if (!task) throw new Error(`${selector} has no pending task on ${instanceId}`);
  return view.approve(task.taskId, opinion);
}

/** Files an F12 as the salesperson and has legal and the director approve it; returns the filing. */
export async function approvedContract(
  s: Scenario,
  values: Record<string, unknown>,
  by: string = who.salesNorth,
  director: string = who.directorNorth,
) {
  const filed = await (await s.as(by)).submit('salesContract', values);
  await approveAs(s, who.legal[0], filed.instanceId, '合规。');
  const done = await approveAs(s, director, filed.instanceId);
  if (done.state !== 'approved') throw new Error(`the contract is ${done.state}`);
  return filed;
}

/** Files a receipt as the clerk and has the clerk's head confirm it. */
export async function confirmedReceipt(s: Scenario, values: Record<string, unknown>) {
  const filed = await (await s.as(who.clerk)).submit('collectionReceipt', values);
  return approveAs(s, who.clerkHead, filed.instanceId, '已核对。');
}
