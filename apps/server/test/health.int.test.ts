import { silentLogger } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../src/index.ts';

describe('probes', () => {
  it('/healthz answers ok without running any check', async () => {
    let ran = false;
    const app = await buildServer({
      logger: silentLogger(),
      readiness: {
        database: async () => {
          ran = true;
          return { ok: false };
        },
      },
    });
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(ran).toBe(false);
    await app.close();
  });

  it('/readyz is ready when every check passes, with their details', async () => {
    const app = await buildServer({
      logger: silentLogger(),
      readiness: {
        database: async () => ({ ok: true, detail: { dialect: 'sqlite' } }),
        migrations: async () => ({ ok: true, detail: { pending: 0 } }),
      },
    });
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { database: { ok: true, dialect: 'sqlite' }, migrations: { ok: true, pending: 0 } },
    });
    await app.close();
  });

  it('/readyz is not_ready on a failing, a throwing and a hanging check', async () => {
    const app = await buildServer({
      logger: silentLogger(),
      readinessTimeoutMs: 50,
      readiness: {
        database: async () => ({ ok: true }),
        migrations: async () => ({ ok: false, detail: { pending: 3, ok: true } }),
        cache: async () => {
          throw new Error('ECONNREFUSED 10.0.0.5:6379');
        },
        mail: () => new Promise(() => {}),
      },
    });
    const started = Date.now();
    const res = await app.inject('/readyz');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not_ready',
      checks: {
        database: { ok: true },
        // a detail cannot override the verdict
        migrations: { ok: false, pending: 3 },
        cache: { ok: false, error: 'failed' },
        mail: { ok: false, error: 'timeout', timeoutMs: 50 },
      },
    });
    expect(res.body).not.toContain('10.0.0.5');
    await app.close();
  });
});
