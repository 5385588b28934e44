import type { ReportResult } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenario, type Scenario } from './setup.ts';

// Every sales report over the demo data (demo/sales.ts), against figures computed by hand. The demo loads on
// 2026-11-30 (China time): s01 星辰 ¥380,000 (3 terms, ¥114,000 + ¥50,000 received, the second term overdue since
// 11-20), s02 锦绣 ¥260,000 (2 terms, the first received), s03 滨海 ¥300,000 changed to ¥350,000 (4 terms, the
// first received); s04 is still under review and s05 was rejected, so neither is in the archive.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 180_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const details = (result: ReportResult) => result.rows.filter((r) => r.kind === 'detail');
const figures = (result: ReportResult, dimension: string, measure: string) =>
  Object.fromEntries(details(result).map((r) => [String(r.keys[dimension]), r.values[measure]]));
const total = (result: ReportResult) => result.rows.find((r) => r.kind === 'total')?.values;
const finance = () => s.as('staff:会计核算部:0');

describe('contract reports (finance sees every contract)', () => {
  it('contracts by status: two sales contracts in force, one changed', async () => {
    const result = await (await finance()).report('contractsByStatus');
    const kinds = result.columns.map((c) => String(c.keys.kind));
    const cell = (status: string, measure: string) =>
      details(result).find((r) => r.keys.contractStatus === status)?.cells?.[kinds.indexOf('sales')]?.[measure] ?? null;
    expect([cell('inForce', 'contracts'), cell('changed', 'contracts')]).toEqual([2, 1]);
    expect([cell('inForce', 'amount'), cell('changed', 'amount')]).toEqual([64_000_000, 35_000_000]);
  });

  it('sales contract execution: amount, collected, outstanding, changes and the collected rate', async () => {
    const result = await (await finance()).report('salesContractExecution');
    expect(
      details(result).map((r) => [
        r.keys.contractNo,
        r.keys.customer,
        r.values.amount,
        r.values.collected,
        r.values.outstanding,
        r.values.changes,
        r.values.collectedRate,
      ]),
    ).toEqual([
      ['XS-2026-0001', '北京星辰化妆品有限公司', 38_000_000, 16_400_000, 21_600_000, 0, 43.2],
      ['XS-2026-0002', '上海锦绣电子商务有限公司', 26_000_000, 13_000_000, 13_000_000, 0, 50],
      ['XS-2026-0003', '天津滨海汽车销售有限公司', 35_000_000, 7_500_000, 27_500_000, 1, 21.4],
    ]);
    expect(total(result)).toEqual({
      amount: 99_000_000,
      collected: 36_900_000,
      outstanding: 62_100_000,
      changes: 1,
      collectedRate: 37.3,
    });
  });

  it('by customer (largest first), by product type, and the gross margin of the plans', async () => {
    const view = await finance();
    const byCustomer = await view.report('salesContractsByCustomer');
    expect(details(byCustomer).map((r) => [r.keys.customer, r.values.amount])).toEqual([
      ['北京星辰化妆品有限公司', 38_000_000],
      ['天津滨海汽车销售有限公司', 35_000_000],
      ['上海锦绣电子商务有限公司', 26_000_000],
    ]);
    expect(total(byCustomer)).toEqual({ contracts: 3, amount: 99_000_000 });
    const byProduct = await view.report('salesContractsByProduct');
    expect(figures(byProduct, 'productType', 'amount')).toEqual({ marketing: 73_000_000, media: 26_000_000 });
    const margin = await view.report('grossMarginByProduct');
    // marketing: profit 11,400,000 + 9,000,000 over 38,000,000 + 35,000,000 (the changed total) = 27.95 %.
    expect(figures(margin, 'productType', 'margin')).toEqual({ marketing: 27.95, media: 20 });
    expect(total(margin)).toEqual({ contracts: 3, total: 99_000_000, profit: 25_600_000, margin: 25.86 });
  });
});

describe('collection reports', () => {
  it('due and overdue by customer (largest outstanding first)', async () => {
    const result = await (await finance()).report('collectionsDue');
    expect(
      details(result).map((r) => [
        r.keys.customer,
        r.values.lines,
        r.values.outstanding,
        r.values.overdue,
        r.values.overdueLines,
        r.values.notDue,
      ]),
    ).toEqual([
      ['天津滨海汽车销售有限公司', 3, 27_500_000, null, 0, 27_500_000],
      ['北京星辰化妆品有限公司', 2, 21_600_000, 10_200_000, 1, 11_400_000],
      ['上海锦绣电子商务有限公司', 1, 13_000_000, null, 0, 13_000_000],
    ]);
    expect(total(result)).toEqual({
      lines: 6,
      outstanding: 62_100_000,
      overdue: 10_200_000,
      overdueLines: 1,
      notDue: 51_900_000,
    });
  });

  it('planned against received by planned month', async () => {
    const result = await (await finance()).report('collectionsByMonth');
    expect(
      details(result).map((r) => [r.keys.month, r.values.planned, r.values.received, r.values.outstanding]),
    ).toEqual([
      ['2026-09-01', 7_500_000, 7_500_000, 0],
      ['2026-10-01', 24_400_000, 24_400_000, 0],
      ['2026-11-01', 15_200_000, 5_000_000, 10_200_000],
      ['2026-12-01', 18_900_000, 0, 18_900_000],
      ['2027-01-01', 13_000_000, 0, 13_000_000],
      ['2027-03-01', 10_000_000, 0, 10_000_000],
      ['2027-06-01', 10_000_000, 0, 10_000_000],
    ]);
    expect(total(result)).toEqual({ planned: 99_000_000, received: 36_900_000, outstanding: 62_100_000 });
  });

  it('received by month, and within a chosen period', async () => {
    const view = await finance();
    const result = await view.report('receivedByMonth');
    expect(details(result).map((r) => [r.keys.month, r.values.amount, r.values.receipts, r.values.contracts])).toEqual([
      ['2026-09-01', 7_500_000, 1, 1],
      ['2026-10-01', 11_400_000, 1, 1],
      ['2026-11-01', 18_000_000, 2, 2],
    ]);
    expect(total(result)).toEqual({ amount: 36_900_000, receipts: 4, contracts: 3 });
    const november = await view.report('receivedByMonth', { period: { from: '2026-11-01', to: '2026-11-30' } });
    expect(total(november)).toEqual({ amount: 18_000_000, receipts: 2, contracts: 2 });
  });

  it('drills from a customer’s overdue figure to the instalment behind it', async () => {
    const drill = await (await finance()).drill('collectionsDue', {
      keys: { customer: '北京星辰化妆品有限公司' },
      measure: 'overdue',
    });
    expect(drill.records.map((r) => [r.values.contractNo, r.values.period, r.values.plannedAmount])).toEqual([
      ['XS-2026-0001', 2, 15_200_000],
    ]);
  });
});

describe('the same reports through narrower scopes', () => {
  it('华北’s sales director sees the two contracts of the department and below', async () => {
    const director = await s.as('head:华北销售部');
    const result = await director.report('salesContractExecution');
    expect(details(result).map((r) => r.keys.contractNo)).toEqual(['XS-2026-0001', 'XS-2026-0003']);
    expect(total(await director.report('collectionsDue'))).toMatchObject({ lines: 5, outstanding: 49_100_000 });
  });

  it('a 华东 salesperson sees the department’s contract only; a developer sees nothing', async () => {
    const east = await s.as('staff:华东销售部:2');
    expect(details(await east.report('salesContractExecution')).map((r) => r.keys.contractNo)).toEqual([
      'XS-2026-0002',
    ]);
    expect(total(await east.report('collectionsDue'))).toMatchObject({ lines: 1, outstanding: 13_000_000 });
    // Receipts are finance's records: the salesperson follows collections on the plan lines.
    expect(details(await east.report('receivedByMonth'))).toEqual([]);
    const developer = await s.as('staff:研发一部:0');
    expect(details(await developer.report('collectionsDue'))).toEqual([]);
  });
});

describe('the demo’s change', () => {
  it('滨海’s archive shows the change with before and after, from the change request', async () => {
    const legal = await s.as('staff:法务部:0');
    const [archive] = await legal.list('contractArchive', {
      filters: [{ field: 'contractNo', op: 'eq', value: 'XS-2026-0003' }],
    });
    expect(archive?.values).toMatchObject({ contractStatus: 'changed', contractAmount: 35_000_000, changeCount: 1 });
    const changes = await legal.changes('contractArchive', archive?.id as string);
    expect(changes.map((c) => [c.op, c.instance?.flow])).toEqual([
      ['update', 'contracts.contractChange'],
      ['insert', 'contracts.salesContract'],
    ]);
    expect(changes[0]?.before).toMatchObject({ contractAmount: 30_000_000 });
    expect(changes[0]?.after).toMatchObject({ contractAmount: 35_000_000 });
  });
});

// Last: the clock only moves forward.
describe('on a later day', () => {
  it('overdue is decided on the day the report runs', async () => {
    const view = await finance();
    const today = await view.report('overdueInstalments');
    expect(
      details(today).map((r) => [r.keys.plannedDate, r.keys.contractNo, r.keys.period, r.values.outstanding]),
    ).toEqual([['2026-11-20', 'XS-2026-0001', 2, 10_200_000]]);
    // Three weeks later 星辰's third term (12-20) and 滨海's second (12-15) are overdue too.
    s.ctx.clock.set('2026-12-21T02:00:00.000Z');
    const later = await view.report('overdueInstalments');
    expect(details(later).map((r) => [r.keys.plannedDate, r.keys.contractNo, r.values.outstanding])).toEqual([
      ['2026-11-20', 'XS-2026-0001', 10_200_000],
      ['2026-12-15', 'XS-2026-0003', 7_500_000],
      ['2026-12-20', 'XS-2026-0001', 11_400_000],
    ]);
    expect(total(await view.report('collectionsDue'))).toMatchObject({ overdue: 29_100_000, overdueLines: 3 });
  });
});
