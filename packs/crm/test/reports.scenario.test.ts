import type { ReportResult } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenario, type Scenario } from './setup.ts';

// Every CRM report over the demo data, against figures computed by hand from demo/*.ts (the clock stands at
// 2026-11-30, Asia/Shanghai), and the same reports seen by a director, whose scopes narrow the figures.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

/** Detail rows as { dimension value: figure }. */
const figures = (result: ReportResult, dimension: string, measure: string) =>
  Object.fromEntries(
    result.rows.filter((r) => r.kind === 'detail').map((r) => [String(r.keys[dimension]), r.values[measure]]),
  );
const total = (result: ReportResult, measure: string) => result.rows.find((r) => r.kind === 'total')?.values[measure];

const admin = () => s.as('staff:销售管理部:0');

describe('CRM reports, seen by sales management (every record)', () => {
  it('customers by region, industry and product type', async () => {
    const view = await admin();
    const region = await view.report('customersByRegion');
    expect(figures(region, 'region', 'customers')).toEqual({ north: 5, east: 4, southwest: 2, south: 1 });
    expect(total(region, 'customers')).toBe(12);
    expect(figures(await view.report('customersByIndustry'), 'industry', 'customers')).toEqual({
      retail: 4,
      finance: 2,
      internet: 2,
      manufacturing: 2,
      education: 1,
      catering: 1,
    });
    expect(figures(await view.report('customersByProductType'), 'productType', 'customers')).toEqual({
      cosmetics: 2,
      fmcg: 3,
      education: 1,
      automotive: 2,
      finance: 2,
      ecommerce: 1,
      games: 1,
    });
  });

  it('customers by salesperson: two each for 北京一组 #0 and 华东 #0, one for each of the eight others', async () => {
    const result = await (await admin()).report('customersBySalesperson');
    const byMember = figures(result, 'salesperson', 'customers');
    expect(byMember[await s.memberId('staff:北京销售一组:0')]).toBe(2);
    expect(byMember[await s.memberId('staff:华东销售部:0')]).toBe(2);
    expect(Object.values(byMember).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
  });

  it('cooperation amount by month and archive freshness', async () => {
    const view = await admin();
    const cooperation = await view.report('cooperationByMonth');
    expect(figures(cooperation, 'month', 'amount')).toEqual({
      '2025-06-01': 12_345_600,
      '2025-09-01': 25_000_000,
      '2025-11-01': 4_500_000,
      '2026-02-01': 2_600_000,
      '2026-03-01': 8_600_000,
      '2026-04-01': 6_800_000,
      '2026-05-01': 3_200_000,
      '2026-06-01': 18_800_000,
    });
    expect(total(cooperation, 'amount')).toBe(81_845_600);
    expect(total(cooperation, 'customers')).toBe(6); // c01 c02 c04 c06 c08 c10
    expect(figures(await view.report('archiveFreshness'), 'month', 'customers')).toEqual({
      '2026-07-01': 1,
      '2026-08-01': 1,
      '2026-09-01': 1,
      '2026-10-01': 2,
      '2026-11-01': 7,
    });
  });

  it('the opportunity funnel, sources, industries and months', async () => {
    const view = await admin();
    const funnel = await view.report('opportunitiesByStage');
    expect(figures(funnel, 'stage', 'opportunities')).toEqual({
      lead: 2,
      qualified: 2,
      proposal: 1,
      negotiation: 1,
      won: 1,
      lost: 1,
    });
    expect(figures(funnel, 'stage', 'amount')).toMatchObject({
      lead: 3_000_000,
      qualified: 39_000_000,
      proposal: 12_000_000,
      negotiation: 38_000_000,
      won: 26_000_000,
      lost: 5_000_000,
    });
    expect(total(funnel, 'amount')).toBe(123_000_000);
    const sources = await view.report('opportunitiesBySource');
    expect(figures(sources, 'customerSource', 'opportunities')).toEqual({ archive: 6, channel: 1, inboundCall: 1 });
    expect(figures(sources, 'customerSource', 'won')).toEqual({ archive: 1, channel: 0, inboundCall: 0 });
    expect(figures(sources, 'customerSource', 'amount')).toMatchObject({ archive: 114_000_000, channel: 9_000_000 });
    expect(figures(await view.report('opportunitiesByIndustry'), 'industryL1', 'opportunities')).toEqual({
      retail: 3,
      education: 1,
      manufacturing: 2,
      internet: 2,
    });
    const months = await view.report('opportunitiesByMonth');
    expect(figures(months, 'month', 'opportunities')).toEqual({ '2026-11-01': 8 });
  });

  it('services by customer, by type (phase × charging) and by satisfaction', async () => {
    const view = await admin();
    const byCustomer = await view.report('servicesByCustomer');
    expect(figures(byCustomer, 'customer', 'services')).toEqual({
      北京星辰化妆品有限公司: 1,
      天津滨海汽车销售有限公司: 1,
      上海锦绣电子商务有限公司: 1,
      成都天府火锅连锁有限公司: 1,
    });
    const byType = await view.report('servicesByType');
    const charging = byType.columns.map((c) => String(c.keys.charging));
    const cell = (phase: string, charge: string) =>
      byType.rows.find((r) => r.kind === 'detail' && r.keys.phase === phase)?.cells?.[charging.indexOf(charge)]
        ?.services ?? null;
    expect([
      cell('aftersales', 'free'),
      cell('aftersales', 'paid'),
      cell('presales', 'free'),
      cell('presales', 'paid'),
    ]).toEqual([2, 1, 1, null]);
    expect(figures(await view.report('servicesBySatisfaction'), 'satisfaction', 'services')).toEqual({
      verySatisfied: 1,
      satisfied: 2,
      dissatisfied: 1,
    });
  });
});

describe('the same reports narrowed to a director’s scopes', () => {
  it('华北’s director counts only the department and below', async () => {
    const director = await s.as('head:华北销售部');
    expect(figures(await director.report('customersByRegion'), 'region', 'customers')).toEqual({ north: 5 });
    expect(figures(await director.report('opportunitiesByStage'), 'stage', 'opportunities')).toEqual({
      negotiation: 1,
      proposal: 1,
      qualified: 1,
    });
    expect(figures(await director.report('servicesBySatisfaction'), 'satisfaction', 'services')).toEqual({
      verySatisfied: 1,
      dissatisfied: 1,
    });
  });

  it('an archive administrator, who reads no customer, gets empty figures', async () => {
    const archivist = await s.as('staff:档案室:0');
    expect((await archivist.report('customersByRegion')).rows.filter((r) => r.kind === 'detail')).toEqual([]);
  });
});
