import type { ReportResult } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentId, ref, who } from './purchase-helpers.ts';
import { openScenario, type Scenario } from './setup.ts';

// Every purchase-side report over the demo data, against figures worked out by hand from demo/purchase.ts:
// - pay1 paid the Gaode rows 1–8 in October: 3,350 + 3,750 + 49 + 300 + 7,500 + 240 + 87 + 10 = ¥15,286.00;
// - pay2 paid in November pc1's first instalment (30 % of ¥86,000 = ¥25,800) and half of pc2's (40 % of ¥300,000 =
//   ¥120,000; ¥60,000 paid); pay3 (pc3's ¥600,000) still runs, so it is counted nowhere as paid;
// - pc1 ¥86,000 (研发一部), pc2 ¥300,000 (IT 部), pc3 ¥1,200,000 (采购部) are in force; pc4 ¥150,000 (市场部) is being
//   reviewed (committed); pc5 ¥90,000 (行政部) was rejected (given back).
// Then the same reports narrowed to a buyer's and a salesperson's scopes.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const details = (result: ReportResult) => result.rows.filter((r) => r.kind === 'detail');
const byKey = (result: ReportResult, key: string) =>
  Object.fromEntries(details(result).map((r) => [String(r.keys[key]), r.values]));
const total = (result: ReportResult) => result.rows.find((r) => r.kind === 'total')?.values;
const finance = () => s.as(who.financeHead);

const supplier = {
  yunqi: '上海云启信息技术有限公司',
  shuan: '杭州数安网络安全有限公司',
  shunengkai: '北京蜀能凯科技有限公司',
  xingyun: '北京星云数据科技有限公司',
};

describe('purchase reports, seen by the finance director (every record)', () => {
  it('payments by supplier and month: approved payments only, by the cashier’s month', async () => {
    const result = await (await finance()).report('paymentsBySupplierMonth');
    expect(result.columns.map((c) => c.keys.month)).toEqual(['2026-10-01', '2026-11-01']);
    const cell = (name: string, month: number) =>
      details(result).find((r) => r.keys.supplier === name)?.cells?.[month] ?? null;
    expect(byKey(result, 'supplier')).toEqual({
      [supplier.yunqi]: { amount: 2_580_000, lines: 1 },
      [supplier.shunengkai]: { amount: 1_528_600, lines: 8 },
      [supplier.shuan]: { amount: 6_000_000, lines: 1 },
    });
    expect([cell(supplier.shunengkai, 0), cell(supplier.shunengkai, 1)]).toEqual([
      { amount: 1_528_600, lines: 8 },
      null,
    ]);
    expect([cell(supplier.yunqi, 1), cell(supplier.shuan, 1)]).toEqual([
      { amount: 2_580_000, lines: 1 },
      { amount: 6_000_000, lines: 1 },
    ]);
    expect(total(result)).toEqual({ amount: 10_108_600, lines: 10 });
    expect(result.rows.find((r) => r.kind === 'total')?.cells).toEqual([
      { amount: 1_528_600, lines: 8 },
      { amount: 8_580_000, lines: 2 },
    ]);
    // November only.
    const november = await (await finance()).report('paymentsBySupplierMonth', {
      period: { from: '2026-11-01', to: '2026-11-30' },
    });
    expect(total(november)).toEqual({ amount: 8_580_000, lines: 2 });
    // Drill-through: the eight rows of pay1 behind 蜀能凯's figure.
    const drilled = await (await finance()).drill('paymentsBySupplierMonth', {
      keys: { supplier: supplier.shunengkai },
      measure: 'amount',
    });
    expect(drilled.records).toHaveLength(8);
    expect(new Set(drilled.records.map((r) => r.id))).toEqual(new Set([ref(s, 'pay1')]));
    expect(drilled.records.reduce((sum, r) => sum + (r.values['items.payAmount'] as number), 0)).toBe(1_528_600);
  });

  it('budget execution per department: budget, committed, paid, remaining and rate — drilling to the line and its history', async () => {
    const dept = {
      purchasing: await departmentId(s, '采购部'),
      admin: await departmentId(s, '行政部'),
      market: await departmentId(s, '市场部'),
      rd1: await departmentId(s, '研发一部'),
      it: await departmentId(s, 'IT 部'),
    };
    const result = await (await finance()).report('budgetExecution');
    expect(details(result).map((r) => r.keys.year)).toEqual([2026, 2026, 2026, 2026, 2026]);
    expect(byKey(result, 'department')).toEqual({
      [dept.purchasing]: { budget: 300_000_000, committed: 120_000_000, paid: 0, remaining: 180_000_000, rate: 40 },
      [dept.admin]: { budget: 20_000_000, committed: 0, paid: 1_528_600, remaining: 18_471_400, rate: 7.6 },
      [dept.market]: { budget: 60_000_000, committed: 15_000_000, paid: 0, remaining: 45_000_000, rate: 25 },
      [dept.rd1]: { budget: 80_000_000, committed: 6_020_000, paid: 2_580_000, remaining: 71_400_000, rate: 10.8 },
      [dept.it]: { budget: 150_000_000, committed: 24_000_000, paid: 6_000_000, remaining: 120_000_000, rate: 20 },
    });
    expect(total(result)).toEqual({
      budget: 610_000_000,
      committed: 165_020_000,
      paid: 10_108_600,
      remaining: 434_871_400,
      rate: 28.7,
    });
    const one = await (await finance()).report('budgetExecution', { department: [dept.rd1] });
    expect(details(one).map((r) => r.keys.department)).toEqual([dept.rd1]);
    // Drill-through to the budget line, then its history: pay2 moved ¥25,800 from committed to paid, pc1 had
    // committed ¥86,000 — each change linked to its request.
    const drilled = await (await finance()).drill('budgetExecution', { keys: { year: 2026, department: dept.rd1 } });
    expect(drilled.records.map((r) => r.id)).toEqual([ref(s, 'b-rd1')]);
    expect(drilled.records[0]?.values).toMatchObject({
      lineName: '2026 研发一部 外包服务',
      remainingAmount: 71_400_000,
    });
    const history = await (await finance()).changes('budgetLedger', ref(s, 'b-rd1'));
    expect(history.map((c) => [c.instance?.id, c.before, c.after])).toEqual([
      [s.demo.instances.pay2, { paidAmount: 0 }, { paidAmount: 2_580_000 }],
      [s.demo.instances.pay2, { committedAmount: 8_600_000 }, { committedAmount: 6_020_000 }],
      [s.demo.instances.pc1, { committedAmount: 0 }, { committedAmount: 8_600_000 }],
    ]);
  });

  it('budget consumption by department and supplier, drilling to the payable lines', async () => {
    const rd1 = await departmentId(s, '研发一部');
    const result = await (await finance()).report('budgetConsumption');
    const figures = Object.fromEntries(
      details(result).map((r) => [`${r.keys.department}|${r.keys.supplier}`, r.values]),
    );
    expect(figures).toEqual({
      [`${await departmentId(s, '采购部')}|${supplier.xingyun}`]: {
        planned: 120_000_000,
        paid: 0,
        unpaid: 120_000_000,
        lines: 3,
      },
      [`${await departmentId(s, '行政部')}|${supplier.shunengkai}`]: {
        planned: 1_705_600,
        paid: 1_528_600,
        unpaid: 177_000,
        lines: 12,
      },
      [`${rd1}|${supplier.yunqi}`]: { planned: 8_600_000, paid: 2_580_000, unpaid: 6_020_000, lines: 2 },
      [`${await departmentId(s, 'IT 部')}|${supplier.shuan}`]: {
        planned: 30_000_000,
        paid: 6_000_000,
        unpaid: 24_000_000,
        lines: 2,
      },
    });
    expect(total(result)).toEqual({ planned: 160_305_600, paid: 10_108_600, unpaid: 150_197_000, lines: 19 });
    const drilled = await (await finance()).drill('budgetConsumption', {
      keys: { department: rd1, supplier: supplier.yunqi },
    });
    expect(drilled.records.map((r) => [r.values.period, r.values.localAmount, r.values.paid])).toEqual(
      expect.arrayContaining([
        [1, 2_580_000, 'paid'],
        [2, 6_020_000, 'unpaid'],
      ]),
    );
  });

  it('payables by supplier and status: the Gaode seed rows total ¥17,056.00', async () => {
    const result = await (await finance()).report('payablesBySupplier');
    expect(result.columns.map((c) => c.keys.status)).toEqual(['paid', 'partlyPaid', 'unpaid']);
    expect(byKey(result, 'supplier')).toEqual({
      [supplier.yunqi]: { planned: 8_600_000, paid: 2_580_000, unpaid: 6_020_000, lines: 2 },
      [supplier.xingyun]: { planned: 120_000_000, paid: 0, unpaid: 120_000_000, lines: 3 },
      [supplier.shunengkai]: { planned: 1_705_600, paid: 1_528_600, unpaid: 177_000, lines: 12 },
      [supplier.shuan]: { planned: 30_000_000, paid: 6_000_000, unpaid: 24_000_000, lines: 2 },
    });
    const shuan = details(result).find((r) => r.keys.supplier === supplier.shuan);
    expect(shuan?.cells).toEqual([
      null,
      { planned: 12_000_000, paid: 6_000_000, unpaid: 6_000_000, lines: 1 },
      { planned: 18_000_000, paid: 0, unpaid: 18_000_000, lines: 1 },
    ]);
    expect(result.rows.find((r) => r.kind === 'total')?.cells).toEqual([
      { planned: 4_108_600, paid: 4_108_600, unpaid: 0, lines: 9 },
      { planned: 12_000_000, paid: 6_000_000, unpaid: 6_000_000, lines: 1 },
      { planned: 144_197_000, paid: 0, unpaid: 144_197_000, lines: 9 },
    ]);
  });

  it('purchase contract execution and supplier scores', async () => {
    const execution = await (await finance()).report('purchaseContractExecution');
    expect(byKey(execution, 'supplier')).toEqual({
      [supplier.yunqi]: { contracts: 1, amount: 8_600_000, paid: 2_580_000, outstanding: 6_020_000, paidRate: 30 },
      [supplier.xingyun]: { contracts: 1, amount: 120_000_000, paid: 0, outstanding: 120_000_000, paidRate: 0 },
      [supplier.shuan]: { contracts: 1, amount: 30_000_000, paid: 6_000_000, outstanding: 24_000_000, paidRate: 20 },
    });
    expect(details(execution).every((r) => r.keys.contractStatus === 'inForce')).toBe(true);
    // 8,580,000 / 158,600,000 = 5.41 %.
    expect(total(execution)).toEqual({
      contracts: 3,
      amount: 158_600_000,
      paid: 8_580_000,
      outstanding: 150_020_000,
      paidRate: 5.4,
    });
    const scores = await (await finance()).report('supplierScores');
    // ev1: 90 × 0.5 + 85 × 0.3 + 95 × 0.2 = 89.5; ev2: 80 × 0.5 + 70 × 0.3 + 90 × 0.2 = 79.
    expect(details(scores).map((r) => [r.keys.supplier, r.values.score, r.values.evaluations])).toEqual([
      [supplier.yunqi, 89.5, 1],
      [supplier.shuan, 79, 1],
    ]);
  });
});

describe('the same reports narrowed to the viewer’s scopes', () => {
  it('a buyer counts only the payments they filed; a salesperson reaches no purchase contract', async () => {
    const buyer = await s.as(who.buyer);
    // pay2 is theirs; pay1 was filed by another buyer.
    expect(byKey(await buyer.report('paymentsBySupplierMonth'), 'supplier')).toEqual({
      [supplier.yunqi]: { amount: 2_580_000, lines: 1 },
      [supplier.shuan]: { amount: 6_000_000, lines: 1 },
    });
    // Archive records belong to the request's initiator, inside the purchasing department the buyer reads.
    expect(total(await buyer.report('purchaseContractExecution'))).toMatchObject({ contracts: 3 });
    const salesperson = await s.as('staff:华北销售部:0');
    expect(details(await salesperson.report('purchaseContractExecution'))).toEqual([]);
  });
});
