import { type Compilable, CompiledQuery, type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.ts';

// Index introspection and covering indexes, the SQL of which differs between the two databases: PostgreSQL
// reads pg_index and has INCLUDE columns; SQLite reads its pragmas and has none (the covered columns trail the
// key instead, which serves the same index-only reads). Also EXPLAIN, whose form and output differ too.

// biome-ignore lint/suspicious/noExplicitAny: indexes live on tables no schema type describes (form tables)
type AnyDb = Kysely<any>;

export type IndexInfo = {
  name: string;
  /** Key columns in order (SQLite: every column). An expression is `null`. */
  columns: (string | null)[];
  /** PostgreSQL INCLUDE columns (always empty on SQLite). */
  include: string[];
  unique: boolean;
  /** A partial index (`WHERE …`): it serves only the queries that imply its predicate. */
  partial: boolean;
  /** PostgreSQL: false while a concurrent build is unfinished or after it failed. */
  valid: boolean;
};

/** The indexes of a table in the current schema (PostgreSQL) or database (SQLite), by name. */
export async function tableIndexes(db: AnyDb, table: string): Promise<IndexInfo[]> {
  const raw = db.withoutPlugins();
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{
      name: string;
      columns: (string | null)[];
      keys: number;
      unique: number;
      partial: number;
      valid: number;
    }>`
      select ic.relname as name, ix.indisunique as unique, ix.indpred is not null as partial,
        ix.indisvalid as valid, ix.indnkeyatts as keys,
        array(select a.attname::text
              from unnest(ix.indkey::int2[]) with ordinality as k(attnum, n)
              left join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.attnum
              order by k.n) as columns
      from pg_index ix
      join pg_class tc on tc.oid = ix.indrelid
      join pg_class ic on ic.oid = ix.indexrelid
      where tc.relname = ${table}
        and tc.relnamespace = (select oid from pg_namespace where nspname = current_schema())
      order by ic.relname`.execute(raw);
    return rows.map((row) => ({
      name: row.name,
      columns: row.columns.slice(0, Number(row.keys)),
      include: row.columns.slice(Number(row.keys)).filter((c): c is string => c !== null),
      // Booleans read back as 1/0 on both databases (see README).
      unique: Number(row.unique) === 1,
      partial: Number(row.partial) === 1,
      valid: Number(row.valid) === 1,
    }));
  }
  const { rows: list } = await sql<{ name: string; unique: number; partial: number }>`
    select name, "unique", partial from pragma_index_list(${table}) order by name`.execute(raw);
  const result: IndexInfo[] = [];
  for (const index of list) {
    const { rows } = await sql<{ name: string | null }>`
      select name from pragma_index_info(${index.name}) order by seqno`.execute(raw);
    result.push({
      name: index.name,
      columns: rows.map((row) => row.name),
      include: [],
      unique: Number(index.unique) === 1,
      partial: Number(index.partial) === 1,
      valid: true,
    });
  }
  return result;
}

export type CoveringIndex = {
  name: string;
  table: string;
  /** The key: the columns searched and ordered on. */
  columns: readonly string[];
  /** Columns only read: INCLUDE on PostgreSQL, trailing key columns on SQLite. */
  include: readonly string[];
};

/**
 * `CREATE INDEX IF NOT EXISTS` in the caller's transaction (not CONCURRENTLY: that cannot run in one). On
 * PostgreSQL a transaction-scoped advisory lock on the name is taken first, so two transactions creating the
 * same index one after the other see each other's instead of colliding on the catalogue's unique name.
 * Names are the caller's (derived from validated identifiers); every one is quoted.
 */
export async function createCoveringIndex(db: AnyDb, index: CoveringIndex): Promise<void> {
  const raw = db.withoutPlugins();
  const ids = (names: readonly string[]) => sql.join(names.map((name) => sql.id(name)));
  if (dialectOf(db) === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtext(${`index:${index.name}`}))`.execute(raw);
    const include = index.include.length > 0 ? sql` include (${ids(index.include)})` : sql``;
    await sql`create index if not exists ${sql.id(index.name)} on ${sql.table(index.table)} (${ids(index.columns)})${include}`.execute(
      raw,
    );
    return;
  }
  await sql`create index if not exists ${sql.id(index.name)} on ${sql.table(index.table)} (${ids([
    ...index.columns,
    ...index.include,
  ])})`.execute(raw);
}

/**
 * The plan the database would use for a query, one line per node: EXPLAIN QUERY PLAN's `detail` on SQLite,
 * EXPLAIN's text on PostgreSQL. For tests and diagnostics; the query is not run.
 */
export async function explainQuery(db: AnyDb, query: Compilable): Promise<string[]> {
  const compiled = query.compile();
  const postgres = dialectOf(db) === 'postgres';
  const prefix = postgres ? 'explain ' : 'explain query plan ';
  const result = await db
    .withoutPlugins()
    .executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
  return result.rows.map((row) => String(postgres ? row['QUERY PLAN'] : row.detail));
}
