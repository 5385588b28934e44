import { withTx } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMigrations } from './fixtures/schema.ts';

// PostgreSQL only: SQLite has no server to parse and plan statements, so nothing is prepared there.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [testMigrations] });
});
afterAll(async () => {
  await database?.cleanup();
});

const prepared = async (ctx: ReturnType<typeof testCtx>) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(ctx.db)).rows.map(
    (row) => row.statement,
  );

describe.runIf(testDialect === 'postgres')('statements prepared per connection (postgres)', () => {
  it('runs kernel-table statements by name, and leaves form tables unnamed so a publish may alter them', async () => {
    await withTx(testCtx(database.db), async (tx) => {
      await tx.db.selectFrom('test_item').select('id').where('name', '=', 'a').execute();
      await tx.db.selectFrom('test_item').select('id').where('name', '=', 'b').execute();
      expect((await prepared(tx)).filter((text) => text.includes('"test_item"'))).toHaveLength(1);

      await sql`create table f_test_prepared (id text primary key)`.execute(tx.db);
      const read = () =>
        // biome-ignore lint/suspicious/noExplicitAny: a form table named at run time
        (tx.db as any).selectFrom('f_test_prepared').selectAll().where('id', '=', 'x').execute();
      await read();
      await sql`alter table f_test_prepared add column note text`.execute(tx.db);
      await expect(read()).resolves.toEqual([]);
      expect((await prepared(tx)).some((text) => text.includes('"f_test_prepared"'))).toBe(false);
      await sql`drop table f_test_prepared`.execute(tx.db);
    });
  });
});
