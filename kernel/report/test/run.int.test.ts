import { defineReport, type ReportDefinitionInput, type ResultRow, resultSheet, runReport } from '@baton/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Contract,
  forms,
  groupBy,
  monthStart,
  openEnv,
  quarterStart,
  seed,
  shanghaiDay,
  type World,
  weekStart,
  yearStart,
} from './fixtures.ts';

// Grouping, date buckets, cross-tab, totals and subtotals, computed columns, parameters and joins, each
// checked against answers computed by hand from the seeded contracts. Runs on SQLite and on PostgreSQL.

let world: World;

beforeAll(async () => {
  world = await seedWorld();
});
afterAll(() => world?.env.database.cleanup());

async function seedWorld() {
  return seed(await openEnv());
}

const l = (zh: string, en: string) => ({ zh, en });
const report = (def: Partial<ReportDefinitionInput> & Pick<ReportDefinitionInput, 'measures'>) =>
  defineReport({ pack: 'crm', key: 'test', label: l('测试', 'Test'), form: 'crm.contract', ...def }, { forms });

const run = (def: ReturnType<typeof report>, params?: Record<string, unknown>, sort?: unknown) =>
  runReport(world.env.ctx, {
    report: def,
    viewer: world.viewers.mona,
    ...(params ? { params } : {}),
    ...(sort ? { sort } : {}),
  });

/** Detail rows as { key: figure } keyed by one dimension. */
const byKey = (rows: ResultRow[], dim: string, figure: string) =>
  new Map(rows.filter((r) => r.kind === 'detail').map((r) => [r.keys[dim] ?? null, r.values[figure]]));

const all = () => world.contracts;

describe('grouping and aggregates', () => {
  it('groups by a field and aggregates count, sum, avg, min, max and distinct count', async () => {
    const def = report({
      rows: [{ field: 'departmentId', key: 'department' }],
      measures: [
        { key: 'count', agg: 'count' },
        { key: 'amount', agg: 'sum', field: 'amount' },
        { key: 'average', agg: 'avg', field: 'amount' },
        { key: 'smallest', agg: 'min', field: 'amount' },
        { key: 'latest', agg: 'max', field: 'signDate' },
        { key: 'customers', agg: 'distinctCount', field: 'customer' },
        { key: 'costed', agg: 'count', field: 'cost' },
      ],
    });
    const result = await run(def);
    const departments = [...new Set(all().map((c) => c.department))];
    expect(result.rows).toHaveLength(departments.length);
    for (const department of departments) {
      const mine = all().filter((c) => c.department === department);
      const row = result.rows.find((r) => r.keys.department === department) as ResultRow;
      const sum = mine.reduce((s, c) => s + c.amount, 0);
      expect(row.values).toEqual({
        count: mine.length,
        amount: sum,
        average: Math.round(sum / mine.length),
        smallest: Math.min(...mine.map((c) => c.amount)),
        latest: mine
          .map((c) => c.signDate)
          .sort()
          .at(-1),
        customers: new Set(mine.filter((c) => c.customer !== null).map((c) => c.customer)).size,
        costed: mine.filter((c) => c.cost !== null).length,
      });
    }
    expect(result.measures.map((m) => [m.key, m.type])).toContainEqual(['amount', 'money']);
  });

  it('buckets a date field by day, week, month, quarter and year (weeks start on Monday)', async () => {
    const oracle = {
      day: (d: string) => d,
      week: weekStart,
      month: monthStart,
      quarter: quarterStart,
      year: yearStart,
    };
    for (const [bucket, start] of Object.entries(oracle)) {
      const def = report({
        rows: [{ field: 'signDate', bucket: bucket as 'day', key: 'period' }],
        measures: [{ key: 'count', agg: 'count' }],
      });
      const result = await run(def);
      const expected = groupBy(all(), (c) => start(c.signDate));
      expect(byKey(result.rows, 'period', 'count'), bucket).toEqual(expected);
      // Ordered by the bucket ascending.
      const periods = result.rows.map((r) => r.keys.period as string);
      expect(periods, bucket).toEqual([...periods].sort());
    }
    // The year boundary: 2026-01-01 (Thursday) and 2026-01-04 (Sunday) are in the week of 2025-12-29.
    const weeks = await run(
      report({ rows: [{ field: 'signDate', bucket: 'week', key: 'w' }], measures: [{ key: 'n', agg: 'count' }] }),
    );
    expect(weeks.rows.map((r) => r.keys.w)).toContain('2025-12-29');
    expect(weeks.rows.map((r) => r.keys.w)).not.toContain('2026-01-01');
    expect(weeks.rows.find((r) => r.keys.w === '2025-12-29')?.labels.w).toBe('2025-12-29 当周');
  });

  it('buckets a datetime field in the report’s zone (Asia/Shanghai by default)', async () => {
    for (const [bucket, start] of [
      ['day', (d: string) => d],
      ['quarter', quarterStart],
      ['week', weekStart],
    ] as const) {
      const def = report({
        rows: [{ field: 'signedAt', bucket, key: 'period' }],
        measures: [{ key: 'count', agg: 'count' }],
      });
      const expected = groupBy(all(), (c) => start(shanghaiDay(c.signedAt)));
      expect(byKey((await run(def)).rows, 'period', 'count'), bucket).toEqual(expected);
    }
    // In UTC the same instants fall on other days.
    const utc = report({
      rows: [{ field: 'signedAt', bucket: 'day', key: 'period' }],
      measures: [{ key: 'count', agg: 'count' }],
      utcOffsetMinutes: 0,
    });
    expect(byKey((await run(utc)).rows, 'period', 'count')).toEqual(groupBy(all(), (c) => c.signedAt.slice(0, 10)));
  });

  it('labels option, boolean and bucket values in the caller’s language', async () => {
    const def = report({
      rows: [{ field: 'kind' }, { field: 'vip' }, { field: 'signDate', bucket: 'quarter', key: 'q' }],
      measures: [{ key: 'count', agg: 'count' }],
    });
    const zh = await run(def);
    const row = zh.rows.find((r) => r.keys.kind === 'service' && r.keys.vip === true && r.keys.q === '2026-01-01');
    expect(row?.labels).toEqual({ kind: '服务', vip: '是', q: '2026年第1季度' });
    const en = await runReport(world.env.ctx, { report: def, viewer: world.viewers.mona, locale: 'en-US' });
    expect(
      en.rows.find((r) => r.keys.kind === 'product' && r.keys.vip === false && r.keys.q === '2025-10-01')?.labels,
    ).toEqual({
      kind: 'Product',
      vip: 'No',
      q: '2025 Q4',
    });
  });

  it('names members and departments through the refs port', async () => {
    const def = report({ rows: [{ field: 'ownerId', key: 'owner' }], measures: [{ key: 'count', agg: 'count' }] });
    const refs = {
      names: async (_ctx: unknown, kind: string, ids: readonly string[]) =>
        new Map(ids.map((id) => [id, `${kind}:${Object.entries(world.members).find(([, m]) => m === id)?.[0]}`])),
    };
    const result = await runReport(world.env.ctx, { report: def, viewer: world.viewers.mona }, { refs });
    expect(result.rows.find((r) => r.keys.owner === world.members.bob)?.labels.owner).toBe('member:bob');
  });
});

describe('cross-tab, totals and subtotals', () => {
  it('pivots rows × columns with row, column and grand totals', async () => {
    const def = report({
      rows: [{ field: 'kind' }],
      columns: [{ field: 'status' }],
      measures: [
        { key: 'amount', agg: 'sum', field: 'amount' },
        { key: 'count', agg: 'count' },
      ],
      totals: true,
    });
    const result = await run(def);
    const statuses = [...new Set(all().map((c) => c.status))].sort();
    expect(result.columns.map((c) => c.keys.status)).toEqual(statuses);
    expect(result.columns.map((c) => c.labels.status)).toEqual(
      statuses.map((s) => ({ cancelled: '已取消', open: '执行中', paid: '已收款' })[s]),
    );
    const sum = (items: Contract[]) => items.reduce((s, c) => s + c.amount, 0);
    const kinds = ['product', 'service'];
    expect(result.rows.map((r) => [r.kind, r.keys.kind ?? null])).toEqual([
      ['detail', 'product'],
      ['detail', 'service'],
      ['total', null],
    ]);
    for (const row of result.rows) {
      const inRow = row.kind === 'total' ? all() : all().filter((c) => c.kind === row.keys.kind);
      expect(row.values).toEqual({ amount: sum(inRow), count: inRow.length });
      expect(row.cells).toEqual(
        statuses.map((status) => {
          const cell = inRow.filter((c) => c.status === status);
          return cell.length === 0 ? null : { amount: sum(cell), count: cell.length };
        }),
      );
    }
    expect(kinds.every((k) => result.rows.some((r) => r.keys.kind === k))).toBe(true);

    // As a sheet: one column per status × figure, then the totals, money in yuan.
    const sheet = resultSheet(result);
    expect(sheet.columns.map((c) => c.header)).toEqual([
      '类型',
      '已取消 · 合同金额合计',
      '已取消 · 记录数',
      '执行中 · 合同金额合计',
      '执行中 · 记录数',
      '已收款 · 合同金额合计',
      '已收款 · 记录数',
      '合计 · 合同金额合计',
      '合计 · 记录数',
    ]);
    const rows = [...(sheet.rows as Iterable<unknown[]>)];
    expect(rows.at(-1)?.[0]).toBe('合计');
    expect(rows.at(-1)?.at(-2)).toBe(sum(all()) / 100);
  });

  it('inserts subtotals after each group and a grand total at the end', async () => {
    const def = report({
      rows: [{ field: 'kind' }, { field: 'status' }],
      measures: [{ key: 'amount', agg: 'sum', field: 'amount' }],
      subtotals: true,
      totals: true,
    });
    const result = await run(def);
    const sum = (items: Contract[]) => items.reduce((s, c) => s + c.amount, 0);
    const expected: [string, Record<string, string>, number][] = [];
    for (const kind of ['product', 'service']) {
      for (const status of ['cancelled', 'open', 'paid']) {
        const items = all().filter((c) => c.kind === kind && c.status === status);
        if (items.length) expected.push(['detail', { kind, status }, sum(items)]);
      }
      expected.push(['subtotal', { kind }, sum(all().filter((c) => c.kind === kind))]);
    }
    expected.push(['total', {}, sum(all())]);
    expect(result.rows.map((r) => [r.kind, r.keys, r.values.amount])).toEqual(expected);
  });

  it('gives a cross-tab subtotal rows with their cells and totals', async () => {
    const def = report({
      rows: [{ field: 'kind' }, { field: 'vip' }],
      columns: [{ field: 'signDate', bucket: 'year', key: 'year' }],
      measures: [{ key: 'count', agg: 'count' }],
      subtotals: true,
      totals: true,
    });
    const result = await run(def);
    const years = ['2025-01-01', '2026-01-01'];
    expect(result.columns.map((c) => c.keys.year)).toEqual(years);
    const cellsOf = (items: Contract[]) =>
      years.map((year) => {
        const n = items.filter((c) => yearStart(c.signDate) === year).length;
        return n === 0 ? null : { count: n };
      });
    const expected: [string, Record<string, unknown>, unknown, unknown][] = [];
    for (const kind of ['product', 'service']) {
      for (const vip of [false, true]) {
        const items = all().filter((c) => c.kind === kind && c.vip === vip);
        if (items.length) expected.push(['detail', { kind, vip }, { count: items.length }, cellsOf(items)]);
      }
      const items = all().filter((c) => c.kind === kind);
      expected.push(['subtotal', { kind }, { count: items.length }, cellsOf(items)]);
    }
    expected.push(['total', {}, { count: all().length }, cellsOf(all())]);
    expect(result.rows.map((r) => [r.kind, r.keys, r.values, r.cells])).toEqual(expected);
  });

  it('keeps the whole total under a top-N list', async () => {
    const def = report({
      rows: [{ field: 'signDate', bucket: 'month', key: 'month' }],
      measures: [{ key: 'amount', agg: 'sum', field: 'amount' }],
      sort: [{ by: 'amount', dir: 'desc' }],
      limit: 2,
      totals: true,
    });
    const result = await run(def);
    const months = [
      ...groupBy(
        all(),
        (c) => monthStart(c.signDate),
        (c) => c.amount,
      ).entries(),
    ].sort((a, b) => b[1] - a[1]);
    expect(result.rows.map((r) => [r.kind, r.keys.month ?? null, r.values.amount])).toEqual([
      ['detail', months[0]?.[0], months[0]?.[1]],
      ['detail', months[1]?.[0], months[1]?.[1]],
      ['total', null, all().reduce((s, c) => s + c.amount, 0)],
    ]);
  });
});

describe('computed columns over aggregates', () => {
  it('computes an overdue rate and a gross margin per group and for the total', async () => {
    const def = report({
      where: "status != 'cancelled'",
      rows: [{ field: 'departmentId', key: 'department' }],
      measures: [
        { key: 'count', agg: 'count' },
        { key: 'overdue', agg: 'count', where: 'paidDate > dueDate OR (ISBLANK(paidDate) AND dueDate < $today)' },
        { key: 'revenue', agg: 'sum', field: 'amount' },
        { key: 'cost', agg: 'sum', field: 'cost' },
      ],
      computed: [
        { key: 'overdueRate', expr: 'ROUND(overdue / count * 100, 1)', label: l('逾期率%', 'Overdue %') },
        { key: 'margin', expr: 'ROUND((revenue - cost) / revenue * 100, 2)', label: l('毛利率%', 'Gross margin %') },
      ],
      sort: [{ by: 'overdueRate', dir: 'desc' }],
      totals: true,
    });
    const result = await run(def);
    const today = '2026-04-15';
    const figures = (items: Contract[]) => {
      const overdue = items.filter((c) => (c.paidDate !== null ? c.paidDate > c.dueDate : c.dueDate < today)).length;
      const revenue = items.reduce((s, c) => s + c.amount, 0);
      const costed = items.filter((c) => c.cost !== null);
      // SQL: the sum of no values is blank; the expression language reads a blank money figure as 0.
      const cost = costed.length === 0 ? null : costed.reduce((s, c) => s + (c.cost ?? 0), 0);
      return {
        count: items.length,
        overdue,
        revenue,
        cost,
        overdueRate: Math.round((overdue / items.length) * 1000) / 10,
        margin: Math.round(((revenue - (cost ?? 0)) / revenue) * 10000) / 100,
      };
    };
    const live = all().filter((c) => c.status !== 'cancelled');
    const details = result.rows.filter((r) => r.kind === 'detail');
    for (const row of details) {
      expect(row.values).toEqual(figures(live.filter((c) => c.department === row.keys.department)));
    }
    // Sorted by the computed rate, descending.
    const rates = details.map((r) => r.values.overdueRate as number);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect(result.rows.at(-1)?.values).toEqual(figures(live));
    expect(result.measures.find((m) => m.key === 'margin')).toMatchObject({ computed: true, type: 'number' });
  });
});

describe('parameters', () => {
  const def = () =>
    report({
      params: [
        { key: 'period', type: 'dateRange', label: l('签订日期', 'Signed') },
        { key: 'team', type: 'department', label: l('部门', 'Team') },
        { key: 'owner', type: 'member', label: l('人员', 'Owner') },
        { key: 'statuses', type: 'options', label: l('状态', 'Status'), field: 'status' },
        { key: 'moment', type: 'dateRange', label: l('签订时间', 'Signed at') },
      ],
      filters: [
        { field: 'signDate', param: 'period' },
        { field: 'departmentId', param: 'team' },
        { field: 'ownerId', param: 'owner' },
        { field: 'status', param: 'statuses' },
        { field: 'signedAt', param: 'moment' },
      ],
      measures: [{ key: 'count', agg: 'count' }],
    });
  const count = async (params: Record<string, unknown>) => (await run(def(), params)).rows[0]?.values.count;

  it('filters by a date range, inclusive of both ends', async () => {
    const period = { from: '2025-12-29', to: '2026-03-31' };
    expect(await count({ period })).toBe(
      all().filter((c) => c.signDate >= period.from && c.signDate <= period.to).length,
    );
    expect(await count({ period: { from: '2026-04-01' } })).toBe(
      all().filter((c) => c.signDate >= '2026-04-01').length,
    );
  });

  it('takes a datetime range as whole days in the report’s zone', async () => {
    const when = { from: '2026-04-01', to: '2026-04-01' };
    expect(await count({ moment: when })).toBe(all().filter((c) => shanghaiDay(c.signedAt) === '2026-04-01').length);
  });

  it('resolves presets from the clock', async () => {
    // Today is 2026-04-15: this quarter is April–June, last quarter January–March.
    expect(await count({ period: { preset: 'thisQuarter' } })).toBe(
      all().filter((c) => c.signDate >= '2026-04-01').length,
    );
    expect(await count({ period: { preset: 'lastQuarter' } })).toBe(
      all().filter((c) => c.signDate >= '2026-01-01' && c.signDate <= '2026-03-31').length,
    );
  });

  it('takes a department with its sub-departments', async () => {
    const { sales, north, south } = world.departments;
    const inSales = all().filter((c) => [sales, north, south].includes(c.department)).length;
    expect(await count({ team: world.departments.sales })).toBe(inSales);
    expect(await count({ team: [world.departments.north] })).toBe(all().filter((c) => c.department === north).length);
  });

  it('filters by members and by options', async () => {
    expect(await count({ owner: [world.members.alice, world.members.bob] })).toBe(
      all().filter((c) => c.owner === 'alice' || c.owner === 'bob').length,
    );
    expect(await count({ statuses: ['paid', 'open'], owner: world.members.carl })).toBe(
      all().filter((c) => c.status !== 'cancelled' && c.owner === 'carl').length,
    );
  });

  it('applies defaults and refuses missing required parameters', async () => {
    const withDefault = report({
      params: [
        {
          key: 'statuses',
          type: 'options',
          label: l('状态', 'Status'),
          field: 'status',
          default: ['paid'],
          required: true,
        },
      ],
      filters: [{ field: 'status', param: 'statuses' }],
      measures: [{ key: 'count', agg: 'count' }],
    });
    expect((await run(withDefault)).rows[0]?.values.count).toBe(all().filter((c) => c.status === 'paid').length);
    const required = report({
      params: [{ key: 'period', type: 'dateRange', label: l('期间', 'Period'), required: true }],
      filters: [{ field: 'signDate', param: 'period' }],
      measures: [{ key: 'count', agg: 'count' }],
    });
    await expect(run(required)).rejects.toMatchObject({
      code: 'REPORT_PARAM_INVALID',
      fields: [expect.objectContaining({ path: ['params', 'period'], code: 'required' })],
    });
  });
});

describe('joins and subtables', () => {
  it('groups by a field of a referenced form, within the viewer’s scopes on it', async () => {
    const def = report({
      joins: [{ field: 'customer' }],
      rows: [{ field: 'customer.industry', key: 'industry' }],
      measures: [{ key: 'count', agg: 'count' }],
    });
    const industry = (c: Contract) => (c.customer === null ? null : (world.customers[c.customer]?.industry ?? null));
    expect(byKey((await run(def)).rows, 'industry', 'count')).toEqual(groupBy(all(), industry));
    // The director cannot read the customer archive: the joined field is blank, the count is still theirs.
    const dora = await runReport(world.env.ctx, { report: def, viewer: world.viewers.dora });
    const team = [world.departments.sales, world.departments.north, world.departments.south];
    expect(byKey(dora.rows, 'industry', 'count')).toEqual(
      new Map([[null, all().filter((c) => team.includes(c.department)).length]]),
    );
    const granted = await runReport(world.env.ctx, {
      report: def,
      viewer: { ...world.viewers.dora, targets: { 'crm.customer': ['all'] } },
    });
    expect(byKey(granted.rows, 'industry', 'count')).toEqual(
      groupBy(
        all().filter((c) => team.includes(c.department)),
        industry,
      ),
    );
  });

  it('reports over subtable rows with the record’s fields beside them', async () => {
    const def = report({
      subtable: 'lines',
      rows: [{ field: 'lines.product', key: 'product' }],
      measures: [
        { key: 'qty', agg: 'sum', field: 'lines.qty' },
        { key: 'contracts', agg: 'distinctCount', field: 'id' },
        { key: 'paidLines', agg: 'count', where: "status = 'paid'" },
      ],
    });
    const lines = all().flatMap((c) => c.lines.map((line) => ({ ...line, contract: c })));
    const result = await run(def);
    for (const product of new Set(lines.map((line) => line.product))) {
      const mine = lines.filter((line) => line.product === product);
      expect(result.rows.find((r) => r.keys.product === product)?.values).toEqual({
        qty: mine.reduce((s, line) => s + line.qty, 0),
        contracts: new Set(mine.map((line) => line.contract.id)).size,
        paidLines: mine.filter((line) => line.contract.status === 'paid').length,
      });
    }
  });

  it('answers a report with no dimensions with one row', async () => {
    const result = await run(report({ measures: [{ key: 'count', agg: 'count' }], totals: true }));
    expect(result.rows).toEqual([{ kind: 'detail', keys: {}, labels: {}, values: { count: all().length } }]);
  });
});
