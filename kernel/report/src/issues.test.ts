import { type FieldIssue, issueMessage } from '@baton/core';
import { defineForm } from '@baton/form';
import { expectWordedIssues, unreachedCodes } from '@baton/testkit';
import { describe, expect, it } from 'vitest';
import { type ReportDefinitionInput, validateReport } from './definition.ts';
import { ReportIssues } from './issues.ts';

// Every issue a report definition can have is written in zh-CN and en-US by the server. Broken definitions go
// through validateReport; an issue without texts fails, and so does a catalogue code no case reaches, so a new
// code comes with its texts and a case.

const l = (text: string) => ({ zh: text, en: text });
const customer = defineForm({
  pack: 'crm',
  key: 'customer',
  kind: 'archive',
  label: l('客户'),
  fields: [{ key: 'name', label: l('名称'), type: 'text' }],
});
const order = defineForm({
  pack: 'crm',
  key: 'deal',
  kind: 'flow',
  label: l('订单'),
  fields: [
    { key: 'title', label: l('标题'), type: 'text' },
    { key: 'amount', label: l('金额'), type: 'money' },
    { key: 'signDate', label: l('日期'), type: 'date' },
    { key: 'status', label: l('状态'), type: 'select', options: [{ code: 'open', label: l('开') }] },
    { key: 'customer', label: l('客户'), type: 'reference', form: 'crm.customer', display: 'name' },
    { key: 'other', label: l('其他'), type: 'reference', form: 'crm.gone', display: 'name' },
    { key: 'helpers', label: l('协办'), type: 'members' },
    { key: 'region', label: l('地区'), type: 'region' },
  ],
  subtables: [{ key: 'lines', label: l('明细'), columns: [{ key: 'qty', label: l('数量'), type: 'number' }] }],
});
const forms = [customer, order];
const base: ReportDefinitionInput = {
  pack: 'crm',
  key: 'orders',
  label: l('订单'),
  form: 'crm.deal',
  measures: [{ key: 'count', agg: 'count' }],
};
const number = { key: 'days', type: 'number' as const, label: l('天数') };

const patches: Partial<ReportDefinitionInput>[] = [
  { key: 'Orders', pack: 'select' },
  { key: 'k'.repeat(41) },
  { form: 'crm' },
  { form: 'crm.nothing' },
  { subtable: 'nothing' },
  { joins: [{ field: 'title' }, { field: 'customer', as: 'customer' }, { field: 'customer' }, { field: 'other' }] },
  {
    params: [
      { key: 'kind', type: 'options', label: l('类型'), field: 'title' },
      { key: 'stage', type: 'options', label: l('状态'), field: 'status', default: ['closed'] },
      { ...number, min: 10, max: 1 },
      { ...number, key: 'far', default: 9999 },
      { key: 'range', type: 'dateRange', label: l('期间'), default: { from: '2026-02-01', to: '2026-01-01' } },
      { key: 'range', type: 'dateRange', label: l('期间') },
      { key: 'who', type: 'member', label: l('人员') },
    ],
    filters: [
      { field: 'title', param: 'missing' },
      { field: 'title', param: 'range' },
      { field: 'ghost', param: 'who' },
    ],
  },
  {
    rows: [{ field: 'helpers' }, { field: 'title', bucket: 'month' }, { field: 'ghost' }],
    columns: [{ field: 'status', key: 'count' }],
    measures: [
      { key: 'count', agg: 'count' },
      { key: 'sum', agg: 'sum' },
      { key: 'avg', agg: 'avg', field: 'title' },
    ],
    computed: [
      { key: 'list', expr: '[1, 2]', label: l('列表') },
      { key: 'bad', expr: 'nothing + 1', label: l('坏') },
    ],
    sort: [{ by: 'ghost' }, { by: 'sum' }],
    subtotals: true,
    limit: 10,
    chart: { kind: 'bar', x: 'ghost', series: 'none', measures: ['nope'] },
  },
  {
    rows: [{ field: 'title' }],
    computed: [{ key: 'ratio', expr: 'count * 2', label: l('比') }],
    sort: [{ by: 'ratio' }],
    limit: 5,
  },
  { columns: [{ field: 'status' }] },
  { rows: [{ field: 'signDate' }, { field: `customer.${'n'.repeat(40)}` }], subtotals: true },
  { rows: [{ field: 'signDate' }], subtotals: true },
  ...[
    "title = 'a' AND",
    "status = 'gone'",
    'amount + 1 > 2',
    'helpers = 1',
    'title > amount',
    'colour = 1',
    'region = 1',
    'amount < $today - 3',
    'signDate < $today - $days',
    'signDate < $today - 1.5',
    'signDate < $today * 2',
    'MAX(title) > 1',
    'COALESCE(MAX(lines.qty), signDate) > 1',
    'COALESCE(1, signDate) > 1',
    'MAX(lines.qty) < $today',
    'MAX(lines.qty) < signDate',
    'status > null',
    '1 IN [1]',
    'status IN []',
    'region IN [1]',
    'LEN(title)',
    'title = -title',
    'title = $me',
    "status < 'open'",
  ].map((where) => ({ where })),
];

describe('report issues', () => {
  const issues = [3, ...patches.map((patch) => ({ ...base, ...patch }))].flatMap((def) =>
    validateReport(def, { forms }),
  );

  it('are all written in both languages, every placeholder filled', () => expectWordedIssues(issues, 50));

  it('reach every code of the catalogue', () => {
    expect(unreachedCodes(ReportIssues, issues)).toEqual([]);
  });

  it('say where in a condition the problem is', () => {
    const issue = issues.find((i) => i.code === 'condition_type') as FieldIssue;
    expect(issueMessage(issue, 'zh-CN')).toMatch(/（位置 \d+–\d+）$/);
  });
});
