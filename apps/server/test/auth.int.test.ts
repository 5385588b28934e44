import { accessMigrations, grantPermissions, setPassword } from '@baton/access';
import { silentLogger } from '@baton/core';
import {
  assignRole,
  createDepartment,
  createMember,
  createRole,
  createUnit,
  orgMigrations,
  updateMember,
} from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGate, auditRoutes, authRoutes, type BatonServer, buildServer } from '../src/index.ts';

const PASSWORD = 'Correct-Horse-42';
let database: TestDatabase;
let app: BatonServer;
const logins = { clerk: 'clerk', auditor: 'auditor', english: 'english', locked: 'locked', integrator: 'integrator' };

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations] });
  const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const department = await createDepartment(ctx, { unitId: unit.id, name: '行政部', code: '10-00001' });
  await createRole(ctx, { code: 'auditor', name: '审计员', kind: 'business' });
  await grantPermissions(ctx, { role: 'auditor', permissions: ['audit.read', 'access.apiToken.write'] });
  let n = 0;
  for (const login of Object.values(logins)) {
    n += 1;
    const member = await createMember(ctx, {
      code: `E${n}`,
      name: `成员${n}`,
      login,
      mainDepartmentId: department.id,
    });
    await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
    if (login === 'auditor' || login === 'integrator') await assignRole(ctx, { role: 'auditor', memberId: member.id });
    if (login === 'english') await updateMember(ctx, { id: member.id, version: member.version, locale: 'en-US' });
  }
  app = await buildServer({
    logger: silentLogger(),
    readiness: {},
    gate: accessGate(database.db),
    routes: [authRoutes({ db: database.db }), auditRoutes({ db: database.db })],
  });
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

type Signed = { cookie: string; csrf: string; session: string };

async function signIn(login: string, extra: Record<string, string> = {}): Promise<Signed> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login, password: PASSWORD },
    headers: extra,
  });
  expect(res.statusCode, res.body).toBe(200);
  const session = res.cookies.find((c) => c.name === 'baton_session');
  const csrf = res.cookies.find((c) => c.name === 'baton_csrf');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
  expect(csrf?.httpOnly).toBeFalsy();
  expect(res.json().csrfToken).toBe(csrf?.value);
  return { cookie: `baton_session=${session?.value}`, csrf: String(csrf?.value), session: String(session?.value) };
}

describe('sign-in over HTTP', () => {
  it('gives the same coded error for an unknown login and a wrong password', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'nobody', password: 'x' },
    });
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'clerk', password: 'wrong' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().code).toBe('ACCESS_BAD_CREDENTIALS');
    expect(wrong.json().code).toBe('ACCESS_BAD_CREDENTIALS');
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('rejects unknown body keys and keeps the password out of the response', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'clerk', password: PASSWORD, role: 'admin' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain(PASSWORD);
  });

  it('issues a new session at sign-in, whatever token the browser carried (fixation)', async () => {
    const first = await signIn('clerk');
    const second = await signIn('clerk', { cookie: first.cookie });
    expect(second.session).not.toBe(first.session);
    // the planted or previous token is ended by the new sign-in
    expect((await app.inject({ url: '/api/auth/session', headers: { cookie: first.cookie } })).statusCode).toBe(401);
    const me = await app.inject({ url: '/api/auth/session', headers: { cookie: second.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().member.login).toBe('clerk');
    expect(JSON.stringify(me.json())).not.toMatch(/hash|"password"|credential/i);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const signed = await signIn('clerk');
    const missing = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: signed.cookie } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('ACCESS_CSRF_INVALID');
    const forged = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: signed.cookie, 'x-csrf-token': 'A'.repeat(43) },
    });
    expect(forged.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: signed.cookie, 'x-csrf-token': signed.csrf },
    });
    expect(ok.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/session', headers: { cookie: signed.cookie } })).statusCode).toBe(401);
  });

  it('locks a login after repeated failures, even for the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: 'locked', password: 'nope' },
      });
      statuses.push(res.statusCode);
    }
    // four plain refusals, then the fifth failure locks the login
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'locked', password: PASSWORD },
    });
    expect(res.statusCode).toBe(423);
    expect(res.json().code).toBe('ACCESS_ACCOUNT_LOCKED');
  });

  it("answers in the member's language once signed in", async () => {
    const signed = await signIn('english');
    const res = await app.inject({ url: '/api/audit', headers: { cookie: signed.cookie, 'accept-language': 'zh-CN' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('You are not allowed to do this');
    const anonymous = await app.inject({ url: '/api/audit', headers: { 'accept-language': 'zh-CN' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().detail).toBe('请先登录');
  });

  it('shows the audit log only to holders of audit.read, with the sign-ins in it', async () => {
    const clerk = await signIn('clerk');
    expect((await app.inject({ url: '/api/audit', headers: { cookie: clerk.cookie } })).statusCode).toBe(403);
    const auditor = await signIn('auditor');
    const res = await app.inject({ url: '/api/audit?action=auth.*&limit=100', headers: { cookie: auditor.cookie } });
    expect(res.statusCode).toBe(200);
    const actions = (res.json().items as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toContain('auth.signIn');
    expect(actions).toContain('auth.signInFailed');
  });

  it('confines an API token to its scopes, without cookies or CSRF', async () => {
    const signed = await signIn('integrator');
    const created = await app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: { cookie: signed.cookie, 'x-csrf-token': signed.csrf },
      payload: { name: 'monitoring', scopes: ['audit.read'] },
    });
    expect(created.statusCode, created.body).toBe(200);
    const token = created.json().token as string;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/audit', headers: bearer })).statusCode).toBe(200);
    const outOfScope = await app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: bearer,
      payload: { name: 'escalate', scopes: ['audit.read'] },
    });
    expect(outOfScope.statusCode).toBe(403);
    const bogus = await app.inject({ url: '/api/audit', headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } });
    expect(bogus.statusCode).toBe(401);
    // someone else cannot revoke it by id
    const clerk = await signIn('clerk');
    const steal = await app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${created.json().apiToken.id}`,
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf },
    });
    expect(steal.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/audit', headers: bearer })).statusCode).toBe(200);
  });
});
