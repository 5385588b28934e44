import { type DbCtx, explainQuery } from '@baton/db';
import { evaluate } from '@baton/expression';
import type { Label, Viewer } from '@baton/form';
import { z } from 'zod';
import type { Bucket, Computed, Measure, ReportDefinition, SortKey, ValueType } from './definition.ts';
import { ReportErrors } from './errors.ts';
import { guarded, limitsOf, type ReportLimits } from './guard.ts';
import { resolveParams, resolveSort } from './params.ts';
import { type Plan, planFor } from './plan.ts';
import { levelsOf, reportQuery, sourceOf } from './query.ts';
import { definitionOf, type ReportRef } from './store.ts';
import {
  dimensionValue,
  keyOf,
  type Locale,
  labelValues,
  measureValue,
  type NameLookup,
  type Scalar,
} from './values.ts';

export type RunInput = {
  /** A definition (from defineReport) or a published report by `{ pack, key, version? }`. */
  report: ReportDefinition | ReportRef;
  params?: unknown;
  /** Who is looking: their record scopes on the report's form become SQL. */
  viewer: Viewer;
  /** Another order among the report's own columns. */
  sort?: unknown;
  locale?: Locale;
};

export type RunOptions = {
  /** Names of members, departments, units and posts for labels (without it ids are shown). */
  refs?: NameLookup;
  limits?: Partial<ReportLimits>;
};

export type Figures = Record<string, Scalar>;

export type ResultRow = {
  kind: 'detail' | 'subtotal' | 'total';
  /** Group values by dimension key; a subtotal or total row holds only the dimensions it is grouped by. */
  keys: Record<string, Scalar>;
  labels: Record<string, string>;
  /** Measures and computed columns; in a cross-tab the row's total across the columns (with `totals`). */
  values: Figures;
  /** Cross-tab only: one entry per column header (null where there is no data). */
  cells?: (Figures | null)[];
};

export type ColumnHeader = { keys: Record<string, Scalar>; labels: Record<string, string> };

export type ReportResult = {
  report: { pack: string; key: string; hash: string; label: Label };
  dimensions: { key: string; label: Label; axis: 'row' | 'column'; bucket?: Bucket }[];
  measures: { key: string; label: Label; type: ValueType; computed: boolean }[];
  /** Cross-tab column headers (empty for a plain list). */
  columns: ColumnHeader[];
  rows: ResultRow[];
  generatedAt: string;
};

const viewerSchema = z.looseObject({
  memberId: z.string().min(1).max(64),
  // Every record scope there is, and some room: the list grows (assigned came after the first six).
  scopes: z.array(z.string()).max(20),
});

/** An IANA zone for a fixed offset (expressions take zone names): Etc/GMT-8 is UTC+8. */
function zoneOf(offset: number): string {
  if (offset === 0 || offset % 60 !== 0) return 'UTC';
  const hours = offset / 60;
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

type Raw = Record<string, unknown>;

function figuresOf(ctx: DbCtx, plan: Plan, row: Raw): Figures {
  const values: Figures = {};
  for (const [j, measure] of plan.compiled.measures.entries())
    values[measure.key] = measureValue(measure, row[`m${j}`]);
  const timeZone = zoneOf(plan.compiled.def.utcOffsetMinutes);
  for (const item of plan.compiled.computed) {
    const value = evaluate(item.expression, { ...values }, { clock: ctx.clock, timeZone });
    values[item.key] = Array.isArray(value) ? null : (value as Scalar);
  }
  return values;
}

function compareScalars(a: Scalar, b: Scalar, dir: 'asc' | 'desc'): number {
  if (a === b) return 0;
  // NULL last ascending and first descending, as in the SQL.
  if (a === null) return dir === 'asc' ? 1 : -1;
  if (b === null) return dir === 'asc' ? -1 : 1;
  const order = a < b ? -1 : a > b ? 1 : 0;
  return dir === 'asc' ? order : -order;
}

/**
 * Runs a report for a viewer: one SQL statement (detail, subtotal and total levels in one UNION ALL) with the
 * viewer's record scopes in its WHERE, under the statement timeout and row caps. Computed columns are evaluated
 * over the aggregates of each row; a cross-tab is pivoted from the grouped rows.
 */
export async function runReport(ctx: DbCtx, input: RunInput, options: RunOptions = {}): Promise<ReportResult> {
  const { def, plan, sort, limits, statement } = await prepare(ctx, input, options);
  const locale: Locale = input.locale ?? 'zh-CN';
  const rows = await guarded(ctx, limits, async (tx) => (await (await statement(tx)).execute()) as Raw[]);
  const { full } = levelsOf(plan);
  const detail = rows.filter((row) => Number(row.lvl) === full);
  const scanned = Math.max(0, ...detail.map((row) => Number(row.scanned ?? 0)));
  if (scanned > limits.maxScannedRows) throw ReportErrors.tooMuchData.create({ limit: limits.maxScannedRows });
  if (def.limit === undefined && detail.length > limits.maxRows) {
    throw ReportErrors.tooManyRows.create({ limit: limits.maxRows });
  }
  return assemble(ctx, plan, rows, { sort, locale, refs: options.refs });
}

/** Everything a run checks before the statement, and the statement itself for a ctx (inside the guard). */
async function prepare(ctx: DbCtx, input: RunInput, options: RunOptions) {
  const viewer = viewerSchema.safeParse(input.viewer);
  if (!viewer.success) throw new TypeError('runReport: viewer { memberId, scopes } is required');
  const limits = limitsOf(options.limits);
  const def = await definitionOf(ctx, input.report);
  const plan = await planFor(ctx, def);
  const sort = resolveSort(plan.compiled, input.sort);
  const params = await resolveParams(ctx, plan.compiled, input.params);
  const cap = def.limit !== undefined ? Math.min(def.limit, limits.maxRows) : limits.maxRows + 1;
  const statement = async (tx: DbCtx) =>
    reportQuery(plan, await sourceOf(tx, plan, params, input.viewer), { sort, cap, limits });
  return { def, plan, sort, limits, statement };
}

/**
 * How the database would run a report's statement for this viewer and these parameters (EXPLAIN on
 * PostgreSQL, EXPLAIN QUERY PLAN on SQLite), one line per plan node; the statement itself is not run.
 */
export async function explainReport(ctx: DbCtx, input: RunInput, options: RunOptions = {}): Promise<string[]> {
  const { limits, statement } = await prepare(ctx, input, options);
  return guarded(ctx, limits, async (tx) => explainQuery(tx.db, await statement(tx)));
}

type Entry = { mask: number; keys: Record<string, Scalar>; values: Figures };

async function assemble(
  ctx: DbCtx,
  plan: Plan,
  rows: Raw[],
  options: { sort: readonly SortKey[]; locale: Locale; refs: NameLookup | undefined },
): Promise<ReportResult> {
  const { dimensions, measures, computed, def } = plan.compiled;
  const { full } = levelsOf(plan);
  const entries: Entry[] = rows.map((row) => {
    const mask = Number(row.lvl);
    const keys: Record<string, Scalar> = {};
    for (const [i, dimension] of dimensions.entries()) {
      if (mask & (1 << i)) keys[dimension.key] = dimensionValue(dimension, plan.kind(dimension.field), row[`d${i}`]);
    }
    return { mask, keys, values: figuresOf(ctx, plan, row) };
  });

  // Labels: one lookup per dimension over every value it takes.
  const labels = new Map<string, Map<string, string>>();
  for (const dimension of dimensions) {
    const values = entries.filter((e) => dimension.key in e.keys).map((e) => e.keys[dimension.key] as Scalar);
    labels.set(
      dimension.key,
      await labelValues(ctx, dimension.field, values, options.locale, options.refs, dimension.bucket),
    );
  }
  const labelsOf = (keys: Record<string, Scalar>) =>
    Object.fromEntries(
      Object.entries(keys).map(([key, value]) => [key, labels.get(key)?.get(keyOf(value)) ?? String(value)]),
    );

  const rowDims = dimensions.filter((d) => d.axis === 'row');
  const columnDims = dimensions.filter((d) => d.axis === 'column');
  const bitOf = (key: string) => 1 << dimensions.findIndex((d) => d.key === key);
  const rowMaskOf = (count: number) => rowDims.slice(0, count).reduce((mask, d) => mask | bitOf(d.key), 0);
  const columnMask = columnDims.reduce((mask, d) => mask | bitOf(d.key), 0);
  const lookup = new Map<string, Entry>();
  const id = (mask: number, keys: Record<string, Scalar>) =>
    `${mask}|${JSON.stringify(dimensions.filter((_d, i) => mask & (1 << i)).map((d) => keys[d.key] ?? null))}`;
  for (const entry of entries) lookup.set(id(entry.mask, entry.keys), entry);
  const pickKeys = (keys: Record<string, Scalar>, dims: typeof dimensions) =>
    Object.fromEntries(dims.map((d) => [d.key, keys[d.key] ?? null]));

  let detail = entries.filter((e) => e.mask === full);
  const computedSort = options.sort.some((s) => s.target === 'computed');
  if (computedSort) {
    detail = [...detail].sort((a, b) => {
      for (const s of options.sort) {
        const value = (e: Entry) => (s.target === 'dimension' ? (e.keys[s.key] ?? null) : (e.values[s.key] ?? null));
        const order = compareScalars(value(a), value(b), s.dir);
        if (order !== 0) return order;
      }
      return 0;
    });
  }

  const header = {
    report: { pack: def.pack, key: def.key, hash: def.hash, label: def.label },
    dimensions: dimensions.map((d) => ({
      key: d.key,
      label: d.label,
      axis: d.axis,
      ...(d.bucket ? { bucket: d.bucket } : {}),
    })),
    measures: [
      ...measures.map((m: Measure) => ({ key: m.key, label: m.label, type: m.type, computed: false })),
      ...computed.map((c: Computed) => ({ key: c.key, label: c.label, type: c.type, computed: true })),
    ],
    generatedAt: ctx.clock.now().toISOString(),
  };

  const out: ResultRow[] = [];
  const rowCount = rowDims.length;
  if (columnDims.length === 0) {
    const subtotal = (keys: Record<string, Scalar>, depth: number) => {
      const mask = rowMaskOf(depth);
      const entry = lookup.get(id(mask, keys));
      if (entry) out.push({ kind: 'subtotal', keys: entry.keys, labels: labelsOf(entry.keys), values: entry.values });
    };
    let previous: Entry | undefined;
    for (const entry of detail) {
      if (def.subtotals && previous) {
        const changed = rowDims.findIndex(
          (d) =>
            keyOf(d.key in entry.keys ? (entry.keys[d.key] as Scalar) : null) !==
            keyOf((previous as Entry).keys[d.key] ?? null),
        );
        if (changed >= 0) for (let depth = rowCount - 1; depth > changed; depth--) subtotal(previous.keys, depth);
      }
      out.push({ kind: 'detail', keys: entry.keys, labels: labelsOf(entry.keys), values: entry.values });
      previous = entry;
    }
    if (def.subtotals && previous) for (let depth = rowCount - 1; depth >= 1; depth--) subtotal(previous.keys, depth);
    const grand = def.totals ? lookup.get(id(0, {})) : undefined;
    if (def.totals && dimensions.length > 0)
      out.push({ kind: 'total', keys: {}, labels: {}, values: grand?.values ?? emptyTotals(ctx, plan) });
    return { ...header, columns: [], rows: out };
  }

  // ---- cross-tab ----
  const columnKeys = new Map<string, Record<string, Scalar>>();
  for (const entry of detail) {
    const keys = pickKeys(entry.keys, columnDims);
    columnKeys.set(JSON.stringify(columnDims.map((d) => keys[d.key])), keys);
  }
  const columnList = [...columnKeys.values()].sort((a, b) => {
    for (const d of columnDims) {
      const order = compareScalars(
        a[d.key] ?? null,
        b[d.key] ?? null,
        options.sort.find((s) => s.key === d.key)?.dir ?? 'asc',
      );
      if (order !== 0) return order;
    }
    return 0;
  });
  const rowKeys = new Map<string, Record<string, Scalar>>();
  for (const entry of detail) {
    const keys = pickKeys(entry.keys, rowDims);
    const rowId = JSON.stringify(rowDims.map((d) => keys[d.key]));
    if (!rowKeys.has(rowId)) rowKeys.set(rowId, keys);
  }
  const line = (kind: ResultRow['kind'], keys: Record<string, Scalar>, depth: number): ResultRow => {
    const rowMask = rowMaskOf(depth);
    const cells = columnList.map(
      (columnKey) => lookup.get(id(rowMask | columnMask, { ...keys, ...columnKey }))?.values ?? null,
    );
    const total = def.totals ? lookup.get(id(rowMask, keys))?.values : undefined;
    const shown = pickKeys(keys, rowDims.slice(0, depth));
    return { kind, keys: shown, labels: labelsOf(shown), values: total ?? {}, cells };
  };
  let previous: Record<string, Scalar> | undefined;
  for (const keys of rowKeys.values()) {
    if (def.subtotals && previous) {
      const changed = rowDims.findIndex(
        (d) => keyOf(keys[d.key] ?? null) !== keyOf((previous as Record<string, Scalar>)[d.key] ?? null),
      );
      if (changed >= 0)
        for (let depth = rowCount - 1; depth > changed; depth--) out.push(line('subtotal', previous, depth));
    }
    out.push(line('detail', keys, rowCount));
    previous = keys;
  }
  if (def.subtotals && previous)
    for (let depth = rowCount - 1; depth >= 1; depth--) out.push(line('subtotal', previous, depth));
  if (def.totals) {
    const grand = line('total', {}, 0);
    out.push({
      ...grand,
      values: grand.values && Object.keys(grand.values).length > 0 ? grand.values : emptyTotals(ctx, plan),
    });
  }
  return {
    ...header,
    columns: columnList.map((keys) => ({ keys, labels: labelsOf(keys) })),
    rows: out,
  };
}

/** The figures of an empty total (no rows at all): counts are 0, everything else blank. */
function emptyTotals(ctx: DbCtx, plan: Plan): Figures {
  const row: Raw = {};
  return figuresOf(ctx, plan, row);
}
