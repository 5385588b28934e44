import { createGrant } from '@baton/access';
import type { Viewer } from '@baton/form';
import {
  type DrillRecord,
  defineReport,
  drillReport,
  exportDrill,
  type ReportDefinition,
  runReport,
} from '@baton/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Contract, forms, monthStart, openEnv, seed, type World } from './fixtures.ts';

// Record scopes in the SQL of a report (one report, three viewers, three different right answers) and
// drill-through returning exactly the records behind a figure, for the same viewer. Both databases.

let world: World;
let byMonth: ReportDefinition;

const l = (zh: string, en: string) => ({ zh, en });

beforeAll(async () => {
  world = await seed(await openEnv());
  byMonth = defineReport(
    {
      pack: 'crm',
      key: 'byMonth',
      label: l('按月合同', 'Contracts by month'),
      form: 'crm.contract',
      params: [{ key: 'statuses', type: 'options', label: l('状态', 'Status'), field: 'status' }],
      filters: [{ field: 'status', param: 'statuses' }],
      rows: [{ field: 'signDate', bucket: 'month', key: 'month' }],
      columns: [{ field: 'kind' }],
      measures: [
        { key: 'count', agg: 'count' },
        { key: 'amount', agg: 'sum', field: 'amount' },
        { key: 'late', agg: 'count', where: 'paidDate > dueDate' },
      ],
      totals: true,
      drill: { columns: ['title', 'signDate', 'amount', 'status', 'kind', 'ownerId'] },
    },
    { forms },
  );
});
afterAll(() => world?.env.database.cleanup());

const team = () => [world.departments.sales, world.departments.north, world.departments.south];
const visibleTo = (who: 'alice' | 'dora' | 'mona'): Contract[] =>
  who === 'mona'
    ? world.contracts
    : who === 'dora'
      ? world.contracts.filter((c) => c.owner === 'dora' || team().includes(c.department))
      : world.contracts.filter((c) => c.owner === 'alice');
const sum = (items: Contract[]) => items.reduce((s, c) => s + c.amount, 0);

async function drillAll(
  viewer: Viewer,
  cell: Parameters<typeof drillReport>[1]['cell'],
  params?: Record<string, unknown>,
) {
  const records: DrillRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await drillReport(world.env.ctx, {
      report: byMonth,
      viewer,
      cell,
      limit: 3,
      ...(params ? { params } : {}),
      ...(cursor ? { cursor } : {}),
    });
    records.push(...page.records);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return records;
}

describe('record scopes', () => {
  it('gives a member, a director and management three different right answers', async () => {
    const totals: number[] = [];
    for (const who of ['alice', 'dora', 'mona'] as const) {
      const result = await runReport(world.env.ctx, { report: byMonth, viewer: world.viewers[who] });
      const mine = visibleTo(who);
      const total = result.rows.at(-1);
      expect(total?.kind).toBe('total');
      expect(total?.values, who).toEqual({
        count: mine.length,
        amount: sum(mine),
        late: mine.filter((c) => c.paidDate && c.paidDate > c.dueDate).length,
      });
      // Every detail row is the viewer's too.
      for (const row of result.rows.filter((r) => r.kind === 'detail')) {
        const inRow = mine.filter((c) => monthStart(c.signDate) === row.keys.month);
        expect(row.values.count, `${who} ${row.keys.month}`).toBe(inRow.length);
      }
      totals.push(total?.values.count as number);
    }
    expect(new Set(totals).size).toBe(3);
    expect(totals[0]).toBeLessThan(totals[1] as number);
    expect(totals[1]).toBeLessThan(totals[2] as number);
  });

  it('counts grants (借阅) in force, and nothing for a viewer with no scopes', async () => {
    const bobs = world.contracts.find((c) => c.owner === 'bob') as Contract;
    await createGrant(world.env.ctx, { memberId: world.members.alice, resource: 'crm.contract', recordId: bobs.id });
    const alice = world.viewers.alice;
    const withGrant = await runReport(world.env.ctx, { report: byMonth, viewer: { ...alice, grants: true } });
    expect(withGrant.rows.at(-1)?.values.count).toBe(visibleTo('alice').length + 1);
    const without = await runReport(world.env.ctx, { report: byMonth, viewer: alice });
    expect(without.rows.at(-1)?.values.count).toBe(visibleTo('alice').length);
    const nobody = await runReport(world.env.ctx, {
      report: byMonth,
      viewer: { memberId: world.members.erin, scopes: [] },
    });
    expect(nobody.rows).toEqual([
      { kind: 'total', keys: {}, labels: {}, values: { count: 0, amount: null, late: 0 }, cells: [] },
    ]);
  });
});

describe('drill-through', () => {
  it('returns exactly the records behind each cell, row total, column total and grand total', async () => {
    for (const who of ['dora', 'mona'] as const) {
      const viewer = world.viewers[who];
      const result = await runReport(world.env.ctx, { report: byMonth, viewer });
      const mine = visibleTo(who);
      for (const row of result.rows) {
        // The row's total (every kind).
        const rowRecords = await drillAll(viewer, { keys: row.keys });
        const expected = mine.filter((c) => row.kind === 'total' || monthStart(c.signDate) === row.keys.month);
        expect(rowRecords.map((r) => r.id).sort(), `${who} ${row.keys.month}`).toEqual(
          expected.map((c) => c.id).sort(),
        );
        expect(rowRecords.length).toBe(row.values.count);
        // Each cell.
        for (const [index, column] of result.columns.entries()) {
          const cell = row.cells?.[index];
          const records = await drillAll(viewer, { keys: { ...row.keys, ...column.keys } });
          const behind = expected.filter((c) => c.kind === column.keys.kind);
          expect(records.map((r) => r.id).sort()).toEqual(behind.map((c) => c.id).sort());
          expect(records.length).toBe(cell?.count ?? 0);
          expect(records.reduce((s, r) => s + (r.values.amount as number), 0)).toBe(cell?.amount ?? 0);
        }
      }
    }
  });

  it('applies the measure’s condition and the parameters, and carries the flow instance id', async () => {
    const viewer = world.viewers.mona;
    const params = { statuses: ['paid'] };
    const late = await drillAll(viewer, { keys: { month: '2026-01-01' }, measure: 'late' }, params);
    const expected = world.contracts.filter(
      (c) => c.status === 'paid' && monthStart(c.signDate) === '2026-01-01' && c.paidDate && c.paidDate > c.dueDate,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(late.map((r) => r.id).sort()).toEqual(expected.map((c) => c.id).sort());
    for (const record of late) {
      const contract = world.contracts.find((c) => c.id === record.id) as Contract;
      expect(record.flowInstanceId).toBe(contract.flowInstanceId);
      expect(record.values).toMatchObject({ signDate: contract.signDate, amount: contract.amount, status: 'paid' });
      expect(record.labels).toMatchObject({ status: '已收款' });
    }
  });

  it('keeps to the viewer’s scopes: a cell outside them is empty', async () => {
    const bobOnly = world.contracts.filter((c) => c.owner === 'bob');
    const month = monthStart((bobOnly[0] as Contract).signDate);
    const records = await drillAll(world.viewers.alice, { keys: { month } });
    expect(records.every((r) => world.contracts.find((c) => c.id === r.id)?.owner === 'alice')).toBe(true);
  });

  it('refuses a cursor from another cell, and values that are not group values', async () => {
    const viewer = world.viewers.mona;
    const first = await drillReport(world.env.ctx, {
      report: byMonth,
      viewer,
      limit: 1,
      cell: { keys: { month: '2026-01-01' } },
    });
    expect(first.nextCursor).not.toBeNull();
    await expect(
      drillReport(world.env.ctx, {
        report: byMonth,
        viewer,
        cell: { keys: { month: '2026-02-01' } },
        cursor: first.nextCursor as string,
      }),
    ).rejects.toMatchObject({ code: 'REPORT_PARAM_INVALID', fields: [expect.objectContaining({ path: ['cursor'] })] });
    await expect(
      drillReport(world.env.ctx, { report: byMonth, viewer, cell: { keys: { month: '2026-01-15', kind: 1 } } }),
    ).rejects.toMatchObject({
      code: 'REPORT_PARAM_INVALID',
      fields: [
        expect.objectContaining({ path: ['cell', 'keys', 'month'] }),
        expect.objectContaining({ path: ['cell', 'keys', 'kind'] }),
      ],
    });
  });

  it('drills into subtable rows, each with its record and row id', async () => {
    const lines = defineReport(
      {
        pack: 'crm',
        key: 'lines',
        label: l('明细', 'Lines'),
        form: 'crm.contract',
        subtable: 'lines',
        rows: [{ field: 'lines.product', key: 'product' }],
        measures: [{ key: 'qty', agg: 'sum', field: 'lines.qty' }],
        drill: { columns: ['title', 'lines.product', 'lines.qty'] },
      },
      { forms },
    );
    const viewer = world.viewers.mona;
    const result = await runReport(world.env.ctx, { report: lines, viewer });
    for (const row of result.rows) {
      const records: DrillRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await drillReport(world.env.ctx, {
          report: lines,
          viewer,
          cell: { keys: row.keys },
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        records.push(...page.records);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const expected = world.contracts.flatMap((c) =>
        c.lines.filter((line) => line.product === row.keys.product).map((line) => ({ id: c.id, qty: line.qty })),
      );
      expect(records.map((r) => r.id).sort()).toEqual(expected.map((e) => e.id).sort());
      expect(new Set(records.map((r) => r.rowId)).size).toBe(expected.length);
      expect(records.reduce((s, r) => s + (r.values['lines.qty'] as number), 0)).toBe(row.values.qty);
    }
  });

  it('exports the records behind a figure as a sheet, money in yuan', async () => {
    const viewer = world.viewers.dora;
    const sheet = await exportDrill(world.env.ctx, { report: byMonth, viewer, cell: { keys: { kind: 'service' } } });
    expect(sheet.columns.map((c) => c.header)).toEqual([
      '记录编号',
      '流程实例',
      '合同名称',
      '签订日期',
      '合同金额',
      '状态',
      '类型',
      '所有人',
    ]);
    const rows: unknown[][] = [];
    for await (const row of sheet.rows) rows.push(row);
    const expected = visibleTo('dora').filter((c) => c.kind === 'service');
    expect(rows.map((r) => r[0]).sort()).toEqual(expected.map((c) => c.id).sort());
    // Counted before the first row, for the download's progress.
    expect(sheet.total).toBe(expected.length);
    const one = rows.find((r) => r[0] === expected[0]?.id) as unknown[];
    expect(one[4]).toBe((expected[0]?.amount ?? 0) / 100);
    expect(one[6]).toBe('服务');
    await expect(
      exportDrill(world.env.ctx, { report: byMonth, viewer, cell: {} }, { limits: { maxExportRows: 3 } }),
    ).rejects.toMatchObject({ code: 'REPORT_EXPORT_TOO_LARGE' });
  });
});
