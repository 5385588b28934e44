import { type DbCtx, dateTrunc, dialectOf } from '@baton/db';
import { findFieldType, recordScopeWhere, type Viewer } from '@baton/form';
import type {
  AliasableExpression,
  AliasedExpression,
  ComparisonOperator,
  Expression,
  ExpressionBuilder,
  Kysely,
  SelectQueryBuilder,
  SqlBool,
} from 'kysely';
import { resolveRowsColumn, type SourceField } from './catalog.ts';
import { bindNumbers, type CompareOperator, type Operand, type Predicate, type Term } from './conditions.ts';
import type { Bucket, Dimension, Measure, SortKey } from './definition.ts';
import { ReportErrors } from './errors.ts';
import { assertFiguresVisible, hiddenFieldsOf } from './field-access.ts';
import type { ReportLimits } from './guard.ts';
import { localToday, type ResolvedParams } from './params.ts';
import type { Plan } from './plan.ts';

// The one SQL statement of a report, built with Kysely from the plan: identifiers from the plan only,
// every value bound. Shape:
//
//   with src as (select <dimension expressions> d0…, <measure inputs> v0… from f_<pack>_<form> m
//                [join subtable s] [left join referenced forms j0… on id and their scopes]
//                where not voided and scopes and filters and conditions [limit cap+1 on SQLite])
//   select * from (select lvl, d…, aggregates m… from src group by d… order by … limit n) top
//   union all select <subtotal and total levels> …
//   order by lvl, <sort>
//
// `lvl` is the bitmask of the dimensions a row is grouped by (all bits: a detail row).

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyDb
type AnyEb = ExpressionBuilder<any, any>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyDb
type AnySelect = SelectQueryBuilder<any, any, any>;

const sqlOperator: Readonly<Record<CompareOperator, ComparisonOperator>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

function fieldOf(plan: Plan, path: string): SourceField {
  const field = plan.compiled.catalog.resolve(path);
  if (!field) throw new TypeError(`report: "${path}" is not in the catalog`);
  return field;
}

function toDb(db: AnyDb, field: SourceField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const type = field.system ? undefined : findFieldType(field.type);
  return type?.toDb ? type.toDb(db, value, field.config) : value;
}

/** The SQL of a compiled condition. `!=` and NOT IN also match blanks, as in kernel/form's filters. */
export function predicateSql(
  eb: AnyEb,
  db: AnyDb,
  plan: Plan,
  predicate: Predicate,
  today: string,
): Expression<SqlBool> {
  switch (predicate.kind) {
    case 'and':
      return eb.and(predicate.items.map((item) => predicateSql(eb, db, plan, item, today)));
    case 'or':
      return eb.or(predicate.items.map((item) => predicateSql(eb, db, plan, item, today)));
    case 'not':
      return eb.not(predicateSql(eb, db, plan, predicate.item, today));
    case 'isNull': {
      const column = plan.column(fieldOf(plan, predicate.path));
      return eb(column, predicate.negated ? 'is not' : 'is', null);
    }
    case 'in': {
      const field = fieldOf(plan, predicate.path);
      const column = plan.column(field);
      const values = predicate.values.map((value) => toDb(db, field, value));
      if (!predicate.negated) return eb(column, 'in', values);
      return eb.or([eb(column, 'not in', values), eb(column, 'is', null)]);
    }
    case 'compare': {
      const field = fieldOf(plan, predicate.path);
      const column = plan.column(field);
      const op = sqlOperator[predicate.op];
      const right = predicate.right;
      const operand =
        right.kind === 'field'
          ? eb.ref(plan.column(fieldOf(plan, right.path)))
          : right.kind === 'today'
            ? todayOf(right, today)
            : toDb(db, field, right.value);
      if (operand === null) return predicate.op === '!=' ? eb(column, 'is not', null) : eb.or([]);
      const test = eb(column, op, operand);
      return predicate.op === '!=' && right.kind !== 'field' ? eb.or([test, eb(column, 'is', null)]) : test;
    }
    case 'compareTerm': {
      const { sql: left, field } = termSql(eb, db, plan, predicate.term);
      const right = predicate.right;
      const operand =
        right.kind === 'today' ? todayOf(right, today) : right.kind === 'value' ? toDb(db, field, right.value) : null;
      if (operand === null) return predicate.op === '!=' ? eb(left, 'is not', null) : eb.or([]);
      const test = eb(left, sqlOperator[predicate.op], operand);
      return predicate.op === '!=' ? eb.or([test, eb(left, 'is', null)]) : test;
    }
  }
}

/** `$today` moved by its days (number parameters were bound into `days` before SQL is built). */
function todayOf(right: Extract<Operand, { kind: 'today' }>, today: string): string {
  return right.days ? addDays(today, right.days) : today;
}

/**
 * A term's SQL and the field that types it: a column, `(select max(x.col) from <subtable> x where
 * x.parent_id = m.id)` per record, or coalesce(…). Table and column names come from the form's published
 * storage only; a subtable or column that left the form is REPORT_DEFINITION_STALE.
 */
function termSql(eb: AnyEb, db: AnyDb, plan: Plan, term: Term): { sql: Expression<unknown>; field: SourceField } {
  if (term.kind === 'field') {
    const field = fieldOf(plan, term.path);
    return { sql: eb.ref(plan.column(field)), field };
  }
  if (term.kind === 'rows') {
    const storage = plan.main.storage.subtables[term.subtable];
    const column = storage?.columns[term.column]?.column;
    const field = resolveRowsColumn(plan.main.definition, term.path);
    if (!storage || !column || !field) {
      const report = `${plan.compiled.def.pack}.${plan.compiled.def.key}`;
      throw ReportErrors.definitionStale.create(
        { report, count: 1 },
        { fields: [{ path: [term.path], code: 'no_column', message: `"${term.path}" has no column` }] },
      );
    }
    const rows = `r_${term.subtable}`;
    const aggregate = term.fn === 'max' ? eb.fn.max(`${rows}.${column}`) : eb.fn.min(`${rows}.${column}`);
    const sub = db
      .selectFrom(`${storage.table} as ${rows}`)
      .select(aggregate.as('v'))
      .whereRef(`${rows}.parent_id`, '=', 'm.id');
    return { sql: sub, field };
  }
  const items = term.items.map((item) => termSql(eb, db, plan, item));
  const first = items[0] as { sql: Expression<unknown>; field: SourceField };
  return {
    sql: eb.fn(
      'coalesce',
      items.map((item) => item.sql),
    ),
    field: first.field,
  };
}

/** Midnight of `date` in the report's zone, as the instant text stored for datetime fields. */
export function instantOf(date: string, utcOffsetMinutes: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - utcOffsetMinutes * 60_000).toISOString();
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The first day after the bucket that starts on `start`. */
export function bucketEnd(bucket: Bucket, start: string): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const months = bucket === 'month' ? 1 : bucket === 'quarter' ? 3 : bucket === 'year' ? 12 : 0;
  if (months === 0) return addDays(start, bucket === 'week' ? 7 : 1);
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

/** A day range [from, to] (inclusive days) on a date or datetime column. */
function rangeSql(
  eb: AnyEb,
  column: string,
  kind: string,
  range: { from?: string; to?: string },
  offset: number,
): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (kind === 'instant') {
    if (range.from) terms.push(eb(column, '>=', instantOf(range.from, offset)));
    if (range.to) terms.push(eb(column, '<', instantOf(addDays(range.to, 1), offset)));
  } else {
    if (range.from) terms.push(eb(column, '>=', range.from));
    if (range.to) terms.push(eb(column, '<=', range.to));
  }
  return eb.and(terms);
}

export function dimensionSql(db: AnyDb, plan: Plan, dimension: Dimension): Expression<unknown> | string {
  const column = plan.column(dimension.field);
  if (!dimension.bucket) return column;
  const offset = plan.kind(dimension.field) === 'instant' ? plan.compiled.def.utcOffsetMinutes : 0;
  return dateTrunc(db, dimension.bucket, column, { utcOffsetMinutes: offset });
}

/** The rows of a figure's cell: one dimension equal to a (validated) group value. */
export function cellSql(eb: AnyEb, plan: Plan, dimension: Dimension, value: unknown): Expression<SqlBool> {
  const column = plan.column(dimension.field);
  if (value === null) return eb(column, 'is', null);
  if (dimension.bucket) {
    const start = value as string;
    const range = { from: start, to: addDays(bucketEnd(dimension.bucket, start), -1) };
    return rangeSql(eb, column, plan.kind(dimension.field), range, plan.compiled.def.utcOffsetMinutes);
  }
  return eb(column, '=', value);
}

export type Source = { query: AnySelect; db: AnyDb; today: string };

/**
 * FROM, joins and WHERE of a report for one viewer: not voided, inside the viewer's record scopes (SQL, via
 * kernel/access), the report's conditions and the parameter filters. Joined referenced forms are reached only
 * within the viewer's scopes on them (`viewer.targets`, default `viewer.scopes`): outside them the joined
 * fields read as blank.
 */
export async function sourceOf(ctx: DbCtx, plan: Plan, params: ResolvedParams, viewer: Viewer): Promise<Source> {
  const db = ctx.db as unknown as AnyDb;
  const { def } = plan.compiled;
  const today = localToday(ctx.clock.now(), def.utcOffsetMinutes);
  // Run, explain and drill all come through here: no figure rests on a field hidden from the viewer.
  assertFiguresVisible(plan, await hiddenFieldsOf(ctx, plan, viewer), (path) =>
    resolveRowsColumn(plan.main.definition, path),
  );
  const scope = await recordScopeWhere(ctx, {
    form: plan.main.definition,
    storage: plan.main.storage.main,
    table: 'm',
    viewer,
    access: 'read',
  });
  const joinScopes: Expression<SqlBool>[] = [];
  for (const join of plan.joins) {
    joinScopes.push(
      await recordScopeWhere(ctx, {
        form: join.form.definition,
        storage: join.form.storage.main,
        table: join.alias,
        viewer,
        access: 'read',
        scopes: viewer.targets?.[join.resource] ?? viewer.scopes,
      }),
    );
  }
  let query: AnySelect = db.selectFrom(`${plan.mainTable} as m`);
  if (plan.subTable) query = query.innerJoin(`${plan.subTable} as s`, 's.parent_id', 'm.id');
  for (const [index, join] of plan.joins.entries()) {
    query = query.leftJoin(`${join.table} as ${join.alias}`, (on) =>
      on
        .onRef(`${join.alias}.id`, '=', join.via)
        .on(`${join.alias}.voided_at`, 'is', null)
        .on(joinScopes[index] as Expression<SqlBool>),
    );
  }
  if (!def.includeVoided) query = query.where('m.voided_at', 'is', null);
  query = query.where(scope);
  const compiledWhere = plan.compiled.where;
  if (compiledWhere) {
    const numberOf = (key: string) => {
      const value = params.get(key);
      return value?.kind === 'number' ? value.value : undefined;
    };
    const where = bindNumbers(compiledWhere, numberOf);
    query = query.where((eb: AnyEb) => predicateSql(eb, db, plan, where, today));
  }
  for (const filter of plan.compiled.filters) {
    const value = params.get(filter.param.key);
    if (!value) continue;
    const column = plan.column(filter.field);
    if (value.kind === 'range') {
      const kind = plan.kind(filter.field);
      query = query.where((eb: AnyEb) => rangeSql(eb, column, kind, value.range, def.utcOffsetMinutes));
    } else if (value.kind === 'list') query = query.where(column, 'in', [...value.values]);
  }
  return { query, db, today };
}

/** A measure's input column in `src` (undefined: count(*) needs none). */
function measureInput(eb: AnyEb, source: Source, plan: Plan, measure: Measure): Expression<unknown> | undefined {
  if (!measure.field && !measure.where) return undefined;
  const base: Expression<unknown> = measure.field ? eb.ref(plan.column(measure.field)) : eb.lit(1);
  if (!measure.where) return base;
  const condition = predicateSql(eb, source.db, plan, measure.where, source.today);
  return eb.case().when(condition).then(base).end();
}

function aggregateSql(eb: AnyEb, measure: Measure, index: number, hasInput: boolean): Expression<unknown> {
  const input = `src.v${index}`;
  switch (measure.agg) {
    case 'count':
      return hasInput ? eb.fn.count(input) : eb.fn.countAll();
    case 'distinctCount':
      return eb.fn.count(input).distinct();
    case 'sum':
      return eb.fn.sum(input);
    case 'avg':
      return eb.fn.avg(input);
    case 'min':
      return eb.fn.min(input);
    case 'max':
      return eb.fn.max(input);
  }
}

export type Levels = { masks: number[]; full: number };

/** The grouping levels: detail, subtotals over row prefixes, totals (and a cross-tab's row and column totals). */
export function levelsOf(plan: Plan): Levels {
  const dims = plan.compiled.dimensions;
  const rowBits = dims.map((d, i) => (d.axis === 'row' ? 1 << i : 0));
  const columnMask = dims.reduce((mask, d, i) => (d.axis === 'column' ? mask | (1 << i) : mask), 0);
  const full = dims.reduce((mask, _d, i) => mask | (1 << i), 0);
  const rowCount = dims.filter((d) => d.axis === 'row').length;
  const { subtotals, totals } = plan.compiled.def;
  const rowLevels: number[] = [];
  for (let k = rowCount; k >= 0; k--) {
    const prefix = rowBits.slice(0, k).reduce((mask, bit) => mask | bit, 0);
    if (k === rowCount || (k > 0 && subtotals) || (k === 0 && totals)) rowLevels.push(prefix);
  }
  const masks: number[] = [];
  for (const rows of rowLevels) {
    masks.push(rows | columnMask);
    if (columnMask !== 0 && totals) masks.push(rows);
  }
  return { masks: [...new Set(masks)], full };
}

/** ORDER BY of the detail rows: subtotal groups stay together; NULL last ascending, first descending. */
export function orderOf(plan: Plan, sort: readonly SortKey[]): { column: string; dir: 'asc' | 'desc' }[] {
  const dims = plan.compiled.dimensions;
  const alias = (key: string) => {
    const d = dims.findIndex((dim) => dim.key === key);
    if (d >= 0) return `d${d}`;
    return `m${plan.compiled.measures.findIndex((m) => m.key === key)}`;
  };
  const order: { column: string; dir: 'asc' | 'desc' }[] = [];
  const seen = new Set<string>();
  const push = (key: string, dir: 'asc' | 'desc') => {
    if (seen.has(key)) return;
    seen.add(key);
    order.push({ column: alias(key), dir });
  };
  const dirOf = (key: string) => sort.find((s) => s.key === key)?.dir ?? 'asc';
  const rows = dims.filter((d) => d.axis === 'row');
  if (plan.compiled.def.subtotals) for (const d of rows.slice(0, -1)) push(d.key, dirOf(d.key));
  for (const s of sort) if (s.target !== 'computed') push(s.key, s.dir);
  for (const d of rows) push(d.key, dirOf(d.key));
  for (const d of dims.filter((dim) => dim.axis === 'column')) push(d.key, dirOf(d.key));
  return order;
}

/** The report's statement. `cap` is the most detail rows to fetch (one more than allowed, to detect overflow). */
export function reportQuery(
  plan: Plan,
  source: Source,
  options: { sort: readonly SortKey[]; cap: number; limits: ReportLimits },
): AnySelect {
  const { db } = source;
  const { dimensions, measures } = plan.compiled;
  const sqlite = dialectOf(db) === 'sqlite';
  const hasInput: boolean[] = [];
  let src = source.query.select((eb: AnyEb) => {
    const selections: AliasedExpression<unknown, string>[] = [];
    for (const [i, dimension] of dimensions.entries()) {
      const expression = dimensionSql(db, plan, dimension);
      const value = (typeof expression === 'string' ? eb.ref(expression) : expression) as AliasableExpression<unknown>;
      selections.push(value.as(`d${i}`));
    }
    for (const [j, measure] of measures.entries()) {
      const input = measureInput(eb, source, plan, measure) as AliasableExpression<unknown> | undefined;
      hasInput[j] = input !== undefined;
      if (input) selections.push(input.as(`v${j}`));
    }
    if (selections.length === 0) selections.push(eb.lit(1).as('one'));
    return selections;
  });
  // SQLite cannot interrupt a statement: the rows read are capped instead (see guard.ts).
  if (sqlite) src = src.limit(options.limits.maxScannedRows + 1);

  const { masks, full } = levelsOf(plan);
  const branch = (mask: number, detail: boolean): AnySelect => {
    let query: AnySelect = db.selectFrom('src').select((eb: AnyEb) => {
      const selections: AliasedExpression<unknown, string>[] = [eb.lit(mask).as('lvl')];
      for (const [i] of dimensions.entries()) {
        const value = (mask & (1 << i) ? eb.ref(`src.d${i}`) : eb.lit(null)) as AliasableExpression<unknown>;
        selections.push(value.as(`d${i}`));
      }
      for (const [j, measure] of measures.entries()) {
        selections.push(
          (aggregateSql(eb, measure, j, hasInput[j] === true) as AliasableExpression<unknown>).as(`m${j}`),
        );
      }
      if (sqlite) selections.push((detail ? eb.fn.sum(eb.fn.countAll()).over() : eb.lit(0)).as('scanned'));
      return selections;
    });
    const grouped = dimensions.flatMap((_d, i) => (mask & (1 << i) ? [`src.d${i}`] : []));
    if (grouped.length > 0) query = query.groupBy(grouped);
    return query;
  };
  const order = orderOf(plan, options.sort);
  const ordered = (query: AnySelect) =>
    order.reduce(
      (q, { column, dir }) =>
        q.orderBy(column, (ob) => (dir === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsFirst())),
      query,
    );
  const creator = db.with('src', () => src);
  const detail = ordered(branch(full, true)).limit(options.cap);
  const others = masks.filter((mask) => mask !== full);
  if (others.length === 0) return ordered(creator.selectFrom(detail.as('top')).selectAll());
  let query: AnySelect = creator.selectFrom(detail.as('top')).selectAll();
  for (const mask of others) query = query.unionAll(branch(mask, false));
  return ordered(query.orderBy('lvl', 'desc'));
}
