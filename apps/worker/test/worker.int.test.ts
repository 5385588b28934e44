import { silentLogger } from '@baton/core';
import { type OutboxMessage, outbox } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorker } from '../src/index.ts';

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database.cleanup();
});

describe('worker outbox delivery', () => {
  it('delivers due messages once, with their idempotency key, and leaves later ones', async () => {
    const ctx = testCtx(database.db);
    await outbox.append(ctx, { topic: 'mail', key: 'mail:1', payload: { to: 'a@example.com' } });
    await outbox.append(ctx, { topic: 'mail', key: 'mail:2', payload: { to: 'b@example.com' } });
    await outbox.append(ctx, {
      topic: 'mail',
      key: 'mail:later',
      payload: { to: 'c@example.com' },
      availableAt: new Date(ctx.clock.now().getTime() + 60_000),
    });
    const seen: OutboxMessage[] = [];
    const worker = createWorker({
      database,
      logger: silentLogger(),
      clock: ctx.clock,
      handlers: { mail: async (message) => void seen.push(message) },
    });

    expect(await worker.tick()).toMatchObject({ delivered: 2, retried: 0, dead: 0 });
    expect(seen.map((m) => m.key).sort()).toEqual(['mail:1', 'mail:2']);
    expect(await worker.tick()).toMatchObject({ delivered: 0 });

    ctx.clock.advance(61_000);
    expect(await worker.tick()).toMatchObject({ delivered: 1 });
    expect(seen.map((m) => m.key)).toContain('mail:later');
    expect(seen.find((m) => m.key === 'mail:1')?.payload).toEqual({ to: 'a@example.com' });
  });

  it('retries a failing delivery with backoff and gives up after the maximum attempts', async () => {
    const ctx = testCtx(database.db);
    await outbox.append(ctx, { topic: 'hook', key: 'hook:1', payload: {} });
    let calls = 0;
    const worker = createWorker({
      database,
      logger: silentLogger(),
      clock: ctx.clock,
      maxAttempts: 3,
      handlers: {
        hook: async () => {
          calls += 1;
          throw new Error('receiver down');
        },
      },
    });
    expect(await worker.tick()).toMatchObject({ retried: 1 });
    // not due again until the backoff has passed
    expect(await worker.tick()).toMatchObject({ retried: 0, dead: 0 });
    ctx.clock.advance(3_600_000);
    expect(await worker.tick()).toMatchObject({ retried: 1 });
    ctx.clock.advance(3_600_000);
    expect(await worker.tick()).toMatchObject({ dead: 1 });
    ctx.clock.advance(3_600_000);
    expect(await worker.tick()).toMatchObject({ retried: 0, dead: 0, delivered: 0 });
    expect(calls).toBe(3);
  });

  it('never claims topics it has no handler for', async () => {
    const ctx = testCtx(database.db);
    await outbox.append(ctx, { topic: 'im.dingtalk', key: 'im:1', payload: {} });
    const worker = createWorker({
      database,
      logger: silentLogger(),
      clock: ctx.clock,
      handlers: { mail: async () => {} },
    });
    expect(await worker.tick()).toMatchObject({ delivered: 0, retried: 0, dead: 0 });
    const [claimed] = await outbox.claim(ctx, { owner: 'other', limit: 5, leaseMs: 1000 });
    expect(claimed?.attempts).toBe(1);
  });

  it('runs its jobs on every tick and survives a failing one', async () => {
    let runs = 0;
    const worker = createWorker({
      database,
      logger: silentLogger(),
      jobs: [
        { name: 'broken', run: async () => Promise.reject(new Error('boom')) },
        { name: 'count', run: async () => ++runs },
      ],
    });
    await worker.tick();
    const second = await worker.tick();
    expect(runs).toBe(2);
    expect(second.jobs).toBe(2);
  });

  it('starts and stops its loop cleanly', async () => {
    const ctx = testCtx(database.db);
    await outbox.append(ctx, { topic: 'mail', key: 'loop:1', payload: {} });
    let delivered = 0;
    const worker = createWorker({
      database,
      logger: silentLogger(),
      clock: ctx.clock,
      pollMs: 10,
      handlers: { mail: async () => void delivered++ },
    });
    worker.start();
    for (let i = 0; i < 100 && delivered === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(delivered).toBe(1);
  });
});
