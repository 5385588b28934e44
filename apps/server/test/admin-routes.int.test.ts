import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accessMigrations, queryAudit } from '@baton/access';
import { formMigrations, localBlobStore, publishForm } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { materialiseSchedules, scheduleMigrations, scheduleTimer, upsertSchedule } from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentRoutes, type BatonServer, schedulesRoutes, settingsRoutes } from '../src/index.ts';
import { PASSWORD, postParts, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed } from './helpers.ts';

// The administration routes with real sign-ins: /api/schedules (schedule.admin; pausing audited) and
// /api/settings (settings.write; every problem with its path, nothing half-applied, audited, and read by the
// sign-in and upload routes that use them).

const MB = 1024 * 1024;
const l = (zh: string, en: string) => ({ zh, en });

let database: TestDatabase;
let app: BatonServer;
let root: string;
const signed: Record<string, Signed> = {};

async function login(name: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: name, password: PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const session = res.cookies.find((c) => c.name === 'baton_session');
  const csrf = res.cookies.find((c) => c.name === 'baton_csrf');
  signed[name] = { cookie: `baton_session=${session?.value}`, csrf: String(csrf?.value) };
  return res;
}

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [scheduleMigrations, orgMigrations, accessMigrations, formMigrations],
  });
  root = mkdtempSync(path.join(tmpdir(), 'baton-admin-'));
  const ctx = seedCtx(database.db);
  const dept = await seedDepartment(ctx, { name: '信息部', code: 'IT' });
  await publishForm(ctx, {
    pack: 'adm',
    key: 'docs',
    kind: 'archive',
    label: l('资料', 'Documents'),
    fields: [{ key: 'files', label: l('附件', 'Files'), type: 'attachments', maxSizeMb: 20 }],
  });
  await seedRoles(ctx, { operator: ['schedule.admin', 'settings.write'] });
  await seedMembers(
    ctx,
    [
      ['operator', dept.id, 'operator'],
      ['mallory', dept.id],
    ],
    'A',
  );
  // A schedule that already fired once, and a timer of another engine.
  const past = testCtx(database.db, { clock: { now: () => new Date(Date.now() - 2 * 86_400_000) } });
  await upsertSchedule(past, { key: 'rule.adm.digest', cron: '0 9 * * *', topic: 'rule.schedule' });
  await materialiseSchedules(ctx);
  await scheduleTimer(ctx, { topic: 'flow.deadline', key: 'task:1:deadline', dueAt: new Date(Date.now() + 3_600_000) });

  app = await serverWith(database.db, [
    schedulesRoutes({ db: database.db }),
    settingsRoutes({
      db: database.db,
      maxFileBytes: 50 * MB,
      deployment: {
        database: 'sqlite',
        publicUrl: 'https://oa.example.com',
        mail: { configured: true, host: 'smtp.example.com:465', from: '接力 <noreply@example.com>' },
        redis: false,
        bodyLimit: MB,
      },
    }),
    attachmentRoutes({ db: database.db, store: localBlobStore({ root }), maxFileBytes: 50 * MB }),
  ]);
  for (const name of ['operator', 'mallory']) await login(name);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

const call = (as: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload);

describe('schedules API', () => {
  it('shows schedules with their last occurrence and timers by state, to schedule.admin only', async () => {
    expect((await call('mallory', 'GET', '/api/schedules')).statusCode).toBe(403);
    expect((await call('mallory', 'GET', '/api/schedules/timers')).statusCode).toBe(403);
    const res = await call('operator', 'GET', '/api/schedules');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.schedules).toHaveLength(1);
    expect(body.schedules[0]).toMatchObject({
      key: 'rule.adm.digest',
      enabled: true,
      lastOccurrence: { state: 'pending', attempts: 0 },
    });
    expect(body.counts).toEqual(
      expect.arrayContaining([
        { topic: 'flow.deadline', state: 'pending', count: 1 },
        { topic: 'rule.schedule', state: 'pending', count: 1 },
      ]),
    );
    const timers = await call('operator', 'GET', '/api/schedules/timers?state=pending&limit=1');
    expect(timers.statusCode, timers.body).toBe(200);
    const page = timers.json();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).not.toHaveProperty('payload');
    const next = await call('operator', 'GET', `/api/schedules/timers?state=pending&cursor=${page.nextCursor}`);
    expect(next.json().items.map((t: { topic: string }) => t.topic)).toEqual(['flow.deadline']);
    expect((await call('operator', 'GET', '/api/schedules/timers?cursor=nonsense')).statusCode).toBe(400);
  });

  it('pauses and resumes a schedule, auditing each change once', async () => {
    const url = `/api/schedules/recurring/${encodeURIComponent('rule.adm.digest')}/enabled`;
    expect((await call('mallory', 'PUT', url, { enabled: false })).statusCode).toBe(403);
    const paused = await call('operator', 'PUT', url, { enabled: false });
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ changed: true, schedule: { enabled: false } });
    expect((await call('operator', 'PUT', url, { enabled: false })).json().changed).toBe(false);
    const resumed = await call('operator', 'PUT', url, { enabled: true });
    expect(resumed.json()).toMatchObject({ changed: true, schedule: { enabled: true } });
    expect(Date.parse(resumed.json().schedule.nextDueAt)).toBeGreaterThan(Date.now());
    const audit = await queryAudit(testCtx(database.db), { action: 'schedule.*', limit: 10 });
    expect(audit.items.map((entry) => entry.action)).toEqual(['schedule.resume', 'schedule.pause']);
    const missing = await call('operator', 'PUT', '/api/schedules/recurring/nobody/enabled', { enabled: true });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('SCHEDULE_NOT_FOUND');
  });
});

describe('settings API', () => {
  it('shows the settings in force, their defaults and the deployment, to settings.write only', async () => {
    expect((await call('mallory', 'GET', '/api/settings')).statusCode).toBe(403);
    const res = await call('operator', 'GET', '/api/settings');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      access: { values: { sessionIdleMs: 7_200_000, loginMaxFailures: 5 }, updatedAt: null },
      upload: { values: { maxFileMb: 50 }, ceilingMb: 50 },
      deployment: { database: 'sqlite', mail: { configured: true, host: 'smtp.example.com:465' } },
    });
    expect(res.body).not.toContain('password');
  });

  it('refuses every bad value at once with its path and changes nothing', async () => {
    const res = await call('operator', 'PUT', '/api/settings', {
      access: { loginMaxFailures: 1, sessionIdleMs: 60_000 },
      upload: { maxFileMb: 500 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CORE_VALIDATION_FAILED');
    expect(
      res
        .json()
        .fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['access.loginMaxFailures', 'access.sessionIdleMs', 'upload.maxFileMb']);
    const partlyBad = await call('operator', 'PUT', '/api/settings', {
      access: { lockMs: 600_000 },
      upload: { maxFileMb: 0 },
    });
    expect(partlyBad.statusCode).toBe(400);
    const after = (await call('operator', 'GET', '/api/settings')).json();
    expect(after.access.values.lockMs).toBe(900_000);
    expect(after.access.updatedAt).toBeNull();
    expect((await call('operator', 'PUT', '/api/settings', { access: { nonsense: 1 } })).statusCode).toBe(400);
  });

  it('applies valid changes together, audits them, and sign-in and upload read them', async () => {
    const res = await call('operator', 'PUT', '/api/settings', {
      access: { sessionAbsoluteMs: 4 * 3_600_000 },
      upload: { maxFileMb: 1 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      access: { values: { sessionAbsoluteMs: 14_400_000 } },
      upload: { values: { maxFileMb: 1 } },
    });
    const [entry] = (await queryAudit(testCtx(database.db), { action: 'settings.*', limit: 5 })).items;
    expect(entry).toMatchObject({
      action: 'settings.update',
      detail: {
        access: { before: { sessionAbsoluteMs: 43_200_000 }, after: { sessionAbsoluteMs: 14_400_000 } },
        upload: { before: { maxFileMb: 50 }, after: { maxFileMb: 1 } },
      },
    });

    const session = await login('mallory');
    const hours = (Date.parse(session.json().expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(3.9);
    expect(hours).toBeLessThanOrEqual(4);

    // A 1.5 MB PDF fits the field's 20 MB but not the administrator's 1 MB.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1.5 * MB, 0x20), Buffer.from('\n%%EOF\n')]);
    const upload = await postParts(app, signed.mallory, '/api/attachments', [
      { name: 'pack', value: 'adm' },
      { name: 'key', value: 'docs' },
      { name: 'field', value: 'files' },
      { name: 'file', filename: 'plan.pdf', content: pdf, type: 'application/pdf' },
    ]);
    expect(upload.statusCode, upload.body).toBe(413);
    expect(upload.json().code).toBe('FORM_ATTACHMENT_TOO_LARGE');
  });
});
