import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonServer } from '../src/index.ts';
import { build, makeWebRoot } from './helpers.ts';

describe('security headers', () => {
  let app: BatonServer;
  beforeAll(async () => {
    app = await build({ webRoot: makeWebRoot(), trustProxy: true });
  });
  afterAll(() => app.close());

  it('sends a strict CSP and the usual hardening headers on pages, API and errors', async () => {
    for (const url of ['/', '/api/meta', '/api/nope', '/healthz']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends HSTS only over https', async () => {
    const plain = await app.inject('/api/meta');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const proxied = await app.inject({ url: '/api/meta', headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('ignores X-Forwarded-Proto unless the proxy is trusted', async () => {
    const direct = await build();
    const res = await direct.inject({ url: '/api/meta', headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers['strict-transport-security']).toBeUndefined();
    await direct.close();
  });

  it('gives the API docs their own policy, with assets served locally', async () => {
    const page = await app.inject('/api/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/api/docs/static/swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    for (const asset of [
      'swagger-ui-bundle.js',
      'swagger-ui-standalone-preset.js',
      'swagger-ui.css',
      'swagger-initializer.js',
    ]) {
      const res = await app.inject(`/api/docs/static/${asset}`);
      expect(res.statusCode, asset).toBe(200);
    }
  });
});

describe('request ids', () => {
  it('are server-made UUIDv7s, echoed in x-request-id; a client id is ignored', async () => {
    const app = await build();
    const res = await app.inject({ url: '/api/meta', headers: { 'x-request-id': 'forged' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    await app.close();
  });
});
