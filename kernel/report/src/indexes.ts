import { createHash } from 'node:crypto';
import {
  createCoveringIndex,
  type DbCtx,
  fromJson,
  type IndexInfo,
  instant,
  tableIndexes,
  toJson,
  upsert,
  withTx,
} from '@baton/db';
import type { SourceField } from './catalog.ts';
import type { Predicate } from './conditions.ts';
import type { ReportDefinition } from './definition.ts';
import { type Plan, planFor } from './plan.ts';

// Covering indexes derived from report definitions. A report whose statement narrows its form's table (a date
// range parameter, a static `=`/IN/range condition, an option, department or member filter) gets one index on
// that table: the always-applied equalities, then the range column, then the optional equality filters and the
// grouped columns as the key; every other column the statement reads from the table (measures, conditions,
// `voided_at`, the record-scope columns — owner, department, unit, assignedTo fields — and `id`) covered — INCLUDE on PostgreSQL, trailing on SQLite — so the
// report reads the index alone whoever runs it. Reports that read the whole table get none: a full scan is
// what they need and another index only slows writes.
//
// Built inside the publishing transaction (plain CREATE INDEX, not CONCURRENTLY): a publish or a pack install
// stays one unit (a failure leaves neither the definition nor the index), and CONCURRENTLY cannot run in a
// transaction and leaves an INVALID index behind when it fails. The price on PostgreSQL: the form's table
// takes no writes (reads go on) while the index builds — bench/report measures it for 1,000,000 records.

/** At most this many columns (PostgreSQL allows 32 with INCLUDE). */
const MAX_COLUMNS = 24;
/** Worst-case bytes of one index entry; PostgreSQL refuses btree entries over ~2,700 bytes at write time. */
const MAX_ENTRY_BYTES = 2_000;
const ID_BYTES = 40;
const bytesOfKind: Readonly<Record<string, number>> = {
  id: ID_BYTES,
  date: 4,
  instant: 8,
  bigint: 8,
  integer: 4,
  decimal: 24,
  boolean: 1,
};

export type ReportIndex = {
  /** `rx_` and a digest of the table and columns: the same definition always names the same index. */
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly include: readonly string[];
};

/**
 * Worst-case bytes of a field's column, or undefined when unbounded (long text, rich text, JSON lists): such a
 * column never goes into an index, or a long value would make writes to the form fail on PostgreSQL.
 */
function bytesOf(field: SourceField): number | undefined {
  const fixed = bytesOfKind[field.kind];
  if (fixed !== undefined) return fixed;
  if (field.kind !== 'text') return undefined;
  if (field.system) return ID_BYTES;
  if (field.options) return 4 * Math.max(1, ...field.options.map((option) => option.code.length)) + 4;
  const maxLength = (field.config as { maxLength?: unknown } | null)?.maxLength;
  return typeof maxLength === 'number' && maxLength <= 200 ? 4 * maxLength + 4 : undefined;
}

/** The paths a condition reads; false for a node this walker does not know (then nothing is derived). */
function pathsOf(predicate: Predicate, out: string[]): boolean {
  switch (predicate.kind) {
    case 'and':
    case 'or':
      return predicate.items.every((item) => pathsOf(item, out));
    case 'not':
      return pathsOf(predicate.item, out);
    case 'compare':
      out.push(predicate.path);
      if (predicate.right.kind === 'field') out.push(predicate.right.path);
      return true;
    case 'in':
    case 'isNull':
      out.push(predicate.path);
      return true;
    default:
      return false;
  }
}

const conjuncts = (predicate: Predicate): Predicate[] =>
  predicate.kind === 'and' ? predicate.items.flatMap(conjuncts) : [predicate];

/** The index that serves a report's statement on its form's table, or undefined where none would help. */
export function deriveIndex(plan: Plan): ReportIndex | undefined {
  const { compiled } = plan;
  const { catalog, def } = compiled;
  const fields = new Map<string, SourceField | null>();
  const columnOf = (field: SourceField | undefined): string | undefined => {
    if (field?.scope !== 'main') return undefined;
    const column = plan.column(field).slice(2);
    if (!fields.has(column)) fields.set(column, field);
    return column;
  };
  const byPath = (path: string) => columnOf(catalog.resolve(path));

  // Every column of the main table the statement reads.
  const read: string[] = [];
  const conditions = [compiled.where, ...compiled.measures.map((m) => m.where)].filter(
    (p): p is Predicate => p !== undefined,
  );
  for (const condition of conditions) {
    const paths: string[] = [];
    if (!pathsOf(condition, paths)) return undefined;
    for (const path of paths) {
      const column = byPath(path);
      if (column) read.push(column);
    }
  }
  for (const dimension of compiled.dimensions) read.push(columnOf(dimension.field) ?? '');
  for (const measure of compiled.measures) read.push(columnOf(measure.field) ?? '');
  for (const filter of compiled.filters) read.push(columnOf(filter.field) ?? '');
  for (const join of plan.joins) if (join.via.startsWith('m.')) read.push(join.via.slice(2));
  // The record scopes' columns (kernel/form's recordScopeWhere): owner, department, unit, the form's assignedTo
  // member fields, and the id grants are matched on.
  for (const key of plan.main.definition.assignedTo?.fields ?? []) read.push(byPath(key) ?? '');
  const system = [...(def.includeVoided ? [] : ['voided_at']), 'owner_id', 'department_id', 'unit_id', 'id'];
  for (const column of system) if (!fields.has(column)) fields.set(column, null);
  read.push(...system);

  // The key: equalities that always apply, one range, then optional equalities and the grouped columns.
  const equal: string[] = [];
  const ranges: string[] = [];
  for (const term of compiled.where ? conjuncts(compiled.where) : []) {
    const column = 'path' in term ? (byPath(term.path) ?? '') : '';
    if ((term.kind === 'in' || term.kind === 'isNull') && !term.negated) equal.push(column);
    // Against a value or $today, not another column: only those narrow through an index.
    if (term.kind === 'compare' && term.right.kind !== 'field' && term.op !== '!=') {
      (term.op === '=' ? equal : ranges).push(column);
    }
  }
  const optional: string[] = [];
  for (const filter of compiled.filters) {
    const column = columnOf(filter.field);
    if (!column) continue;
    if (filter.param.type === 'dateRange') ranges.unshift(column);
    else optional.push(column);
  }
  const narrowing = [...equal, ...ranges.slice(0, 1), ...optional].filter(Boolean);
  if (narrowing.length === 0) return undefined;
  const grouped = compiled.dimensions.map((d) => columnOf(d.field) ?? '');
  const columns = [...new Set([...narrowing, ...grouped].filter(Boolean))];
  const include = [...new Set(read.filter((column) => column && !columns.includes(column)))];

  if (columns.length + include.length > MAX_COLUMNS) return undefined;
  let bytes = 0;
  for (const column of [...columns, ...include]) {
    const field = fields.get(column);
    const size = field ? bytesOf(field) : column === 'voided_at' ? 8 : ID_BYTES;
    if (size === undefined) return undefined;
    bytes += size;
  }
  if (bytes > MAX_ENTRY_BYTES) return undefined;
  const table = plan.mainTable;
  const digest = createHash('sha256')
    .update(`${table}(${columns.join(',')})include(${include.join(',')})`)
    .digest('hex')
    .slice(0, 20);
  return Object.freeze({ name: `rx_${digest}`, table, columns, include });
}

/** An index serves the derived one when it starts with its key and holds every column it covers. */
function serves(index: IndexInfo, wanted: ReportIndex): boolean {
  if (!index.valid || index.partial || index.columns.some((c) => c === null)) return false;
  if (!wanted.columns.every((column, i) => index.columns[i] === column)) return false;
  const held = new Set<string | null>([...index.columns, ...index.include]);
  return wanted.include.every((column) => held.has(column));
}

async function dropIfUnused(ctx: DbCtx, name: string): Promise<boolean> {
  // Only indexes this engine names are ever dropped; an equivalent one found on the table stays.
  if (!name.startsWith('rx_')) return false;
  const user = await ctx.db
    .selectFrom('baton_report_index')
    .select('key')
    .where('indexName', '=', name)
    .limit(1)
    .executeTakeFirst();
  if (user) return false;
  await ctx.db.withoutPlugins().schema.dropIndex(name).ifExists().execute();
  return true;
}

export type IndexOutcome = {
  /** The index the report reads through (null: none would help). */
  index: string | null;
  created: boolean;
  /** An index of the previous version no report needs any more. */
  dropped: string | null;
};

/**
 * Derives a report's index against the forms as published now, creates it unless an equivalent one exists,
 * records that the report needs it, and drops the index the report needed before when nothing needs it now.
 */
export async function indexReport(ctx: DbCtx, def: ReportDefinition): Promise<IndexOutcome> {
  return withTx(ctx, async (tx) => {
    const wanted = deriveIndex(await planFor(tx, def));
    const previous = await tx.db
      .selectFrom('baton_report_index')
      .select('indexName')
      .where('pack', '=', def.pack)
      .where('key', '=', def.key)
      .executeTakeFirst();
    let index: string | null = null;
    let created = false;
    if (wanted) {
      const existing = await tableIndexes(tx.db, wanted.table);
      const equivalent =
        existing.find((i) => i.name === wanted.name && serves(i, wanted)) ?? existing.find((i) => serves(i, wanted));
      if (!equivalent) {
        await createCoveringIndex(tx.db, wanted);
        created = true;
      }
      index = equivalent?.name ?? wanted.name;
      await upsert(
        tx.db,
        'baton_report_index',
        {
          pack: def.pack,
          key: def.key,
          indexName: index,
          formTable: wanted.table,
          // toJson's PostgreSQL form is a cast expression; the upsert helper's row type names the stored text.
          columns: toJson(tx.db, wanted.columns) as unknown as string,
          include: toJson(tx.db, wanted.include) as unknown as string,
          recordedAt: instant(tx.clock.now()),
        },
        { conflict: ['pack', 'key'] },
      ).execute();
    } else if (previous) {
      await tx.db.deleteFrom('baton_report_index').where('pack', '=', def.pack).where('key', '=', def.key).execute();
    }
    const stale = previous && previous.indexName !== index ? previous.indexName : null;
    const dropped = stale && (await dropIfUnused(tx, stale)) ? stale : null;
    return { index, created, dropped };
  });
}

export type ReportIndexSummary = {
  name: string;
  table: string;
  columns: string[];
  include: string[];
  /** The reports (`pack.key`) that read through it. */
  reports: string[];
};

/** The indexes reports need, by name. */
export async function listReportIndexes(ctx: DbCtx): Promise<ReportIndexSummary[]> {
  const rows = await ctx.db
    .selectFrom('baton_report_index')
    .selectAll()
    .orderBy('indexName')
    .orderBy('pack')
    .orderBy('key')
    .execute();
  const byName = new Map<string, ReportIndexSummary>();
  for (const row of rows) {
    const entry = byName.get(row.indexName) ?? {
      name: row.indexName,
      table: row.formTable,
      columns: fromJson<string[]>(row.columns),
      include: fromJson<string[]>(row.include),
      reports: [],
    };
    entry.reports.push(`${row.pack}.${row.key}`);
    byName.set(row.indexName, entry);
  }
  return [...byName.values()];
}
