import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CoreErrors, defineError, silentLogger } from '@baton/core';
import * as z from 'zod';
import { type BatonServer, buildServer, defineRoutes, type Gate, type ServerOptions } from '../src/index.ts';

export const quotaExceeded = defineError('TEST_SERVER_QUOTA_EXCEEDED', {
  status: 422,
  zh: '申请金额 {amount} 元超出剩余预算 {left} 元',
  en: 'Requested {amount} exceeds the remaining budget of {left}',
});

/** Counts /api/test/slow requests that reached their handler, so tests need not guess with sleeps. */
export const slowRequests = { started: 0 };

export const SECRET = 'password=hunter2 at db.internal:5432';

/** A stand-in engine exercising every error path of the shell. */
export const testRoutes = defineRoutes({
  name: 'test',
  prefix: '/test',
  register: async (app) => {
    app.get('/coded', { config: { policy: 'public' } }, async () => {
      throw quotaExceeded.create({ amount: '12,000.00', left: '8,000.00' });
    });
    app.get('/fields', { config: { policy: 'public' } }, async () => {
      throw CoreErrors.validation.create(
        {},
        {
          fields: [
            { path: ['items', 0, 'amount'], code: 'required' },
            { path: ['title'], code: 'title_taken', message: 'Title already used' },
          ],
        },
      );
    });
    app.get('/boom', { config: { policy: 'public' } }, async () => {
      throw new Error(`connect failed: ${SECRET}`);
    });
    app.post(
      '/items',
      {
        config: { policy: 'test.items.create' },
        schema: {
          body: z.strictObject({
            title: z.string().max(5),
            items: z.array(z.strictObject({ amount: z.number().int().positive() })).min(1),
          }),
          response: { 200: z.object({ total: z.number() }) },
        },
      },
      async (request) => ({ total: request.body.items.reduce((sum, item) => sum + item.amount, 0) }),
    );
    app.get(
      '/list',
      {
        config: { policy: 'test.items.read' },
        schema: { querystring: z.object({ limit: z.coerce.number().int().max(100) }) },
      },
      async (request) => ({ limit: request.query.limit }),
    );
    app.get('/slow', { config: { policy: 'public' } }, async () => {
      slowRequests.started += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { done: true };
    });
    app.get(
      '/bad-response',
      { config: { policy: 'public' }, schema: { response: { 200: z.object({ ok: z.boolean() }) } } },
      async () => ({ ok: 'yes' }) as unknown as { ok: boolean },
    );
  },
});

/** Lets every request through as one token-authenticated member: these suites test the shell, not access. */
export const openGate: Gate = {
  identify: async () => ({ memberId: 'member-1', via: 'token' }),
  checkCsrf: async () => {},
  allows: async () => true,
};

export function build(overrides: Partial<ServerOptions> = {}) {
  return buildServer({ logger: silentLogger(), readiness: {}, routes: [testRoutes], gate: openGate, ...overrides });
}

/** A fake Vite build: index.html, one hashed asset, one root file and a dotfile that must stay hidden. */
export function makeWebRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'baton-web-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  writeFileSync(path.join(root, 'assets', 'index-3f9a1c.js'), 'console.log("app");');
  writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(root, '.env'), 'SECRET=1');
  return root;
}

export const isId = (value: unknown) =>
  typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(value);

export type LogLine = { bindings: Record<string, unknown>; obj: unknown; msg?: string };

/** A silent logger that keeps what request loggers write at error level, to check what the server logs. */
export function capturingLogger() {
  const logger = silentLogger();
  const errors: LogLine[] = [];
  const child = logger.child.bind(logger);
  logger.child = ((bindings: Record<string, unknown>, options?: object) => {
    const c = child(bindings, options);
    c.error = ((obj: unknown, msg?: string) => {
      errors.push({ bindings, obj, msg });
    }) as typeof c.error;
    return c;
  }) as unknown as typeof logger.child;
  return { logger, errors };
}

/** A signed-in member's session cookie and CSRF token. */
export type Signed = { cookie: string; csrf: string };

/** Signs every login in through the real sign-in route, so tests exercise cookies and CSRF as browsers do. */
export async function signInAll(
  app: { inject: BatonServer['inject'] },
  logins: Iterable<string>,
  password: string,
): Promise<Record<string, Signed>> {
  const signed: Record<string, Signed> = {};
  for (const login of logins) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
    const session = res.cookies.find((c) => c.name === 'baton_session');
    const csrf = res.cookies.find((c) => c.name === 'baton_csrf');
    signed[login] = { cookie: `baton_session=${session?.value}`, csrf: String(csrf?.value) };
  }
  return signed;
}

/** One request as a signed-in member (cookie + CSRF header), answered in en-US unless told otherwise. */
export function requestAs(
  app: { inject: BatonServer['inject'] },
  who: Signed,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  locale: 'zh-CN' | 'en-US' = 'en-US',
) {
  return app.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'accept-language': locale },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}
