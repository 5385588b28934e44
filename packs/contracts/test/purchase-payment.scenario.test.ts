import type { FormRecord } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, budgetOf, payThrough, pendingOf, ref, tick, trail, who } from './purchase-helpers.ts';
import { code, openScenario, type Scenario } from './setup.ts';

// F34 purchase payments against the F35 base table, over the demo: picking unpaid lines (each row copies the line and
// the supplier's bank), the guards against paying a line twice, instalments written to the line, the contract and
// its plan, the budget committed on filing and moved to paid, what a rejection, a return and a termination give
// back, the remote company's GM for a branch, and one payment of 120 supplier lines.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const finance = () => s.as(who.financeHead);
const line = async (id: string) => (await finance()).get('purchasePaymentLedger', id);
const lineState = async (id: string) => {
  const { paid, paidAmount, unpaidAmount, pendingPaymentRef, paymentRef } = (await line(id)).values;
  const idOf = (value: unknown) => (value as { id?: string } | null)?.id ?? null;
  return { paid, paidAmount, unpaidAmount, pending: idOf(pendingPaymentRef), payment: idOf(paymentRef) };
};
/** The payable line a demo contract's approval wrote for its n-th instalment. */
const instalment = async (contract: string, period: number): Promise<FormRecord> => {
  const found = await (await finance()).list('purchasePaymentLedger', {
    filters: [
      { field: 'purchaseContractRef', op: 'eq', value: ref(s, contract) },
      { field: 'period', op: 'eq', value: period },
    ],
  });
  expect(found).toHaveLength(1);
  return found[0] as FormRecord;
};
const archiveOf = async (contract: string) =>
  (
    await (
      await finance()
    ).list('contractArchive', {
      filters: [{ field: 'purchaseContractRef', op: 'eq', value: ref(s, contract) }],
    })
  )[0] as FormRecord;
const planOf = async (contractNo: unknown) =>
  (
    await (await finance()).list('paymentPlan', { filters: [{ field: 'contractNo', op: 'eq', value: contractNo }] })
  )[0] as FormRecord;

const pay = async (items: Array<{ line: string; amount: number }>, by: string = who.buyer) => {
  tick(s);
  return (await s.as(by)).submit('purchasePayment', {
    reason: '场景测试付款',
    items: items.map((item) => ({ ledgerRowRef: item.line, payAmount: item.amount })),
  });
};

describe('picking base-table lines', () => {
  it('each row copies its line and the supplier’s bank; filing holds the lines and commits the budget; a withdrawal frees both', async () => {
    const before = await budgetOf(s, 'b-admin');
    const filed = await pay([
      { line: ref(s, 'gd09'), amount: 10_000 },
      { line: ref(s, 'gd10'), amount: 7_000 },
    ]);
    const request = await (await s.as(who.buyer)).get('purchasePayment', filed.recordId);
    expect(request.values.requestTotal).toBe(17_000);
    expect(request.values.serialNo).toMatch(/^FK-20261130-\d{4}$/);
    expect((request.values.items as Array<Record<string, unknown>>)[0]).toMatchObject({
      supplier: { id: ref(s, 'sp-shunengkai'), display: '北京蜀能凯科技有限公司' },
      supplierName: '北京蜀能凯科技有限公司',
      assetName: '其他',
      quantity: 100,
      unitPrice: 100,
      origAmount: 10_000,
      rate: 1,
      localAmount: 10_000,
      inboundDate: '2013-05-11',
      payStatus: 'unpaid',
      unpaidAmount: 10_000,
      payeeBank: '招商银行北京上地支行',
      payeeAccount: '1109 0723 **** 0518',
      budgetRef: { id: ref(s, 'b-admin') },
    });
    expect(await lineState(ref(s, 'gd09'))).toMatchObject({ pending: filed.recordId, paid: 'unpaid' });
    expect(await budgetOf(s, 'b-admin')).toMatchObject({ committed: before.committed + 17_000 });
    tick(s);
    await (await s.as(who.buyer)).withdraw(filed.instanceId);
    expect(await lineState(ref(s, 'gd09'))).toMatchObject({ pending: null, paid: 'unpaid' });
    expect(await lineState(ref(s, 'gd10'))).toMatchObject({ pending: null });
    expect(await budgetOf(s, 'b-admin')).toEqual(before);
  });
});

describe('no line paid twice (P-55)', () => {
  it('refuses a paid line, a line held by a running request, a line twice in one request and more than is unpaid — changing nothing', async () => {
    const held = await instanceLine('pc3', 1);
    expect(await lineState(held)).toMatchObject({ pending: ref(s, 'pay3'), paid: 'unpaid' });
    const snapshot = async () => ({
      lines: await Promise.all([ref(s, 'gd01'), ref(s, 'gd09'), held].map(lineState)),
      budget: await budgetOf(s, 'b-admin'),
      requests: (await (await finance()).list('purchasePayment')).length,
    });
    const before = await snapshot();
    // Paid in full: the picker does not offer it, and a write naming it is refused at that row.
    const paid = await pay([{ line: ref(s, 'gd01'), amount: 100 }]).catch((error: unknown) => error);
    expect(paid).toMatchObject({ code: 'FORM_VALIDATION_FAILED' });
    expect((paid as { fields: Array<{ path: unknown[] }> }).fields.map((f) => f.path.join('.'))).toContain(
      'items.0.ledgerRowRef',
    );
    // Held by the demo's running request pay3: refused by the guard, naming the row.
    const running = await pay([
      { line: ref(s, 'gd09'), amount: 10_000 },
      { line: held, amount: 100 },
    ]).catch((error: unknown) => error);
    expect(running).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: '第 2 行「云服务器年度服务 第 1 期」已付款或正在其他付款申请中，不能重复付款' },
      fields: [expect.objectContaining({ path: ['items', 1] })],
    });
    const twice = await pay([
      { line: ref(s, 'gd09'), amount: 5_000 },
      { line: ref(s, 'gd09'), amount: 5_000 },
    ]).catch((error: unknown) => error);
    expect(twice).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: '第 1 行「其他」在本单中重复出现' },
    });
    // More than the ¥600.00 still unpaid on pc2's half-paid first instalment.
    const partly = (await instanceLine('pc2', 1)) as string;
    expect(await lineState(partly)).toMatchObject({
      paid: 'partlyPaid',
      paidAmount: 6_000_000,
      unpaidAmount: 6_000_000,
    });
    expect(await code(pay([{ line: partly, amount: 6_000_001 }]))).toBe('FORM_VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });
});

async function instanceLine(contract: string, period: number): Promise<string> {
  return (await instalment(contract, period)).id;
}

describe('instalments (P-54): every payment is written to its line, its contract and its plan', () => {
  it('the rest of pc2’s first instalment, then its second in two payments: partly paid, then paid; the plan is paid in full', async () => {
    const first = await instanceLine('pc2', 1);
    const second = await instanceLine('pc2', 2);
    const archive = await archiveOf('pc2');
    expect(archive.values).toMatchObject({ contractAmount: 30_000_000, settledAmount: 6_000_000 });
    const budgetBefore = await budgetOf(s, 'b-it');

    const a = await pay([{ line: first, amount: 6_000_000 }]);
    tick(s);
    // The cashier must pay what was requested.
    for (const [selector, node] of [
      [who.purchasingHead, 'purchasingDirector'],
      [who.vpFinance, 'purchasingVp'],
      [who.accountant, 'invoiceCheck'],
      [who.financeManager, 'financeManager'],
      [who.financeHead, 'financeDirector'],
      [who.ceo, 'cpo'],
    ] as const)
      await act(s, selector, a.instanceId, node);
    const cashier = await s.as(who.cashier);
    const task = (await cashier.pending()).find((t) => t.instanceId === a.instanceId);
    const cashierId = await s.memberId(who.cashier);
    expect(
      await code(
        cashier.approve(task?.taskId as string, undefined, {
          paidAmount: 5_000_000,
          paidAt: '2026-11-30T15:00:00+08:00',
          cashier: cashierId,
        }),
      ),
    ).toBe('FORM_VALIDATION_FAILED');
    const done = await act(s, who.cashier, a.instanceId, 'cashier', {
      values: { paidAmount: 6_000_000, paidAt: '2026-11-30T15:00:00+08:00', cashier: cashierId },
    });
    expect(done.state).toBe('approved');
    expect((await (await s.as(who.buyer)).get('purchasePayment', a.recordId)).values.paidAmountUpper).toBe('陆万元整');
    expect(await lineState(first)).toEqual({
      paid: 'paid',
      paidAmount: 12_000_000,
      unpaidAmount: 0,
      pending: null,
      payment: a.recordId,
    });
    // The line's history names both payments, newest first, each linked to its request.
    const history = await (await finance()).changes('purchasePaymentLedger', first);
    const paidBy = history.filter((c) => c.op === 'adjust').map((c) => c.instance?.id);
    expect(paidBy).toEqual([a.instanceId, s.demo.instances.pay2]);

    const b = await pay([{ line: second, amount: 10_000_000 }]);
    await payThrough(s, b.instanceId, 10_000_000);
    expect(await lineState(second)).toMatchObject({
      paid: 'partlyPaid',
      paidAmount: 10_000_000,
      unpaidAmount: 8_000_000,
    });
    expect((await planOf(archive.values.contractNo)).values).toMatchObject({
      paidTotal: 22_000_000,
      unpaidTotal: 8_000_000,
      executionStatus: 'inProgress',
    });
    const c = await pay([{ line: second, amount: 8_000_000 }]);
    await payThrough(s, c.instanceId, 8_000_000);
    expect(await lineState(second)).toMatchObject({ paid: 'paid', paidAmount: 18_000_000, payment: c.recordId });

    expect((await archiveOf('pc2')).values).toMatchObject({ settledAmount: 30_000_000, outstandingAmount: 0 });
    expect((await planOf(archive.values.contractNo)).values).toMatchObject({
      paidTotal: 30_000_000,
      unpaidTotal: 0,
      executionStatus: 'paid',
    });
    // The contract's commitment moved to paid: 60,000 + 100,000 + 80,000.
    expect(await budgetOf(s, 'b-it')).toEqual({
      ...budgetBefore,
      committed: budgetBefore.committed - 24_000_000,
      paid: budgetBefore.paid + 24_000_000,
    });
    const budgetHistory = await (await finance()).changes('budgetLedger', ref(s, 'b-it'));
    expect(budgetHistory[0]?.instance).toMatchObject({ id: c.instanceId, flow: 'contracts.purchasePayment' });
  });
});

describe('the budget of lines without a contract (P-53)', () => {
  it('commits on filing and refuses what the line cannot cover; the approval moves it to paid', async () => {
    const accountant = await s.as(who.accountant);
    const server = await accountant.create('purchasePaymentLedger', {
      supplierRef: ref(s, 'sp-xingyun'),
      assetCategory: 'other',
      assetName: '机房服务器',
      project: '三维项目',
      quantity: 1,
      unitPrice: 20_000_000,
      inboundDate: '2026-11-28',
      budgetRef: ref(s, 'b-admin'),
    });
    expect(server.values).toMatchObject({ localAmount: 20_000_000, paid: 'unpaid', paidAmount: 0 });
    const before = await budgetOf(s, 'b-admin');
    expect(before.remaining).toBe(18_471_400);
    const refused = await pay([{ line: server.id, amount: 20_000_000 }]).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: '第 1 行「机房服务器」超出预算科目「2026 行政部 办公采购」的可用余额（差 15,286.00 元）' },
    });
    expect(await budgetOf(s, 'b-admin')).toEqual(before);
    expect(await lineState(server.id)).toMatchObject({ pending: null });
    // Half of it fits.
    const half = await pay([{ line: server.id, amount: 10_000_000 }]);
    expect(await budgetOf(s, 'b-admin')).toMatchObject({ committed: before.committed + 10_000_000 });
    await payThrough(s, half.instanceId, 10_000_000);
    expect(await budgetOf(s, 'b-admin')).toEqual({
      ...before,
      paid: before.paid + 10_000_000,
      remaining: before.remaining - 10_000_000,
    });
    expect(await lineState(server.id)).toMatchObject({ paid: 'partlyPaid', unpaidAmount: 10_000_000 });
  });
});

describe('what gives the lines back', () => {
  it('a rejection, a return to the requester and a termination each free the line and the budget; a resubmission holds them again', async () => {
    const gd11 = ref(s, 'gd11');
    const before = { line: await lineState(gd11), budget: await budgetOf(s, 'b-admin') };
    const held = { pending: expect.any(String) };
    const first = await pay([{ line: gd11, amount: 60_000 }]);
    expect(await lineState(gd11)).toMatchObject(held);
    await act(s, who.purchasingHead, first.instanceId, 'purchasingDirector');
    await act(s, who.vpFinance, first.instanceId, 'purchasingVp');
    await act(s, who.accountant, first.instanceId, 'invoiceCheck', { reject: true, opinion: '发票抬头有误。' });
    expect({ line: await lineState(gd11), budget: await budgetOf(s, 'b-admin') }).toEqual(before);

    const second = await pay([{ line: gd11, amount: 60_000 }]);
    await act(s, who.purchasingHead, second.instanceId, 'purchasingDirector');
    tick(s);
    const vp = await s.as(who.vpFinance);
    const task = (await vp.pending()).find((t) => t.instanceId === second.instanceId);
    await vp.returnTask(task?.taskId as string, 'initiator', '请补充发票。');
    expect({ line: await lineState(gd11), budget: await budgetOf(s, 'b-admin') }).toEqual(before);
    tick(s);
    await (await s.as(who.buyer)).resubmit(second.instanceId);
    expect(await lineState(gd11)).toMatchObject({ pending: second.recordId });
    expect((await budgetOf(s, 'b-admin')).committed).toBe(before.budget.committed + 60_000);
    tick(s);
    expect((await (await s.as(who.buyer)).terminate(second.instanceId, '改为下月合并支付。')).state).toBe('terminated');
    expect({ line: await lineState(gd11), budget: await budgetOf(s, 'b-admin') }).toEqual(before);
  });

  it('a branch’s payment goes to its GM (异地公司总经理) and its own finance staff; headquarters’ skip the GM', async () => {
    const gd12 = ref(s, 'gd12');
    const filed = await pay([{ line: gd12, amount: 100_000 }], 'staff:综合管理部:1');
    await act(s, who.purchasingHead, filed.instanceId, 'purchasingDirector');
    expect(await pendingOf(s, filed.instanceId)).toEqual([
      { node: 'remoteGm', memberId: await s.memberId('head:分公司总经理办公室') },
    ]);
    await act(s, 'head:分公司总经理办公室', filed.instanceId, 'remoteGm', { opinion: '同意，成都分公司承担。' });
    await act(s, who.vpFinance, filed.instanceId, 'purchasingVp');
    // The branch's finance staff checks the invoice, not headquarters'.
    expect(await pendingOf(s, filed.instanceId)).toEqual([
      { node: 'invoiceCheck', memberId: await s.memberId('staff:综合管理部:0') },
    ]);
    await act(s, 'staff:综合管理部:0', filed.instanceId, 'invoiceCheck');
    for (const [selector, node] of [
      [who.financeManager, 'financeManager'],
      [who.financeHead, 'financeDirector'],
      [who.ceo, 'cpo'],
    ] as const)
      await act(s, selector, filed.instanceId, node);
    await act(s, who.cashier, filed.instanceId, 'cashier', {
      values: { paidAmount: 100_000, paidAt: '2026-11-30T16:00:00+08:00', cashier: await s.memberId(who.cashier) },
    });
    expect(await trail(s, filed.instanceId)).toEqual([
      'purchasingDirector',
      'remoteGm',
      'purchasingVp',
      'invoiceCheck',
      'financeManager',
      'financeDirector',
      'cpo',
      'cashier',
    ]);
    expect(await trail(s, s.demo.instances.pay1 as string)).not.toContain('remoteGm');
    expect(await lineState(gd12)).toMatchObject({ paid: 'paid', payment: filed.recordId });
  });
});

describe('one payment of 120 supplier lines (Q3, Q360-2)', () => {
  it('files, approves and settles 120 lines of six suppliers in one request', async () => {
    const suppliers = ['sp-shunengkai', 'sp-yunqi', 'sp-shuan', 'sp-xingyun', 'sp-qiming', 'sp-jincheng'];
    const accountant = await s.as(who.accountant);
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) {
      const created = await accountant.create('purchasePaymentLedger', {
        supplierRef: ref(s, suppliers[i % suppliers.length] as string),
        assetCategory: 'consumables',
        assetName: `办公耗材批次 ${i + 1}`,
        quantity: 1 + (i % 3),
        unitPrice: 10_000 + i * 100,
        inboundDate: '2026-11-20',
        budgetRef: ref(s, 'b-purchasing'),
      });
      lines.push(created.id);
    }
    const amounts = lines.map((_, i) => (1 + (i % 3)) * (10_000 + i * 100));
    const total = amounts.reduce((sum, fen) => sum + fen, 0);
    const before = await budgetOf(s, 'b-purchasing');
    let started = performance.now();
    const filed = await pay(lines.map((line, i) => ({ line, amount: amounts[i] as number })));
    const submitMs = performance.now() - started;
    const request = await (await s.as(who.buyer)).get('purchasePayment', filed.recordId);
    expect((request.values.items as unknown[]).length).toBe(120);
    expect(request.values.requestTotal).toBe(total);
    expect(await budgetOf(s, 'b-purchasing')).toMatchObject({ committed: before.committed + total });
    for (const [selector, node] of [
      [who.purchasingHead, 'purchasingDirector'],
      [who.vpFinance, 'purchasingVp'],
      [who.accountant, 'invoiceCheck'],
      [who.financeManager, 'financeManager'],
      [who.financeHead, 'financeDirector'],
      [who.ceo, 'cpo'],
    ] as const)
      await act(s, selector, filed.instanceId, node);
    started = performance.now();
    const done = await act(s, who.cashier, filed.instanceId, 'cashier', {
      values: { paidAmount: total, paidAt: '2026-11-30T17:00:00+08:00', cashier: await s.memberId(who.cashier) },
    });
    const settleMs = performance.now() - started;
    expect(done.state).toBe('approved');
    const states = await Promise.all(lines.map(lineState));
    expect(states.every((state, i) => state.paid === 'paid' && state.paidAmount === amounts[i])).toBe(true);
    expect(new Set(states.map((state) => state.payment))).toEqual(new Set([filed.recordId]));
    expect(await budgetOf(s, 'b-purchasing')).toEqual({
      ...before,
      paid: before.paid + total,
      remaining: before.remaining - total,
    });
    console.info(`120-line payment: submit ${submitMs.toFixed(0)} ms, cashier's approval ${settleMs.toFixed(0)} ms`);
  }, 120_000);
});
