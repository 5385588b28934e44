import { describe, expect, it } from 'vitest';
import { build, slowRequests } from './helpers.ts';

describe('graceful close', () => {
  it('lets an in-flight request finish, then stops listening', async () => {
    const app = await build();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const before = slowRequests.started;
    const inFlight = fetch(`${base}/api/test/slow`);
    while (slowRequests.started === before) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = app.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
