import { newId } from '@baton/core';
import { type DbCtx, DbErrors, instant, updateVersioned, withTx } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testMigrations } from './fixtures/schema.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [testMigrations] });
});
afterAll(async () => {
  await database?.cleanup();
});
beforeEach(async () => {
  await database.db.deleteFrom('test_item').execute();
});

async function insertItem(ctx: DbCtx, name: string, id = newId()): Promise<string> {
  await ctx.db
    .insertInto('test_item')
    .values({ id, name, version: 1, amountFen: 0, flag: false, updatedAt: instant(ctx.clock.now()) })
    .execute();
  return id;
}

async function names(): Promise<string[]> {
  const rows = await database.db.selectFrom('test_item').select('name').orderBy('name').execute();
  return rows.map((row) => row.name);
}

describe(`withTx (${testDialect})`, () => {
  it('commits', async () => {
    const ctx = testCtx(database.db);
    const result = await withTx(ctx, async (tx) => {
      expect(tx.db.isTransaction).toBe(true);
      await insertItem(tx, 'a');
      return 42;
    });
    expect(result).toBe(42);
    expect(await names()).toEqual(['a']);
  });

  it('rolls back when fn throws', async () => {
    const ctx = testCtx(database.db);
    await expect(
      withTx(ctx, async (tx) => {
        await insertItem(tx, 'a');
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await names()).toEqual([]);
  });

  it('reads its own writes', async () => {
    const ctx = testCtx(database.db);
    await withTx(ctx, async (tx) => {
      const id = await insertItem(tx, 'mine');
      const row = await tx.db.selectFrom('test_item').select('name').where('id', '=', id).executeTakeFirst();
      expect(row?.name).toBe('mine');
    });
  });

  it('nested withTx joins the outer transaction', async () => {
    const ctx = testCtx(database.db);
    await withTx(ctx, async (outer) => {
      await insertItem(outer, 'outer');
      await withTx(outer, async (inner) => {
        expect(inner.db).toBe(outer.db);
        expect(await inner.db.selectFrom('test_item').select('name').execute()).toEqual([{ name: 'outer' }]);
        await insertItem(inner, 'inner');
      });
    });
    expect(await names()).toEqual(['inner', 'outer']);
  });

  it('an error in the inner withTx rolls back everything when it propagates', async () => {
    const ctx = testCtx(database.db);
    await expect(
      withTx(ctx, async (outer) => {
        await insertItem(outer, 'outer');
        await withTx(outer, async (inner) => {
          await insertItem(inner, 'inner');
          throw new Error('inner failed');
        });
      }),
    ).rejects.toThrow('inner failed');
    expect(await names()).toEqual([]);
  });

  it('keeps the ctx extras (the fake clock) inside', async () => {
    const ctx = testCtx(database.db);
    await withTx(ctx, async (tx) => {
      tx.clock.advance(1000);
    });
    expect(ctx.clock.now().toISOString()).toBe('2026-01-05T01:00:01.000Z');
  });
});

describe(`updateVersioned (${testDialect})`, () => {
  it('bumps the version and touches updatedAt', async () => {
    const ctx = testCtx(database.db);
    const id = await insertItem(ctx, 'before');
    ctx.clock.advance(60_000);
    expect(
      await updateVersioned(ctx, { table: 'test_item', id, version: 1, set: { name: 'after', amountFen: 5 } }),
    ).toEqual({
      version: 2,
    });
    const row = await database.db.selectFrom('test_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'after', amountFen: 5, version: 2, updatedAt: '2026-01-05T01:01:00.000Z' });
    expect(await updateVersioned(ctx, { table: 'test_item', id, version: 2, set: { name: 'again' } })).toEqual({
      version: 3,
    });
  });

  it('refuses a stale version with DB_VERSION_CONFLICT (409)', async () => {
    const ctx = testCtx(database.db);
    const id = await insertItem(ctx, 'x');
    await updateVersioned(ctx, { table: 'test_item', id, version: 1, set: { name: 'first' } });
    const error = await updateVersioned(ctx, { table: 'test_item', id, version: 1, set: { name: 'second' } }).catch(
      (e: unknown) => e,
    );
    expect(DbErrors.versionConflict.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'DB_VERSION_CONFLICT', status: 409, params: { expected: 1, actual: 2 } });
    expect((await names())[0]).toBe('first');
  });

  it('reports a missing row as DB_ROW_NOT_FOUND (404)', async () => {
    const ctx = testCtx(database.db);
    await expect(
      updateVersioned(ctx, { table: 'test_item', id: newId(), version: 1, set: { name: 'ghost' } }),
    ).rejects.toMatchObject({ code: 'DB_ROW_NOT_FOUND', status: 404 });
  });

  it('a conflict inside a transaction rolls the whole action back', async () => {
    const ctx = testCtx(database.db);
    const id = await insertItem(ctx, 'x');
    await updateVersioned(ctx, { table: 'test_item', id, version: 1, set: { name: 'winner' } });
    await expect(
      withTx(ctx, async (tx) => {
        await insertItem(tx, 'side effect');
        await updateVersioned(tx, { table: 'test_item', id, version: 1, set: { name: 'loser' } });
      }),
    ).rejects.toMatchObject({ code: 'DB_VERSION_CONFLICT' });
    expect(await names()).toEqual(['winner']);
  });

  it('refuses to change id or version through set', async () => {
    const ctx = testCtx(database.db);
    await expect(
      updateVersioned(ctx, { table: 'test_item', id: 'x', version: 1, set: { version: 9 } }),
    ).rejects.toThrow(TypeError);
  });
});

describe.runIf(testDialect === 'postgres')('updateVersioned race (postgres, forced interleaving)', () => {
  it('the second of two paused transactions loses with DB_VERSION_CONFLICT', async () => {
    const second = database.openSecond();
    const ctx = testCtx(database.db);
    const id = await insertItem(ctx, 'start');
    let releaseA: () => void = () => undefined;
    const aMayCommit = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    let aUpdated: () => void = () => undefined;
    const aHasUpdated = new Promise<void>((resolve) => {
      aUpdated = resolve;
    });
    const a = withTx(ctx, async (tx) => {
      await updateVersioned(tx, { table: 'test_item', id, version: 1, set: { name: 'a' } });
      aUpdated();
      await aMayCommit; // paused before commit, holding the row
    });
    await aHasUpdated;
    const b = withTx(testCtx(second.db), async (tx) => {
      await updateVersioned(tx, { table: 'test_item', id, version: 1, set: { name: 'b' } });
    });
    releaseA();
    await a;
    await expect(b).rejects.toMatchObject({ code: 'DB_VERSION_CONFLICT' });
    expect(await names()).toEqual(['a']);
  });
});
