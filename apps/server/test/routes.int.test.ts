import { silentLogger } from '@baton/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildServer, defineRoutes, type RoutePlugin } from '../src/index.ts';
import { build } from './helpers.ts';

describe('/api/meta and OpenAPI', () => {
  it('describes the server', async () => {
    const app = await build({ version: '1.2.3' });
    const res = await app.inject('/api/meta');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'Baton',
      version: '1.2.3',
      locales: ['zh-CN', 'en-US'],
      defaultLocale: 'zh-CN',
    });
    await app.close();
  });

  it('publishes an OpenAPI 3.1 document with the real routes and schemas', async () => {
    const app = await build({ version: '1.2.3' });
    const res = await app.inject('/api/docs/openapi.json');
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info).toMatchObject({ title: 'Baton API', version: '1.2.3' });
    expect(spec.paths['/api/meta'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty(
      'defaultLocale',
    );
    expect(spec.paths['/api/test/items'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'items',
    );
    expect(Object.keys(spec.paths).some((p) => p.startsWith('/api/docs'))).toBe(false);
    expect((await app.inject('/api/docs/json')).statusCode).toBe(200);
    await app.close();
  });
});

describe('route policy', () => {
  it('lists every route with its policy', async () => {
    const app = await build();
    const routes = app.listRoutes();
    const find = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.policy;
    expect(find('GET', '/healthz')).toBe('public');
    expect(find('GET', '/readyz')).toBe('public');
    expect(find('GET', '/api/meta')).toBe('public');
    expect(find('GET', '/api/docs')).toBe('public');
    expect(find('GET', '/api/docs/openapi.json')).toBe('public');
    expect(find('POST', '/api/test/items')).toBe('test.items.create');
    expect(find('GET', '/api/test/list')).toBe('test.items.read');
    expect(routes.every((r) => typeof r.policy === 'string' && r.policy.length > 0)).toBe(true);
    await app.close();
  });

  it('refuses to build when a route declares no policy', async () => {
    const careless = defineRoutes({
      name: 'careless',
      prefix: '/careless',
      register: async (app) => {
        app.get('/ok', { config: { policy: 'public' } }, async () => ({}));
        app.post('/forgot', { schema: { body: z.object({ a: z.string() }) } }, async () => ({}));
      },
    });
    await expect(buildServer({ logger: silentLogger(), readiness: {}, routes: [careless] })).rejects.toThrow(
      /POST \/api\/careless\/forgot declares no valid config\.policy/,
    );
  });

  it('refuses a policy that is neither public nor a permission', async () => {
    const typo = defineRoutes({
      name: 'typo',
      prefix: '/typo',
      register: async (app) => {
        app.get('/x', { config: { policy: 'pubilc' as 'public' } }, async () => ({}));
      },
    });
    await expect(buildServer({ logger: silentLogger(), readiness: {}, routes: [typo] })).rejects.toThrow(
      /\/api\/typo\/x/,
    );
  });

  it('checks plugin names and prefixes', async () => {
    const register: RoutePlugin['register'] = async () => {};
    expect(() => defineRoutes({ name: 'Flow', prefix: '/flow', register })).toThrow(/lower-kebab/);
    expect(() => defineRoutes({ name: 'flow', prefix: 'flow', register })).toThrow(/prefix/);
    expect(() => defineRoutes({ name: 'flow', prefix: '/docs', register })).toThrow(/belongs to the server/);
    await expect(
      buildServer({
        logger: silentLogger(),
        readiness: {},
        routes: [
          { name: 'a', prefix: '/x', register },
          { name: 'b', prefix: '/x', register },
        ],
      }),
    ).rejects.toThrow(/used twice/);
  });
});
