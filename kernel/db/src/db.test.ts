import {
  CamelCasePlugin,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { dateTrunc, dialectOf, forUpdate, toJson } from './dialect.ts';
import { openDatabase } from './open.ts';
import { outboxRetryDelayMs } from './outbox.ts';

// Query compilation without a server: checks the SQL each dialect helper emits.
// biome-ignore lint/suspicious/noExplicitAny: untyped test tables
function offline(dialect: 'sqlite' | 'postgres'): Kysely<any> {
  return new Kysely({
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    dialect: {
      createAdapter: () => (dialect === 'postgres' ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (dialect === 'postgres' ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
      createQueryCompiler: () => (dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
  });
}

describe('dialect helpers (compiled SQL)', () => {
  const pg = offline('postgres');
  const lite = offline('sqlite');

  it('tells the dialects apart', () => {
    expect(dialectOf(pg)).toBe('postgres');
    expect(dialectOf(lite)).toBe('sqlite');
  });

  it('inlines unit and offset so SELECT and GROUP BY match', () => {
    const query = (db: Kysely<unknown>) =>
      // biome-ignore lint/suspicious/noExplicitAny: untyped test table
      (db as Kysely<any>)
        .selectFrom('t')
        .select(dateTrunc(db, 'week', 'createdAt', { utcOffsetMinutes: 480 }).as('w'))
        .compile();
    const compiledPg = query(pg);
    expect(compiledPg.sql).toContain(
      `to_char(date_trunc('week', cast("created_at" as timestamp) + interval '480 minutes'), 'YYYY-MM-DD')`,
    );
    expect(compiledPg.parameters).toEqual([]);
    const compiledLite = query(lite);
    expect(compiledLite.sql).toContain(`date("created_at", '+480 minutes', 'weekday 0', '-6 days')`);
    expect(compiledLite.parameters).toEqual([]);
  });

  it('casts JSON to jsonb on PostgreSQL and keeps text on SQLite', () => {
    expect(toJson(lite, { a: 1 })).toBe('{"a":1}');
    expect(toJson(lite, undefined)).toBe('null');
    const compiled = pg.selectNoFrom(toJson(pg, { a: 1 }) as never).compile();
    expect(compiled.sql).toBe('select cast($1 as jsonb)');
    expect(compiled.parameters).toEqual(['{"a":1}']);
  });

  it('adds FOR UPDATE only on PostgreSQL', () => {
    expect(forUpdate(pg.selectFrom('t').select('id'), pg).compile().sql).toBe('select "id" from "t" for update');
    expect(forUpdate(lite.selectFrom('t').select('id'), lite, { skipLocked: true }).compile().sql).toBe(
      'select "id" from "t"',
    );
  });
});

describe('outbox retry delay', () => {
  it('doubles from 10 s and stops at one hour', () => {
    expect([1, 2, 3, 4].map(outboxRetryDelayMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(outboxRetryDelayMs(20)).toBe(3_600_000);
  });
});

describe('openDatabase config', () => {
  it('refuses unknown URLs and bad settings instead of falling back to a file', () => {
    expect(() => openDatabase({ url: 'mysql://x' })).toThrow(expect.objectContaining({ code: 'DB_CONFIG_INVALID' }));
    expect(() => openDatabase({ url: 'postgres://localhost/x', pgSchema: 'Bad-Name' })).toThrow(
      expect.objectContaining({ code: 'DB_CONFIG_INVALID' }),
    );
    expect(() => openDatabase({ url: 'postgres://localhost/x', poolMax: 0 })).toThrow(
      expect.objectContaining({ code: 'DB_CONFIG_INVALID' }),
    );
  });

  it('opens SQLite in memory, reading booleans and dates back the SQLite way', async () => {
    const database = openDatabase({ sqlitePath: ':memory:' });
    expect(database.dialect).toBe('sqlite');
    expect((await database.ping()).serverVersion).toMatch(/^3\./);
    await database.destroy();
  });
});
