import type { FormRecord } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  act,
  budgetOf,
  contractValues,
  departmentId,
  outcomes,
  pendingOf,
  ref,
  tick,
  trail,
  who,
} from './purchase-helpers.ts';
import { code, openScenario, type Scenario } from './setup.ts';

// F15 purchase contracts over the demo: every route of the review chain (below ¥100,000; from ¥100,000 with company
// leadership; from ¥500,000 with the GM's office too), the budget committed on filing and given back on withdrawal,
// return, rejection and termination, the archive / payment plan / payable lines written on approval, and what
// terminating, changing or completing an archived contract does to the budget.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const archiveOf = async (recordId: string): Promise<FormRecord> => {
  const found = await (await s.as(who.financeHead)).list('contractArchive', {
    filters: [{ field: 'purchaseContractRef', op: 'eq', value: recordId }],
  });
  expect(found).toHaveLength(1);
  return found[0] as FormRecord;
};
const byContractNo = async (form: string, contractNo: unknown) =>
  (await s.as(who.financeHead)).list(form, { filters: [{ field: 'contractNo', op: 'eq', value: contractNo }] });
const contractCount = async () => (await (await s.as(who.financeHead)).list('purchaseContract')).length;

type Route = { total: number; dept: string; budget: string; steps: Array<[string, string]> };
const below: Array<[string, string]> = [
  [who.purchasingHead, 'dept2ndManager'],
  [who.legal, 'legal'],
  [who.financeHead, 'finance'],
];
const routes: Route[] = [
  {
    total: 9_999_999,
    dept: '研发一部',
    budget: 'b-rd1',
    steps: [[who.purchasingHead, 'dept2ndManager'], ['head:研发一部', 'deptHead'], ...below.slice(1)],
  },
  {
    total: 10_000_000,
    dept: 'IT 部',
    budget: 'b-it',
    steps: [
      [who.purchasingHead, 'dept2ndManager'],
      ['head:IT 部', 'deptHead'],
      ...below.slice(1),
      [who.vpFinance, 'leadership'],
    ],
  },
  {
    total: 49_999_999,
    dept: 'IT 部',
    budget: 'b-it',
    steps: [
      [who.purchasingHead, 'dept2ndManager'],
      ['head:IT 部', 'deptHead'],
      ...below.slice(1),
      [who.vpFinance, 'leadership'],
    ],
  },
  // For the purchasing department itself its head is met twice and asked once.
  {
    total: 50_000_000,
    dept: '采购部',
    budget: 'b-purchasing',
    steps: [...below, [who.vpFinance, 'leadership'], [who.ceo, 'gmOffice']],
  },
];
const approved: Record<number, { recordId: string; instanceId: string }> = {};

describe('the review chain by amount (thresholds ¥100,000 and ¥500,000)', () => {
  for (const route of routes) {
    it(`¥${(route.total / 100).toFixed(2)} for ${route.dept}: ${route.steps.map(([, n]) => n).join(' → ')} → execution`, async () => {
      const buyer = await s.as(who.buyer);
      const before = await budgetOf(s, route.budget);
      tick(s);
      const filed = await buyer.submit(
        'purchaseContract',
        await contractValues(s, { total: route.total, dept: route.dept, budget: route.budget }),
      );
      expect(filed.state).toBe('running');
      // Filing commits the total on the department's budget line.
      expect(await budgetOf(s, route.budget)).toEqual({
        ...before,
        committed: before.committed + route.total,
        remaining: before.remaining - route.total,
      });
      for (const [selector, node] of route.steps) {
        await act(s, selector, filed.instanceId, node, node === 'legal' ? { opinion: '条款合规，同意。' } : {});
      }
      // The handler confirms execution: the effective date is required there.
      expect(await pendingOf(s, filed.instanceId)).toEqual([
        { node: 'execution', memberId: await s.memberId(who.buyer) },
      ]);
      tick(s);
      const task = (await buyer.pending()).find((t) => t.instanceId === filed.instanceId);
      expect(await code(buyer.approve(task?.taskId as string))).toBe('FLOW_REQUIRED_FIELDS');
      const done = await act(s, who.buyer, filed.instanceId, 'execution', {
        values: { effectiveDate1: '2026-12-01', effectiveDate2: '2026-12-02' },
      });
      expect(done.state).toBe('approved');
      expect(await trail(s, filed.instanceId)).toEqual([...route.steps.map(([, node]) => node), 'execution']);
      if (route.dept === '采购部') expect(await outcomes(s, filed.instanceId, 'deptHead')).toEqual(['deduped']);
      approved[route.total] = { recordId: filed.recordId, instanceId: filed.instanceId };

      const request = await buyer.get('purchaseContract', filed.recordId);
      // 公司统一合同号 counts per prefix and project each year: these routes file project 777 one after another.
      const seq = String(routes.indexOf(route) + 1).padStart(4, '0');
      expect(request.values.unifiedContractNo).toBe(`XHJS-777-2026${seq}`);
      expect(request.values.opLegal).toMatchObject({ text: '条款合规，同意。', memberId: await s.memberId(who.legal) });
      // The archive (kind purchase), linked to the request whose opinions it keeps.
      const archive = await archiveOf(filed.recordId);
      expect(archive.values).toMatchObject({
        kind: 'purchase',
        contractNo: request.values.unifiedContractNo,
        contractName: '场景测试项目',
        contractCategory: 'purchaseService',
        contractStatus: 'inForce',
        counterpartyName: '上海云启信息技术有限公司',
        contractAmount: route.total,
        settledAmount: 0,
        outstandingAmount: route.total,
        direction: 'payment',
        signDate: '2026-12-01',
        handlerDept: await departmentId(s, route.dept),
        supplierRef: { id: ref(s, 'sp-yunqi') },
        budgetRef: { id: ref(s, route.budget) },
        purchaseContractRef: { id: filed.recordId },
      });
      // Its payment plan (F17) and one payable line per instalment (30 % and 70 %, rounded half up to the fen).
      const [plan] = await byContractNo('paymentPlan', archive.values.contractNo);
      expect(plan?.values).toMatchObject({
        contractRef: { id: archive.id },
        plannedTotal: route.total,
        paidTotal: 0,
        unpaidTotal: route.total,
        executionStatus: 'inProgress',
      });
      const lines = await byContractNo('purchasePaymentLedger', archive.values.contractNo);
      const first = Math.round((route.total * 30) / 100);
      expect(lines.map((line) => [line.values.period, line.values.localAmount, line.values.paid])).toEqual([
        [1, first, 'unpaid'],
        [2, route.total - first, 'unpaid'],
      ]);
      expect(lines[0]?.values).toMatchObject({
        assetName: '系统集成服务 第 1 期',
        dueDate: '2026-12-10',
        supplierRef: { id: ref(s, 'sp-yunqi') },
        budgetRef: { id: ref(s, route.budget) },
        purchaseContractRef: { id: filed.recordId },
      });
      // Approval keeps the commitment: payments will move it to paid.
      expect((await budgetOf(s, route.budget)).committed).toBe(before.committed + route.total);
    });
  }

  it('numbers another project from 0001 and the same project on from the routes (a sequence per prefix and project)', async () => {
    const buyer = await s.as(who.buyer);
    const file = async (projectNo: string) => {
      tick(s);
      const values = await contractValues(s, { total: 100_000, dept: '研发一部', budget: 'b-rd1', projectNo });
      const filed = await buyer.submit('purchaseContract', values);
      return (await buyer.get('purchaseContract', filed.recordId)).values.unifiedContractNo;
    };
    expect(await file('888')).toBe('XHJS-888-20260001');
    expect(await file('777')).toBe(`XHJS-777-2026${String(routes.length + 1).padStart(4, '0')}`);
    expect(await file('888')).toBe('XHJS-888-20260002');
  });

  it('writes the total in words and refuses a plan that does not add up to 100 %, an unconfirmed form and another department’s budget', async () => {
    const buyer = await s.as(who.buyer);
    const base = await contractValues(s, { total: 9_999_999, dept: '研发一部', budget: 'b-rd1' });
    const record = await buyer.get('purchaseContract', approved[9_999_999]?.recordId as string);
    expect(record.values.contractTotalUpper).toBe('玖万玖仟玖佰玖拾玖元玖角玖分');
    expect(record.values.paymentRatioTotal).toBe(100);
    const count = await contractCount();
    const before = await budgetOf(s, 'b-rd1');
    tick(s);
    expect(
      await code(
        buyer.submit('purchaseContract', {
          ...base,
          paymentPlanItems: [
            { ratio: 30, plannedDate: '2026-12-10' },
            { ratio: 60, plannedDate: '2026-12-20' },
          ],
        }),
      ),
    ).toBe('FORM_VALIDATION_FAILED');
    expect(await code(buyer.submit('purchaseContract', { ...base, handlerConfirm: false }))).toBe(
      'FORM_VALIDATION_FAILED',
    );
    expect(await code(buyer.submit('purchaseContract', { ...base, budgetRef: ref(s, 'b-it') }))).toBe(
      'FORM_VALIDATION_FAILED',
    );
    expect(await contractCount()).toBe(count);
    expect(await budgetOf(s, 'b-rd1')).toEqual(before);
  });
});

describe('the budget: over budget refused, the commitment given back (compensation)', () => {
  it('refuses a contract over the remaining budget, naming the figures, and keeps nothing of it', async () => {
    const buyer = await s.as(who.buyer);
    const before = await budgetOf(s, 'b-market');
    expect(before.remaining).toBe(45_000_000);
    const count = await contractCount();
    tick(s);
    const refused = await buyer
      .submit('purchaseContract', await contractValues(s, { total: 45_000_001, dept: '市场部', budget: 'b-market' }))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: {
        messageZh:
          '合同总金额 450,000.01 元超出预算科目「2026 市场部 市场服务」的可用余额 450,000.00 元，请先申请追加预算',
      },
    });
    expect(await budgetOf(s, 'b-market')).toEqual(before);
    expect(await contractCount()).toBe(count);
    // Exactly the remaining budget is within it.
    tick(s);
    const filed = await buyer.submit(
      'purchaseContract',
      await contractValues(s, { total: 45_000_000, dept: '市场部', budget: 'b-market' }),
    );
    expect(await budgetOf(s, 'b-market')).toMatchObject({ committed: 60_000_000, remaining: 0 });
    // Withdrawn before anyone acted: the commitment goes back.
    tick(s);
    expect((await buyer.withdraw(filed.instanceId)).state).toBe('withdrawn');
    expect(await budgetOf(s, 'b-market')).toEqual(before);
  });

  it('a withdrawal after an approval is too late; a termination by the handler gives the budget back', async () => {
    const buyer = await s.as(who.buyer);
    const before = await budgetOf(s, 'b-rd1');
    tick(s);
    const filed = await buyer.submit(
      'purchaseContract',
      await contractValues(s, { total: 2_000_000, dept: '研发一部', budget: 'b-rd1' }),
    );
    await act(s, who.purchasingHead, filed.instanceId, 'dept2ndManager');
    tick(s);
    expect(await code(buyer.withdraw(filed.instanceId))).toBe('FLOW_WITHDRAW_TOO_LATE');
    expect((await budgetOf(s, 'b-rd1')).committed).toBe(before.committed + 2_000_000);
    tick(s);
    expect((await buyer.terminate(filed.instanceId, '供应商报价有误，终止。')).state).toBe('terminated');
    expect(await budgetOf(s, 'b-rd1')).toEqual(before);
  });

  it('a return to the handler gives it back; the resubmission commits the new total and jumps back to legal', async () => {
    const buyer = await s.as(who.buyer);
    const before = await budgetOf(s, 'b-rd1');
    tick(s);
    const filed = await buyer.submit(
      'purchaseContract',
      await contractValues(s, { total: 3_000_000, dept: '研发一部', budget: 'b-rd1' }),
    );
    await act(s, who.purchasingHead, filed.instanceId, 'dept2ndManager');
    await act(s, 'head:研发一部', filed.instanceId, 'deptHead');
    tick(s);
    const legal = await s.as(who.legal);
    const task = (await legal.pending()).find((t) => t.instanceId === filed.instanceId);
    expect((await legal.returnTask(task?.taskId as string, 'initiator', '请补充付款条件。')).state).toBe('draft');
    expect(await budgetOf(s, 'b-rd1')).toEqual(before);
    tick(s);
    const again = await buyer.resubmit(filed.instanceId, { contractTotal: 2_500_000 }, true);
    expect(again.currentNodes).toEqual(['legal']);
    expect(await budgetOf(s, 'b-rd1')).toMatchObject({
      committed: before.committed + 2_500_000,
      remaining: before.remaining - 2_500_000,
    });
    // Back to the previous node: still running, still committed.
    tick(s);
    const next = (await legal.pending()).find((t) => t.instanceId === filed.instanceId);
    expect((await legal.returnTask(next?.taskId as string, 'previous', '请部门负责人再确认。')).currentNodes).toEqual([
      'deptHead',
    ]);
    expect((await budgetOf(s, 'b-rd1')).committed).toBe(before.committed + 2_500_000);
    // Rejected by finance at last: given back again, once.
    await act(s, 'head:研发一部', filed.instanceId, 'deptHead');
    await act(s, who.legal, filed.instanceId, 'legal');
    const rejected = await act(s, who.financeHead, filed.instanceId, 'finance', {
      reject: true,
      opinion: '本年度预算需优先保障支付系统项目。',
    });
    expect(rejected.state).toBe('rejected');
    expect(await budgetOf(s, 'b-rd1')).toEqual(before);
    const changes = await (await s.as(who.financeHead)).changes('budgetLedger', ref(s, 'b-rd1'));
    // Newest first: the rejection's undo, the resubmission's commitment, the return's undo, the first commitment.
    expect(changes.slice(0, 4).map((c) => [c.op, c.before, c.after])).toEqual([
      ['undo', { committedAmount: before.committed + 2_500_000 }, { committedAmount: before.committed }],
      ['adjust', { committedAmount: before.committed }, { committedAmount: before.committed + 2_500_000 }],
      ['undo', { committedAmount: before.committed + 3_000_000 }, { committedAmount: before.committed }],
      ['adjust', { committedAmount: before.committed }, { committedAmount: before.committed + 3_000_000 }],
    ]);
    expect(changes[0]?.instance).toMatchObject({ id: filed.instanceId, state: 'rejected' });
  });
});

describe('an archived contract: termination, an amount change, completion', () => {
  it('legal terminates a contract in the archive: its unpaid commitment goes back, its plan closes, its lines take no payment', async () => {
    const { recordId } = approved[9_999_999] as { recordId: string };
    const archive = await archiveOf(recordId);
    const before = await budgetOf(s, 'b-rd1');
    const legal = await s.as(who.legal);
    tick(s);
    await legal.update('contractArchive', archive.id, archive.version, { contractStatus: 'terminated' });
    expect(await budgetOf(s, 'b-rd1')).toMatchObject({
      committed: before.committed - 9_999_999,
      remaining: before.remaining + 9_999_999,
    });
    const [plan] = await byContractNo('paymentPlan', archive.values.contractNo);
    expect(plan?.values.executionStatus).toBe('closed');
    const [line] = await byContractNo('purchasePaymentLedger', archive.values.contractNo);
    tick(s);
    const refused = await (await s.as(who.buyer))
      .submit('purchasePayment', {
        reason: '外包首付款',
        items: [{ ledgerRowRef: line?.id, payAmount: 3_000_000 }],
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: `第 1 行所属合同 ${archive.values.contractNo} 已终止或已完成，不能再付款` },
    });
  });

  it('a higher amount moves the commitment by the difference, within the budget only', async () => {
    const { recordId } = approved[10_000_000] as { recordId: string };
    const legal = await s.as(who.legal);
    const archive = await archiveOf(recordId);
    const before = await budgetOf(s, 'b-it');
    tick(s);
    await legal.update('contractArchive', archive.id, archive.version, { contractAmount: 12_000_000 });
    expect(await budgetOf(s, 'b-it')).toMatchObject({ committed: before.committed + 2_000_000 });
    const [plan] = await byContractNo('paymentPlan', archive.values.contractNo);
    expect(plan?.values).toMatchObject({ contractTotal: 12_000_000, plannedTotal: 12_000_000 });
    const now = await archiveOf(recordId);
    tick(s);
    const refused = await legal
      .update('contractArchive', now.id, now.version, { contractAmount: 12_000_000 + before.remaining })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'RULE_GUARD_REFUSED' });
    expect((await archiveOf(recordId)).values.contractAmount).toBe(12_000_000);
    expect(await budgetOf(s, 'b-it')).toMatchObject({ committed: before.committed + 2_000_000 });
  });

  it('an evaluation confirming completion scores the supplier and closes the contract, giving back its unpaid budget', async () => {
    const { recordId } = approved[50_000_000] as { recordId: string };
    const archive = await archiveOf(recordId);
    const before = await budgetOf(s, 'b-purchasing');
    const supplierBefore = await (await s.as(who.buyer)).get('supplierArchive', ref(s, 'sp-yunqi'));
    expect(supplierBefore.values).toMatchObject({ evaluationCount: 1, scoreTotal: 89.5, averageScore: 89.5 });
    tick(s);
    const filed = await (await s.as(who.buyer)).submit('supplierEvaluation', {
      contractRef: archive.id,
      qualityScore: 70,
      timelinessScore: 80,
      cooperationScore: 90,
      comment: '服务基本满足要求。',
      contractCompleted: true,
    });
    const evaluation = await (await s.as(who.buyer)).get('supplierEvaluation', filed.recordId);
    // The contract filled the supplier; 70 × 0.5 + 80 × 0.3 + 90 × 0.2 = 77.
    expect(evaluation.values).toMatchObject({ supplierRef: { id: ref(s, 'sp-yunqi') }, totalScore: 77 });
    const done = await act(s, who.purchasingHead, filed.instanceId, 'completionReview', {
      values: { completionReviewer: await s.memberId(who.purchasingHead) },
    });
    expect(done.state).toBe('approved');
    const supplier = await (await s.as(who.buyer)).get('supplierArchive', ref(s, 'sp-yunqi'));
    // (89.5 + 77) / 2 = 83.25 → 83.3 (half up).
    expect(supplier.values).toMatchObject({
      evaluationCount: 2,
      scoreTotal: 166.5,
      averageScore: 83.3,
      lastScore: 77,
      lastEvaluatedOn: '2026-11-30',
    });
    const history = await (await s.as(who.buyer)).changes('supplierArchive', ref(s, 'sp-yunqi'));
    expect(history[0]?.instance).toMatchObject({ id: filed.instanceId, flow: 'contracts.supplierEvaluation' });
    expect((await archiveOf(recordId)).values.contractStatus).toBe('completed');
    expect(await budgetOf(s, 'b-purchasing')).toMatchObject({
      committed: before.committed - 50_000_000,
      remaining: before.remaining + 50_000_000,
    });
  });
});
