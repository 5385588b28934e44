import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newId, silentLogger } from '@baton/core';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createPlatformServer, platformMigrations } from '../src/platform.ts';

/** The only routes anyone may call without signing in. Adding one is a security decision: review it. */
// 'GET /' is the web app's index (or the note that it is not built).
// The public intake routes serve customers' web and WeChat forms (catalog P-105): rate-limited, owner-stamped.
const PUBLIC_ROUTES = new Set([
  'GET /',
  'GET /healthz',
  'GET /readyz',
  'GET /api/meta',
  'POST /api/auth/login',
  'GET /api/public/intake/:key',
  'POST /api/public/intake/:key',
]);
const SHELL_PUBLIC = (url: string) => url === '/*' || url === '/api/docs' || url.startsWith('/api/docs/');

let database: TestDatabase;
let server: Awaited<ReturnType<typeof createPlatformServer>>;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...platformMigrations] });
  const config = loadConfig({ env: { BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')) }, cwd: tmpdir() });
  server = await createPlatformServer({ config, database, log: silentLogger() });
});

afterAll(async () => {
  await server?.close();
  await database?.cleanup();
});

describe('the composed platform', () => {
  it('declares a policy on every route, and only the allow-listed ones are public', () => {
    const routes = server.listRoutes();
    expect(routes.length).toBeGreaterThan(10);
    const publicOnes = routes
      .filter((r) => r.policy === 'public' && r.method !== 'HEAD' && !SHELL_PUBLIC(r.url))
      .map((r) => `${r.method} ${r.url}`);
    expect(publicOnes.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers every non-public route with 401 problem+json to an anonymous caller, touching nothing', async () => {
    const routes = server.listRoutes().filter((r) => r.policy !== 'public');
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, newId());
      const res = await server.inject({
        method: route.method as 'GET',
        url,
        ...(route.method === 'GET' || route.method === 'HEAD' || route.method === 'DELETE' ? {} : { payload: {} }),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      if (route.method !== 'HEAD') {
        expect(res.headers['content-type'], `${route.method} ${route.url}`).toContain('application/problem+json');
        expect(res.json().code).toBe('CORE_UNAUTHENTICATED');
      }
    }
  });

  it('refuses forged session cookies and bearer tokens the same way', async () => {
    for (const headers of [
      { cookie: 'baton_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      { cookie: "baton_session=' or 1=1 --" },
      { authorization: 'Bearer bt_forged' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
    ]) {
      const res = await server.inject({ url: '/api/auth/session', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
    }
  });
});
