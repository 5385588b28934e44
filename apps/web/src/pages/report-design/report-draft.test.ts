import { describe, expect, it } from 'vitest';
import {
  autoDimensionKey,
  columnKeys,
  fieldsFor,
  filterOrder,
  freshKey,
  listPatches,
  measureFields,
  newParam,
  newReport,
  paramIssues,
  reportIn,
  reportOut,
  type SourceField,
  sectionOf,
} from './report-draft.ts';

// A definition as publishReport stores it (defaults written out, keys and labels derived by the server).
const stored = {
  pack: 'office',
  key: 'bookingsByRoom',
  label: { zh: '会议室每周预订', en: 'Bookings per room per week' },
  form: { pack: 'office', key: 'bookingArchive' },
  joins: [],
  params: [
    {
      key: 'period',
      type: 'dateRange',
      label: { zh: '期间', en: 'Period' },
      required: false,
      default: { preset: 'thisMonth' },
    },
    {
      key: 'rooms',
      type: 'options',
      label: { zh: '会议室', en: 'Rooms' },
      required: false,
      multiple: true,
      field: 'room',
    },
  ],
  filters: [
    { field: 'startAt', param: 'period' },
    { field: 'room', param: 'rooms' },
    { field: 'createdAt', param: 'period' },
  ],
  includeVoided: false,
  rows: [{ key: 'room', field: 'room', label: { zh: '会议室', en: 'Room' } }],
  columns: [{ key: 'startAtWeek', field: 'startAt', bucket: 'week', label: { zh: '开始（周）', en: 'Starts (week)' } }],
  measures: [{ key: 'count', agg: 'count', label: { zh: '记录数', en: 'Count' } }],
  computed: [],
  sort: [],
  totals: true,
  subtotals: false,
  chart: { kind: 'bar' },
  drill: {},
  utcOffsetMinutes: 480,
  hash: 'ignored',
};

describe('report drafts', () => {
  it('should read a stored definition and write it back as the server stored it, parameters owning their filters', () => {
    const draft = reportIn(stored);
    expect(draft.form).toBe('office.bookingArchive');
    expect(draft.params.map((p) => [p.key, p.filters])).toEqual([
      ['period', ['startAt', 'createdAt']],
      ['rooms', ['room']],
    ]);
    expect(draft.params[0]?.preset).toBe('thisMonth');
    // Derived keys stay blank in the draft, so a new field derives a new key.
    expect(draft.rows[0]?.key).toBe('');
    expect(draft.columns[0]?.key).toBe('');
    const { hash: _hash, ...rest } = stored;
    const out = reportOut(draft);
    expect(out).toEqual({
      ...rest,
      form: 'office.bookingArchive',
      params: [stored.params[0], stored.params[1]],
      // Grouped by parameter: the order the server reports filter issues in.
      filters: [stored.filters[0], stored.filters[2], stored.filters[1]],
      rows: [{ field: 'room', label: { zh: '会议室', en: 'Room' } }],
      columns: [{ field: 'startAt', bucket: 'week', label: { zh: '开始（周）', en: 'Starts (week)' } }],
    });
  });

  it('should leave blank labels, keys, conditions and an automatic chart to the server', () => {
    const draft = newReport();
    draft.pack = 'office';
    draft.key = 'x';
    draft.form = 'office.booking';
    draft.rows.push({ key: '', field: 'room', bucket: '', label: { zh: '', en: '' } });
    draft.chart = { kind: '', x: '', series: '', measures: [] };
    draft.sort.push({ by: '', dir: 'asc' });
    const out = reportOut(draft);
    expect(out.rows).toEqual([{ field: 'room' }]);
    expect(out.measures).toEqual([{ key: 'count', agg: 'count' }]);
    expect(out).not.toHaveProperty('chart');
    expect(out).not.toHaveProperty('where');
    expect(out.sort).toEqual([]);
    expect(out.drill).toEqual({});
  });

  it('should derive dimension keys as kernel/report does and offer them to charts and sorts', () => {
    expect(autoDimensionKey('customer.industry', 'month')).toBe('customerIndustryMonth');
    expect(autoDimensionKey('room', '')).toBe('room');
    const draft = reportIn(stored);
    draft.computed.push({ key: 'share', expr: 'count / 2', label: { zh: '占比', en: 'Share' } });
    expect(columnKeys(draft)).toEqual({ dimensions: ['room', 'startAtWeek'], figures: ['count', 'share'] });
    expect(freshKey('count', ['count', 'count2'])).toBe('count3');
    expect(newParam('member', ['member']).key).toBe('member2');
  });

  it('should put the issues of a parameter’s filters on the parameter', () => {
    const draft = reportIn(stored);
    expect(filterOrder(draft).map((f) => `${f.param}:${f.field}`)).toEqual(['0:startAt', '0:createdAt', '1:room']);
    const issues = [
      { path: ['filters', 1, 'field'], code: 'param_type', message: 'a' },
      { path: ['filters', 2, 'field'], code: 'param_type', message: 'b' },
      { path: ['params', 0, 'default'], code: 'bad_range', message: 'c' },
    ];
    expect(paramIssues(draft, issues, 0).map((i) => i.message)).toEqual(['c', 'a']);
    expect(paramIssues(draft, issues, 1).map((i) => i.message)).toEqual(['b']);
    expect(issues.map(sectionOf)).toEqual(['filters', 'filters', 'filters']);
    expect(sectionOf({ path: ['columns', 0, 'bucket'], code: 'x', message: '' })).toBe('dimensions');
  });
});

describe('report fields', () => {
  const field = (path: string, patch: Partial<SourceField>): SourceField => ({
    path,
    scope: 'main',
    label: { zh: path, en: path },
    type: 'text',
    exprType: 'text',
    system: false,
    groupable: true,
    numeric: false,
    date: false,
    ...patch,
  });
  const fields = [
    field('room', { type: 'select', options: [{ code: 'r1', label: { zh: '一', en: 'One' } }] }),
    field('attendees', { type: 'number', numeric: true }),
    field('startAt', { type: 'datetime', date: true }),
    field('closed', { type: 'boolean' }),
    field('members', { type: 'members', groupable: false }),
    field('customer', { type: 'reference', target: { pack: 'crm', key: 'customer' } }),
  ];
  it('should offer each part only the fields kernel/report accepts there', () => {
    const paths = (list: SourceField[]) => list.map((f) => f.path);
    expect(paths(fieldsFor(fields, 'dimension'))).toEqual(['room', 'attendees', 'startAt', 'closed', 'customer']);
    expect(paths(fieldsFor(fields, 'bucket'))).toEqual(['startAt']);
    expect(paths(fieldsFor(fields, 'options'))).toEqual(['room']);
    expect(paths(fieldsFor(fields, 'join'))).toEqual(['customer']);
    expect(paths(measureFields(fields, 'sum'))).toEqual(['attendees']);
    expect(paths(measureFields(fields, 'max'))).not.toContain('closed');
    expect(paths(measureFields(fields, 'distinctCount'))).toContain('closed');
  });
});

describe('report lists', () => {
  it('should change, remove and append one item of a list and leave the rest of the draft alone', () => {
    const draft = reportIn(stored);
    const sort = listPatches(draft, 'sort');
    expect(sort.add({ by: 'count', dir: 'desc' })).toEqual({
      sort: [...draft.sort, { by: 'count', dir: 'desc' }],
    });
    const joins = listPatches(
      {
        ...draft,
        joins: [
          { field: 'customer', as: '' },
          { field: 'owner', as: 'o' },
        ],
      },
      'joins',
    );
    expect(joins.change(1, { as: 'boss' })).toEqual({
      joins: [
        { field: 'customer', as: '' },
        { field: 'owner', as: 'boss' },
      ],
    });
    expect(joins.remove(0)).toEqual({ joins: [{ field: 'owner', as: 'o' }] });
    expect(draft.joins).toEqual([]);
  });
});
