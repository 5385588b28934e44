import { describe, expect, it } from 'vitest';
import type { ReportDefinition, ReportResult } from '../../api/reports.ts';
import { cellOf, chartSpec, compactParams, formatFigure, parseParams, reportPath, rowLabel } from './report-model.ts';

const l = (zh: string, en: string) => ({ zh, en });
const texts = { blank: '（空）', total: '合计', subtotal: '小计' };

const definition = (over: Partial<ReportDefinition> = {}): ReportDefinition => ({
  pack: 'crm',
  key: 'byStage',
  label: l('按阶段', 'By stage'),
  form: { pack: 'crm', key: 'opportunity' },
  joins: [],
  params: [],
  filters: [],
  rows: [{ key: 'stage', field: 'stage', label: l('阶段', 'Stage') }],
  columns: [],
  measures: [
    { key: 'count', agg: 'count', label: l('数量', 'Count') },
    { key: 'amount', agg: 'sum', label: l('金额', 'Amount') },
  ],
  totals: true,
  subtotals: false,
  ...over,
});

const measures = [
  { key: 'count', label: l('数量', 'Count'), type: 'number', computed: false },
  { key: 'amount', label: l('金额', 'Amount'), type: 'money', computed: false },
];

const flat: ReportResult = {
  report: { pack: 'crm', key: 'byStage', hash: 'h', label: l('按阶段', 'By stage') },
  dimensions: [{ key: 'stage', label: l('阶段', 'Stage'), axis: 'row' }],
  measures,
  columns: [],
  rows: [
    { kind: 'detail', keys: { stage: 'lead' }, labels: { stage: '线索' }, values: { count: 2, amount: 3000 } },
    { kind: 'detail', keys: { stage: null }, labels: {}, values: { count: 1, amount: 500 } },
    { kind: 'total', keys: {}, labels: {}, values: { count: 3, amount: 3500 } },
  ],
  generatedAt: '2026-11-29T00:00:00.000Z',
};

const crossTab: ReportResult = {
  ...flat,
  dimensions: [
    { key: 'month', label: l('月', 'Month'), axis: 'row', bucket: 'month' },
    { key: 'stage', label: l('阶段', 'Stage'), axis: 'column' },
  ],
  measures: [measures[0] as (typeof measures)[number]],
  columns: [
    { keys: { stage: 'lead' }, labels: { stage: '线索' } },
    { keys: { stage: 'won' }, labels: { stage: '赢单' } },
  ],
  rows: [
    {
      kind: 'detail',
      keys: { month: '2026-10-01' },
      labels: { month: '2026-10' },
      values: { count: 3 },
      cells: [{ count: 1 }, { count: 2 }],
    },
    {
      kind: 'detail',
      keys: { month: '2026-11-01' },
      labels: { month: '2026-11' },
      values: { count: 1 },
      cells: [{ count: 1 }, null],
    },
    { kind: 'total', keys: {}, labels: {}, values: { count: 4 }, cells: [{ count: 2 }, { count: 2 }] },
  ],
};

describe('chartSpec', () => {
  it('charts the detail rows of the chosen measure, each point drilling into its own row', () => {
    const spec = chartSpec(definition({ chart: { kind: 'bar', measures: ['count'] } }), flat, 'zh-CN', texts);
    expect(spec).toEqual({
      kind: 'bar',
      categories: ['线索', '（空）'],
      series: [
        {
          name: '数量',
          measure: 'count',
          type: 'number',
          points: [
            { value: 2, cell: { keys: { stage: 'lead' }, measure: 'count' } },
            { value: 1, cell: { keys: { stage: null }, measure: 'count' } },
          ],
        },
      ],
    });
  });

  it('draws a cross-tab as one series per column, its points drilling into row and column keys', () => {
    const spec = chartSpec(
      definition({ columns: [{ key: 'stage', field: 'stage', label: l('阶段', 'Stage') }], chart: { kind: 'line' } }),
      crossTab,
      'en-US',
      texts,
    );
    expect(spec?.categories).toEqual(['2026-10', '2026-11']);
    expect(spec?.series.map((s) => [s.name, s.points.map((p) => p.value)])).toEqual([
      ['线索', [1, 1]],
      ['赢单', [2, 0]],
    ]);
    expect(spec?.series[1]?.points[0]?.cell).toEqual({ keys: { month: '2026-10-01', stage: 'won' }, measure: 'count' });
  });

  it('makes a pie of a cross-tab from its row totals and draws no chart for a table', () => {
    const pie = chartSpec(definition({ chart: { kind: 'pie' } }), crossTab, 'zh-CN', texts);
    expect(pie?.series).toHaveLength(1);
    expect(pie?.series[0]?.points.map((p) => [p.value, p.cell.keys])).toEqual([
      [3, { month: '2026-10-01' }],
      [1, { month: '2026-11-01' }],
    ]);
    expect(chartSpec(definition({ chart: { kind: 'table' } }), flat, 'zh-CN', texts)).toBeUndefined();
    expect(chartSpec(definition({ rows: [] }), { ...flat, dimensions: [] }, 'zh-CN', texts)).toBeUndefined();
  });
});

describe('table figures', () => {
  it('drills a cross-tab cell into its row and column, a total into everything', () => {
    const [row, , total] = crossTab.rows;
    if (!row || !total) throw new Error('fixture');
    expect(cellOf(row, 'count', crossTab.columns[1])).toEqual({
      keys: { month: '2026-10-01', stage: 'won' },
      measure: 'count',
    });
    expect(cellOf(total, 'count')).toEqual({ keys: {}, measure: 'count' });
    expect(rowLabel(crossTab, total, texts)).toBe('合计');
  });

  it('formats money in yuan from fen and numbers with grouping', () => {
    expect(formatFigure(123456789, 'money', 'zh-CN')).toBe('¥1,234,567.89');
    expect(formatFigure(1234.5, 'number', 'en-US')).toBe('1,234.5');
    expect(formatFigure(null, 'number', 'en-US')).toBe('');
  });
});

describe('parameters in the address', () => {
  it('keeps only chosen values and reads back only objects', () => {
    expect(compactParams({ a: [], b: '', c: null, d: {}, e: ['x'], f: { preset: 'thisMonth' } })).toEqual({
      e: ['x'],
      f: { preset: 'thisMonth' },
    });
    expect(reportPath('crm', 'byStage', { stages: ['won'] })).toBe(
      `/reports/crm/byStage?p=${encodeURIComponent('{"stages":["won"]}')}`,
    );
    expect(reportPath('crm', 'byStage', {})).toBe('/reports/crm/byStage');
    expect(parseParams('{"a":1}')).toEqual({ a: 1 });
    expect(parseParams('[1]')).toBeUndefined();
    expect(parseParams('{oops')).toBeUndefined();
  });
});
