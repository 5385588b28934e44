import { newId } from '@baton/core';
import { containsText, isUniqueViolation, likeEscape } from '@baton/db';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMigrations } from './fixtures/schema.ts';

let database: TestDatabase;
const updatedAt = '2026-01-05T01:00:00.000Z';
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [testMigrations] });
  for (const name of ['Acme Corp', '100% cotton', 'under_score', 'back\\slash', '东方公司', 'plain']) {
    await database.db.insertInto('test_item').values({ id: newId(), name, updatedAt }).execute();
  }
});
afterAll(async () => {
  await database?.cleanup();
});

const matching = async (text: string) =>
  (
    await database.db
      .selectFrom('test_item')
      .select('name')
      .where(containsText(database.db, 'test_item.name', text))
      .orderBy('name')
      .execute()
  ).map((row) => row.name);

describe('containsText', () => {
  it('matches substrings case-insensitively', async () => {
    expect(await matching('acme')).toEqual(['Acme Corp']);
    expect(await matching('CORP')).toEqual(['Acme Corp']);
    expect(await matching('东方')).toEqual(['东方公司']);
  });

  it('matches LIKE wildcards and the escape character literally', async () => {
    expect(await matching('%')).toEqual(['100% cotton']);
    expect(await matching('_')).toEqual(['under_score']);
    expect(await matching('\\')).toEqual(['back\\slash']);
    expect(await matching('0%_')).toEqual([]);
    expect(likeEscape('a%b_c\\')).toBe('a\\%b\\_c\\\\');
  });
});

describe('isUniqueViolation', () => {
  it('recognises a duplicate primary key on this database and nothing else', async () => {
    const id = newId();
    await database.db.insertInto('test_item').values({ id, name: 'x', updatedAt }).execute();
    let caught: unknown;
    try {
      await database.db.insertInto('test_item').values({ id, name: 'y', updatedAt }).execute();
    } catch (error) {
      caught = error;
    }
    expect(isUniqueViolation(caught)).toBe(true);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
