import { createHash } from 'node:crypto';
import { type ErrorParams, type FieldIssue, nestIssue, shapeIssues } from '@baton/core';
import type { DateUnit } from '@baton/db';
import { type CompiledExpression, compile } from '@baton/expression';
import { defineForm, type FormDefinition, type FormDefinitionInput, keyProblem, type Label } from '@baton/form';
import { z } from 'zod';
import {
  buildCatalog,
  type Catalog,
  type CatalogField,
  catalogFields,
  dateKinds,
  type JoinSpec,
  numericKinds,
  resolveLocal,
  resolveRowsColumn,
  type SourceField,
  scalarKinds,
} from './catalog.ts';
import { compileCondition, type Predicate } from './conditions.ts';
import { ReportErrors } from './errors.ts';
import { type ReportIssueCode, ReportIssues } from './issues.ts';

// A report definition is data: validated once against the definitions of the forms it reads (every issue
// with its path, e.g. `measures.1.field`), defaults applied once, deep-frozen and hashed. Nothing in it is
// ever taken from a request: identifiers in the SQL come only from here and from the forms' storage.

export type Bucket = DateUnit;
export const buckets: readonly Bucket[] = Object.freeze(['day', 'week', 'month', 'quarter', 'year']);
export type Aggregate = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'distinctCount';
export const aggregates: readonly Aggregate[] = Object.freeze(['count', 'sum', 'avg', 'min', 'max', 'distinctCount']);
export const chartKinds = ['table', 'bar', 'line', 'pie', 'funnel'] as const;
export type ChartKind = (typeof chartKinds)[number];
export const datePresets = [
  'today',
  'thisWeek',
  'thisMonth',
  'lastMonth',
  'thisQuarter',
  'lastQuarter',
  'thisYear',
  'lastYear',
  'last7Days',
  'last30Days',
] as const;
export type DatePreset = (typeof datePresets)[number];
/** The type of a figure: how it is formatted and what computed columns see. */
export type ValueType = 'number' | 'money' | 'date' | 'datetime' | 'text' | 'boolean';

const label = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
const keyText = z.string().max(40);
const pathText = z.string().min(1).max(100);
const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const dateRangeValue = z.union([
  z.strictObject({ preset: z.enum(datePresets) }),
  z.strictObject({ from: dateText.optional(), to: dateText.optional() }),
]);
const required = z.boolean().default(false);
const paramShape = z.discriminatedUnion('type', [
  z.strictObject({ key: keyText, type: z.literal('dateRange'), label, required, default: dateRangeValue.optional() }),
  z.strictObject({
    key: keyText,
    type: z.literal('department'),
    label,
    required,
    multiple: z.boolean().default(true),
    withSubDepartments: z.boolean().default(true),
  }),
  z.strictObject({ key: keyText, type: z.literal('member'), label, required, multiple: z.boolean().default(true) }),
  // A whole number the report's `where` uses as `$key` (`$today - $days`), within [min, max].
  z.strictObject({
    key: keyText,
    type: z.literal('number'),
    label,
    required,
    default: z.number().int().optional(),
    min: z.number().int().min(-36_500).max(36_500).default(0),
    max: z.number().int().min(-36_500).max(36_500).default(3650),
  }),
  z.strictObject({
    key: keyText,
    type: z.literal('options'),
    label,
    required,
    multiple: z.boolean().default(true),
    field: pathText,
    default: z.array(z.string().max(64)).min(1).max(100).optional(),
  }),
]);
const dimensionShape = z.strictObject({
  key: keyText.optional(),
  field: pathText,
  bucket: z.enum(buckets as [Bucket, ...Bucket[]]).optional(),
  label: label.optional(),
});
const shape = z.strictObject({
  pack: keyText,
  key: keyText,
  label,
  description: label.optional(),
  form: z.union([z.strictObject({ pack: keyText, key: keyText }), z.string().max(81)]),
  subtable: keyText.optional(),
  joins: z
    .array(z.strictObject({ field: pathText, as: keyText.optional() }))
    .max(8)
    .default([]),
  params: z.array(paramShape).max(20).default([]),
  filters: z
    .array(z.strictObject({ field: pathText, param: keyText }))
    .max(40)
    .default([]),
  where: z.string().min(1).max(2000).optional(),
  includeVoided: z.boolean().default(false),
  rows: z.array(dimensionShape).max(4).default([]),
  columns: z.array(dimensionShape).max(2).default([]),
  measures: z
    .array(
      z.strictObject({
        key: keyText,
        agg: z.enum(aggregates as [Aggregate, ...Aggregate[]]),
        field: pathText.optional(),
        where: z.string().min(1).max(2000).optional(),
        label: label.optional(),
      }),
    )
    .min(1)
    .max(20),
  computed: z
    .array(z.strictObject({ key: keyText, expr: z.string().min(1).max(2000), label }))
    .max(20)
    .default([]),
  sort: z
    .array(z.strictObject({ by: keyText, dir: z.enum(['asc', 'desc']).default('asc') }))
    .max(6)
    .default([]),
  totals: z.boolean().default(false),
  subtotals: z.boolean().default(false),
  limit: z.number().int().min(1).max(10_000).optional(),
  drill: z.strictObject({ columns: z.array(pathText).min(1).max(50).optional() }).default({}),
  chart: z
    .strictObject({
      kind: z.enum(chartKinds),
      x: keyText.optional(),
      series: keyText.optional(),
      measures: z.array(keyText).min(1).max(20).optional(),
    })
    .optional(),
  /** Fixed offset of the zone in which instants fall into days, weeks … and `$today` is taken (480 = Asia/Shanghai). */
  utcOffsetMinutes: z.number().int().min(-840).max(840).default(480),
});

export type ReportDefinitionInput = z.input<typeof shape>;
type Parsed = z.output<typeof shape>;
export type ParamDefinition = Parsed['params'][number];
export type DimensionDefinition = Required<Pick<Parsed['rows'][number], 'key' | 'field' | 'label'>> & {
  bucket?: Bucket;
};
export type MeasureDefinition = Required<Pick<Parsed['measures'][number], 'key' | 'agg' | 'label'>> & {
  field?: string;
  where?: string;
};

/** A validated, defaults-applied, deep-frozen definition with its content hash. */
export type ReportDefinition = Readonly<
  Omit<Parsed, 'form' | 'rows' | 'columns' | 'measures' | 'drill'> & {
    form: { readonly pack: string; readonly key: string };
    rows: readonly DimensionDefinition[];
    columns: readonly DimensionDefinition[];
    measures: readonly MeasureDefinition[];
    /** Without columns, a drill list shows the first 20 fields of the form as published when it runs. */
    drill: { readonly columns?: readonly string[] };
    hash: string;
  }
>;

export type ReportIssue = FieldIssue & { message: string };

// ---- the compiled view (what queries are built from) -----------------------------------------------------

export type Dimension = {
  readonly key: string;
  readonly axis: 'row' | 'column';
  readonly field: SourceField;
  readonly bucket?: Bucket;
  readonly label: Label;
};
export type Measure = {
  readonly key: string;
  readonly agg: Aggregate;
  readonly field?: SourceField;
  readonly where?: Predicate;
  readonly label: Label;
  readonly type: ValueType;
};
export type Computed = {
  readonly key: string;
  readonly expression: CompiledExpression;
  readonly label: Label;
  readonly type: ValueType;
};
export type Param = ParamDefinition & { readonly options?: ReadonlyArray<{ code: string; label: Label }> };
export type Filter = { readonly field: SourceField; readonly param: Param };
export type SortKey = {
  readonly key: string;
  readonly dir: 'asc' | 'desc';
  readonly target: 'dimension' | 'measure' | 'computed';
};

export type CompiledReport = {
  readonly def: ReportDefinition;
  readonly catalog: Catalog;
  readonly dimensions: readonly Dimension[];
  readonly measures: readonly Measure[];
  readonly computed: readonly Computed[];
  readonly params: readonly Param[];
  readonly filters: readonly Filter[];
  readonly where: Predicate | undefined;
  readonly drill: readonly SourceField[];
  readonly sort: readonly SortKey[];
};

// ---- forms -------------------------------------------------------------------------------------------------

export type FormsInput = Iterable<FormDefinition | FormDefinitionInput>;

const formId = (ref: { pack: string; key: string }) => `${ref.pack}.${ref.key}`;

function formsMap(forms: FormsInput): Map<string, FormDefinition> {
  const map = new Map<string, FormDefinition>();
  for (const form of forms) {
    const defined = 'hash' in form && typeof form.hash === 'string' ? (form as FormDefinition) : defineForm(form);
    map.set(formId(defined), defined);
  }
  return map;
}

// ---- analysis ------------------------------------------------------------------------------------------------

const bucketLabels: Readonly<Record<Bucket, Label>> = {
  day: { zh: '日', en: 'day' },
  week: { zh: '周', en: 'week' },
  month: { zh: '月', en: 'month' },
  quarter: { zh: '季度', en: 'quarter' },
  year: { zh: '年', en: 'year' },
};

function measureLabel(agg: Aggregate, field: SourceField | undefined): Label {
  if (!field) return { zh: '记录数', en: 'Count' };
  const { zh, en } = field.label;
  const labels: Record<Aggregate, Label> = {
    count: { zh: `${zh}计数`, en: `Count of ${en}` },
    sum: { zh: `${zh}合计`, en: `Sum of ${en}` },
    avg: { zh: `${zh}平均值`, en: `Average ${en}` },
    min: { zh: `${zh}最小值`, en: `Min ${en}` },
    max: { zh: `${zh}最大值`, en: `Max ${en}` },
    distinctCount: { zh: `${zh}（去重计数）`, en: `Distinct ${en}` },
  };
  return labels[agg];
}

function measureType(agg: Aggregate, field: SourceField | undefined): ValueType {
  if (agg === 'count' || agg === 'distinctCount' || !field) return 'number';
  if (numericKinds.has(field.kind)) return field.exprType === 'money' ? 'money' : 'number';
  if (field.kind === 'date') return 'date';
  if (field.kind === 'instant') return 'datetime';
  return 'text';
}

const camelJoin = (path: string) => path.replace(/\.(.)/g, (_whole, char: string) => char.toUpperCase());

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, canonical(record[key])]),
    );
  }
  return value;
}

export function hashReport(def: Omit<ReportDefinition, 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(def)))
    .digest('hex');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

type Add = (path: (string | number)[], code: ReportIssueCode, params?: ErrorParams) => void;

/** The joins that resolve (reference field of the source, free alias, known target form); the rest reported. */
function resolveJoins(
  main: FormDefinition,
  subtable: string | undefined,
  list: readonly { field: string; as?: string | undefined }[],
  forms: ReadonlyMap<string, FormDefinition>,
  add: Add,
  checkKey: (path: (string | number)[], key: string) => boolean,
): JoinSpec[] {
  const joins: JoinSpec[] = [];
  const aliases = new Set<string>();
  for (const [index, join] of list.entries()) {
    const via = resolveLocal(main, subtable, join.field);
    if (via?.type !== 'reference' || !via.target) {
      add(['joins', index, 'field'], 'not_reference', { field: join.field });
      continue;
    }
    const alias = join.as ?? via.key;
    if (!checkKey(['joins', index, 'as'], alias)) continue;
    if (aliases.has(alias) || alias === subtable) {
      add(['joins', index, 'as'], 'duplicate_key', { key: alias });
      continue;
    }
    const target = forms.get(formId(via.target));
    if (!target) {
      add(['joins', index, 'field'], 'unknown_form', { form: formId(via.target) });
      continue;
    }
    aliases.add(alias);
    joins.push({ alias, via, form: target });
  }
  return joins;
}

type Analysis = { issues: ReportIssue[]; compiled?: CompiledReport };

function analyse(given: unknown, forms: ReadonlyMap<string, FormDefinition>): Analysis {
  // A defined report may be defined again (its hash is recomputed, never trusted).
  const input =
    typeof given === 'object' && given !== null && 'hash' in given
      ? Object.fromEntries(Object.entries(given).filter(([key]) => key !== 'hash'))
      : given;
  const issues: ReportIssue[] = [];
  const add: Add = (path, code, params) => issues.push(ReportIssues.issue(path, code, params));
  const parsed = shape.safeParse(input);
  if (!parsed.success) {
    issues.push(...shapeIssues(parsed.error.issues, input));
    return { issues };
  }
  const def = parsed.data;
  const checkKey = (path: (string | number)[], key: string) => {
    const problem = keyProblem(key);
    if (problem === 'too_long') add(path, 'key_too_long');
    else if (problem === 'syntax') add(path, 'key_syntax');
    else if (problem === 'reserved') add(path, 'key_reserved', { key });
    return problem === undefined;
  };
  checkKey(['pack'], def.pack);
  checkKey(['key'], def.key);

  // ---- source: form, subtable, joins ----
  let form: { pack: string; key: string } | undefined;
  if (typeof def.form === 'string') {
    const [pack, key, ...rest] = def.form.split('.');
    if (pack && key && rest.length === 0) form = { pack, key };
    else add(['form'], 'form_syntax');
  } else form = def.form;
  const main = form ? forms.get(formId(form)) : undefined;
  if (form && !main) add(['form'], 'unknown_form', { form: formId(form) });
  if (!main || !form) return { issues };
  if (def.subtable !== undefined && !main.subtables.some((sub) => sub.key === def.subtable)) {
    add(['subtable'], 'unknown_subtable', { form: formId(form), subtable: def.subtable });
    return { issues };
  }
  const joins = resolveJoins(main, def.subtable, def.joins, forms, add, checkKey);
  const catalog = buildCatalog(main, def.subtable, joins);
  const resolve = (path: (string | number)[], name: string): SourceField | undefined => {
    const field = catalog.resolve(name);
    if (!field) add(path, 'unknown_field', { field: name });
    return field;
  };

  // ---- params and filters ----
  const params: Param[] = [];
  const paramKeys = new Set<string>();
  for (const [index, param] of def.params.entries()) {
    if (!checkKey(['params', index, 'key'], param.key)) continue;
    if (paramKeys.has(param.key)) {
      add(['params', index, 'key'], 'duplicate_key', { key: param.key });
      continue;
    }
    paramKeys.add(param.key);
    if (param.type === 'options') {
      const field = resolve(['params', index, 'field'], param.field);
      if (field && !field.options) {
        add(['params', index, 'field'], 'no_options', { field: param.field });
        continue;
      }
      if (field?.options) {
        const codes = new Set(field.options.map((option) => option.code));
        for (const [i, code] of (param.default ?? []).entries()) {
          if (!codes.has(code)) add(['params', index, 'default', i], 'not_option', { option: code });
        }
        params.push({ ...param, options: field.options });
      }
      continue;
    }
    if (param.type === 'number') {
      if (param.min > param.max) add(['params', index, 'max'], 'bad_range');
      if (param.default !== undefined && (param.default < param.min || param.default > param.max)) {
        add(['params', index, 'default'], 'out_of_range', { min: param.min, max: param.max });
      }
    }
    if (param.type === 'dateRange' && param.default && 'from' in param.default) {
      const { from, to } = param.default;
      if (from && to && from > to) add(['params', index, 'default'], 'bad_range');
    }
    params.push(param);
  }
  const filters: Filter[] = [];
  const used = new Set<string>();
  for (const [index, filter] of def.filters.entries()) {
    const field = resolve(['filters', index, 'field'], filter.field);
    const param = params.find((p) => p.key === filter.param);
    if (!param) {
      // A declared parameter with problems of its own is reported there, not again here.
      if (!def.params.some((p) => p.key === filter.param)) {
        add(['filters', index, 'param'], 'unknown_param', { param: filter.param });
      }
      continue;
    }
    used.add(param.key);
    if (!field) continue;
    const fits =
      param.type === 'dateRange'
        ? dateKinds.has(field.kind)
        : param.type === 'department'
          ? field.type === 'department'
          : param.type === 'member'
            ? field.type === 'member'
            : field.options !== undefined && field.kind !== 'json';
    if (!fits) {
      add(['filters', index, 'field'], 'param_type', { type: param.type, field: filter.field });
      continue;
    }
    filters.push({ field, param });
  }
  let where: Predicate | undefined;
  const resolveRows = (path: string) => resolveRowsColumn(main, path);
  if (def.where !== undefined) {
    // A number parameter moves `$today` only when it always has a value: required or defaulted.
    const numberParams = new Set(
      params.flatMap((p) => (p.type === 'number' && (p.required || p.default !== undefined) ? [p.key] : [])),
    );
    const result = compileCondition(def.where, catalog.resolve, ['where'], { numberParams, resolveRows });
    if (result.ok) {
      where = result.predicate;
      for (const key of result.params) used.add(key);
    } else {
      issues.push(...(result.issues as ReportIssue[]));
      // A where that did not compile is the problem to report, not the number parameters it may have used.
      for (const p of params) if (p.type === 'number') used.add(p.key);
    }
  }
  for (const [index, param] of def.params.entries()) {
    if (paramKeys.has(param.key) && !used.has(param.key) && params.some((p) => p.key === param.key)) {
      add(['params', index, 'key'], 'unused_param', { param: param.key });
    }
  }

  // ---- dimensions, measures, computed ----
  const keys = new Set<string>();
  const claim = (path: (string | number)[], key: string) => {
    if (!checkKey(path, key)) return false;
    if (keys.has(key)) {
      add(path, 'duplicate_key', { key });
      return false;
    }
    keys.add(key);
    return true;
  };
  const dimensions: Dimension[] = [];
  const normalDims = (axis: 'row' | 'column', list: Parsed['rows'], at: 'rows' | 'columns'): DimensionDefinition[] =>
    list.map((dim, index) => {
      const field = resolve([at, index, 'field'], dim.field);
      const key =
        dim.key ?? camelJoin(dim.field) + (dim.bucket ? dim.bucket[0]?.toUpperCase() + dim.bucket.slice(1) : '');
      const claimed = claim([at, index, 'key'], key);
      const bucketLabel = dim.bucket ? bucketLabels[dim.bucket] : undefined;
      const labelOf: Label =
        dim.label ??
        (field
          ? bucketLabel
            ? { zh: `${field.label.zh}（${bucketLabel.zh}）`, en: `${field.label.en} (${bucketLabel.en})` }
            : field.label
          : { zh: key, en: key });
      if (field) {
        if (!scalarKinds.has(field.kind)) add([at, index, 'field'], 'not_groupable', { field: dim.field });
        else if (dim.bucket && !dateKinds.has(field.kind)) {
          add([at, index, 'bucket'], 'not_date', { field: dim.field });
        } else if (claimed) {
          dimensions.push({ key, axis, field, ...(dim.bucket ? { bucket: dim.bucket } : {}), label: labelOf });
        }
      }
      return { key, field: dim.field, ...(dim.bucket ? { bucket: dim.bucket } : {}), label: labelOf };
    });
  const rows = normalDims('row', def.rows, 'rows');
  const columns = normalDims('column', def.columns, 'columns');

  const measures: Measure[] = [];
  const normalMeasures: MeasureDefinition[] = def.measures.map((measure, index) => {
    const at = ['measures', index];
    const claimed = claim([...at, 'key'], measure.key);
    let field: SourceField | undefined;
    if (measure.field !== undefined) field = resolve([...at, 'field'], measure.field);
    else if (measure.agg !== 'count') add([...at, 'field'], 'field_required', { agg: measure.agg });
    let fits = true;
    if (field) {
      const kind = field.kind;
      if (measure.agg === 'sum' || measure.agg === 'avg') fits = numericKinds.has(kind);
      else if (measure.agg === 'min' || measure.agg === 'max') fits = scalarKinds.has(kind) && kind !== 'boolean';
      else if (measure.agg === 'distinctCount') fits = scalarKinds.has(kind);
      if (!fits) add([...at, 'field'], 'aggregate_type', { agg: measure.agg, field: field.path });
    }
    let predicate: Predicate | undefined;
    if (measure.where !== undefined) {
      const result = compileCondition(measure.where, catalog.resolve, [...at, 'where'], { resolveRows });
      if (result.ok) predicate = result.predicate;
      else issues.push(...(result.issues as ReportIssue[]));
    }
    const labelOf = measure.label ?? measureLabel(measure.agg, field);
    if (claimed && fits && (field || measure.field === undefined)) {
      measures.push({
        key: measure.key,
        agg: measure.agg,
        ...(field ? { field } : {}),
        ...(predicate ? { where: predicate } : {}),
        label: labelOf,
        type: measureType(measure.agg, field),
      });
    }
    return {
      key: measure.key,
      agg: measure.agg,
      ...(measure.field !== undefined ? { field: measure.field } : {}),
      ...(measure.where !== undefined ? { where: measure.where } : {}),
      label: labelOf,
    };
  });

  const computed: Computed[] = [];
  const exprFields: Record<string, { type: string }> = {};
  for (const measure of measures) exprFields[measure.key] = { type: measure.type };
  for (const [index, item] of def.computed.entries()) {
    const at = ['computed', index];
    const claimed = claim([...at, 'key'], item.key);
    const result = compile(item.expr, { fields: { ...exprFields } }, { path: [...at, 'expr'] });
    if (!result.ok) {
      for (const issue of result.issues) issues.push(nestIssue(issue));
      continue;
    }
    const type = result.expression.type;
    if (!['number', 'money', 'date', 'datetime', 'text', 'boolean', 'null'].includes(type)) {
      add([...at, 'expr'], 'computed_type', { type });
      continue;
    }
    if (claimed) {
      const valueType: ValueType = type === 'null' ? 'number' : (type as ValueType);
      computed.push({ key: item.key, expression: result.expression, label: item.label, type: valueType });
      exprFields[item.key] = { type: valueType };
    }
  }

  // ---- sort, totals, limit, chart, drill ----
  const crossTab = def.columns.length > 0;
  const sort: SortKey[] = [];
  for (const [index, entry] of def.sort.entries()) {
    const target = dimensions.some((d) => d.key === entry.by)
      ? 'dimension'
      : measures.some((m) => m.key === entry.by)
        ? 'measure'
        : computed.some((c) => c.key === entry.by)
          ? 'computed'
          : undefined;
    if (!target) {
      if (!keys.has(entry.by)) add(['sort', index, 'by'], 'unknown_key', { key: entry.by });
      continue;
    }
    if (crossTab && target !== 'dimension') {
      add(['sort', index, 'by'], 'crosstab_sort');
      continue;
    }
    if (target === 'computed' && (def.limit !== undefined || def.subtotals)) {
      add(['sort', index, 'by'], 'computed_sort');
      continue;
    }
    sort.push({ key: entry.by, dir: entry.dir, target });
  }
  if (def.subtotals && def.rows.length < 2) add(['subtotals'], 'subtotals_rows');
  if (def.limit !== undefined && (crossTab || def.subtotals)) add(['limit'], 'limit_crosstab');
  if (crossTab && def.rows.length === 0) add(['columns'], 'crosstab_rows');
  if (def.chart) {
    const { x, series } = def.chart;
    if (x !== undefined && !dimensions.some((d) => d.key === x)) add(['chart', 'x'], 'unknown_key', { key: x });
    if (series !== undefined && !dimensions.some((d) => d.key === series)) {
      add(['chart', 'series'], 'unknown_key', { key: series });
    }
    for (const [i, key] of (def.chart.measures ?? []).entries()) {
      if (!measures.some((m) => m.key === key) && !computed.some((c) => c.key === key)) {
        add(['chart', 'measures', i], 'unknown_key', { key });
      }
    }
  }
  const drillPaths =
    def.drill.columns ??
    catalog.listed
      .filter((field) => scalarKinds.has(field.kind))
      .slice(0, 20)
      .map((field) => field.path);
  const drill: SourceField[] = [];
  for (const [index, path] of drillPaths.entries()) {
    const field = resolve(['drill', 'columns', index], path);
    if (field) drill.push(field);
  }

  if (issues.length > 0) return { issues };

  const { form: _form, ...rest } = def;
  const normalized = {
    ...rest,
    form: { pack: form.pack, key: form.key },
    rows,
    columns,
    measures: normalMeasures,
    drill: def.drill.columns ? { columns: def.drill.columns } : {},
  };
  const hash = hashReport(normalized as Omit<ReportDefinition, 'hash'>);
  const frozen = deepFreeze({ ...normalized, hash }) as ReportDefinition;
  return {
    issues,
    compiled: Object.freeze({
      def: frozen,
      catalog,
      dimensions,
      measures,
      computed,
      params,
      filters,
      where,
      drill,
      sort,
    }),
  };
}

/** Every problem of a report definition against the given forms, each with its path; empty when valid. */
export function validateReport(def: unknown, options: { forms: FormsInput }): ReportIssue[] {
  return analyse(def, formsMap(options.forms)).issues;
}

/**
 * Validates a report against the definitions of the forms it reads (its form and every joined form),
 * applies defaults once, deep-freezes it and stamps its content hash. Throws REPORT_DEFINITION_INVALID
 * with every issue as a field path.
 */
export function defineReport(def: ReportDefinitionInput | unknown, options: { forms: FormsInput }): ReportDefinition {
  const result = analyse(def, formsMap(options.forms));
  if (!result.compiled) {
    throw ReportErrors.definitionInvalid.create({ count: result.issues.length }, { fields: result.issues });
  }
  return result.compiled.def;
}

/** The compiled view against `forms`, or the issues that stop it (internal). */
export function compileReport(
  def: ReportDefinition | ReportDefinitionInput | Record<string, unknown>,
  forms: ReadonlyMap<string, FormDefinition>,
): Analysis {
  return analyse(def, forms);
}

/**
 * The fields a report over this source may name (an editor's pickers), even while the rest of the definition is
 * unfinished: the form (`{ pack, key }` or `'pack.key'`), its subtable and the joins that resolve. Empty when the
 * form is unknown.
 */
export function sourceFields(def: unknown, forms: ReadonlyMap<string, FormDefinition>): CatalogField[] {
  const raw = typeof def === 'object' && def !== null ? (def as Record<string, unknown>) : {};
  const ref =
    typeof raw.form === 'string'
      ? raw.form.split('.')
      : typeof raw.form === 'object' && raw.form !== null
        ? [(raw.form as { pack?: unknown }).pack, (raw.form as { key?: unknown }).key]
        : [];
  const main = typeof ref[0] === 'string' && typeof ref[1] === 'string' ? forms.get(`${ref[0]}.${ref[1]}`) : undefined;
  if (!main) return [];
  const subtable =
    typeof raw.subtable === 'string' && main.subtables.some((sub) => sub.key === raw.subtable)
      ? raw.subtable
      : undefined;
  const list = (Array.isArray(raw.joins) ? raw.joins : []).filter(
    (join): join is { field: string; as?: string } =>
      typeof join === 'object' &&
      join !== null &&
      typeof (join as { field?: unknown }).field === 'string' &&
      ['string', 'undefined'].includes(typeof (join as { as?: unknown }).as),
  );
  const joins = resolveJoins(
    main,
    subtable,
    list,
    forms,
    () => undefined,
    (_path, key) => keyProblem(key) === undefined,
  );
  return catalogFields(buildCatalog(main, subtable, joins));
}
