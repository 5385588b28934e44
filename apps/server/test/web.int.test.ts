import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonServer } from '../src/index.ts';
import { build, makeWebRoot } from './helpers.ts';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('web build', () => {
  let app: BatonServer;
  beforeAll(async () => {
    app = await build({ webRoot: makeWebRoot() });
  });
  afterAll(() => app.close());

  it('serves index.html at / and revalidates it every time', async () => {
    const res = await app.inject({ url: '/', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('falls back to index.html for client-side routes', async () => {
    for (const url of ['/some/page', '/flow/tasks/0192?tab=history']) {
      const res = await app.inject({ url, headers: HTML });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year and other files not at all', async () => {
    const asset = await app.inject('/assets/index-3f9a1c.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('keeps misses that are not page navigations as problem 404s', async () => {
    for (const [url, headers] of [
      ['/assets/missing.js', {}],
      ['/assets/missing.js', HTML],
      ['/some/page', { accept: 'application/json' }],
      ['/api/nope', HTML],
      ['/healthz/x', HTML],
    ] as const) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('CORE_NOT_FOUND');
    }
    const post = await app.inject({ method: 'POST', url: '/some/page', headers: HTML });
    expect(post.statusCode).toBe(404);
  });

  it('never serves dotfiles nor lists directories', async () => {
    const dot = await app.inject('/.env');
    expect(dot.statusCode).toBe(404);
    expect(dot.body).not.toContain('SECRET');
    const dir = await app.inject('/assets/');
    expect(dir.statusCode).toBe(404);
    expect(dir.body).not.toContain('index-3f9a1c');
    const traversal = await app.inject('/assets/..%2f..%2fetc/passwd');
    expect(traversal.statusCode).toBeGreaterThanOrEqual(400);
    expect(traversal.body).not.toContain('root:');
  });
});

describe('without a web build', () => {
  it('answers / with a note, in HTML or JSON', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'baton-noweb-'));
    for (const webRoot of [undefined, empty]) {
      const app = await build({ webRoot });
      const html = await app.inject({ url: '/', headers: HTML });
      expect(html.statusCode).toBe(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.body).toContain('npm run build');
      const json = await app.inject('/');
      expect(json.json()).toMatchObject({ name: 'Baton', web: 'missing' });
      const page = await app.inject({ url: '/some/page', headers: HTML });
      expect(page.statusCode).toBe(404);
      await app.close();
    }
  });
});
