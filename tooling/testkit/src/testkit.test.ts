import { describe, expect, it } from 'vitest';
import { testCtx } from './ctx.ts';
import { createTestDatabase, testDialect } from './database.ts';

describe('testkit', () => {
  it('picks the dialect from TEST_DATABASE_URL', () => {
    expect(testDialect).toBe(process.env.TEST_DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite');
  });

  it('creates a private migrated database and removes it on cleanup', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    try {
      const ctx = testCtx(first.db);
      expect(ctx.actor).toEqual({ kind: 'system', name: 'test' });
      expect(ctx.clock.now().toISOString()).toBe('2026-01-05T01:00:00.000Z');
      ctx.clock.advance(1);
      await first.db
        .insertInto('baton_db_outbox')
        .values({
          id: 'a',
          topic: 't',
          key: 'a',
          payload: 'null',
          status: 'pending',
          attempts: 0,
          availableAt: ctx.clock.now().toISOString(),
          leaseOwner: null,
          leaseUntil: null,
          lastError: null,
          createdAt: ctx.clock.now().toISOString(),
          deliveredAt: null,
        })
        .execute();
      expect(await second.db.selectFrom('baton_db_outbox').selectAll().execute()).toEqual([]);
      if (testDialect === 'postgres') expect(first.pgSchema).toMatch(/^t_[0-9a-f]{12}$/);
      else expect(first.sqlitePath).not.toBe(second.sqlitePath);
    } finally {
      await first.cleanup();
      await second.cleanup();
    }
    await first.cleanup(); // twice is harmless
  });
});
