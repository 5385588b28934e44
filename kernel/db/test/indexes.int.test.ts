import { createCoveringIndex, explainQuery, tableIndexes, withTx } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Covering indexes on both databases: created once (IF NOT EXISTS), read back from the catalogue with their
// key and covered columns apart, and chosen by the planner for a query that reads only covered columns.

let database: TestDatabase;
// biome-ignore lint/suspicious/noExplicitAny: a table made for this test only
const raw = () => database.db as unknown as Kysely<any>;

beforeAll(async () => {
  database = await createTestDatabase();
  await raw()
    .schema.createTable('t_sale')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('day', 'text')
    .addColumn('region', 'text')
    .addColumn('amount', 'bigint')
    .addColumn('note', 'text')
    .execute();
  await raw()
    .schema.createIndex('t_sale_note')
    .on('t_sale')
    .column('note')
    .where(sql.ref('note'), 'is not', null)
    .execute();
  const rows = Array.from({ length: 3000 }, (_, i) => ({
    id: `s${String(i).padStart(5, '0')}`,
    day: `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    region: ['north', 'south', 'east'][i % 3],
    amount: i * 10,
    note: `row ${i} ${'x'.repeat(40)}`,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await raw()
      .insertInto('t_sale')
      .values(rows.slice(start, start + 500))
      .execute();
  }
});
afterAll(async () => {
  await database?.cleanup();
});

describe('covering indexes', () => {
  const index = { name: 'rx_test_sale', table: 't_sale', columns: ['day', 'region'], include: ['amount'] };

  it('creates the index in a transaction, once, and reads it back with its key and covered columns', async () => {
    const ctx = testCtx(database.db);
    await withTx(ctx, async (tx) => createCoveringIndex(tx.db, index));
    await withTx(ctx, async (tx) => createCoveringIndex(tx.db, index));
    const found = (await tableIndexes(database.db, 't_sale')).find((i) => i.name === 'rx_test_sale');
    expect(found).toEqual(
      testDialect === 'postgres'
        ? {
            name: 'rx_test_sale',
            columns: ['day', 'region'],
            include: ['amount'],
            unique: false,
            partial: false,
            valid: true,
          }
        : {
            name: 'rx_test_sale',
            columns: ['day', 'region', 'amount'],
            include: [],
            unique: false,
            partial: false,
            valid: true,
          },
    );
    const partial = (await tableIndexes(database.db, 't_sale')).find((i) => i.name === 't_sale_note');
    expect(partial).toMatchObject({ columns: ['note'], partial: true });
    expect(await tableIndexes(database.db, 'no_such_table')).toEqual([]);
  });

  it('is what the planner reads for a range over covered columns', async () => {
    if (testDialect === 'postgres') await sql`vacuum analyze t_sale`.execute(raw());
    else await sql`analyze`.execute(raw());
    const query = raw()
      .selectFrom('t_sale')
      .select(['region', (eb) => eb.fn.sum('amount').as('amount')])
      .where('day', '>=', '2025-03-01')
      .where('day', '<=', '2025-03-03')
      .groupBy('region');
    const plan = (await explainQuery(database.db, query)).join('\n');
    expect(plan).toContain('rx_test_sale');
    if (testDialect === 'postgres') expect(plan).toMatch(/Index Only Scan using rx_test_sale/);
    else expect(plan).toMatch(/USING COVERING INDEX rx_test_sale/);
  });
});
