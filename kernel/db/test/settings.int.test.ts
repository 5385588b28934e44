import { systemActor } from '@baton/core';
import { readSetting, withTx, writeSetting } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

describe(`settings (${testDialect})`, () => {
  it('reads nothing before a write, then the latest value with who wrote it and when', async () => {
    const ctx = testCtx(database.db, { actor: { kind: 'member', memberId: 'm-1' } });
    expect(await readSetting(ctx, 'access.session')).toBeUndefined();
    await writeSetting(ctx, { key: 'access.session', value: { idleMinutes: 30 } });
    ctx.clock.advance(60_000);
    const second = await writeSetting(ctx, { key: 'access.session', value: { idleMinutes: 45, label: '中文' } });
    expect(await readSetting(ctx, 'access.session')).toEqual({
      key: 'access.session',
      value: { idleMinutes: 45, label: '中文' },
      updatedAt: second.updatedAt,
      updatedBy: 'm-1',
    });
    await writeSetting({ ...ctx, actor: systemActor('cli') }, { key: 'form.upload', value: null });
    expect(await readSetting(ctx, 'form.upload')).toMatchObject({ value: null, updatedBy: 'system:cli' });
  });

  it('joins the caller’s transaction, so a rolled-back action leaves the old value', async () => {
    const ctx = testCtx(database.db);
    await writeSetting(ctx, { key: 'test.rollback', value: 1 });
    await expect(
      withTx(ctx, async (tx) => {
        await writeSetting(tx, { key: 'test.rollback', value: 2 });
        throw new Error('refused later in the action');
      }),
    ).rejects.toThrow('refused later');
    expect((await readSetting(ctx, 'test.rollback'))?.value).toBe(1);
  });

  it('refuses a key that is not <engine>.<section>', async () => {
    const ctx = testCtx(database.db);
    await expect(writeSetting(ctx, { key: 'nodot', value: 1 })).rejects.toThrow(TypeError);
    await expect(readSetting(ctx, "x.y'; drop table")).rejects.toThrow(TypeError);
  });
});
