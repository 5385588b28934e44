import { reusableQuery, withTx } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMigrations } from './fixtures/schema.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [testMigrations] });
  await database.db
    .insertInto('test_item')
    .values(
      ['a', 'b', 'c'].map((name, at) => ({
        id: `0190f0aa-0000-7000-8000-00000000000${at}`,
        name,
        amountFen: (at + 1) * 100,
        updatedAt: '2026-11-29T00:00:00.000Z',
      })),
    )
    .execute();
});
afterAll(async () => {
  await database?.cleanup();
});

describe(`reusableQuery (${testDialect})`, () => {
  it('builds once and binds each call’s values where the stand-ins were, rows named as the builder names them', async () => {
    let builds = 0;
    const cheaperThan = reusableQuery((db, limit: number, except: string) => {
      builds += 1;
      return db
        .selectFrom('test_item')
        .select(['name', 'amountFen'])
        .where('amountFen', '<', limit)
        .where('name', '!=', except)
        .where('name', 'in', ['a', 'b', 'c'])
        .orderBy('name');
    });
    const ctx = testCtx(database.db);
    expect(await cheaperThan(ctx.db, 250, 'a')).toEqual([{ name: 'b', amountFen: 200 }]);
    expect(await cheaperThan(ctx.db, 1_000, 'b')).toEqual([
      { name: 'a', amountFen: 100 },
      { name: 'c', amountFen: 300 },
    ]);
    // Inside a transaction too, on its connection.
    await withTx(ctx, async (tx) => {
      await tx.db.updateTable('test_item').set({ amountFen: 50 }).where('name', '=', 'c').execute();
      expect(await cheaperThan(tx.db, 60, 'x')).toEqual([{ name: 'c', amountFen: 50 }]);
      throw Object.assign(new Error('roll back'), { rollback: true });
    }).catch((error: { rollback?: boolean }) => {
      if (!error.rollback) throw error;
    });
    expect(await cheaperThan(ctx.db, 60, 'x')).toEqual([]);
    expect(builds).toBe(1);
  });

  it('compiles apart for a handle that does not rename (withoutPlugins)', async () => {
    const amount = reusableQuery((db, name: string) =>
      db.selectFrom('test_item').select('amountFen').where('name', '=', name),
    );
    expect(await amount(database.db, 'a')).toEqual([{ amountFen: 100 }]);
    // Without the renaming the column is written as named, and the row comes back as the database names it.
    // biome-ignore lint/suspicious/noExplicitAny: the raw handle has no typed schema
    const raw = database.db.withoutPlugins() as any;
    await expect(amount(raw, 'a')).rejects.toThrow(/amountFen|amountfen/i);
    expect(await amount(database.db, 'b')).toEqual([{ amountFen: 200 }]);
  });

  it('refuses a builder that looks at an argument instead of passing it as a value', async () => {
    const peeking = reusableQuery((db, name: string) =>
      db
        .selectFrom('test_item')
        .select('id')
        .where('name', '=', typeof name === 'string' ? name : 'stand-in'),
    );
    await expect(peeking(database.db, 'a')).rejects.toThrow(/argument 0 is not a value/);
  });
});
