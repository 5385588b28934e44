import { defineError, silentLogger } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { buildServer, type Caller, defineRoutes, type Gate } from '../src/index.ts';

const csrfFailed = defineError('TEST_GATE_CSRF_FAILED', { status: 403, zh: '请求校验失败', en: 'CSRF check failed' });

const guarded = defineRoutes({
  name: 'guarded',
  prefix: '/guarded',
  register: async (app) => {
    app.get('/open', { config: { policy: 'public' } }, async (request) => ({ caller: request.caller ?? null }));
    app.get('/me', { config: { policy: 'authenticated' } }, async (request) => ({ caller: request.caller }));
    app.get('/report', { config: { policy: 'report.view' } }, async () => ({ ok: true }));
    app.post('/report', { config: { policy: 'report.edit' } }, async () => ({ ok: true }));
  },
});

/** Callers by the `x-test-caller` header: `session:<id>`, `token:<id>`, `reset:<id>`. */
function fakeGate(permissions: Record<string, string[]>): Gate {
  return {
    identify: async (request) => {
      const header = request.headers['x-test-caller'];
      if (typeof header !== 'string') return null;
      const [via, memberId = ''] = header.split(':');
      const caller: Caller = {
        memberId,
        via: via === 'token' ? 'token' : 'session',
        locale: memberId === 'english' ? 'en-US' : 'zh-CN',
      };
      if (via === 'reset') caller.mustChangePassword = true;
      return caller;
    },
    checkCsrf: async (request) => {
      if (request.headers['x-csrf-token'] !== 'good') throw csrfFailed.create();
    },
    allows: async (caller, permission) => (permissions[caller.memberId] ?? []).includes(permission),
  };
}

const build = (gate?: Gate) =>
  buildServer({ logger: silentLogger(), readiness: {}, routes: [guarded], ...(gate ? { gate } : {}) });

describe('route policies', () => {
  it('denies every non-public route when no gate is configured', async () => {
    const app = await build();
    expect((await app.inject({ url: '/api/guarded/open' })).statusCode).toBe(200);
    const res = await app.inject({ url: '/api/guarded/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CORE_UNAUTHENTICATED');
    expect((await app.inject({ url: '/api/guarded/report' })).statusCode).toBe(401);
    await app.close();
  });

  it('asks for sign-in, then checks the permission', async () => {
    const app = await build(fakeGate({ alice: ['report.view'], bob: ['report.view', 'report.edit'] }));
    expect((await app.inject({ url: '/api/guarded/report' })).statusCode).toBe(401);
    const alice = { 'x-test-caller': 'token:alice' };
    expect((await app.inject({ url: '/api/guarded/report', headers: alice })).statusCode).toBe(200);
    const denied = await app.inject({ method: 'POST', url: '/api/guarded/report', headers: alice });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('CORE_FORBIDDEN');
    const bob = { 'x-test-caller': 'token:bob' };
    expect((await app.inject({ method: 'POST', url: '/api/guarded/report', headers: bob })).statusCode).toBe(200);
    const me = await app.inject({ url: '/api/guarded/me', headers: { 'x-test-caller': 'token:carol' } });
    expect(me.json().caller).toMatchObject({ memberId: 'carol', via: 'token' });
    await app.close();
  });

  it('requires the CSRF token on cookie-session writes only', async () => {
    const app = await build(fakeGate({ bob: ['report.edit', 'report.view'] }));
    const session = { 'x-test-caller': 'session:bob' };
    const missing = await app.inject({ method: 'POST', url: '/api/guarded/report', headers: session });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('TEST_GATE_CSRF_FAILED');
    const withToken = { ...session, 'x-csrf-token': 'good' };
    expect((await app.inject({ method: 'POST', url: '/api/guarded/report', headers: withToken })).statusCode).toBe(200);
    // reads need no CSRF token; API tokens are not cookies, so they need none either
    expect((await app.inject({ url: '/api/guarded/report', headers: session })).statusCode).toBe(200);
    const token = { 'x-test-caller': 'token:bob' };
    expect((await app.inject({ method: 'POST', url: '/api/guarded/report', headers: token })).statusCode).toBe(200);
    await app.close();
  });

  it("answers in the member's own language once known", async () => {
    const app = await build(fakeGate({}));
    const res = await app.inject({
      url: '/api/guarded/report',
      headers: { 'x-test-caller': 'token:english', 'accept-language': 'zh-CN' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('You are not allowed to do this');
    await app.close();
  });

  it('keeps a member who must change the password to authenticated routes', async () => {
    const app = await build(fakeGate({ dora: ['report.view'] }));
    const reset = { 'x-test-caller': 'reset:dora' };
    expect((await app.inject({ url: '/api/guarded/me', headers: reset })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/guarded/report', headers: reset })).statusCode).toBe(403);
    await app.close();
  });
});
