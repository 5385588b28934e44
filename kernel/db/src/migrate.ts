import { type Clock, type Logger, systemClock } from '@baton/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type ColumnTypes, columnTypes, dialectOf, instant } from './dialect.ts';
import { DbErrors } from './errors.ts';
import type { BatonDatabase, Db } from './schema.ts';

export type Migration = {
  /** Four digits, underscore, snake_case words: `0001_init`. Names sort in the order they run. */
  name: string;
  /**
   * Runs inside a transaction together with the record of the migration. `db` has no CamelCasePlugin:
   * write table and column names exactly as they are in SQL (snake_case), and row keys come back snake_case.
   */
  // biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
  up(db: Kysely<any>, t: ColumnTypes): Promise<void>;
};

export type EngineMigrations = {
  readonly engine: string;
  readonly migrations: ReadonlyArray<Migration>;
};

const ENGINE = /^[a-z][a-z0-9_]*$/;
const NAME = /^\d{4}_[a-z0-9]+(_[a-z0-9]+)*$/;

/** Declares an engine's migrations, refusing bad names, duplicates and names out of order. */
export function defineMigrations(engine: string, migrations: Migration[]): EngineMigrations {
  const invalid = (reason: string) => DbErrors.migrationInvalid.create({ reason });
  if (!ENGINE.test(engine)) throw invalid(`engine "${engine}" must match [a-z][a-z0-9_]*`);
  let previous = '';
  for (const migration of migrations) {
    if (!NAME.test(migration.name)) throw invalid(`${engine}/${migration.name}: names look like 0001_create_tables`);
    if (typeof migration.up !== 'function') throw invalid(`${engine}/${migration.name}: up must be a function`);
    if (migration.name <= previous) {
      throw invalid(`${engine}/${migration.name}: names must be unique and ascending (after ${previous})`);
    }
    previous = migration.name;
  }
  return Object.freeze({ engine, migrations: Object.freeze(migrations.map((m) => Object.freeze({ ...m }))) });
}

// pg_advisory_xact_lock(class, key): the class is Baton's migration lock ('BTNM'), the key the schema,
// so two Baton installations in different schemas of one database do not wait for each other.
const LOCK_CLASS = 0x42544e4d;

type AnyDb = Kysely<BatonDatabase>;

async function inTx<T>(db: AnyDb, fn: (trx: AnyDb) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((trx: Transaction<BatonDatabase>) => fn(trx));
}

/** Serialises migration runners: PG takes the advisory lock; SQLite's BEGIN IMMEDIATE already did. */
async function lock(trx: AnyDb): Promise<void> {
  if (dialectOf(trx) === 'postgres') {
    await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_CLASS)}, hashtext(current_schema()))`.execute(trx);
  }
}

async function recordTableExists(db: AnyDb): Promise<boolean> {
  const query =
    dialectOf(db) === 'postgres'
      ? sql<{
          present: number;
        }>`select count(*) as present from (select to_regclass('baton_db_migration') as r) x where r is not null`
      : sql<{
          present: number;
        }>`select count(*) as present from sqlite_master where type = 'table' and name = 'baton_db_migration'`;
  const { rows } = await query.execute(db);
  return Number(rows[0]?.present ?? 0) > 0;
}

async function appliedRows(db: AnyDb): Promise<Map<string, Set<string>>> {
  const rows = await db.selectFrom('baton_db_migration').select(['engine', 'name']).execute();
  const byEngine = new Map<string, Set<string>>();
  for (const row of rows) {
    const names = byEngine.get(row.engine) ?? new Set<string>();
    names.add(row.name);
    byEngine.set(row.engine, names);
  }
  return byEngine;
}

function checkSets(sets: EngineMigrations[]): EngineMigrations[] {
  const unique = [...new Set(sets)];
  const engines = new Set<string>();
  for (const set of unique) {
    if (engines.has(set.engine)) {
      throw DbErrors.migrationInvalid.create({ reason: `engine ${set.engine} is given twice` });
    }
    engines.add(set.engine);
  }
  return unique;
}

type Plan = { applied: string[]; pending: string[]; unknown: string[]; outOfOrder: string[]; last: string[] };

function plan(sets: EngineMigrations[], applied: Map<string, Set<string>>): Plan {
  const result: Plan = { applied: [], pending: [], unknown: [], outOfOrder: [], last: [] };
  for (const set of sets) {
    const done = applied.get(set.engine) ?? new Set<string>();
    const known = new Set(set.migrations.map((m) => m.name));
    for (const name of [...done].sort()) if (!known.has(name)) result.unknown.push(`${set.engine}/${name}`);
    const lastApplied = [...done]
      .filter((name) => known.has(name))
      .sort()
      .at(-1);
    for (const migration of set.migrations) {
      const id = `${set.engine}/${migration.name}`;
      if (done.has(migration.name)) result.applied.push(id);
      else {
        result.pending.push(id);
        if (lastApplied && migration.name < lastApplied) {
          result.outOfOrder.push(id);
          result.last.push(`${set.engine}/${lastApplied}`);
        }
      }
    }
  }
  return result;
}

/** What `migrate` would do: applied and pending as 'engine/name', plus applied ones the code does not know. */
export async function migrationStatus(
  db: Db,
  sets: EngineMigrations[],
): Promise<{ applied: string[]; pending: string[]; unknown: string[] }> {
  const unique = checkSets(sets);
  const applied = (await recordTableExists(db)) ? await appliedRows(db) : new Map<string, Set<string>>();
  const { applied: done, pending, unknown } = plan(unique, applied);
  return { applied: done, pending, unknown };
}

/**
 * Applies the pending migrations of `sets`, sets in the order given and each set's names in order,
 * each migration in its own transaction together with its record row. Safe when several processes
 * start at once: every transaction first takes the migration lock and re-checks the record.
 * Refuses (DB_MIGRATION_UNKNOWN) when the database has a migration of a given engine that the code
 * does not know, and (DB_MIGRATION_OUT_OF_ORDER) when a new migration sorts before an applied one.
 */
export async function migrate(
  db: Db,
  sets: EngineMigrations[],
  options: { log?: Logger; clock?: Clock } = {},
): Promise<{ applied: string[] }> {
  const unique = checkSets(sets);
  const clock = options.clock ?? systemClock;
  const t = columnTypes(dialectOf(db));
  await inTx(db, async (trx) => {
    await lock(trx);
    await trx
      .withoutPlugins()
      .schema.createTable('baton_db_migration')
      .ifNotExists()
      .addColumn('engine', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', t.instant, (c) => c.notNull())
      .addPrimaryKeyConstraint('baton_db_migration_pk', ['engine', 'name'])
      .execute();
    const state = plan(unique, await appliedRows(trx));
    if (state.unknown.length > 0) {
      throw DbErrors.migrationUnknown.create({ migrations: state.unknown.join(', ') });
    }
    if (state.outOfOrder.length > 0) {
      throw DbErrors.migrationOutOfOrder.create({
        migrations: state.outOfOrder.join(', '),
        last: [...new Set(state.last)].join(', '),
      });
    }
  });

  const applied: string[] = [];
  for (const set of unique) {
    for (const migration of set.migrations) {
      const id = `${set.engine}/${migration.name}`;
      try {
        const ran = await inTx(db, async (trx) => {
          await lock(trx);
          const done = await trx
            .selectFrom('baton_db_migration')
            .select('name')
            .where('engine', '=', set.engine)
            .where('name', '=', migration.name)
            .executeTakeFirst();
          if (done) return false;
          await migration.up(trx.withoutPlugins(), t);
          await trx
            .insertInto('baton_db_migration')
            .values({ engine: set.engine, name: migration.name, appliedAt: instant(clock.now()) })
            .execute();
          return true;
        });
        if (ran) {
          applied.push(id);
          options.log?.info({ migration: id }, 'migration applied');
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw DbErrors.migrationFailed.create({ migration: id, reason }, { cause: error });
      }
    }
  }
  return { applied };
}
