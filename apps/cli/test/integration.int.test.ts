import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grantPermissions, setPassword } from '@baton/access';
import { silentLogger } from '@baton/core';
import { approve, publishFlow, submit } from '@baton/flow';
import { publishForm } from '@baton/form';
import { verifySignature } from '@baton/integration';
import { assignRole, createDepartment, createMember, createRole, createUnit } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createPlatformServer, createPlatformWorker, platformMigrations } from '../src/platform.ts';

// Integration through the composed platform: an administrator allows the receiver's host and subscribes a
// webhook over the API (others are refused); a request approved in the flow engine reaches the receiver,
// signed, once, delivered by the real worker after commit.

const PASSWORD = 'Correct-Horse-42';
const l = (zh: string, en: string) => ({ zh, en });

let database: TestDatabase;
let server: Awaited<ReturnType<typeof createPlatformServer>>;
let receiver: http.Server;
let receiverPort = 0;
const deliveries: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const members: Record<string, string> = {};
const signed: Record<string, { cookie: string; csrf: string }> = {};
const config = loadConfig({ env: { BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')) }, cwd: tmpdir() });

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverPort = (receiver.address() as AddressInfo).port;

  database = await createTestDatabase({ migrations: [...platformMigrations] });
  const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
  server = await createPlatformServer({ config, database, log: silentLogger() });
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const it = await createDepartment(ctx, { unitId: unit.id, name: '信息部', code: '10-00001' });
  await createRole(ctx, { code: 'integrator', name: 'integrator', kind: 'business' });
  await grantPermissions(ctx, { role: 'integrator', permissions: ['integration.admin'] });
  for (const [n, login] of ['ops', 'alice', 'bob'].entries()) {
    const member = await createMember(ctx, { code: `I${n}`, name: login, login, mainDepartmentId: it.id });
    members[login] = member.id;
    await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
  }
  await assignRole(ctx, { role: 'integrator', memberId: members.ops as string });
  for (const login of ['ops', 'alice']) {
    const res = await server.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    signed[login] = {
      cookie: `baton_session=${res.cookies.find((c) => c.name === 'baton_session')?.value}`,
      csrf: String(res.cookies.find((c) => c.name === 'baton_csrf')?.value),
    };
  }
});

afterAll(async () => {
  receiver?.close();
  await server?.close();
  await database?.cleanup();
});

function call(as: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const who = signed[as] as { cookie: string; csrf: string };
  return server.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'accept-language': 'zh-CN' },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

describe('integration through the platform', () => {
  it('lets only integration administrators manage hosts, webhooks and connectors, and audits them', async () => {
    const url = `http://127.0.0.1:${receiverPort}/baton`;
    expect((await call('alice', 'GET', '/api/integration/webhooks')).statusCode).toBe(403);
    expect((await call('alice', 'POST', '/api/integration/allowed-hosts', { host: '127.0.0.1' })).statusCode).toBe(403);
    expect(
      (await call('alice', 'PUT', '/api/integration/connectors/erp.voucher', { kind: 'http', config: { url } }))
        .statusCode,
    ).toBe(403);

    const bad = await call('ops', 'POST', '/api/integration/webhooks', {
      name: 'x',
      url: 'file:///etc/passwd',
      events: ['*'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INTEGRATION_URL_INVALID');
    expect(bad.json().detail ?? bad.json().title).toMatch(/地址无效/);

    expect(
      (await call('ops', 'POST', '/api/integration/allowed-hosts', { host: '127.0.0.1', note: '测试接收端' }))
        .statusCode,
    ).toBe(200);
    const created = await call('ops', 'POST', '/api/integration/webhooks', {
      name: '监控平台',
      url,
      events: ['flow.approved'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().secret).toMatch(/^whsec_/);
    const listed = await call('ops', 'GET', '/api/integration/webhooks');
    expect(listed.json().webhooks).toHaveLength(1);
    expect(listed.body).not.toContain(created.json().secret);

    const connector = await call('ops', 'PUT', '/api/integration/connectors/erp.voucher', {
      kind: 'http',
      config: { url, headers: { 'X-Api-Key': 'secret-key-of-erp' } },
    });
    expect(connector.statusCode, connector.body).toBe(200);
    const connectors = await call('ops', 'GET', '/api/integration/connectors');
    expect(connectors.json().connectors).toEqual([{ name: 'erp.voucher', kind: 'http', enabled: true }]);
    expect(connectors.body).not.toContain('secret-key-of-erp');

    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select('action')
      .where('action', 'like', 'integration.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'integration.connector.save',
      'integration.host.allow',
      'integration.webhook.create',
    ]);
  });

  it('delivers a signed flow.approved webhook once, from the worker, after the approval commits', async () => {
    const secret = (
      await database.db.selectFrom('baton_integration_webhook').select('secret').executeTakeFirstOrThrow()
    ).secret;
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    await publishForm(ctx, {
      pack: 'hook',
      key: 'leave',
      kind: 'flow',
      label: l('请假', 'Leave'),
      fields: [{ key: 'days', label: l('天数', 'Days'), type: 'number', required: true }],
    });
    await publishFlow(ctx, {
      pack: 'hook',
      key: 'leave',
      name: l('请假审批', 'Leave approval'),
      form: { pack: 'hook', key: 'leave' },
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'ok', kind: 'approval', assignees: [{ source: 'members', ids: [members.bob as string] }] },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'ok' },
        { from: 'ok', to: 'end' },
      ],
    });
    const as = (login: string) =>
      testCtx(database.db, {
        clock: { now: () => new Date() },
        actor: { kind: 'member', memberId: members[login] as string },
      });
    const filed = await submit(as('alice'), { flow: { pack: 'hook', key: 'leave' }, values: { days: 2 } });
    const task = await database.db
      .selectFrom('baton_flow_task')
      .select('id')
      .where('instanceId', '=', filed.instanceId)
      .executeTakeFirstOrThrow();
    await approve(as('bob'), { taskId: task.id, opinion: '同意' });

    const worker = createPlatformWorker({ config, database, log: silentLogger() });
    await worker.tick();
    await worker.tick();
    expect(deliveries).toHaveLength(1);
    const got = deliveries[0] as { headers: http.IncomingHttpHeaders; body: string };
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'flow.approved',
      data: { instanceId: filed.instanceId, flow: 'hook.leave' },
    });
    expect(verifySignature(secret, got.body, String(got.headers['x-baton-signature']), new Date())).toBe(true);
    const rows = await database.db
      .selectFrom('baton_db_outbox')
      .select(['status'])
      .where('topic', '=', 'integration.webhook')
      .execute();
    expect(rows).toEqual([{ status: 'delivered' }]);
  });

  it('takes public intake submissions without an account, within the intake’s fields and rate', async () => {
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    await publishForm(ctx, {
      pack: 'service',
      key: 'complaint',
      kind: 'archive',
      label: l('客户投诉', 'Customer complaint'),
      fields: [
        { key: 'number', label: l('编号', 'Number'), type: 'serial', pattern: 'TS{yyyy}{seq:4}' },
        { key: 'contact', label: l('联系人', 'Contact'), type: 'text', required: true },
        { key: 'content', label: l('内容', 'Content'), type: 'longtext', required: true },
        { key: 'internalNote', label: l('内部备注', 'Internal note'), type: 'text' },
      ],
    });
    const intake = {
      name: l('投诉建议', 'Complaints and suggestions'),
      form: { pack: 'service', key: 'complaint' },
      fields: ['contact', 'content'],
      ownerId: members.ops,
      ratePerHour: 3,
    };
    expect((await call('alice', 'PUT', '/api/integration/intakes/service.web', intake)).statusCode).toBe(403);
    const bad = await call('ops', 'PUT', '/api/integration/intakes/service.web', {
      ...intake,
      fields: ['contact', 'salary'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([expect.objectContaining({ path: 'fields.1', code: 'unknown_field' })]);
    const opened = await call('ops', 'PUT', '/api/integration/intakes/service.web', intake);
    expect(opened.statusCode, opened.body).toBe(200);

    const page = await server.inject({ method: 'GET', url: '/api/public/intake/service.web' });
    expect(page.statusCode).toBe(200);
    expect(page.json().fields.map((f: { key: string }) => f.key)).toEqual(['contact', 'content']);
    const submit = (payload: unknown, ip = '203.0.113.7') =>
      server.inject({
        method: 'POST',
        url: '/api/public/intake/service.web',
        payload: payload as object,
        remoteAddress: ip,
      });
    const filed = await submit({ values: { contact: '王先生 13800000000', content: '安装师傅迟到两小时' } });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().number).toMatch(/^TS\d{4}0001$/);
    const row = await database.db
      .selectFrom('f_service_complaint' as never)
      .select(['owner_id as ownerId', 'content', 'internal_note as internalNote'] as never)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ ownerId: members.ops, content: '安装师傅迟到两小时', internalNote: null });

    const smuggled = await submit({ values: { contact: 'x', content: 'y', internalNote: '已赔偿' } });
    expect(smuggled.statusCode).toBe(400);
    expect(smuggled.json().code).toBe('INTEGRATION_INTAKE_FIELD_REFUSED');
    // A robot fills the hidden field: answered as if accepted, nothing stored.
    expect((await submit({ values: { contact: 'bot', content: 'spam' }, website: 'http://spam' })).statusCode).toBe(
      202,
    );
    // Three per hour from one address: the next is refused; another address is not affected.
    const limited = await submit({ values: { contact: 'x', content: 'y' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('INTEGRATION_INTAKE_RATE_LIMITED');
    expect((await submit({ values: { contact: '李女士', content: '发票未收到' } }, '198.51.100.9')).statusCode).toBe(
      201,
    );
    expect(
      await database.db
        .selectFrom('f_service_complaint' as never)
        .select('id' as never)
        .execute(),
    ).toHaveLength(2);

    await call('ops', 'PUT', '/api/integration/intakes/service.web', { ...intake, enabled: false });
    expect((await server.inject({ method: 'GET', url: '/api/public/intake/service.web' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: '/api/public/intake/nothing.here' })).statusCode).toBe(404);
    expect((await submit({ values: { contact: 'x', content: 'y' } }, '192.0.2.1')).statusCode).toBe(404);
  });
});
