import {
  type ColumnDataType,
  type Expression,
  type Insertable,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
  type Updateable,
} from 'kysely';
import type { Dialect } from './schema.ts';

// The only place where SQL differs between SQLite and PostgreSQL. Engines call these helpers
// instead of branching on the dialect themselves.

/** Column types by meaning; migrations write `addColumn('amount', t.bigint)`. */
export type ColumnTypes = {
  /** UUIDv7 strings. `text` on both: an invalid id then behaves the same everywhere (no uuid cast error on PG). */
  id: ColumnDataType;
  /** A point in time: ISO-8601 UTC text on SQLite (sorts as text), timestamptz on PG; read back as ISO strings. */
  instant: ColumnDataType;
  /** A calendar date 'YYYY-MM-DD'. */
  date: ColumnDataType;
  /** JSON written with toJson and read with fromJson. */
  json: ColumnDataType;
  /** 64-bit integers such as money in fen; read back as JS numbers (keep within ±2^53−1). */
  bigint: ColumnDataType;
  /** Written as true/false or 1/0, read back as 1/0 on both. */
  boolean: ColumnDataType;
  text: ColumnDataType;
  integer: ColumnDataType;
  /** Exact decimals (rates, quantities); read back as JS numbers. Money is bigint fen, not decimal. */
  decimal: ColumnDataType;
};

const sqliteTypes: ColumnTypes = Object.freeze({
  id: 'text',
  instant: 'text',
  date: 'text',
  json: 'text',
  bigint: 'integer',
  boolean: 'integer',
  text: 'text',
  integer: 'integer',
  decimal: 'numeric',
});

const postgresTypes: ColumnTypes = Object.freeze({
  id: 'text',
  instant: 'timestamptz',
  date: 'date',
  json: 'jsonb',
  bigint: 'bigint',
  boolean: 'boolean',
  text: 'text',
  integer: 'integer',
  decimal: 'numeric',
});

export function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect === 'postgres' ? postgresTypes : sqliteTypes;
}

// biome-ignore lint/suspicious/noExplicitAny: helpers accept any database shape (form tables are not in BatonDatabase)
type AnyDb = Kysely<any>;

/**
 * Which database `db` (a Kysely or a Transaction) talks to. Read from the compiled parameter
 * placeholder, which is public API, rather than from Kysely's internal executor.
 */
export function dialectOf(db: AnyDb): Dialect {
  return sql`${0}`.compile(db).sql.startsWith('$') ? 'postgres' : 'sqlite';
}

/** How an instant is written: ISO-8601 UTC with milliseconds, so SQLite text comparison orders correctly. */
export function instant(date: Date): string {
  return date.toISOString();
}

/** A JSON value to write into a `t.json` column. */
export function toJson(db: AnyDb, value: unknown): RawBuilder<string> | string {
  const text = JSON.stringify(value ?? null);
  return dialectOf(db) === 'postgres' ? sql<string>`cast(${text} as jsonb)` : text;
}

/** Parses a JSON column read on either database (both return JSON as text). */
export function fromJson<T>(value: unknown): T {
  if (value === null || value === undefined) return null as T;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export type DateUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';
const units: ReadonlySet<string> = new Set(['day', 'week', 'month', 'quarter', 'year']);

/**
 * The start of the bucket containing `expr` as 'YYYY-MM-DD' (weeks start on Monday), identical on
 * both databases. `expr` is a column reference or an expression holding an instant or a date.
 * `utcOffsetMinutes` buckets instants in a fixed-offset zone (480 = Asia/Shanghai); leave it out for dates.
 * Unit and offset are inlined, not bound, so the same call in SELECT and GROUP BY compares equal on PG.
 */
export function dateTrunc(
  db: AnyDb,
  unit: DateUnit,
  expr: Expression<unknown> | string,
  options: { utcOffsetMinutes?: number } = {},
): RawBuilder<string> {
  if (!units.has(unit)) throw new TypeError(`dateTrunc: unknown unit ${String(unit)}`);
  const offset = options.utcOffsetMinutes ?? 0;
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
    throw new RangeError('dateTrunc: utcOffsetMinutes must be an integer within ±840');
  }
  const value = typeof expr === 'string' ? sql.ref(expr) : expr;
  if (dialectOf(db) === 'postgres') {
    // The session time zone is UTC (set by openDatabase), so the cast reads an instant as UTC wall time.
    const shifted = offset
      ? sql`cast(${value} as timestamp) + interval '${sql.raw(String(offset))} minutes'`
      : sql`cast(${value} as timestamp)`;
    return sql<string>`to_char(date_trunc('${sql.raw(unit)}', ${shifted}), 'YYYY-MM-DD')`;
  }
  const shift = offset ? sql.raw(`, '${offset >= 0 ? '+' : ''}${offset} minutes'`) : sql.raw('');
  switch (unit) {
    case 'day':
      return sql<string>`date(${value}${shift})`;
    case 'week':
      // 'weekday 0' moves forward to Sunday (or stays), six days back is that week's Monday.
      return sql<string>`date(${value}${shift}, 'weekday 0', '-6 days')`;
    case 'month':
      return sql<string>`date(${value}${shift}, 'start of month')`;
    case 'quarter':
      return sql<string>`date(${value}${shift}, 'start of month', '-' || ((cast(strftime('%m', ${value}${shift}) as integer) - 1) % 3) || ' months')`;
    case 'year':
      return sql<string>`date(${value}${shift}, 'start of year')`;
  }
}

/**
 * Locks the selected rows until the transaction ends. PG adds FOR UPDATE [SKIP LOCKED]; SQLite returns
 * `qb` unchanged because its BEGIN IMMEDIATE transaction already holds the database write lock.
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any select builder
export function forUpdate<QB extends SelectQueryBuilder<any, any, any>>(
  qb: QB,
  db: AnyDb,
  options: { skipLocked?: boolean } = {},
): QB {
  if (dialectOf(db) !== 'postgres') return qb;
  const locked = qb.forUpdate();
  return (options.skipLocked ? locked.skipLocked() : locked) as QB;
}

/**
 * insert … on conflict (conflict) do update set …, on both databases.
 * `update` lists the columns to take from the new row (default: every inserted column except the
 * conflict columns) or gives explicit values; when nothing is left to update it is `do nothing`.
 * Returns the builder, so callers can add `.returning(...)` before `.execute()`.
 */
export function upsert<DB, TB extends keyof DB & string>(
  db: Kysely<DB>,
  table: TB,
  values: Insertable<DB[TB]> | ReadonlyArray<Insertable<DB[TB]>>,
  options: {
    conflict: ReadonlyArray<keyof DB[TB] & string>;
    update?: ReadonlyArray<keyof DB[TB] & string> | Updateable<DB[TB]>;
  },
): InsertQueryBuilder<DB, TB, InsertResult> {
  const rows = (Array.isArray(values) ? values : [values]) as Record<string, unknown>[];
  const first = rows[0];
  if (!first) throw new TypeError('upsert: needs at least one row');
  if (options.conflict.length === 0) throw new TypeError('upsert: needs the conflict columns');
  const conflict = options.conflict as readonly string[];
  let set: Record<string, unknown>;
  if (options.update === undefined || Array.isArray(options.update)) {
    const columns = (options.update as readonly string[] | undefined) ?? Object.keys(first);
    set = Object.fromEntries(
      columns.filter((column) => !conflict.includes(column)).map((column) => [column, sql.ref(`excluded.${column}`)]),
    );
  } else {
    set = { ...(options.update as Record<string, unknown>) };
  }
  // biome-ignore lint/suspicious/noExplicitAny: the typed surface is the signature above
  const base = (db as AnyDb).insertInto(table).values(rows as any[]);
  const query = base.onConflict((oc) => {
    const target = oc.columns(conflict as string[]);
    // biome-ignore lint/suspicious/noExplicitAny: the typed surface is the signature above
    return Object.keys(set).length === 0 ? target.doNothing() : target.doUpdateSet(set as any);
  });
  return query as unknown as InsertQueryBuilder<DB, TB, InsertResult>;
}
