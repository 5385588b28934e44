import {
  CamelCasePlugin,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { CompileTimeCamelCasePlugin, renamingCompiler } from './snake-case.ts';

// biome-ignore lint/suspicious/noExplicitAny: the queries below name tables no schema type declares.
type Db = Kysely<any>;

const dialects = {
  postgres: { Adapter: PostgresAdapter, Introspector: PostgresIntrospector, Compiler: PostgresQueryCompiler },
  sqlite: { Adapter: SqliteAdapter, Introspector: SqliteIntrospector, Compiler: SqliteQueryCompiler },
};

function open(dialect: keyof typeof dialects, renamingAtCompile: boolean): Db {
  const { Adapter, Introspector, Compiler } = dialects[dialect];
  const Renaming = renamingCompiler(Compiler);
  return new Kysely({
    dialect: {
      createAdapter: () => new Adapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new Introspector(db),
      createQueryCompiler: (): QueryCompiler => (renamingAtCompile ? new Renaming() : new Compiler()),
    },
    plugins: [
      renamingAtCompile
        ? new CompileTimeCamelCasePlugin({ maintainNestedObjectKeys: true })
        : new CamelCasePlugin({ maintainNestedObjectKeys: true }),
    ],
  });
}

// Every shape the engines write: joins, aliases, subqueries, CTEs, returning, raw SQL with references, DDL, and a
// tree built where the plugin is on and used where it is off.
const queries: Record<string, (db: Db) => { sql: string; parameters: readonly unknown[] }> = {
  select: (db) =>
    db
      .selectFrom('batonFlowInstance as i')
      .innerJoin('batonFlowTask as t', 't.instanceId', 'i.id')
      .select(['i.id', 't.assigneeId as whoIsIt', sql<number>`count(${sql.ref('t.nodeRunId')})`.as('runCount')])
      .where('i.formVersion', '>', 2)
      .where((eb) => eb.or([eb('t.stateCode', '=', 'pending'), eb('t.dueAt', 'is', null)]))
      .groupBy(['i.id', 't.assigneeId'])
      .orderBy('i.createdAt', 'desc')
      .limit(5)
      .compile(),
  subquery: (db) =>
    db
      .selectFrom('batonOrgMember')
      .selectAll()
      .where('memberId', 'in', db.selectFrom('batonOrgPost').select('holderMemberId').where('postCode', '=', 'x'))
      .compile(),
  cte: (db) =>
    db
      .with('claimed', (q) =>
        q.updateTable('batonFlowInstance').set({ lockVersion: sql`lock_version + 1` }).returning(['id', 'stateCode']),
      )
      .insertInto('batonFlowAction')
      .columns(['instanceId', 'actionKind'])
      .expression((eb) => eb.selectFrom('claimed').select(['claimed.id', sql.lit('approve').as('actionKind')]))
      .returning('actionId')
      .compile(),
  raw: (db) =>
    sql`select ${sql.ref('someTable.someColumn')}, ${sql.id('anotherName')} from ${sql.table('bigTable')} where x = ${1}`.compile(
      db,
    ),
  ddl: (db) =>
    db.schema
      .createTable('fFinanceExpense')
      .addColumn('recordId', 'text', (c) => c.primaryKey())
      .addColumn('managerOpinion', 'text')
      .addColumn('totalAmountFen', 'bigint', (c) => c.notNull())
      .compile(),
  'plugin subquery inside a raw query': (db) =>
    db
      .withoutPlugins()
      .selectFrom('raw_table')
      .select('raw_column')
      .where('camelKept', 'in', db.selectFrom('batonFormRecord').select('recordId'))
      .compile(),
  'raw subquery inside a plugin query': (db) =>
    db
      .selectFrom('batonFormRecord')
      .select('recordId')
      .where('ownerId', 'in', db.withoutPlugins().selectFrom('rawTable').select('rawColumn'))
      .compile(),
  'no plugin at all': (db) => db.withoutPlugins().selectFrom('keepThisCase').select('andThisOne').compile(),
};

describe.each(Object.keys(dialects) as (keyof typeof dialects)[])('renaming while compiling (%s)', (dialect) => {
  const copying = open(dialect, false);
  const compiling = open(dialect, true);

  it.each(Object.keys(queries))('writes the SQL the copying plugin wrote: %s', (name) => {
    const build = queries[name] as (db: Db) => { sql: string; parameters: readonly unknown[] };
    const expected = build(copying);
    const actual = build(compiling);
    expect(actual.sql).toBe(expected.sql);
    expect(actual.parameters).toEqual(expected.parameters);
  });

  it('renames nothing of a query the plugin never saw', () => {
    expect(queries['no plugin at all']?.(compiling).sql).toMatch(/"keepThisCase"/);
    expect(queries.select?.(compiling).sql).toMatch(/"baton_flow_instance" as "i"/);
  });
});
