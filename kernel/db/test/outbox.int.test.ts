import { DbErrors, fromJson, outbox, outboxRetryDelayMs, withTx } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimInput } from './fixtures/child-claim.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});
beforeEach(async () => {
  await database.db.deleteFrom('baton_db_outbox').execute();
});

const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

async function row(id: string) {
  return database.db.selectFrom('baton_db_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe(`outbox (${testDialect})`, () => {
  it('appends, and a duplicate key is a no-op returning the first id', async () => {
    const ctx = testCtx(database.db);
    const first = await outbox.append(ctx, { topic: 'mail', payload: { to: 'a@b.c', n: 1 }, key: 'approve:42' });
    expect(first.created).toBe(true);
    const again = await outbox.append(ctx, { topic: 'mail', payload: { to: 'other' }, key: 'approve:42' });
    expect(again).toEqual({ id: first.id, created: false });
    const stored = await row(first.id);
    expect(fromJson(stored.payload)).toEqual({ to: 'a@b.c', n: 1 });
    expect(stored).toMatchObject({ status: 'pending', attempts: 0, createdAt: '2026-01-05T01:00:00.000Z' });
    const keyless = await outbox.append(ctx, { topic: 'mail', payload: null });
    expect((await row(keyless.id)).key).toBe(keyless.id);
  });

  it('claims only due messages by the fake clock, oldest first, and filters topics', async () => {
    const ctx = testCtx(database.db);
    const now = ctx.clock.now();
    const later = await outbox.append(ctx, {
      topic: 'mail',
      payload: 1,
      availableAt: new Date(now.getTime() + 60_000),
    });
    const a = await outbox.append(ctx, { topic: 'mail', payload: { a: [1, 'x'] } });
    const b = await outbox.append(ctx, { topic: 'im', payload: 'b' });
    expect(await outbox.claim(ctx, { owner: 'w1', limit: 10, leaseMs: 30_000, topics: [] })).toEqual([]);
    const imOnly = await outbox.claim(ctx, { owner: 'w1', limit: 10, leaseMs: 30_000, topics: ['im'] });
    expect(imOnly.map((m) => m.id)).toEqual([b.id]);
    expect(imOnly[0]).toMatchObject({
      topic: 'im',
      payload: 'b',
      attempts: 1,
      leaseOwner: 'w1',
      leaseUntil: '2026-01-05T01:00:30.000Z',
    });
    const rest = await outbox.claim(ctx, { owner: 'w1', limit: 10, leaseMs: 30_000 });
    expect(rest.map((m) => m.id)).toEqual([a.id]);
    expect(rest[0]?.payload).toEqual({ a: [1, 'x'] });
    ctx.clock.advance(60_000);
    const due = await outbox.claim(ctx, { owner: 'w1', limit: 10, leaseMs: 30_000 });
    // a and b leases expired at +30 s, `later` became due at +60 s: oldest availableAt first.
    expect(due.map((m) => m.id)).toEqual([a.id, b.id, later.id]);
  });

  it('an expired lease makes a message claimable again; only the current owner completes it', async () => {
    const ctx = testCtx(database.db);
    const { id } = await outbox.append(ctx, { topic: 'hook', payload: {} });
    const [first] = await outbox.claim(ctx, { owner: 'w1', limit: 1, leaseMs: 10_000 });
    expect(first?.id).toBe(id);
    expect(await outbox.claim(ctx, { owner: 'w2', limit: 1, leaseMs: 10_000 })).toEqual([]);
    ctx.clock.advance(10_000);
    const [second] = await outbox.claim(ctx, { owner: 'w2', limit: 1, leaseMs: 10_000 });
    expect(second).toMatchObject({ id, attempts: 2, leaseOwner: 'w2' });
    expect(await outbox.complete(ctx, { id, owner: 'w1' })).toBe(false);
    await expect(outbox.fail(ctx, { id, owner: 'w1', error: 'late' })).rejects.toMatchObject({
      code: 'DB_OUTBOX_LEASE_LOST',
    });
    expect(await outbox.complete(ctx, { id, owner: 'w2' })).toBe(true);
    expect(await row(id)).toMatchObject({ status: 'delivered', deliveredAt: '2026-01-05T01:00:10.000Z' });
    expect(await outbox.complete(ctx, { id, owner: 'w2' })).toBe(false);
    ctx.clock.advance(3_600_000);
    expect(await outbox.claim(ctx, { owner: 'w3', limit: 1, leaseMs: 10_000 })).toEqual([]);
  });

  it('fail backs off exponentially, then the message is dead after maxAttempts', async () => {
    const ctx = testCtx(database.db);
    const { id } = await outbox.append(ctx, { topic: 'hook', payload: {} });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [message] = await outbox.claim(ctx, { owner: 'w', limit: 1, leaseMs: 5_000 });
      expect(message?.attempts).toBe(attempt);
      const outcome = await outbox.fail(ctx, { id, owner: 'w', error: `HTTP 503 #${attempt}`, maxAttempts: 3 });
      if (attempt < 3) {
        expect(outcome).toBe('retry');
        const delay = outboxRetryDelayMs(attempt);
        expect(delay).toBe(10_000 * 2 ** (attempt - 1));
        ctx.clock.advance(delay - 1);
        expect(await outbox.claim(ctx, { owner: 'w', limit: 1, leaseMs: 5_000 })).toEqual([]);
        ctx.clock.advance(1);
      } else {
        expect(outcome).toBe('dead');
      }
    }
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 3, lastError: 'HTTP 503 #3' });
    ctx.clock.advance(86_400_000);
    expect(await outbox.claim(ctx, { owner: 'w', limit: 1, leaseMs: 5_000 })).toEqual([]);
    expect(outboxRetryDelayMs(30)).toBe(3_600_000);
    expect(DbErrors.leaseLost.code).toBe('DB_OUTBOX_LEASE_LOST');
  });

  it('a message appended in a rolled-back transaction never exists', async () => {
    const ctx = testCtx(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await outbox.append({ ...ctx, db: trx }, { topic: 'mail', payload: 1, key: 'k' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await outbox.claim(ctx, { owner: 'w', limit: 5, leaseMs: 1_000 })).toEqual([]);
  });

  it('two concurrent claimers never get the same message', async () => {
    const ctx = testCtx(database.db);
    const rounds = 3;
    const perRound = 300;
    const limit = 3;
    for (let round = 0; round < rounds; round += 1) {
      const ids = await withTx(ctx, async (tx) => {
        const appended: string[] = [];
        for (let i = 0; i < perRound; i += 1) {
          appended.push((await outbox.append(tx, { topic: 'load', payload: { round, i } })).id);
        }
        return appended;
      });
      const claimAll = async (claimCtx: typeof ctx, owner: string) => {
        const got: string[] = [];
        for (;;) {
          const batch = await outbox.claim(claimCtx, { owner, limit, leaseMs: 600_000 });
          if (batch.length === 0) return got;
          got.push(...batch.map((m) => m.id));
          await pause(); // leaves room for the other claimer, so the two really interleave
        }
      };
      let mine: string[];
      let theirs: string[];
      if (testDialect === 'postgres') {
        const second = database.openSecond();
        await second.ping();
        [mine, theirs] = await Promise.all([
          claimAll(ctx, 'parent'),
          claimAll(testCtx(second.db, { clock: ctx.clock }), 'other'),
        ]);
        await second.destroy();
      } else {
        const input: ClaimInput = { now: ctx.clock.now().toISOString(), owner: 'child', limit };
        const child = await database.spawnChild<string[]>(new URL('./fixtures/child-claim.ts', import.meta.url), input);
        [mine, theirs] = await Promise.all([claimAll(ctx, 'parent'), child.go()]);
      }
      // Both got a share, so the claims really overlapped.
      expect(mine.length).toBeGreaterThan(0);
      expect(theirs.length).toBeGreaterThan(0);
      expect([...mine, ...theirs].sort()).toEqual([...ids].sort());
      expect(mine.filter((id) => theirs.includes(id))).toEqual([]);
      const attempts = await database.db
        .selectFrom('baton_db_outbox')
        .select('attempts')
        .where('id', 'in', ids)
        .execute();
      expect(attempts.every((r) => r.attempts === 1)).toBe(true);
      ctx.clock.advance(1_000);
    }
  });
});
