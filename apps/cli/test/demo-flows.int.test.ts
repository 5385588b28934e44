import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { can } from '@baton/access';
import { silentLogger, systemActor, systemClock } from '@baton/core';
import { flowStartPermission } from '@baton/server';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { loadDemoFlows } from '../src/demo-flows.ts';
import { type FirstStartReport, firstStart } from '../src/first-start.ts';
import { createPlatformServer, platformMigrations } from '../src/platform.ts';

// The first start with the demo organisation publishes 请假申请 and lets every member file it: over the composed
// platform a buyer files, the head of purchasing approves, the HR director returns it, the buyer resubmits
// straight back and the HR director approves. On SQLite and PostgreSQL.

let database: TestDatabase;
let server: Awaited<ReturnType<typeof createPlatformServer>>;
let report: FirstStartReport;
const passwords = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...platformMigrations] });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-demo-flows-'));
  report = await firstStart(database, silentLogger(), { demo: true, dataDir });
  for (const line of readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [login, , password] = line.split('\t');
    if (login && password) passwords.set(login, password);
  }
  const config = loadConfig({ env: { BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')) }, cwd: tmpdir() });
  server = await createPlatformServer({ config, database, log: silentLogger() });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.cleanup();
});

type Session = { cookie: string; csrf: string; memberId: string };

async function signIn(role: string): Promise<Session> {
  const login = report.demo?.keyLogins[role] as string;
  const res = await server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login, password: passwords.get(login) },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'baton_session')?.value;
  const csrf = res.cookies.find((c) => c.name === 'baton_csrf')?.value;
  return { cookie: `baton_session=${cookie}`, csrf: String(csrf), memberId: res.json().member.id };
}

function call(who: Session, method: 'GET' | 'POST', url: string, payload?: object) {
  return server.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
    ...(payload ? { payload } : {}),
  });
}

async function pendingTask(who: Session, instanceId: string): Promise<string> {
  const res = await call(who, 'GET', '/api/tasks?box=pending');
  expect(res.statusCode, res.body).toBe(200);
  const item = res.json().items.find((each: { instanceId: string }) => each.instanceId === instanceId);
  expect(item, 'a pending task on the request').toBeDefined();
  return item.taskId;
}

describe('demo flows', () => {
  it('are published at first start and loading them again changes nothing', async () => {
    expect(report.demo?.flows).toEqual(['demo.leave']);
    const ctx = { db: database.db, actor: systemActor('test'), clock: systemClock, log: silentLogger() };
    // Every active member may file it through the implicit role everyone, the administrator made after the
    // demo organisation included; loading again changes nothing.
    const members = await database.db
      .selectFrom('baton_org_member')
      .select('id')
      .where('status', '=', 'active')
      .execute();
    expect(members.length).toBe((report.demo?.members ?? 0) + 1);
    const permission = flowStartPermission('demo', 'leave');
    for (const member of members) expect(await can(ctx, member.id, permission)).toBe(true);
    expect(await loadDemoFlows(ctx)).toEqual({ flows: ['demo.leave'] });
    const assignments = await database.db.selectFrom('baton_org_role_assignment').select('id').execute();
    expect(assignments.length).toBeLessThan(members.length);
    const versions = await database.db
      .selectFrom('baton_flow_definition')
      .select(['pack', 'key', 'version'])
      .where('pack', '=', 'demo')
      .execute();
    expect(versions.map((row) => [row.pack, row.key, Number(row.version)])).toEqual([['demo', 'leave', 1]]);
  });

  it('lets a member file a leave request that their head and the HR director approve', async () => {
    const buyer = await signIn('buyer');
    const flows = (await call(buyer, 'GET', '/api/flows')).json().flows;
    // Packs installed beside the demo (contracts) give the buyer their own flows too.
    expect(flows).toContainEqual(expect.objectContaining({ pack: 'demo', key: 'leave', category: 'hr' }));
    const detail = (await call(buyer, 'GET', '/api/flows/demo/leave')).json();
    expect(detail.form.definition.fields.map((field: { key: string }) => field.key)).toEqual([
      'leaveType',
      'startDate',
      'endDate',
      'days',
      'reason',
    ]);
    const refused = await call(buyer, 'POST', '/api/flows/demo/leave/instances', {
      values: { leaveType: 'annual', startDate: '2026-12-10', endDate: '2026-12-08', days: 1, reason: '探亲' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('FORM_VALIDATION_FAILED');

    const filed = await call(buyer, 'POST', '/api/flows/demo/leave/instances', {
      values: { leaveType: 'annual', startDate: '2026-12-08', endDate: '2026-12-10', days: 3, reason: '探亲' },
      clientActionId: 'demo-leave-1',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ state: 'running', currentNodes: ['head'] });
    const instanceId = filed.json().instanceId as string;

    const head = await signIn('purchasingDirector');
    const headTask = await pendingTask(head, instanceId);
    const seen = (await call(head, 'GET', `/api/instances/${instanceId}?task=${headTask}`)).json();
    expect(seen.caller).toMatchObject({ as: 'assignee', node: { key: 'head' }, actions: { approve: true } });
    expect(seen.record.values).toMatchObject({ days: 3, leaveType: 'annual' });
    const approved = await call(head, 'POST', `/api/tasks/${headTask}/approve`, { opinion: '同意' });
    expect(approved.json()).toMatchObject({ currentNodes: ['hr'] });

    const hr = await signIn('hrDirector');
    const returned = await call(hr, 'POST', `/api/tasks/${await pendingTask(hr, instanceId)}/return`, {
      to: 'initiator',
      opinion: '请写明交接安排',
    });
    expect(returned.json()).toMatchObject({ state: 'draft' });
    const resubmitted = await call(buyer, 'POST', `/api/instances/${instanceId}/submit`, {
      values: { reason: '探亲，工作已交接给同事' },
      jumpBack: true,
    });
    expect(resubmitted.json()).toMatchObject({ state: 'running', currentNodes: ['hr'] });
    const done = await call(hr, 'POST', `/api/tasks/${await pendingTask(hr, instanceId)}/approve`, {});
    expect(done.json()).toMatchObject({ state: 'approved' });
    const sent = (await call(buyer, 'GET', '/api/instances?box=sent')).json().items;
    const leaves = sent.filter((item: { flow: string }) => item.flow === 'demo.leave');
    expect(leaves).toEqual([expect.objectContaining({ instanceId, state: 'approved' })]);
  });
});
