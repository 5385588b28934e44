import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grantPermissions, setPassword } from '@baton/access';
import { newId, silentLogger } from '@baton/core';
import { publishFlow } from '@baton/flow';
import { type FormDefinitionInput, publishForm } from '@baton/form';
import { assignRole, createDepartment, createMember, createRole, createUnit } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createPlatformServer, platformMigrations } from '../src/platform.ts';

// The attack suite over the composed platform (every engine's routes behind the real access gate), on SQLite
// or PostgreSQL: the tricks that OA products are broken with in practice. Each case states what the attacker
// tries; the assertion is that it reaches no data and changes nothing.

const PASSWORD = 'Correct-Horse-42';
const PACK = 'sec';
const l = (zh: string, en: string) => ({ zh, en });

const expenseForm: FormDefinitionInput = {
  pack: PACK,
  key: 'expense',
  kind: 'flow',
  label: l('费用申请', 'Expense request'),
  fields: [
    { key: 'title', label: l('标题', 'Title'), type: 'text', required: true },
    { key: 'amount', label: l('金额', 'Amount'), type: 'money', required: true },
    { key: 'note', label: l('备注', 'Note'), type: 'longtext' },
  ],
};
const ledgerForm: FormDefinitionInput = {
  pack: PACK,
  key: 'ledger',
  kind: 'archive',
  label: l('台账', 'Ledger'),
  fields: [
    { key: 'title', label: l('标题', 'Title'), type: 'text', required: true },
    { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
  ],
};

let database: TestDatabase;
let server: Awaited<ReturnType<typeof createPlatformServer>>;
const members: Record<string, string> = {};
const signed: Record<string, { cookie: string; csrf: string }> = {};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...platformMigrations] });
  const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
  await publishForm(ctx, expenseForm);
  await publishForm(ctx, ledgerForm);
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const office = await createDepartment(ctx, { unitId: unit.id, name: '综合部', code: '10-00001' });
  const people = ['alice', 'bob', 'mallory'];
  for (const [n, login] of people.entries()) {
    const member = await createMember(ctx, { code: `S${n}`, name: login, login, mainDepartmentId: office.id });
    members[login] = member.id;
    await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
  }
  await publishFlow(ctx, {
    pack: PACK,
    key: 'expense',
    name: l('费用审批', 'Expense approval'),
    form: { pack: PACK, key: 'expense' },
    administrators: [members.bob as string],
    nodes: [
      { key: 'start', kind: 'start' },
      { key: 'check', kind: 'approval', assignees: [{ source: 'members', ids: [members.bob as string] }] },
      { key: 'end', kind: 'end' },
    ],
    edges: [
      { from: 'start', to: 'check' },
      { from: 'check', to: 'end' },
    ],
  });
  const config = loadConfig({ env: { BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')) }, cwd: tmpdir() });
  // Form and flow permissions are declared at start for published definitions, so the server comes up first.
  server = await createPlatformServer({ config, database, log: silentLogger() });
  await createRole(ctx, { code: 'filer', name: 'filer', kind: 'business' });
  await grantPermissions(ctx, {
    role: 'filer',
    permissions: [`flow.${PACK}.expense.start`, `form.${PACK}.ledger.create`, `form.${PACK}.expense.create`],
  });
  await assignRole(ctx, { role: 'filer', memberId: members.alice as string });
  await assignRole(ctx, { role: 'filer', memberId: members.mallory as string });
  for (const login of people) {
    const res = await server.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const session = res.cookies.find((c) => c.name === 'baton_session');
    const csrf = res.cookies.find((c) => c.name === 'baton_csrf');
    signed[login] = { cookie: `baton_session=${session?.value}`, csrf: String(csrf?.value) };
  }
});

afterAll(async () => {
  await server?.close();
  await database?.cleanup();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
function call(as: string, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const who = signed[as] as { cookie: string; csrf: string };
  return server.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'accept-language': 'en-US', ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/**
 * What an error body must never carry: stack frames, source paths, driver errors or connection strings. (An
 * error may quote the caller's own input back, such as an unknown field name, so SQL words alone prove nothing.)
 */
function expectNoLeak(body: string) {
  expect(body).not.toMatch(/\bat .+\(.*:\d+:\d+\)/);
  expect(body).not.toMatch(/\/(work|root|home|tmp)\/|node_modules|\.ts:\d+/);
  expect(body).not.toMatch(/syntax error|SQLITE_|postgres:\/\/|from "(baton|f)_|relation "|no such (table|column)/i);
}

const ledgerRows = () =>
  database.db
    .selectFrom('f_sec_ledger' as never)
    .selectAll()
    .execute();

describe('path tricks past the authentication filter', () => {
  // Each variant either does not match a protected route (404) or matches it and is asked to sign in (401);
  // none may answer 200 with data. Classic bypasses of servlet filters and reverse proxies.
  const targets = ['/api/org/members', '/api/forms', '/api/tasks', '/api/audit'];
  const variants = (p: string) => {
    const tail = p.slice('/api/'.length);
    return [
      p,
      `/api/..;/api/${tail}`,
      `/api/meta/..;/${tail}`,
      `/api/meta/../${tail}`,
      `/api/%2e%2e/api/${tail}`,
      `/api/meta/%2e%2e/${tail}`,
      `/api/meta/..%2f${tail}`,
      `/api/meta/%252e%252e/${tail}`,
      `//api/${tail}`,
      `/api//${tail}`,
      `/API/${tail}`,
      `/api/${tail.toUpperCase()}`,
      `${p}.`,
      `${p}/`,
      `${p}%00`,
      `${p};jsessionid=x`,
      `${p}%00.js`,
      `/healthz/../api/${tail}`,
      `/api/auth/login/../../api/${tail}`,
      `/assets/..%2f..%2fapi/${tail}`,
      `/api/docs/../${tail}`,
      `/api/docs/static/..%2f..%2f${tail}`,
    ];
  };
  it('never answers a protected route anonymously, however the path is spelled', async () => {
    for (const target of targets) {
      for (const url of variants(target)) {
        const res = await server.inject({ method: 'GET', url });
        expect([400, 401, 404], `${url} → ${res.statusCode}`).toContain(res.statusCode);
        expect(res.body, url).not.toMatch(/"items"|"members"|"forms"|"entries"/);
        expectNoLeak(res.body);
      }
    }
  });

  it('ignores headers that proxies use to rewrite the path', async () => {
    for (const header of ['x-original-url', 'x-rewrite-url', 'x-forwarded-prefix', 'x-forwarded-uri']) {
      const res = await server.inject({ method: 'GET', url: '/api/meta', headers: { [header]: '/api/org/members' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('"items"');
      const protectedRes = await server.inject({
        method: 'GET',
        url: '/api/org/members',
        headers: { [header]: '/api/meta' },
      });
      expect(protectedRes.statusCode, header).toBe(401);
    }
  });

  it('does not serve files outside the web root or dotfiles through the SPA fallback', async () => {
    for (const url of [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/.env',
      '/assets/../../.git/config',
    ]) {
      const res = await server.inject({ method: 'GET', url });
      expect(res.body, url).not.toMatch(/"workspaces"|root:x:0|\[core\]|SECRET=/);
    }
  });
});

describe('sessions and CSRF', () => {
  it('refuses a cookie-session write without the CSRF token, and with another member’s token', async () => {
    const alice = signed.alice as { cookie: string; csrf: string };
    const mallory = signed.mallory as { cookie: string; csrf: string };
    const body = { values: { title: 'csrf', amount: 100 } };
    const url = `/api/forms/${PACK}/ledger/records`;
    const before = (await ledgerRows()).length;
    for (const headers of [
      { cookie: alice.cookie },
      { cookie: alice.cookie, 'x-csrf-token': mallory.csrf },
      { cookie: alice.cookie, 'x-csrf-token': '' },
      { cookie: `${alice.cookie}; baton_csrf=forged`, 'x-csrf-token': 'forged' },
    ]) {
      const res = await server.inject({ method: 'POST', url, headers, payload: body });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expectNoLeak(res.body);
    }
    expect((await ledgerRows()).length).toBe(before);
  });

  it('issues a new session id at sign-in, so a planted cookie is never adopted (fixation)', async () => {
    const planted = 'baton_session=planted-session-id-000000000000000000000';
    const res = await server.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: planted },
      payload: { login: 'alice', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const issued = res.cookies.find((c) => c.name === 'baton_session');
    expect(issued?.value).toBeTruthy();
    expect(issued?.value).not.toBe('planted-session-id-000000000000000000000');
    expect(issued?.httpOnly).toBe(true);
    const still = await server.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: planted } });
    expect(still.statusCode).toBe(401);
  });

  it('rejects a tampered session value', async () => {
    const alice = signed.alice as { cookie: string };
    const value = alice.cookie.split('=')[1] as string;
    const flipped = value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');
    const res = await server.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: `baton_session=${flipped}` },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('mass assignment and prototype pollution', () => {
  it('refuses system and prototype keys in record writes and stores nothing', async () => {
    const url = `/api/forms/${PACK}/ledger/records`;
    const before = (await ledgerRows()).length;
    const payloads = [
      { values: { title: 'x' }, id: newId() },
      { values: { title: 'x' }, state: 'approved' },
      { values: { title: 'x', id: newId() } },
      { values: { title: 'x', version: 99 } },
      { values: { title: 'x', state: 'approved' } },
      { values: { title: 'x', createdBy: members.bob } },
      { values: { title: 'x', owner_id: members.bob } },
      { values: { title: 'x', flowInstanceId: newId() } },
      JSON.parse('{"values":{"title":"x","__proto__":{"polluted":true}}}'),
      JSON.parse('{"values":{"title":"x"},"__proto__":{"polluted":true}}'),
      JSON.parse('{"values":{"title":"x","constructor":{"prototype":{"polluted":true}}}}'),
    ];
    for (const payload of payloads) {
      const res = await server.inject({
        method: 'POST',
        url,
        headers: {
          cookie: (signed.alice as { cookie: string }).cookie,
          'x-csrf-token': (signed.alice as { csrf: string }).csrf,
          'content-type': 'application/json',
        },
        payload: JSON.stringify(payload),
      });
      expect([400, 422], `${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      expectNoLeak(res.body);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await ledgerRows()).length).toBe(before);
  });

  it('refuses assignee and state keys smuggled into a flow submit', async () => {
    const url = `/api/flows/${PACK}/expense/instances`;
    for (const extra of [
      { assignee: members.mallory },
      { state: 'approved' },
      { initiatorId: members.bob },
      { version: 1 },
    ]) {
      const res = await call('mallory', 'POST', url, {
        values: { title: 'pay me', amount: 100 },
        clientActionId: `mass-${newId()}`,
        ...extra,
      });
      expect(res.statusCode, `${JSON.stringify(extra)} → ${res.body}`).toBe(400);
    }
    const instances = await database.db.selectFrom('baton_flow_instance').select('id').execute();
    expect(instances).toHaveLength(0);
  });
});

describe('IDOR: a member reaches nothing that is not theirs by guessing ids', () => {
  it('hides another member’s record, instance, task and attachment behind 404', async () => {
    const created = await call('alice', 'POST', `/api/forms/${PACK}/ledger/records`, {
      values: { title: 'alice', amount: 500 },
    });
    expect(created.statusCode, created.body).toBeLessThan(300);
    const recordId = created.json().id as string;
    const filed = await call('alice', 'POST', `/api/flows/${PACK}/expense/instances`, {
      values: { title: 'trip', amount: 12_000 },
      clientActionId: `idor-${newId()}`,
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const instanceId = filed.json().instanceId as string;
    const task = await database.db
      .selectFrom('baton_flow_task')
      .select('id')
      .where('instanceId', '=', instanceId)
      .executeTakeFirstOrThrow();

    const reads: [Method, string, unknown?][] = [
      ['GET', `/api/forms/${PACK}/ledger/records/${recordId}`],
      ['PATCH', `/api/forms/${PACK}/ledger/records/${recordId}`, { version: 1, values: { title: 'mine now' } }],
      ['POST', `/api/forms/${PACK}/ledger/records/${recordId}/void`, { version: 1 }],
      ['GET', `/api/instances/${instanceId}`],
      ['POST', `/api/instances/${instanceId}/withdraw`, { clientActionId: 'w1' }],
      ['POST', `/api/instances/${instanceId}/urge`, { clientActionId: 'u1' }],
      ['POST', `/api/instances/${instanceId}/comment`, { clientActionId: 'c1', opinion: 'hi' }],
      ['POST', `/api/tasks/${task.id}/approve`, { clientActionId: 'a1' }],
      ['POST', `/api/tasks/${task.id}/transfer`, { clientActionId: 't1', to: members.mallory }],
      ['POST', `/api/tasks/${task.id}/read`, {}],
    ];
    for (const [method, url, payload] of reads) {
      const res = await call('mallory', method, url, payload);
      expect([403, 404], `${method} ${url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      expect(res.body).not.toContain('trip');
      expect(res.body).not.toContain('"alice"');
    }
    const record = await call('alice', 'GET', `/api/forms/${PACK}/ledger/records/${recordId}`);
    expect(record.json()).toMatchObject({ version: 1, values: { title: 'alice' } });
    const instance = await database.db
      .selectFrom('baton_flow_instance')
      .select(['state'])
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(instance.state).toBe('running');
    const actions = await database.db
      .selectFrom('baton_flow_action')
      .select('actorId')
      .where('instanceId', '=', instanceId)
      .execute();
    expect(actions.every((a) => a.actorId !== members.mallory)).toBe(true);
    const list = await call('mallory', 'POST', `/api/forms/${PACK}/ledger/records/query`, {});
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(recordId);
  });

  it('refuses malformed ids before any query', async () => {
    for (const id of ["' or '1'='1", '1;drop table baton_flow_instance', '..%2f..%2fetc%2fpasswd', 'x'.repeat(500)]) {
      const res = await call('mallory', 'GET', `/api/instances/${encodeURIComponent(id)}`);
      // 414: the server refuses an over-long URL before routing it.
      expect([400, 404, 414], id).toContain(res.statusCode);
      expectNoLeak(res.body);
      const file = await call('mallory', 'GET', `/api/attachments/${encodeURIComponent(id)}`);
      expect([400, 404, 414], id).toContain(file.statusCode);
      expectNoLeak(file.body);
    }
    expect(await database.db.selectFrom('baton_flow_instance').select('id').execute()).not.toHaveLength(0);
  });
});

describe('SQL through filters, sorts and identifiers', () => {
  const payloads = [
    "' or 1=1 --",
    "'; drop table f_sec_ledger; --",
    'title) or (1=1',
    '"title"; delete from baton_access_session; --',
    '1 union select password_hash from baton_access_password',
    '\\',
    '%',
    '_',
  ];

  it('treats filter values as values and refuses unknown fields and sorts with a coded error', async () => {
    const url = `/api/forms/${PACK}/ledger/records/query`;
    for (const value of payloads) {
      const res = await call('alice', 'POST', url, { filters: [{ field: 'title', op: 'contains', value }] });
      expect(res.statusCode, `${value} → ${res.body}`).toBe(200);
      expect(res.json().records).toEqual([]);
      const eq = await call('alice', 'POST', url, { filters: [{ field: 'title', op: 'eq', value }] });
      expect(eq.statusCode).toBe(200);
      expect(eq.json().records).toEqual([]);
      for (const body of [
        { filters: [{ field: value.slice(0, 40), op: 'eq', value: 1 }] },
        { sorts: [{ field: value.slice(0, 40), dir: 'asc' }] },
      ]) {
        const bad = await call('alice', 'POST', url, body);
        expect([400, 422], `${JSON.stringify(body)} → ${bad.statusCode}`).toContain(bad.statusCode);
        expect(bad.json().code).toMatch(/^[A-Z]+_[A-Z_]+$/);
        expectNoLeak(bad.body);
      }
    }
    // The table and the sessions survived.
    expect((await ledgerRows()).length).toBeGreaterThan(0);
    expect((await call('alice', 'GET', '/api/auth/session')).statusCode).toBe(200);
  });

  it('refuses hostile identifiers in form definitions with coded errors by path', async () => {
    const designerless = await call('alice', 'POST', '/api/forms', { ...ledgerForm, key: 'x' });
    expect(designerless.statusCode).toBe(403);
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    const hostile = [
      'a; drop table baton_access_member',
      'select',
      'order',
      'x'.repeat(1000),
      'ｔitle',
      'tіtle', // a Cyrillic і
      '__proto__',
      'constructor',
      'a-b',
      'A"B',
      '',
    ];
    for (const key of hostile) {
      await expect(publishForm(ctx, { ...ledgerForm, key }), `form key ${key}`).rejects.toMatchObject({
        code: expect.stringMatching(/^FORM_/),
      });
      await expect(
        publishForm(ctx, {
          ...ledgerForm,
          key: 'hostile',
          fields: [{ key, label: l('x', 'x'), type: 'text' }],
        }),
        `field key ${key}`,
      ).rejects.toMatchObject({ code: expect.stringMatching(/^FORM_/) });
    }
    const tables = await database.db.introspection.getTables();
    expect(tables.some((t) => t.name.includes('hostile'))).toBe(false);
  });
});

describe('errors', () => {
  it('never carry stack traces, paths or SQL, whatever the input', async () => {
    const probes: [Method, string, string | undefined][] = [
      ['POST', `/api/forms/${PACK}/ledger/records`, '{"values":'],
      ['POST', `/api/forms/${PACK}/ledger/records`, '[]'],
      ['POST', `/api/forms/${PACK}/ledger/records/query`, JSON.stringify({ limit: 10_000 })],
      ['GET', `/api/forms/${PACK}/nothing/records`, undefined],
      ['GET', `/api/forms/${'a'.repeat(300)}/b/records`, undefined],
      ['POST', '/api/flows', '{"nodes":[{"kind":"__proto__"}]}'],
    ];
    for (const [method, url, payload] of probes) {
      const res = await server.inject({
        method,
        url,
        headers: {
          cookie: (signed.alice as { cookie: string }).cookie,
          'x-csrf-token': (signed.alice as { csrf: string }).csrf,
          'content-type': 'application/json',
        },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expectNoLeak(res.body);
    }
  });
});
