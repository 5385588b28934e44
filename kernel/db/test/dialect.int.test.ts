import { newId } from '@baton/core';
import {
  columnTypes,
  type DateUnit,
  dateTrunc,
  dialectOf,
  forUpdate,
  fromJson,
  instant,
  toJson,
  upsert,
  withTx,
} from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { sql } from 'kysely';
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

const updatedAt = '2026-01-05T01:00:00.000Z';

async function put(values: { id?: string; name?: string; happenedAt?: string | null; day?: string | null }) {
  const id = values.id ?? newId();
  await database.db
    .insertInto('test_item')
    .values({ id, name: values.name ?? id, happenedAt: values.happenedAt ?? null, day: values.day ?? null, updatedAt })
    .execute();
  return id;
}

describe(`dialect helpers (${testDialect})`, () => {
  it('knows its dialect, on a transaction too', async () => {
    expect(dialectOf(database.db)).toBe(testDialect);
    expect(database.dialect).toBe(testDialect);
    await withTx(testCtx(database.db), async ({ db }) => {
      expect(dialectOf(db)).toBe(testDialect);
    });
    const ping = await database.ping();
    expect(ping.dialect).toBe(testDialect);
    expect(ping.serverVersion).toMatch(/^\d+\.\d+/);
    expect(columnTypes(testDialect).id).toBe('text');
  });

  // Instants near bucket edges; every case must give the same answer on both databases.
  const cases: Array<[string, DateUnit, string]> = [
    ['2026-03-15T23:59:59.999Z', 'day', '2026-03-15'],
    ['2026-03-15T10:00:00.000Z', 'week', '2026-03-09'], // a Sunday belongs to the week of Monday the 9th
    ['2026-03-16T00:00:00.000Z', 'week', '2026-03-16'], // a Monday starts its own week
    ['2026-01-01T12:00:00.000Z', 'week', '2025-12-29'], // weeks cross years
    ['2026-03-31T23:00:00.000Z', 'month', '2026-03-01'],
    ['2026-02-28T00:00:00.000Z', 'quarter', '2026-01-01'],
    ['2026-06-30T23:59:59.000Z', 'quarter', '2026-04-01'],
    ['2026-12-31T23:59:59.000Z', 'quarter', '2026-10-01'],
    ['2026-09-01T00:00:00.000Z', 'quarter', '2026-07-01'],
    ['2026-07-04T08:00:00.000Z', 'year', '2026-01-01'],
  ];

  it.each(cases)('dateTrunc(%s, %s) = %s for instants and dates', async (at, unit, expected) => {
    const id = await put({ happenedAt: at, day: at.slice(0, 10) });
    const row = await database.db
      .selectFrom('test_item')
      .select([
        dateTrunc(database.db, unit, 'happenedAt').as('fromInstant'),
        dateTrunc(database.db, unit, 'day').as('fromDate'),
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ fromInstant: expected, fromDate: expected });
  });

  it('dateTrunc buckets instants in a fixed offset zone and groups by the same expression', async () => {
    await put({ happenedAt: '2026-03-31T15:59:59.000Z' }); // 23:59:59 in Shanghai, still March
    await put({ happenedAt: '2026-03-31T16:00:00.000Z' }); // 00:00 on 1 April in Shanghai
    await put({ happenedAt: '2026-04-02T01:00:00.000Z' });
    const bucket = dateTrunc(database.db, 'month', sql.ref('happened_at'), { utcOffsetMinutes: 480 });
    const rows = await database.db
      .selectFrom('test_item')
      .select([bucket.as('month'), sql<number>`count(*)`.as('n')])
      .groupBy(dateTrunc(database.db, 'month', sql.ref('happened_at'), { utcOffsetMinutes: 480 }))
      .orderBy('month')
      .execute();
    expect(rows).toEqual([
      { month: '2026-03-01', n: 1 },
      { month: '2026-04-01', n: 2 },
    ]);
    expect(() => dateTrunc(database.db, 'day', 'x', { utcOffsetMinutes: 1.5 })).toThrow(RangeError);
    expect(() => dateTrunc(database.db, 'decade' as DateUnit, 'x')).toThrow(TypeError);
  });

  it('round-trips JSON, bigint fen, booleans, decimals, dates and instants with the same shapes', async () => {
    const data = {
      snake_key: 1,
      camelKey: 'x',
      nested: { deep_er: [1, 2, { z: null }] },
      text: '接力 "quoted" \\ end',
    };
    const id = newId();
    await database.db
      .insertInto('test_item')
      .values({
        id,
        name: 'all types',
        amountFen: 9_007_199_254_740_991,
        flag: true,
        ratio: 12.5,
        day: '2026-02-28',
        happenedAt: instant(new Date('2026-01-05T09:30:00.123+08:00')),
        data: toJson(database.db, data),
        updatedAt,
      })
      .execute();
    const row = await database.db.selectFrom('test_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      amountFen: 9_007_199_254_740_991,
      flag: 1,
      ratio: 12.5,
      day: '2026-02-28',
      happenedAt: '2026-01-05T01:30:00.123Z',
      updatedAt,
      version: 1,
    });
    expect(typeof row.data).toBe('string');
    expect(fromJson(row.data)).toEqual(data);

    const sums = await database.db
      .selectFrom('test_item')
      .select([sql<number>`sum(amount_fen)`.as('total'), sql<number>`count(*)`.as('n')])
      .executeTakeFirstOrThrow();
    expect(sums).toEqual({ total: 9_007_199_254_740_991, n: 1 });

    for (const value of ['just a string', 42, null, [1, 'a'], { a: { b_c: true } }]) {
      await database.db
        .updateTable('test_item')
        .set({ data: toJson(database.db, value), flag: false })
        .where('id', '=', id)
        .execute();
      const back = await database.db
        .selectFrom('test_item')
        .select(['data', 'flag'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(fromJson(back.data)).toEqual(value);
      expect(back.flag).toBe(0);
    }

    const found = await database.db
      .selectFrom('test_item')
      .select('id')
      .where('happenedAt', '<', instant(new Date('2026-01-05T01:30:00.124Z')))
      .where('happenedAt', '>', instant(new Date('2026-01-05T01:30:00.122Z')))
      .execute();
    expect(found).toEqual([{ id }]);
  });

  it('upsert inserts, then updates the non-key columns or the given ones', async () => {
    const id = newId();
    await upsert(
      database.db,
      'test_item',
      { id, name: 'first', amountFen: 1, updatedAt },
      { conflict: ['id'] },
    ).execute();
    await upsert(
      database.db,
      'test_item',
      { id, name: 'second', amountFen: 2, updatedAt },
      { conflict: ['id'] },
    ).execute();
    expect(await database.db.selectFrom('test_item').select(['name', 'amountFen']).execute()).toEqual([
      { name: 'second', amountFen: 2 },
    ]);
    await upsert(
      database.db,
      'test_item',
      { id, name: 'ignored', amountFen: 3, updatedAt },
      { conflict: ['id'], update: ['amountFen'] },
    ).execute();
    await upsert(database.db, 'test_item', [{ id, name: 'x', updatedAt }], {
      conflict: ['id'],
      update: { name: 'explicit' },
    }).execute();
    await upsert(database.db, 'test_item', { id, updatedAt, name: 'n' }, { conflict: ['id'], update: [] }).execute();
    const rows = await upsert(database.db, 'test_item', { id: 'other', name: 'o', updatedAt }, { conflict: ['id'] })
      .returning('name')
      .execute();
    expect(rows).toEqual([{ name: 'o' }]);
    expect(
      await database.db.selectFrom('test_item').select(['name', 'amountFen']).where('id', '=', id).execute(),
    ).toEqual([{ name: 'explicit', amountFen: 3 }]);
  });

  it('forUpdate locks on PostgreSQL and leaves SQLite queries unchanged', async () => {
    const id = await put({ name: 'locked' });
    const query = database.db.selectFrom('test_item').select('name').where('id', '=', id);
    const compiled = forUpdate(query, database.db, { skipLocked: true }).compile().sql;
    if (testDialect === 'postgres') expect(compiled).toMatch(/for update skip locked$/);
    else expect(compiled).toBe(query.compile().sql);
    await withTx(testCtx(database.db), async ({ db }) => {
      expect(await forUpdate(db.selectFrom('test_item').select('name').where('id', '=', id), db).execute()).toEqual([
        { name: 'locked' },
      ]);
    });
  });
});
