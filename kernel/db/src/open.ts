import type { Logger } from '@baton/core';
import { Kysely, type Dialect as KyselyDialect, type LogEvent, sql } from 'kysely';
import { DbErrors } from './errors.ts';
import { createPostgresDialect, isValidSchemaName } from './postgres.ts';
import type { BatonDatabase, Db, Dialect } from './schema.ts';
import { CompileTimeCamelCasePlugin } from './snake-case.ts';
import { createSqliteDialect } from './sqlite.ts';

export type DatabaseConfig = {
  /** `postgres://…` or `postgresql://…` opens a PostgreSQL pool; `sqlite:<path>` is the same as `sqlitePath`. */
  url?: string;
  /** The SQLite file when `url` is not PostgreSQL (parent directories are created; ':memory:' allowed). */
  sqlitePath?: string;
  /** PostgreSQL only: the schema every connection works in (created when missing). */
  pgSchema?: string;
  /** PostgreSQL only: pool size (default 10). */
  poolMax?: number;
  /** Receives failed queries at debug level and every query at trace level. */
  log?: Logger;
};

export type Database = {
  db: Db;
  dialect: Dialect;
  ping(): Promise<{ dialect: Dialect; serverVersion: string }>;
  destroy(): Promise<void>;
};

export const DEFAULT_SQLITE_PATH = './data/baton.db';

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function queryLogger(log: Logger): (event: LogEvent) => void {
  return (event) => {
    const ms = Math.round(event.queryDurationMillis * 100) / 100;
    if (event.level === 'error') log.debug({ err: event.error, sql: event.query.sql, ms }, 'query failed');
    else log.trace({ sql: event.query.sql, ms }, 'query');
  };
}

/** Opens the database named by `config`; nothing is queried until first use. */
export function openDatabase(config: DatabaseConfig): Database {
  const url = config.url?.trim() || undefined;
  let dialect: Dialect;
  let kyselyDialect: KyselyDialect;
  if (url && isPostgresUrl(url)) {
    if (config.pgSchema !== undefined && !isValidSchemaName(config.pgSchema)) {
      throw DbErrors.configInvalid.create({ reason: `pgSchema "${config.pgSchema}" must match [a-z_][a-z0-9_]*` });
    }
    if (config.poolMax !== undefined && !(Number.isInteger(config.poolMax) && config.poolMax > 0)) {
      throw DbErrors.configInvalid.create({ reason: 'poolMax must be a positive integer' });
    }
    dialect = 'postgres';
    kyselyDialect = createPostgresDialect({
      url,
      schema: config.pgSchema,
      poolMax: config.poolMax,
      log: config.log,
    }).dialect;
  } else {
    // An unknown URL scheme must not silently fall back to a local file.
    if (url && !url.startsWith('sqlite:')) {
      throw DbErrors.configInvalid.create({ reason: 'url must start with postgres://, postgresql:// or sqlite:' });
    }
    const path = url ? url.slice('sqlite:'.length).replace(/^\/\//, '') : (config.sqlitePath ?? DEFAULT_SQLITE_PATH);
    dialect = 'sqlite';
    kyselyDialect = createSqliteDialect(path);
  }
  const db = new Kysely<BatonDatabase>({
    dialect: kyselyDialect,
    // maintainNestedObjectKeys: values inside JSON or nested results are data, not column names. The dialects'
    // compilers do the renaming this plugin marks (snake-case.ts).
    plugins: [new CompileTimeCamelCasePlugin({ maintainNestedObjectKeys: true })],
    log: config.log ? queryLogger(config.log) : undefined,
  });
  return {
    db,
    dialect,
    async ping() {
      const query =
        dialect === 'postgres'
          ? sql<{ version: string }>`show server_version`
          : sql<{ version: string }>`select sqlite_version() as version`;
      const { rows } = await query.execute(db);
      const row = rows[0] as Record<string, string> | undefined;
      return { dialect, serverVersion: String(row?.version ?? row?.serverVersion ?? '') };
    },
    destroy: () => db.destroy(),
  };
}
