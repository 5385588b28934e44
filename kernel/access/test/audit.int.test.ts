import { appendAudit, canonicalJson, queryAudit, verifyAuditChain } from '@baton/access';
import { silentLogger, systemActor } from '@baton/core';
import { type DbCtx, withTx } from '@baton/db';
import { testDialect } from '@baton/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, openEnv } from './access-fixture.ts';

const MEMBER = '01900000-0000-7000-8000-000000000001';

describe('audit chain', () => {
  let env: Env;

  beforeAll(async () => {
    env = await openEnv();
  });
  afterAll(() => env.database.cleanup());

  it('serialises JSON canonically', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }, 'x'], u: undefined })).toBe(
      '{"a":[{"c":null,"d":2},"x"],"b":1}',
    );
    expect(canonicalJson('中文')).toBe('"中文"');
  });

  it('appends a verifiable chain and pages through it newest first', async () => {
    const member = { ...env.ctx, actor: { kind: 'member' as const, memberId: MEMBER } };
    for (let i = 1; i <= 30; i++) {
      env.clock.advance(1_000);
      await appendAudit(i % 3 === 0 ? member : env.ctx, {
        action: i % 2 === 0 ? 'auth.signIn' : 'org.department.move',
        target: { type: 'department', id: `d${i % 5}` },
        ip: '198.51.100.1',
        detail: { i, nested: { z: true, a: [1, 2, '三'] }, skipped: undefined },
      });
    }
    expect(await verifyAuditChain(env.ctx)).toEqual({ ok: true, checked: 30 });

    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await queryAudit(env.ctx, { limit: 7, cursor });
      pages.push(page.items.map((e) => e.seq));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(pages.flat()).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));

    const first = (await queryAudit(env.ctx, { limit: 1 })).items[0];
    expect(first?.detail).toEqual({ i: 30, nested: { z: true, a: [1, 2, '三'] } });
    expect(first?.actor).toEqual({ kind: 'member', id: MEMBER });

    expect((await queryAudit(env.ctx, { action: 'auth.*' })).items).toHaveLength(15);
    expect((await queryAudit(env.ctx, { action: 'org.department.move' })).items).toHaveLength(15);
    expect((await queryAudit(env.ctx, { actor: MEMBER })).items).toHaveLength(10);
    expect((await queryAudit(env.ctx, { actor: 'test' })).items).toHaveLength(20);
    expect((await queryAudit(env.ctx, { target: { type: 'department', id: 'd0' } })).items).toHaveLength(6);
    const from = new Date('2026-03-02T01:00:10.000Z');
    const to = new Date('2026-03-02T01:00:20.000Z');
    const window = await queryAudit(env.ctx, { from, to: to.toISOString() });
    expect(window.items.map((e) => e.seq)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    await expect(queryAudit(env.ctx, { cursor: 'abc' })).rejects.toMatchObject({ code: 'ACCESS_AUDIT_CURSOR_INVALID' });
    await expect(queryAudit(env.ctx, { limit: 0, action: 'Bad Action' })).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
      fields: [expect.objectContaining({ path: ['action'] }), expect.objectContaining({ path: ['limit'] })],
    });
  });

  it('joins the caller’s transaction: a rolled-back action leaves no row and no gap', async () => {
    const before = await verifyAuditChain(env.ctx);
    await expect(
      withTx(env.ctx, async (tx) => {
        await appendAudit(tx, { action: 'flow.task.approve', target: { type: 'task', id: 't1' } });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await verifyAuditChain(env.ctx)).toEqual(before);
    await expect(appendAudit(env.ctx, { action: 'not an action' })).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
    });
  });

  it('detects a changed row at its seq', async () => {
    const db = env.database.db;
    await sql`update baton_access_audit set action = 'auth.signOut' where seq = 7`.execute(db);
    expect(await verifyAuditChain(env.ctx)).toEqual({ ok: false, checked: 6, firstBadSeq: 7, reason: 'hash' });
    await sql`update baton_access_audit set action = 'org.department.move' where seq = 7`.execute(db);
    expect((await verifyAuditChain(env.ctx)).ok).toBe(true);

    const detail = testDialect === 'postgres' ? sql`cast('{"i":12}' as jsonb)` : sql`'{"i":12}'`;
    await sql`update baton_access_audit set detail = ${detail} where seq = 12`.execute(db);
    expect(await verifyAuditChain(env.ctx)).toMatchObject({ ok: false, firstBadSeq: 12, reason: 'hash' });
  });

  it('detects a deleted row and a cut-off tail', async () => {
    const fresh = await openEnv();
    try {
      for (let i = 0; i < 10; i++) await appendAudit(fresh.ctx, { action: 'test.row', detail: { i } });
      const db = fresh.database.db;
      const row = await db.selectFrom('baton_access_audit').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();
      await sql`delete from baton_access_audit where seq = 4`.execute(db);
      expect(await verifyAuditChain(fresh.ctx)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'missing' });
      await db.insertInto('baton_access_audit').values(row).execute();
      expect((await verifyAuditChain(fresh.ctx)).ok).toBe(true);
      await sql`delete from baton_access_audit where seq > 8`.execute(db);
      expect(await verifyAuditChain(fresh.ctx)).toMatchObject({ ok: false, firstBadSeq: 9, reason: 'head' });
    } finally {
      await fresh.database.cleanup();
    }
  });

  it('never forks under concurrent appends from another process', async () => {
    const fresh = await openEnv();
    try {
      const child = await fresh.database.spawnChild<number>(new URL('./fixtures/child-audit.ts', import.meta.url), {
        count: 40,
        tag: 'child',
      });
      const childDone = child.go();
      const ctx: DbCtx = { ...fresh.ctx, actor: systemActor('parent') };
      for (let i = 0; i < 40; i++) await appendAudit(ctx, { action: 'test.concurrent', detail: { tag: 'parent', i } });
      expect(await childDone).toBe(40);
      expect(await verifyAuditChain(fresh.ctx)).toEqual({ ok: true, checked: 80 });
      const actors = (await queryAudit(fresh.ctx, { limit: 500 })).items.map((e) => e.actor.id);
      expect(actors.filter((a) => a === 'child')).toHaveLength(40);
      expect(actors.filter((a) => a === 'parent')).toHaveLength(40);
    } finally {
      await fresh.database.cleanup();
    }
  });

  it.runIf(testDialect === 'postgres')('never forks under concurrent appends from two pools', async () => {
    const fresh = await openEnv();
    try {
      const second = fresh.database.openSecond();
      const ctxA: DbCtx = { ...fresh.ctx, actor: systemActor('a') };
      const ctxB: DbCtx = { db: second.db, actor: systemActor('b'), clock: fresh.clock, log: silentLogger() };
      const run = (ctx: DbCtx, tag: string) =>
        Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            // Some appends carry other work in the same transaction, as real actions do.
            withTx(ctx, async (tx) => {
              await appendAudit(tx, { action: 'test.concurrent', detail: { tag, i } });
              if (i % 5 === 0) await appendAudit(tx, { action: 'test.concurrentSecond', detail: { tag, i } });
            }),
          ),
        );
      await Promise.all([run(ctxA, 'a'), run(ctxB, 'b')]);
      const result = await verifyAuditChain(fresh.ctx);
      expect(result).toEqual({ ok: true, checked: 72 });
      const seqs = (await queryAudit(fresh.ctx, { limit: 500 })).items.map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: 72 }, (_, i) => 72 - i));
    } finally {
      await fresh.database.cleanup();
    }
  });
});
