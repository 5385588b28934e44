// The report editor's model, without React: a report definition (kernel/report's shape) as an editable draft and
// back — parameters carry the fields they filter, blank labels and keys are left to the server's defaults — the
// fields a part may use (from POST /api/reports/validate), and the server's issues placed by path.
import type { Label } from '../../form-runtime/types.ts';

export type Issue = { path: ReadonlyArray<string | number>; code: string; message: string };

/** A field the report's source offers (kernel/report `CatalogField`). */
export type SourceField = {
  path: string;
  scope: string;
  label: Label;
  type: string;
  exprType: string | null;
  system: boolean;
  groupable: boolean;
  numeric: boolean;
  date: boolean;
  options?: { code: string; label: Label }[];
  target?: { pack: string; key: string };
};

export const paramTypes = ['dateRange', 'department', 'member', 'options'] as const;
export type ParamType = (typeof paramTypes)[number];
export const bucketNames = ['day', 'week', 'month', 'quarter', 'year'] as const;
export const aggregateNames = ['count', 'sum', 'avg', 'min', 'max', 'distinctCount'] as const;
export type Aggregate = (typeof aggregateNames)[number];
export const chartNames = ['table', 'bar', 'line', 'pie', 'funnel'] as const;

export type ParamDraft = {
  key: string;
  type: ParamType;
  label: Label;
  required: boolean;
  multiple: boolean;
  withSubDepartments: boolean;
  /** options: the field whose codes are offered. */
  field: string;
  /** dateRange: a preset the report opens with (blank: none). */
  preset: string;
  /** The fields this parameter filters (one filter each). */
  filters: string[];
};

export type DimensionDraft = { key: string; field: string; bucket: string; label: Label };
export type MeasureDraft = { key: string; agg: Aggregate; field: string; where: string; label: Label };
export type ComputedDraft = { key: string; expr: string; label: Label };

export type ReportDraft = {
  pack: string;
  key: string;
  label: Label;
  description: Label;
  form: string;
  subtable: string;
  joins: { field: string; as: string }[];
  params: ParamDraft[];
  where: string;
  includeVoided: boolean;
  rows: DimensionDraft[];
  columns: DimensionDraft[];
  measures: MeasureDraft[];
  computed: ComputedDraft[];
  sort: { by: string; dir: 'asc' | 'desc' }[];
  totals: boolean;
  subtotals: boolean;
  limit: number | null;
  chart: { kind: string; x: string; series: string; measures: string[] };
  drill: string[];
  utcOffsetMinutes: number;
};

const blankLabel = (): Label => ({ zh: '', en: '' });
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const labelOf = (value: unknown): Label =>
  isRecord(value) ? { zh: text(value.zh), en: text(value.en) } : blankLabel();
const filled = (label: Label) => label.zh.trim() !== '' || label.en.trim() !== '';

export function newReport(): ReportDraft {
  return {
    pack: '',
    key: '',
    label: blankLabel(),
    description: blankLabel(),
    form: '',
    subtable: '',
    joins: [],
    params: [],
    where: '',
    includeVoided: false,
    rows: [],
    columns: [],
    measures: [{ key: 'count', agg: 'count', field: '', where: '', label: blankLabel() }],
    computed: [],
    sort: [],
    totals: true,
    subtotals: false,
    limit: null,
    chart: { kind: 'bar', x: '', series: '', measures: [] },
    drill: [],
    utcOffsetMinutes: 480,
  };
}

export function newParam(type: ParamType, taken: readonly string[]): ParamDraft {
  return {
    key: freshKey(type, taken),
    type,
    label: blankLabel(),
    required: false,
    multiple: true,
    withSubDepartments: true,
    field: '',
    preset: '',
    filters: [],
  };
}

/** `base`, or `base2`, `base3` … whichever is free. */
export function freshKey(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  let n = 2;
  while (taken.includes(`${base}${n}`)) n += 1;
  return `${base}${n}`;
}

/** The key kernel/report gives a dimension without one: `customer.industry` by month → `customerIndustryMonth`. */
export function autoDimensionKey(field: string, bucket: string): string {
  const joined = field.replace(/\.(.)/g, (_whole, char: string) => char.toUpperCase());
  return bucket ? `${joined}${bucket[0]?.toUpperCase()}${bucket.slice(1)}` : joined;
}

const formText = (value: unknown) =>
  typeof value === 'string' ? value : isRecord(value) ? `${text(value.pack)}.${text(value.key)}` : '';

function dimensionIn(raw: Record<string, unknown>): DimensionDraft {
  const field = text(raw.field);
  const bucket = text(raw.bucket);
  const key = text(raw.key);
  // A key equal to what the server derives stays blank, so changing the field changes it too.
  return { key: key === autoDimensionKey(field, bucket) ? '' : key, field, bucket, label: labelOf(raw.label) };
}

/** A stored (or pack-authored) definition as a draft. */
export function reportIn(def: Record<string, unknown>): ReportDraft {
  const filters = list(def.filters);
  const params = list(def.params).map((raw): ParamDraft => {
    const key = text(raw.key);
    const preset = isRecord(raw.default) && typeof raw.default.preset === 'string' ? raw.default.preset : '';
    return {
      key,
      type: (paramTypes as readonly string[]).includes(text(raw.type)) ? (raw.type as ParamType) : 'dateRange',
      label: labelOf(raw.label),
      required: raw.required === true,
      multiple: raw.multiple !== false,
      withSubDepartments: raw.withSubDepartments !== false,
      field: text(raw.field),
      preset,
      filters: filters.filter((filter) => filter.param === key).map((filter) => text(filter.field)),
    };
  });
  const chart = isRecord(def.chart) ? def.chart : undefined;
  const drill = isRecord(def.drill) && Array.isArray(def.drill.columns) ? def.drill.columns.map(String) : [];
  return {
    pack: text(def.pack),
    key: text(def.key),
    label: labelOf(def.label),
    description: labelOf(def.description),
    form: formText(def.form),
    subtable: text(def.subtable),
    joins: list(def.joins).map((join) => ({ field: text(join.field), as: text(join.as) })),
    params,
    where: text(def.where),
    includeVoided: def.includeVoided === true,
    rows: list(def.rows).map(dimensionIn),
    columns: list(def.columns).map(dimensionIn),
    measures: list(def.measures).map((raw) => ({
      key: text(raw.key),
      agg: ((aggregateNames as readonly string[]).includes(text(raw.agg)) ? raw.agg : 'count') as Aggregate,
      field: text(raw.field),
      where: text(raw.where),
      label: labelOf(raw.label),
    })),
    computed: list(def.computed).map((raw) => ({
      key: text(raw.key),
      expr: text(raw.expr),
      label: labelOf(raw.label),
    })),
    sort: list(def.sort).map((raw) => ({ by: text(raw.by), dir: raw.dir === 'desc' ? 'desc' : 'asc' })),
    totals: def.totals === true,
    subtotals: def.subtotals === true,
    limit: typeof def.limit === 'number' ? def.limit : null,
    chart: chart
      ? {
          kind: text(chart.kind) || 'table',
          x: text(chart.x),
          series: text(chart.series),
          measures: Array.isArray(chart.measures) ? chart.measures.map(String) : [],
        }
      : { kind: '', x: '', series: '', measures: [] },
    drill,
    utcOffsetMinutes: typeof def.utcOffsetMinutes === 'number' ? def.utcOffsetMinutes : 480,
  };
}

function dimensionOut(dim: DimensionDraft): Record<string, unknown> {
  return {
    ...(dim.key.trim() ? { key: dim.key.trim() } : {}),
    field: dim.field,
    ...(dim.bucket ? { bucket: dim.bucket } : {}),
    ...(filled(dim.label) ? { label: dim.label } : {}),
  };
}

/** The lists of a draft that the editor changes item by item. */
export type ListKey = 'joins' | 'params' | 'rows' | 'columns' | 'measures' | 'computed' | 'sort';

/** Patches of one list of `draft`: an item changed in place (by part, or replaced), removed, or appended. */
export function listPatches<K extends ListKey>(draft: ReportDraft, key: K) {
  type Item = ReportDraft[K][number];
  const items = draft[key] as Item[];
  const patch = (next: Item[]) => ({ [key]: next }) as Partial<ReportDraft>;
  return {
    change: (index: number, part: Partial<Item>) =>
      patch(items.map((item, i) => (i === index ? { ...item, ...part } : item))),
    remove: (index: number) => patch(items.filter((_, i) => i !== index)),
    add: (item: Item) => patch([...items, item]),
  };
}

/** The filters in the order reportOut sends them, each with the parameter (index) it came from. */
export function filterOrder(draft: ReportDraft): { param: number; field: string }[] {
  return draft.params.flatMap((param, index) =>
    param.filters.filter((field) => field !== '').map((field) => ({ param: index, field })),
  );
}

/** The draft as a definition for POST /api/reports (and validate, preview): blanks left to the server. */
export function reportOut(draft: ReportDraft): Record<string, unknown> {
  const params = draft.params.map((param) => {
    const base = { key: param.key, type: param.type, label: param.label, required: param.required };
    if (param.type === 'dateRange') return { ...base, ...(param.preset ? { default: { preset: param.preset } } : {}) };
    if (param.type === 'department') {
      return { ...base, multiple: param.multiple, withSubDepartments: param.withSubDepartments };
    }
    if (param.type === 'member') return { ...base, multiple: param.multiple };
    return { ...base, multiple: param.multiple, field: param.field };
  });
  const chart = draft.chart.kind
    ? {
        chart: {
          kind: draft.chart.kind,
          ...(draft.chart.x ? { x: draft.chart.x } : {}),
          ...(draft.chart.series ? { series: draft.chart.series } : {}),
          ...(draft.chart.measures.length > 0 ? { measures: draft.chart.measures } : {}),
        },
      }
    : {};
  return {
    pack: draft.pack,
    key: draft.key,
    label: draft.label,
    ...(filled(draft.description) ? { description: draft.description } : {}),
    form: draft.form,
    ...(draft.subtable ? { subtable: draft.subtable } : {}),
    joins: draft.joins.map((join) => ({ field: join.field, ...(join.as.trim() ? { as: join.as.trim() } : {}) })),
    params,
    filters: filterOrder(draft).map((filter) => ({
      field: filter.field,
      param: draft.params[filter.param]?.key ?? '',
    })),
    ...(draft.where.trim() ? { where: draft.where } : {}),
    includeVoided: draft.includeVoided,
    rows: draft.rows.map(dimensionOut),
    columns: draft.columns.map(dimensionOut),
    measures: draft.measures.map((measure) => ({
      key: measure.key,
      agg: measure.agg,
      ...(measure.field ? { field: measure.field } : {}),
      ...(measure.where.trim() ? { where: measure.where } : {}),
      ...(filled(measure.label) ? { label: measure.label } : {}),
    })),
    computed: draft.computed.map((item) => ({ key: item.key, expr: item.expr, label: item.label })),
    sort: draft.sort.filter((entry) => entry.by !== ''),
    totals: draft.totals,
    subtotals: draft.subtotals,
    ...(draft.limit !== null ? { limit: draft.limit } : {}),
    ...chart,
    drill: draft.drill.length > 0 ? { columns: draft.drill } : {},
    utcOffsetMinutes: draft.utcOffsetMinutes,
  };
}

/** The keys a chart, a sort or a computed column may name: dimensions (with derived keys), measures, computed. */
export function columnKeys(draft: ReportDraft): { dimensions: string[]; figures: string[] } {
  const dimensions = [...draft.rows, ...draft.columns]
    .filter((dim) => dim.field !== '')
    .map((dim) => dim.key.trim() || autoDimensionKey(dim.field, dim.bucket));
  const figures = [...draft.measures.map((m) => m.key), ...draft.computed.map((c) => c.key)].filter((k) => k !== '');
  return { dimensions, figures };
}

const uses = {
  dimension: (f: SourceField) => f.groupable,
  compare: (f: SourceField) => f.groupable && f.type !== 'boolean',
  bucket: (f: SourceField) => f.date,
  dateRange: (f: SourceField) => f.date,
  sum: (f: SourceField) => f.numeric,
  options: (f: SourceField) => f.options !== undefined,
  department: (f: SourceField) => f.type === 'department',
  member: (f: SourceField) => f.type === 'member',
  join: (f: SourceField) => f.target !== undefined,
} as const;

/** Fields by where they may stand (the same kinds kernel/report accepts there). */
export function fieldsFor(fields: readonly SourceField[], use: keyof typeof uses): SourceField[] {
  return fields.filter(uses[use]);
}

/** What a measure of this aggregate may take as its field (none for count, or any groupable field). */
export function measureFields(fields: readonly SourceField[], agg: Aggregate): SourceField[] {
  if (agg === 'sum' || agg === 'avg') return fieldsFor(fields, 'sum');
  if (agg === 'min' || agg === 'max') return fieldsFor(fields, 'compare');
  return fieldsFor(fields, 'dimension');
}

// ---- issues ----------------------------------------------------------------------------------------------

const same = (a: string | number | undefined, b: string | number) => String(a) === String(b);

/** The issues at `path` or below it. */
export function issuesUnder(issues: readonly Issue[] | null, path: ReadonlyArray<string | number>): Issue[] {
  return (issues ?? []).filter(
    (issue) => issue.path.length >= path.length && path.every((part, i) => same(issue.path[i], part)),
  );
}

/** The issues of parameter `index`, including those of the filters it owns (sent as `filters.n`). */
export function paramIssues(draft: ReportDraft, issues: readonly Issue[] | null, index: number): Issue[] {
  const own = issuesUnder(issues, ['params', index]);
  const filters = filterOrder(draft)
    .map((filter, position) => ({ ...filter, position }))
    .filter((filter) => filter.param === index)
    .flatMap((filter) => issuesUnder(issues, ['filters', filter.position]));
  return [...own, ...filters];
}

/** The sections of the editor an issue belongs to, for the summary and for marking a section. */
export function sectionOf(issue: Issue): string {
  const head = String(issue.path[0] ?? '');
  if (['form', 'subtable', 'joins'].includes(head)) return 'source';
  if (['params', 'filters', 'where', 'includeVoided'].includes(head)) return 'filters';
  if (['rows', 'columns'].includes(head)) return 'dimensions';
  if (['measures', 'computed'].includes(head)) return 'measures';
  if (['sort', 'totals', 'subtotals', 'limit', 'chart', 'drill'].includes(head)) return 'output';
  return 'header';
}
