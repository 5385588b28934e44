import { columnTypes, createStampTable, dialectOf, renewStamp, stampOf } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let database: TestDatabase;
// biome-ignore lint/suspicious/noExplicitAny: a stamp table made by this test only
const raw = () => database.db as unknown as Kysely<any>;
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [] });
  await createStampTable(raw().withoutPlugins(), columnTypes(dialectOf(raw())), 'test_stamp', 'things');
});
afterAll(async () => {
  await database?.cleanup();
});

const current = async () =>
  (await raw().selectNoFrom(stampOf('test_stamp', 'things').as('stamp')).executeTakeFirst())?.stamp as string | null;

describe(`stamps (${testDialect})`, () => {
  it('starts with a stamp, and every renewal writes a new one that a read brings along', async () => {
    const first = await current();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    const renewed = await renewStamp(testCtx(database.db), 'test_stamp', 'things');
    expect(renewed).not.toBe(first);
    expect(await current()).toBe(renewed);
  });

  it('writes the row again when it is missing', async () => {
    await raw().deleteFrom('test_stamp').execute();
    expect(await current()).toBe(null);
    const renewed = await renewStamp(testCtx(database.db), 'test_stamp', 'things');
    expect(await current()).toBe(renewed);
  });
});
