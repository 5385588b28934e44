import { createHash } from 'node:crypto';
import type { FieldIssue } from '@baton/core';
import { type DbCtx, fromJson } from '@baton/db';
import { findFieldType, type Label, type Viewer } from '@baton/form';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { SourceField } from './catalog.ts';
import type { Bucket, Dimension, ReportDefinition } from './definition.ts';
import { ReportErrors } from './errors.ts';
import { hiddenFieldsOf } from './field-access.ts';
import { guarded, limitsOf, type ReportLimits } from './guard.ts';
import { type ResolvedParams, resolveParams } from './params.ts';
import { type Plan, planFor } from './plan.ts';
import { cellSql, predicateSql, sourceOf } from './query.ts';
import { definitionOf, type ReportRef } from './store.ts';
import { fieldValue, keyOf, type Locale, labelValues, type NameLookup, type Scalar } from './values.ts';

// Drill-through (数据穿透): exactly the records behind one figure — the report's source, the viewer's scopes,
// the parameters, the cell's group values and the measure's own condition — paged by keyset on the record
// (or subtable row) id, each with its flow instance id for the link to its flow history.

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyDb
type AnyEb = ExpressionBuilder<any, any>;

export type Cell = {
  /** Group values by dimension key, as a result row or column header gives them; a missing key means "all". */
  keys?: Record<string, unknown>;
  /** The figure's measure: its condition applies (an overdue count drills to the overdue records only). */
  measure?: string;
};

export type DrillInput = {
  report: ReportDefinition | ReportRef;
  params?: unknown;
  cell?: Cell;
  viewer: Viewer;
  cursor?: string;
  limit?: number;
  locale?: Locale;
};

export type DrillRecord = {
  /** The record id (main form). */
  id: string;
  /** The subtable row id, for a report over a subtable. */
  rowId?: string;
  flowInstanceId: string | null;
  state: string;
  values: Record<string, unknown>;
  labels: Record<string, string>;
};

export type DrillColumn = { path: string; label: Label; type: string; kind: string };
export type DrillResult = { columns: DrillColumn[]; records: DrillRecord[]; nextCursor: string | null };

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Whether `value` is the first day of a bucket (what a bucketed group value always is). */
function isBucketStart(bucket: Bucket, value: string): boolean {
  if (!isDay(value)) return false;
  const [, month, day] = value.split('-').map(Number) as [number, number, number];
  switch (bucket) {
    case 'day':
      return true;
    case 'week':
      return new Date(`${value}T00:00:00Z`).getUTCDay() === 1;
    case 'month':
      return day === 1;
    case 'quarter':
      return day === 1 && (month - 1) % 3 === 0;
    case 'year':
      return day === 1 && month === 1;
  }
}

/** A group value from a request, checked against the dimension's kind (it only ever becomes a bound value). */
function cellValue(plan: Plan, dimension: Dimension, value: unknown): { ok: true; value: Scalar } | { ok: false } {
  if (value === null) return { ok: true, value: null };
  if (dimension.bucket) {
    return typeof value === 'string' && isBucketStart(dimension.bucket, value) ? { ok: true, value } : { ok: false };
  }
  switch (plan.kind(dimension.field)) {
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false };
    case 'bigint':
    case 'integer':
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false };
    case 'date':
      return typeof value === 'string' && isDay(value) ? { ok: true, value } : { ok: false };
    case 'instant':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && value.length <= 40
        ? { ok: true, value }
        : { ok: false };
    case 'id':
      return typeof value === 'string' && ID.test(value) ? { ok: true, value } : { ok: false };
    default:
      // No text column holds a NUL (PostgreSQL cannot), so such a value is no group value.
      return typeof value === 'string' && value.length <= 2000 && !value.includes('\u0000')
        ? { ok: true, value }
        : { ok: false };
  }
}

type CellFilter = { dims: { dimension: Dimension; value: Scalar }[]; measure?: string };

function checkCell(plan: Plan, cell: unknown): CellFilter {
  const issues: FieldIssue[] = [];
  const out: CellFilter = { dims: [] };
  if (cell === undefined || cell === null) return out;
  if (typeof cell !== 'object' || Array.isArray(cell)) {
    throw ReportErrors.paramInvalid.create(
      {},
      { fields: [{ path: ['cell'], code: 'not_object', message: 'an object' }] },
    );
  }
  const { keys, measure, ...rest } = cell as Record<string, unknown>;
  for (const key of Object.keys(rest))
    issues.push({ path: ['cell', key], code: 'unknown_key', message: 'keys or measure' });
  if (keys !== undefined && keys !== null) {
    if (typeof keys !== 'object' || Array.isArray(keys)) {
      issues.push({ path: ['cell', 'keys'], code: 'not_object', message: 'an object' });
    } else {
      for (const [key, value] of Object.entries(keys)) {
        const dimension = plan.compiled.dimensions.find((d) => d.key === key);
        if (!dimension) {
          issues.push({ path: ['cell', 'keys', key], code: 'unknown_key', message: 'not a dimension of this report' });
          continue;
        }
        const checked = cellValue(plan, dimension, value);
        if (!checked.ok)
          issues.push({ path: ['cell', 'keys', key], code: 'bad_value', message: 'not a value of this dimension' });
        else out.dims.push({ dimension, value: checked.value });
      }
    }
  }
  if (measure !== undefined) {
    const known =
      typeof measure === 'string' &&
      (plan.compiled.measures.some((m) => m.key === measure) || plan.compiled.computed.some((c) => c.key === measure));
    if (!known)
      issues.push({ path: ['cell', 'measure'], code: 'unknown_key', message: 'not a measure of this report' });
    else out.measure = measure as string;
  }
  if (issues.length > 0) throw ReportErrors.paramInvalid.create({}, { fields: issues });
  return out;
}

type Cursor = { fingerprint: string; id: string };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ f: cursor.fingerprint, i: cursor.id })).toString('base64url');
}

function decodeCursor(text: unknown, fingerprint: string): string {
  const bad = () =>
    ReportErrors.paramInvalid.create({}, { fields: [{ path: ['cursor'], code: 'bad_cursor', message: 'bad cursor' }] });
  if (typeof text !== 'string' || text.length > 400 || !/^[A-Za-z0-9_-]+$/.test(text)) throw bad();
  try {
    const data = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { f?: unknown; i?: unknown };
    if (data.f !== fingerprint || typeof data.i !== 'string' || !ID.test(data.i)) throw bad();
    return data.i;
  } catch {
    throw bad();
  }
}

/** The WHERE of a cell on top of the source: its group values and its measure's condition. */
function cellWhere(eb: AnyEb, db: AnyDb, plan: Plan, filter: CellFilter, today: string): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = filter.dims.map(({ dimension, value }) => cellSql(eb, plan, dimension, value));
  const measure = plan.compiled.measures.find((m) => m.key === filter.measure);
  if (measure?.where) terms.push(predicateSql(eb, db, plan, measure.where, today));
  if (measure?.field) terms.push(eb(plan.column(measure.field), 'is not', null));
  return eb.and(terms);
}

type Prepared = {
  plan: Plan;
  /** The drill columns the viewer may see (fields hidden by the forms' field permissions left out). */
  columns: readonly SourceField[];
  params: ResolvedParams;
  filter: CellFilter;
  fingerprint: string;
  limits: ReportLimits;
};

async function prepare(ctx: DbCtx, input: DrillInput, limits?: Partial<ReportLimits>): Promise<Prepared> {
  if (!input.viewer || typeof input.viewer.memberId !== 'string' || !Array.isArray(input.viewer.scopes)) {
    throw new TypeError('drillReport: viewer { memberId, scopes } is required');
  }
  const def = await definitionOf(ctx, input.report);
  const plan = await planFor(ctx, def);
  const params = await resolveParams(ctx, plan.compiled, input.params);
  const filter = checkCell(plan, input.cell);
  const hidden = await hiddenFieldsOf(ctx, plan, input.viewer);
  const columns = plan.compiled.drill.filter((field) => !hidden(field));
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        def.hash,
        input.viewer.memberId,
        [...params],
        filter.dims.map((d) => [d.dimension.key, d.value]),
        filter.measure ?? null,
      ]),
    )
    .digest('base64url')
    .slice(0, 16);
  return { plan, columns, params, filter, fingerprint, limits: limitsOf(limits) };
}

type Raw = Record<string, unknown>;

async function page(
  ctx: DbCtx,
  prepared: Prepared,
  viewer: Viewer,
  after: string | undefined,
  limit: number,
): Promise<Raw[]> {
  const { plan, params, filter } = prepared;
  const idColumn = plan.subTable ? 's.id' : 'm.id';
  return guarded(ctx, prepared.limits, async (tx) => {
    const source = await sourceOf(tx, plan, params, viewer);
    let query = source.query
      .where((eb: AnyEb) => cellWhere(eb, source.db, plan, filter, source.today))
      .select((eb: AnyEb) => [
        eb.ref('m.id').as('rid'),
        eb.ref('m.flow_instance_id').as('fid'),
        eb.ref('m.state').as('st'),
        ...(plan.subTable ? [eb.ref('s.id').as('sid')] : []),
        ...prepared.columns.map((field, i) => eb.ref(plan.column(field)).as(`c${i}`)),
      ]);
    if (after !== undefined) query = query.where(idColumn, '>', after);
    return (await query.orderBy(idColumn).limit(limit).execute()) as Raw[];
  });
}

function readValue(field: SourceField, kind: string, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (kind === 'json') return fromJson<unknown>(raw);
  const type = field.system ? undefined : findFieldType(field.type);
  const read = type?.fromDb ? type.fromDb(raw, field.config) : raw;
  return fieldValue(field, kind, read);
}

async function toRecords(
  ctx: DbCtx,
  { plan, columns: drill }: Prepared,
  rows: Raw[],
  locale: Locale,
  refs: NameLookup | undefined,
): Promise<DrillRecord[]> {
  const labelled = await Promise.all(
    drill.map(async (field, i) => {
      const needs =
        field.options ||
        field.kind === 'boolean' ||
        ['member', 'members', 'department', 'departments', 'unit', 'post'].includes(field.type);
      if (!needs) return undefined;
      const scalars = rows.map((row) => fieldValue(field, plan.kind(field), row[`c${i}`]));
      return labelValues(ctx, field, scalars, locale, refs);
    }),
  );
  return rows.map((row) => {
    const values: Record<string, unknown> = {};
    const labels: Record<string, string> = {};
    for (const [i, field] of drill.entries()) {
      const kind = plan.kind(field);
      values[field.path] = readValue(field, kind, row[`c${i}`]);
      const map = labelled[i];
      if (map) labels[field.path] = map.get(keyOf(fieldValue(field, kind, row[`c${i}`]))) ?? '';
    }
    return {
      id: String(row.rid),
      ...(plan.subTable ? { rowId: String(row.sid) } : {}),
      flowInstanceId: row.fid === null || row.fid === undefined ? null : String(row.fid),
      state: String(row.st),
      values,
      labels,
    };
  });
}

function columnsOf({ plan, columns }: Prepared): DrillColumn[] {
  return columns.map((field) => ({
    path: field.path,
    label: field.label,
    type: field.type,
    kind: plan.kind(field),
  }));
}

/**
 * The records behind one figure of a report, for the same viewer and parameters: the source rows whose group
 * values equal the cell's keys (buckets as day ranges), within the measure's condition, keyset-paged by id.
 */
export async function drillReport(
  ctx: DbCtx,
  input: DrillInput,
  options: { refs?: NameLookup; limits?: Partial<ReportLimits> } = {},
): Promise<DrillResult> {
  const prepared = await prepare(ctx, input, options.limits);
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw ReportErrors.paramInvalid.create(
      {},
      { fields: [{ path: ['limit'], code: 'bad_limit', message: '1 to 200' }] },
    );
  }
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, prepared.fingerprint);
  const rows = await page(ctx, prepared, input.viewer, after, limit + 1);
  const shown = rows.slice(0, limit);
  const records = await toRecords(ctx, prepared, shown, input.locale ?? 'zh-CN', options.refs);
  const last = records[records.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ fingerprint: prepared.fingerprint, id: last.rowId ?? last.id }) : null;
  return { columns: columnsOf(prepared), records, nextCursor };
}

/** Internal to exports: every record behind a cell, a page at a time, refusing more than maxExportRows. */
export async function drillAll(
  ctx: DbCtx,
  input: DrillInput,
  options: { refs?: NameLookup; limits?: Partial<ReportLimits> } = {},
): Promise<{ columns: DrillColumn[]; records: AsyncIterable<DrillRecord>; total: number }> {
  const prepared = await prepare(ctx, input, options.limits);
  const cap = prepared.limits.maxExportRows;
  const { plan, params, filter } = prepared;
  // Counted before the download starts, so an export never stops half-way.
  const count = await guarded(ctx, prepared.limits, async (tx) => {
    const source = await sourceOf(tx, plan, params, input.viewer);
    const inner = source.query
      .where((eb: AnyEb) => cellWhere(eb, source.db, plan, filter, source.today))
      .select((eb: AnyEb) => eb.lit(1).as('one'))
      .limit(cap + 1);
    const row = await source.db
      .selectFrom(inner.as('x'))
      .select((eb: AnyEb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  });
  if (count > cap) throw ReportErrors.exportTooLarge.create({ limit: cap });
  const first = await page(ctx, prepared, input.viewer, undefined, 500);
  const locale = input.locale ?? 'zh-CN';
  async function* records(): AsyncIterable<DrillRecord> {
    let rows = first;
    let count = 0;
    while (rows.length > 0) {
      count += rows.length;
      for (const record of await toRecords(ctx, prepared, rows, locale, options.refs)) yield record;
      if (rows.length < 500 || count >= cap) return;
      const last = rows[rows.length - 1] as Raw;
      rows = await page(ctx, prepared, input.viewer, String(prepared.plan.subTable ? last.sid : last.rid), 500);
    }
  }
  return { columns: columnsOf(prepared), records: records(), total: count };
}
