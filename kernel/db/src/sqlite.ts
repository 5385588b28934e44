import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type SqliteDatabase as SqliteDatabaseLike,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  SqliteQueryCompiler,
  type SqliteStatement,
} from 'kysely';
import { renamingCompiler } from './snake-case.ts';

/**
 * Kysely's SqliteDriver opens transactions with a deferred BEGIN, which in WAL mode can fail with
 * SQLITE_BUSY_SNAPSHOT when the transaction later writes; BEGIN IMMEDIATE takes the write lock up
 * front (waiting up to busy_timeout), so concurrent writers queue instead of failing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

const RenamingSqliteCompiler = renamingCompiler(SqliteQueryCompiler);

class BatonSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createQueryCompiler(): QueryCompiler {
    return new RenamingSqliteCompiler();
  }
}

// better-sqlite3 refuses booleans and Dates; map them to what the PG side stores for the same value.
function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

const STATEMENT_CACHE_SIZE = 256;

/** Wraps better-sqlite3 for Kysely: bound values are mapped and prepared statements reused. */
function wrap(raw: BetterSqlite3.Database): SqliteDatabaseLike {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (text: string): BetterSqlite3.Statement => {
    const cached = cache.get(text);
    if (cached) return cached;
    const statement = raw.prepare(text);
    if (cache.size >= STATEMENT_CACHE_SIZE) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(text, statement);
    return statement;
  };
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(text): SqliteStatement {
      const statement = prepare(text);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(...parameters.map(bindable)),
        run: (parameters) => statement.run(...parameters.map(bindable)),
        iterate: (parameters) => statement.iterate(...parameters.map(bindable)),
      };
    },
  };
}

/**
 * Opens the file with the pragmas of ARCHITECTURE §4. busy_timeout comes first so that switching to
 * WAL waits for a concurrent opener instead of failing. One connection per process: better-sqlite3 is
 * synchronous, so a second connection in the same process would busy-wait on the thread the first
 * needs to commit; Kysely's SqliteDriver serialises all queries through this one connection.
 */
export function createSqliteDialect(path: string): SqliteDialect {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(resolve(path)), { recursive: true });
  const raw = new BetterSqlite3(path);
  raw.pragma('busy_timeout = 5000');
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  return new BatonSqliteDialect({ database: wrap(raw) });
}
