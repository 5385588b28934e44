import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiToken, ensureAdministrator } from '@baton/access';
import { createFakeClock, silentLogger } from '@baton/core';
import { outbox } from '@baton/db';
import { createDepartment, createMember, createUnit } from '@baton/org';
import { scheduleTimer } from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createPlatformServer, platformMigrations } from '../src/platform.ts';

// GET /api/metrics: Prometheus text for a scraper holding an API token with system.metrics; the
// readings come from the database at scrape time; request series are labelled by route template.

const clock = createFakeClock(new Date('2026-11-02T01:00:00Z'));
let database: TestDatabase;
let server: Awaited<ReturnType<typeof createPlatformServer>>;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...platformMigrations] });
  const config = loadConfig({ env: { BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')) }, cwd: tmpdir() });
  server = await createPlatformServer({ config, database, log: silentLogger(), clock });
});

afterAll(async () => {
  await server?.close();
  await database?.cleanup();
});

/** The value of one sample line, e.g. `baton_outbox_messages{status="pending"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it('serves the backlog, due timers and request latencies to a token holding system.metrics, and no one else', async () => {
  const ctx = testCtx(database.db, { clock });
  const admin = await ensureAdministrator(ctx);
  if (!admin.created) throw new Error('expected a new administrator');
  const unit = await createUnit(ctx, { code: 'M1', name: '分部' });
  const dept = await createDepartment(ctx, { unitId: unit.id, name: '综合部', code: '10-00001' });
  const plain = await createMember(ctx, { code: 'E1', name: '张三', login: 'zhangsan', mainDepartmentId: dept.id });
  // A member without the permission cannot even mint such a token.
  await expect(
    createApiToken(ctx, { memberId: plain.id, name: 'mine', scopes: ['system.metrics'] }),
  ).rejects.toMatchObject({ code: 'ACCESS_SCOPE_NOT_HELD' });

  const { token } = await createApiToken(ctx, {
    memberId: admin.memberId,
    name: 'prometheus',
    scopes: ['system.metrics'],
  });
  // The same administrator, but a token scoped to something else: scopes, not the member, decide.
  const { token: other } = await createApiToken(ctx, {
    memberId: admin.memberId,
    name: 'mail',
    scopes: ['message.admin'],
  });

  for (let i = 0; i < 3; i++) await outbox.append(ctx, { topic: 'test.noop', key: `k${i}`, payload: { i } });
  await scheduleTimer(ctx, { topic: 'test.noop', key: 'late', dueAt: new Date('2026-11-02T00:59:00Z') });
  await scheduleTimer(ctx, { topic: 'test.noop', key: 'future', dueAt: new Date('2026-11-03T00:00:00Z') });
  clock.advance(30_000);

  // A request to a parameterised route, so its series carries the template.
  await server.inject({ method: 'GET', url: '/api/instances/0190a0a0-0000-7000-8000-000000000000' });

  const denied = await server.inject({
    method: 'GET',
    url: '/api/metrics',
    headers: { authorization: `Bearer ${other}` },
  });
  expect(denied.statusCode).toBe(403);

  const res = await server.inject({
    method: 'GET',
    url: '/api/metrics',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  expect(res.headers['cache-control']).toBe('no-store');
  const text = res.body;
  expect(sample(text, 'baton_outbox_messages{status="pending"}')).toBe(3);
  expect(sample(text, 'baton_outbox_messages{status="dead"}')).toBe(0);
  expect(sample(text, 'baton_outbox_oldest_pending_seconds')).toBe(30);
  expect(sample(text, 'baton_schedule_timers_due')).toBe(1);
  expect(sample(text, 'baton_schedule_oldest_due_seconds')).toBe(90);
  expect(sample(text, 'baton_schedule_timers_failed')).toBe(0);
  expect(text).toContain('route="/api/instances/:id"');
  expect(text).not.toContain('0190a0a0-0000-7000-8000-000000000000');
  expect(text).toContain('nodejs_heap_size_used_bytes');
  expect(text).not.toMatch(/baton_metric_reading_failed\{[^}]*\} 1/);
});
