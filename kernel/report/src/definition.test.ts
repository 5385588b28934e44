import { defineForm } from '@baton/form';
import { describe, expect, it } from 'vitest';
import { buildCatalog, resolveRowsColumn } from './catalog.ts';
import { bindNumbers, compileCondition } from './conditions.ts';
import { defineReport, type ReportDefinitionInput, validateReport } from './definition.ts';

const l = (zh: string, en: string) => ({ zh, en });
const customer = defineForm({
  pack: 'crm',
  key: 'customer',
  kind: 'archive',
  label: l('客户', 'Customer'),
  fields: [
    { key: 'name', label: l('名称', 'Name'), type: 'text' },
    { key: 'tags', label: l('标签', 'Tags'), type: 'members' },
  ],
});
const order = defineForm({
  pack: 'crm',
  key: 'deal',
  kind: 'flow',
  label: l('订单', 'Order'),
  fields: [
    { key: 'title', label: l('标题', 'Title'), type: 'text' },
    { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
    { key: 'signDate', label: l('日期', 'Date'), type: 'date' },
    {
      key: 'status',
      label: l('状态', 'Status'),
      type: 'select',
      options: [
        { code: 'open', label: l('开', 'Open') },
        { code: 'done', label: l('完', 'Done') },
      ],
    },
    { key: 'customer', label: l('客户', 'Customer'), type: 'reference', form: 'crm.customer', display: 'name' },
    { key: 'helpers', label: l('协办', 'Helpers'), type: 'members' },
  ],
  subtables: [
    {
      key: 'lines',
      label: l('明细', 'Lines'),
      columns: [
        { key: 'qty', label: l('数量', 'Qty'), type: 'number' },
        { key: 'shipped', label: l('发货日期', 'Shipped'), type: 'date' },
      ],
    },
  ],
});
const forms = [customer, order];
const base: ReportDefinitionInput = {
  pack: 'crm',
  key: 'orders',
  label: l('订单', 'Orders'),
  form: 'crm.deal',
  measures: [{ key: 'count', agg: 'count' }],
};
const issues = (patch: Partial<ReportDefinitionInput>) =>
  validateReport({ ...base, ...patch }, { forms }).map((issue) => [issue.path.join('.'), issue.code]);

describe('defineReport', () => {
  it('applies defaults once, freezes and hashes', () => {
    const def = defineReport(
      {
        ...base,
        rows: [{ field: 'signDate', bucket: 'month' }, { field: 'customer.name' }],
        joins: [{ field: 'customer' }],
      },
      { forms },
    );
    expect(def.form).toEqual({ pack: 'crm', key: 'deal' });
    expect(def.rows.map((r) => [r.key, r.label])).toEqual([
      ['signDateMonth', l('日期（月）', 'Date (month)')],
      ['customerName', l('名称', 'Name')],
    ]);
    expect(def.measures[0]?.label).toEqual(l('记录数', 'Count'));
    expect(def).toMatchObject({
      totals: false,
      subtotals: false,
      includeVoided: false,
      utcOffsetMinutes: 480,
      params: [],
    });
    expect(Object.isFrozen(def) && Object.isFrozen(def.rows[0])).toBe(true);
    expect(def.hash).toMatch(/^[0-9a-f]{64}$/);
    // The normalised definition defines the same report with the same hash.
    expect(defineReport(def, { forms }).hash).toBe(def.hash);
    expect(defineReport({ ...base, totals: true }, { forms }).hash).not.toBe(defineReport(base, { forms }).hash);
  });

  it('reports every issue with its path', () => {
    expect(
      issues({
        key: 'Bad-key',
        rows: [
          { field: 'title', bucket: 'month' },
          { field: 'helpers' },
          { field: 'nothing' },
          { field: 'amount', key: 'count' },
        ],
        measures: [
          { key: 'count', agg: 'count' },
          { key: 'sum', agg: 'sum', field: 'title' },
          { key: 'avg', agg: 'avg' },
          { key: 'late', agg: 'count', where: 'amount > ' },
        ],
        computed: [
          { key: 'rate', expr: 'late / nothing', label: l('率', 'Rate') },
          { key: 'bad', expr: 'count &&', label: l('坏', 'Bad') },
        ],
        params: [
          { key: 'period', type: 'dateRange', label: l('期间', 'Period') },
          { key: 'state', type: 'options', label: l('状态', 'Status'), field: 'status' },
          { key: 'who', type: 'options', label: l('谁', 'Who'), field: 'title' },
        ],
        filters: [
          { field: 'title', param: 'period' },
          { field: 'amount', param: 'missing' },
        ],
        sort: [{ by: 'missing' }],
        joins: [{ field: 'title' }],
        subtotals: true,
        chart: { kind: 'bar', x: 'nope' },
      }),
    ).toEqual([
      ['key', 'key_syntax'],
      ['joins.0.field', 'not_reference'],
      ['params.1.key', 'key_reserved'],
      ['params.2.field', 'no_options'],
      ['filters.0.field', 'param_type'],
      ['filters.1.param', 'unknown_param'],
      ['rows.0.bucket', 'not_date'],
      ['rows.1.field', 'not_groupable'],
      ['rows.2.field', 'unknown_field'],
      ['measures.0.key', 'duplicate_key'],
      ['measures.1.field', 'aggregate_type'],
      ['measures.2.field', 'field_required'],
      ['measures.3.where', 'condition_syntax'],
      ['computed.0.expr', 'EXPR_UNKNOWN_FIELD'],
      ['computed.1.expr', expect.stringMatching(/^EXPR_/)],
      ['sort.0.by', 'unknown_key'],
      ['chart.x', 'unknown_key'],
    ]);
  });

  it('checks the source: form, subtable, joins and cross-tab rules', () => {
    expect(issues({ form: 'crm.nothing' })).toEqual([['form', 'unknown_form']]);
    expect(issues({ subtable: 'rows' })).toEqual([['subtable', 'unknown_subtable']]);
    expect(validateReport({ ...base, joins: [{ field: 'customer' }] }, { forms: [order] }).map((i) => i.code)).toEqual([
      'unknown_form',
    ]);
    expect(issues({ columns: [{ field: 'status' }] })).toEqual([['columns', 'crosstab_rows']]);
    expect(
      issues({
        rows: [{ field: 'title' }],
        columns: [{ field: 'status' }],
        sort: [{ by: 'count', dir: 'desc' }],
        limit: 5,
      }),
    ).toEqual([
      ['sort.0.by', 'crosstab_sort'],
      ['limit', 'limit_crosstab'],
    ]);
    expect(
      issues({
        subtable: 'lines',
        rows: [{ field: 'lines.qty' }],
        measures: [{ key: 'q', agg: 'sum', field: 'lines.qty' }],
      }),
    ).toEqual([]);
    expect(issues({ rows: [{ field: 'lines.qty' }] })).toEqual([['rows.0.field', 'unknown_field']]);
  });

  it('throws REPORT_DEFINITION_INVALID with the issues', () => {
    expect(() => defineReport({ ...base, measures: [] }, { forms })).toThrowError(
      expect.objectContaining({
        code: 'REPORT_DEFINITION_INVALID',
        fields: [expect.objectContaining({ path: ['measures'] })],
      }),
    );
  });
});

describe('conditions', () => {
  const catalog = buildCatalog(order, undefined, []);
  const compile = (source: string) => compileCondition(source, catalog.resolve, ['where']);

  it('compiles comparisons, IN, ISBLANK and field-to-field tests to a predicate tree', () => {
    const result = compile("status IN ['open'] AND NOT ISBLANK(signDate) OR amount >= ¥12.5 OR signDate < $today");
    expect(result.ok && result.predicate).toEqual({
      kind: 'or',
      items: [
        {
          kind: 'or',
          items: [
            {
              kind: 'and',
              items: [
                { kind: 'in', path: 'status', negated: false, values: ['open'] },
                { kind: 'not', item: { kind: 'isNull', path: 'signDate', negated: false } },
              ],
            },
            { kind: 'compare', path: 'amount', op: '>=', right: { kind: 'value', value: 1250 } },
          ],
        },
        { kind: 'compare', path: 'signDate', op: '<', right: { kind: 'today' } },
      ],
    });
    // A plain number against money is yuan, as in the expression language.
    const yuan = compile('100 < amount');
    expect(yuan.ok && yuan.predicate).toEqual({
      kind: 'compare',
      path: 'amount',
      op: '>',
      right: { kind: 'value', value: 10000 },
    });
  });

  it('refuses what cannot become plain SQL', () => {
    const codes = (source: string) => {
      const result = compile(source);
      return result.ok ? [] : result.issues.map((issue) => issue.code);
    };
    expect(codes("status = 'gone'")).toEqual(['condition_value']);
    expect(codes('amount + 1 > 2')).toEqual(['condition_compare']);
    expect(codes('LEN(title) > 2')).toEqual(['condition_compare']);
    expect(codes('helpers = 1')).toEqual(['condition_type']);
    expect(codes('title > amount')).toEqual(['condition_type']);
    expect(codes('colour = 1')).toEqual(['unknown_field']);
    expect(codes("title = 'a'; DROP TABLE x")).toEqual(['condition_syntax']);
  });
});

describe('date arithmetic and subtable terms in conditions', () => {
  const catalog = buildCatalog(order, undefined, []);
  const resolveRows = (path: string) => resolveRowsColumn(order, path);
  const compile = (source: string, numberParams: string[] = []) =>
    compileCondition(source, catalog.resolve, ['where'], { numberParams: new Set(numberParams), resolveRows });
  const codes = (source: string, numberParams: string[] = []) => {
    const result = compile(source, numberParams);
    return result.ok ? [] : result.issues.map((issue) => issue.code);
  };

  it('moves $today by whole days or by a number parameter', () => {
    const minus = compile('signDate < $today - 30');
    expect(minus.ok && minus.predicate).toEqual({
      kind: 'compare',
      path: 'signDate',
      op: '<',
      right: { kind: 'today', days: -30 },
    });
    const plus = compile('$today + 7 >= signDate');
    expect(plus.ok && plus.predicate).toMatchObject({ op: '<=', right: { kind: 'today', days: 7 } });
    const param = compile('signDate < $today - $days', ['days']);
    expect(param.ok && param.predicate).toMatchObject({ right: { kind: 'today', param: { key: 'days', sign: -1 } } });
    expect(param.ok && param.params).toEqual(['days']);
    expect(
      bindNumbers(param.ok ? param.predicate : { kind: 'and', items: [] }, (key) => (key === 'days' ? 45 : undefined)),
    ).toMatchObject({ right: { kind: 'today', days: -45 } });
  });

  it('compares per-record MAX / MIN of a subtable column and COALESCE of terms', () => {
    const stale = compile('COALESCE(MAX(lines.shipped), signDate) < $today - $days', ['days']);
    expect(stale.ok && stale.predicate).toEqual({
      kind: 'compareTerm',
      term: {
        kind: 'coalesce',
        items: [
          { kind: 'rows', fn: 'max', path: 'lines.shipped', subtable: 'lines', column: 'shipped' },
          { kind: 'field', path: 'signDate' },
        ],
      },
      op: '<',
      right: { kind: 'today', param: { key: 'days', sign: -1 } },
    });
    const qty = compile('MIN(lines.qty) >= 3');
    expect(qty.ok && qty.predicate).toMatchObject({ kind: 'compareTerm', right: { kind: 'value', value: 3 } });
  });

  it('refuses arithmetic it cannot bind and terms that do not fit', () => {
    expect(codes('signDate < $today - $days')).toEqual(['condition_param']);
    expect(codes('signDate < $today - 1.5')).toEqual(['condition_days']);
    expect(codes('signDate < $today * 2')).toEqual(['condition_value']);
    expect(codes('amount < $today - 3')).toEqual(['condition_value']);
    expect(codes('MAX(title) > 1')).toEqual(['condition_rows']);
    expect(codes('MAX(lines.nothing) > 1')).toEqual(['condition_rows']);
    expect(codes('COALESCE(MAX(lines.qty), signDate) > 1')).toEqual(['condition_type']);
    expect(codes('MAX(lines.qty) < $today')).toEqual(['condition_value']);
  });

  it('a number parameter is used by the where, needs a value, and stays in its range', () => {
    const number = { key: 'days', type: 'number' as const, label: l('天数', 'Days'), default: 30 };
    expect(issues({ params: [number], where: 'signDate < $today - $days' })).toEqual([]);
    expect(issues({ params: [number] })).toEqual([['params.0.key', 'unused_param']]);
    expect(issues({ params: [{ ...number, default: undefined }], where: 'signDate < $today - $days' })).toEqual([
      ['where', 'condition_param'],
    ]);
    expect(issues({ params: [{ ...number, default: 9999 }], where: 'signDate < $today - $days' })).toEqual([
      ['params.0.default', 'out_of_range'],
    ]);
    expect(
      issues({
        params: [number],
        measures: [{ key: 'n', agg: 'count', where: 'signDate < $today - $days' }],
      }),
    ).toEqual([
      ['params.0.key', 'unused_param'],
      ['measures.0.where', 'condition_param'],
    ]);
  });
});
