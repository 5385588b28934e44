import type { Logger } from '@baton/core';
import {
  CompiledQuery,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  PostgresQueryCompiler,
  type QueryCompiler,
} from 'kysely';
import pg from 'pg';
import { renamingCompiler } from './snake-case.ts';

// Type parsers that make PostgreSQL return the same shapes as SQLite (ARCHITECTURE §4).
const OID = {
  bool: 16,
  int8: 20,
  json: 114,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

const defaultTimestamptz = pg.types.getTypeParser(OID.timestamptz, 'text') as (value: string) => unknown;

function isoOr(value: string, parsed: unknown): string {
  return parsed instanceof Date && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : value;
}

const parsers = new Map<number, (value: string) => unknown>([
  // BIGINT (money in fen, count(*)) as a JS number like SQLite; values stay within ±2^53−1 by convention.
  [OID.int8, Number],
  [OID.numeric, Number],
  // SQLite has no boolean type: both sides read 1/0.
  [OID.bool, (value) => (value === 't' ? 1 : 0)],
  // JSON stays text on both sides, so fromJson parses uniformly (a JSON string value is not ambiguous).
  [OID.json, (value) => value],
  [OID.jsonb, (value) => value],
  [OID.date, (value) => value],
  [OID.timestamptz, (value) => isoOr(value, defaultTimestamptz(value))],
  // Naive timestamps only appear in expressions; the session zone is UTC, so read them as UTC.
  [OID.timestamp, (value) => isoOr(value, new Date(`${value.replace(' ', 'T')}Z`))],
]);

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = format === 'binary' ? undefined : parsers.get(oid);
    return parser ?? pg.types.getTypeParser(oid, format ?? 'text');
  },
} as unknown as pg.CustomTypesConfig;

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export function isValidSchemaName(name: string): boolean {
  return SCHEMA.test(name);
}

/** Named statements per connection at most; past it, statements run unnamed (parsed and planned each time). */
const MAX_NAMED_PER_CONNECTION = 256;
// A form's table is altered when a new version is published: a prepared `select *` over it would fail with
// "cached plan must not change result type", and report queries over it are built per definition.
const FORM_TABLE = /"f_/;

/**
 * The pool as Kysely sees it: statements over the kernel's own tables are prepared once per connection and then
 * executed by name, so PostgreSQL parses and plans each once rather than on every call — that halved the
 * server's CPU per flow action (bench/flow). Their texts are fixed by the code (values are parameters), so the
 * set stays small; the kernel's tables change only by migrations, at start.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const names = new Map<string, string>();
    const query = (text: unknown, values?: readonly unknown[]) => {
      if (typeof text !== 'string') return client.query(text as pg.Submittable);
      if (values && values.length > 0 && !FORM_TABLE.test(text)) {
        let name = names.get(text);
        if (!name && names.size < MAX_NAMED_PER_CONNECTION) {
          name = `baton_${names.size}`;
          names.set(text, name);
        }
        if (name) return client.query({ name, text, values: values as unknown[] });
      }
      return client.query(text, values as unknown[] | undefined);
    };
    return { query, release: (destroy?: boolean) => client.release(destroy) } as unknown as PostgresPoolClient;
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let front = wrapped.get(client);
      if (!front) {
        front = wrap(client);
        wrapped.set(client, front);
      }
      return front;
    },
    end: () => pool.end(),
  };
}

const RenamingPostgresCompiler = renamingCompiler(PostgresQueryCompiler);

class BatonPostgresDialect extends PostgresDialect {
  override createQueryCompiler(): QueryCompiler {
    return new RenamingPostgresCompiler();
  }
}

/**
 * A pool whose every connection runs in UTC (dateTrunc and naive casts depend on it) and, with
 * `schema`, resolves unqualified names in that schema only; the schema is created on first connect.
 */
export function createPostgresDialect(options: { url: string; schema?: string; poolMax?: number; log?: Logger }): {
  dialect: PostgresDialect;
  pool: pg.Pool;
} {
  const settings = ['-c TimeZone=UTC'];
  if (options.schema) settings.push(`-c search_path=${options.schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    options: settings.join(' '),
    types,
  });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.log?.warn({ err: error }, 'idle PostgreSQL connection failed'));
  let schemaReady: Promise<void> | undefined;
  const dialect = new BatonPostgresDialect({
    pool: preparingPool(pool),
    onCreateConnection: async (connection) => {
      const schema = options.schema;
      if (!schema) return;
      schemaReady ??= connection.executeQuery(CompiledQuery.raw(`create schema if not exists "${schema}"`)).then(
        () => undefined,
        (error: unknown) => {
          // Two pools creating the same schema at once: the loser sees a duplicate, which is success.
          const code = (error as { code?: string }).code;
          if (code === '23505' || code === '42P06') return;
          schemaReady = undefined;
          throw error;
        },
      );
      await schemaReady;
    },
  });
  return { dialect, pool };
}
