import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAs, taskOf, who } from './helpers.ts';
import { budgetOf, who as buying, ref } from './purchase-helpers.ts';
import { openScenario, type Scenario } from './setup.ts';

// F16 = F13: the same change request on a purchase contract of the demo (the purchase half's ¥86,000 outsourced
// testing contract) goes to the purchasing director instead of the sales director, and updates the archive the same
// way, with its change log. The sales plan is not touched. New payment terms move the payable lines (F35) and the
// payment plan (F17) as collection terms move a sales contract's instalments.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 180_000);
afterAll(async () => {
  await s?.database.cleanup();
});

describe('a purchase contract change', () => {
  it('routes to the head of purchasing and legal beside the purchasing director, then updates the archive', async () => {
    const legal = await s.as(who.legal[0]);
    const [archive] = await legal.list('contractArchive', {
      filters: [
        { field: 'kind', op: 'eq', value: 'purchase' },
        { field: 'contractName', op: 'eq', value: '支付系统回归测试外包' },
      ],
    });
    expect(archive?.values.kind).toBe('purchase');
    const buyer = await s.as('staff:采购部:0');
    const filed = await buyer.submit('contractChange', {
      contractRef: archive?.id,
      reason: '测试范围增加移动端，服务期延长一个月。',
      changeScope: ['term'],
      termEnd: '2027-06-30',
    });
    const request = await buyer.get('contractChange', filed.recordId);
    expect(request.values).toMatchObject({ contractKind: 'purchase', direction: 'payment' });

    // The buyer's department head first (the head of 采购部).
    expect(filed.currentNodes).toEqual(['handlerDept']);
    await approveAs(s, 'head:采购部', filed.instanceId, '同意。');
    const head = await s.as('head:采购部');
    expect(await taskOf(head, filed.instanceId, 'purchasingDirector')).toBeDefined();
    expect(await taskOf(await s.as(who.directorNorth), filed.instanceId)).toBeUndefined();
    expect(await taskOf(await s.as('head:销售中心'), filed.instanceId)).toBeUndefined();
    await approveAs(s, who.legal[2], filed.instanceId, '合规。');
    const done = await approveAs(s, 'head:采购部', filed.instanceId, '同意延期。');
    expect(done.state).toBe('approved');

    const now = await legal.get('contractArchive', archive?.id as string);
    expect(now.values).toMatchObject({
      termEnd: '2027-06-30',
      contractStatus: 'changed',
      changeCount: (archive?.values.changeCount as number) + 1,
      contractAmount: archive?.values.contractAmount,
    });
    const [latest] = await legal.changes('contractArchive', archive?.id as string);
    expect(latest).toMatchObject({
      op: 'update',
      before: { termEnd: archive?.values.termEnd },
      after: { termEnd: '2027-06-30' },
      instance: { id: filed.instanceId, flow: 'contracts.contractChange' },
    });
    const history = await buyer.history(filed.instanceId);
    expect(history.actions.filter((a) => a.action === 'approve').map((a) => a.opinion)).toEqual([
      '同意。',
      '合规。',
      '同意延期。',
    ]);
  });
});

describe('new payment terms of a purchase contract', () => {
  const contract = async (name: string) => {
    const [archive] = await (await s.as(who.legal[0])).list('contractArchive', {
      filters: [
        { field: 'kind', op: 'eq', value: 'purchase' },
        { field: 'contractName', op: 'eq', value: name },
      ],
    });
    if (!archive) throw new Error(`no archived contract ${name}`);
    return archive;
  };
  const terms = (...rows: [number, string][]) =>
    rows.map(([amount, dueDate], index) => ({ item: `第 ${index + 1} 期`, payee: '云启测试', amount, dueDate }));
  const linesOf = async (contractNo: unknown) =>
    (
      await (
        await s.as(buying.financeHead)
      ).list('purchasePaymentLedger', {
        filters: [{ field: 'contractNo', op: 'eq', value: contractNo }],
        sort: [{ field: 'period', dir: 'asc' }],
      })
    ).map((line): Record<string, unknown> => ({ ...line.values, id: line.id }));
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => ({}),
      (error: unknown) => error as { code?: string; params?: Record<string, unknown> },
    );
  /** The buyer files a change of the contract; the head of purchasing, legal and the purchasing director approve. */
  const changed = async (contractRef: string, values: Record<string, unknown>) => {
    const buyer = await s.as(buying.buyer);
    const filed = await buyer.submit('contractChange', {
      contractRef,
      reason: '测试范围扩大，增加一期付款。',
      ...values,
    });
    await approveAs(s, 'head:采购部', filed.instanceId);
    await approveAs(s, who.legal[2], filed.instanceId);
    const done = await approveAs(s, 'head:采购部', filed.instanceId);
    expect(done.state).toBe('approved');
    return filed;
  };

  it('refuses an instalment below what it paid, and one a running payment request is paying', async () => {
    const buyer = await s.as(buying.buyer);
    const testing = await contract('支付系统回归测试外包');
    // Its first instalment (¥25,800) was paid by the demo's second payment.
    expect(
      await refusal(
        buyer.submit('contractChange', {
          contractRef: testing.id,
          reason: '首期调低。',
          changeScope: ['paymentTerms'],
          paymentTerms: terms([2_000_000, '2026-12-01'], [6_600_000, '2027-01-31']),
        }),
      ),
    ).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: '第 1 期应付金额 20,000.00 元低于该期已付金额 25,800.00 元' },
    });
    // The cloud contract's first instalment is held by the demo's third payment, still under review.
    const cloud = await contract('集团云资源年度采购');
    expect(
      await refusal(
        buyer.submit('contractChange', {
          contractRef: cloud.id,
          reason: '首期调整。',
          changeScope: ['paymentTerms'],
          paymentTerms: terms([50_000_000, '2026-12-01'], [46_000_000, '2027-03-01'], [24_000_000, '2027-06-01']),
        }),
      ),
    ).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: '第 1 期正在付款申请中，付款完成或撤回后才能变更其金额' },
    });
  });

  it('a higher amount with new terms changes, adds and cancels payable lines, and moves the plan and the commitment', async () => {
    const testing = await contract('支付系统回归测试外包');
    const contractNo = testing.values.contractNo;
    const [paid, open] = await linesOf(contractNo);
    expect(paid).toMatchObject({ period: 1, unitPrice: 2_580_000, paidAmount: 2_580_000, paid: 'paid' });
    expect(open).toMatchObject({ period: 2, unitPrice: 6_020_000, paidAmount: 0, paid: 'unpaid' });
    const budget = await budgetOf(s, 'b-rd1');

    const filed = await changed(testing.id, {
      changeScope: ['amount', 'paymentTerms'],
      amount: 9_600_000,
      paymentTerms: terms([2_580_000, '2026-11-15'], [5_020_000, '2027-01-31'], [2_000_000, '2027-03-31']),
    });
    const lines = await linesOf(contractNo);
    expect(lines.map((line) => [line.period, line.unitPrice, line.localAmount, line.paid, line.dueDate])).toEqual([
      [1, 2_580_000, 2_580_000, 'paid', '2026-11-15'],
      [2, 5_020_000, 5_020_000, 'unpaid', '2027-01-31'],
      [3, 2_000_000, 2_000_000, 'unpaid', '2027-03-31'],
    ]);
    // The line added takes what the archive record holds: supplier, budget line, approval request, unit.
    expect(lines[2]).toMatchObject({
      assetName: '外包测试服务 第 3 期',
      project: '支付系统回归测试外包',
      assetCategory: 'serviceInstalment',
      supplierRef: { id: ref(s, 'sp-yunqi') },
      supplierName: lines[1]?.supplierName,
      budgetRef: { id: ref(s, 'b-rd1') },
      purchaseContractRef: { id: (testing.values.purchaseContractRef as { id: string }).id },
      company: testing.values.ourUnit,
      paidAmount: 0,
    });
    const [plan] = await (await s.as(buying.financeHead)).list('paymentPlan', {
      filters: [{ field: 'contractNo', op: 'eq', value: contractNo }],
    });
    expect(plan?.values).toMatchObject({ contractTotal: 9_600_000, plannedTotal: 9_600_000 });
    expect(await budgetOf(s, 'b-rd1')).toMatchObject({ committed: budget.committed + 1_000_000 });
    const [history] = await (await s.as(buying.financeHead)).changes('purchasePaymentLedger', open?.id as string);
    expect(history).toMatchObject({
      op: 'update',
      before: { unitPrice: 6_020_000, dueDate: open?.dueDate },
      after: { unitPrice: 5_020_000, dueDate: '2027-01-31' },
      instance: { id: filed.instanceId, flow: 'contracts.contractChange' },
    });

    // A later change moves the third instalment into the second: a term of 0 cancels its line.
    await changed(testing.id, {
      changeScope: ['paymentTerms'],
      paymentTerms: terms([2_580_000, '2026-11-15'], [7_020_000, '2027-01-31'], [0, '2027-03-31']),
    });
    expect((await linesOf(contractNo)).map((line) => [line.period, line.unpaidAmount, line.paid])).toEqual([
      [1, 0, 'paid'],
      [2, 7_020_000, 'unpaid'],
      [3, 0, 'cancelled'],
    ]);
    expect(await budgetOf(s, 'b-rd1')).toMatchObject({ committed: budget.committed + 1_000_000 });
  });
});
