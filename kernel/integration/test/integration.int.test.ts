import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { outbox } from '@baton/db';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  allowHost,
  CONNECTOR_TOPIC,
  createWebhook,
  deliverConnectorCall,
  deliverWebhook,
  disallowHost,
  enqueueWebhookEvent,
  integrationMigrations,
  saveConnector,
  sendHttp,
  setWebhookEnabled,
  verifySignature,
  WEBHOOK_TOPIC,
} from '../src/index.ts';

// Outbound calls against a real HTTP server on loopback: refused (before any connection) until the host is
// allowed, then delivered with signatures and idempotency keys through the outbox, on SQLite or PostgreSQL.

type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

let database: TestDatabase;
let server: http.Server;
let port = 0;
const received: Received[] = [];
let connections = 0;
let answer = 200;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [integrationMigrations] });
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: String(req.method), url: String(req.url), headers: req.headers, body });
      if (req.url === '/big') {
        res.end('x'.repeat(2_000_000));
        return;
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      }
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.close();
  await database?.cleanup();
});

afterEach(async () => {
  received.length = 0;
  connections = 0;
  answer = 200;
  await database.db.deleteFrom('baton_integration_allowed_host').execute();
});

const ctx = () => testCtx(database.db, { clock: { now: () => new Date() } });

describe(`outbound HTTP (${testDialect})`, () => {
  it('refuses loopback, private, link-local and reserved targets before connecting', async () => {
    const targets = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://2130706433:${port}/`, // 127.0.0.1 as one number
      `http://0x7f.1:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.8/',
      'http://192.168.1.1/',
      'http://[fd00::1]/',
      'http://0.0.0.0/',
    ];
    for (const url of targets) {
      await expect(sendHttp(ctx(), { url }), url).rejects.toMatchObject({ code: 'INTEGRATION_HOST_REFUSED' });
    }
    expect(connections).toBe(0);
  });

  it('refuses other schemes and credentials in the URL', async () => {
    for (const url of [
      'file:///etc/passwd',
      'gopher://127.0.0.1/',
      'ftp://example.com/',
      'not a url',
      'http://u:p@example.com/',
    ]) {
      await expect(sendHttp(ctx(), { url }), url).rejects.toMatchObject({ code: 'INTEGRATION_URL_INVALID' });
    }
  });

  it('connects to a host an administrator allowed, without following redirects, within limits', async () => {
    await allowHost(ctx(), { host: '127.0.0.1', note: 'test receiver' });
    const res = await sendHttp(ctx(), { url: `http://127.0.0.1:${port}/hello`, method: 'POST', body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/hello', body: '{"a":1}' });
    const redirect = await sendHttp(ctx(), { url: `http://127.0.0.1:${port}/redirect` });
    expect(redirect.status).toBe(302);
    expect(received).toHaveLength(2);
    await expect(
      sendHttp(ctx(), { url: `http://127.0.0.1:${port}/big`, maxResponseBytes: 1000 }),
    ).rejects.toMatchObject({ code: 'INTEGRATION_HTTP_FAILED' });
    // "localhost" is another host: allowing the address does not allow the name.
    await expect(sendHttp(ctx(), { url: `http://localhost:${port}/` })).rejects.toMatchObject({
      code: 'INTEGRATION_HOST_REFUSED',
    });
    expect(await disallowHost(ctx(), { host: '127.0.0.1' })).toBe(true);
    await expect(sendHttp(ctx(), { url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      code: 'INTEGRATION_HOST_REFUSED',
    });
  });

  it('validates allow-list entries', async () => {
    for (const host of ['http://x', 'a b', '', 'x'.repeat(300), 'example.com/path']) {
      await expect(allowHost(ctx(), { host }), host).rejects.toMatchObject({ code: 'CORE_VALIDATION_FAILED' });
    }
    expect(await allowHost(ctx(), { host: '[FD00::1]' })).toEqual({ host: 'fd00::1' });
  });
});

describe(`webhooks (${testDialect})`, () => {
  it('queues one signed delivery per subscribed webhook, in the caller’s transaction, once per event', async () => {
    await allowHost(ctx(), { host: '127.0.0.1' });
    const hook = await createWebhook(ctx(), {
      name: '监控平台',
      url: `http://127.0.0.1:${port}/hook`,
      events: ['flow.approved'],
    });
    const other = await createWebhook(ctx(), { name: 'all', url: `http://127.0.0.1:${port}/all`, events: ['*'] });
    await setWebhookEnabled(ctx(), { id: other.id, enabled: false });
    const event = { id: 'evt-1', type: 'flow.approved', at: '2026-11-28T08:00:00.000Z', data: { instanceId: 'i1' } };
    // A rolled-back action queues nothing.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueWebhookEvent({ ...ctx(), db: trx }, event);
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(
      await database.db.selectFrom('baton_db_outbox').select('id').where('topic', '=', WEBHOOK_TOPIC).execute(),
    ).toHaveLength(0);
    expect(await enqueueWebhookEvent(ctx(), event)).toBe(1);
    expect(await enqueueWebhookEvent(ctx(), event)).toBe(0);
    expect(await enqueueWebhookEvent(ctx(), { ...event, id: 'evt-2', type: 'flow.rejected' })).toBe(0);

    const [message] = await outbox.claim(ctx(), { owner: 'w1', limit: 10, leaseMs: 60_000, topics: [WEBHOOK_TOPIC] });
    expect(message).toBeDefined();
    await deliverWebhook(message as NonNullable<typeof message>, ctx());
    expect(received).toHaveLength(1);
    const got = received[0] as Received;
    expect(got.headers['x-baton-delivery']).toBe(`webhook:${hook.id}:evt-1`);
    expect(got.headers['x-baton-event']).toBe('flow.approved');
    expect(JSON.parse(got.body)).toEqual(event);
    expect(verifySignature(hook.secret, got.body, String(got.headers['x-baton-signature']), new Date())).toBe(true);
    expect(verifySignature('whsec_wrong', got.body, String(got.headers['x-baton-signature']), new Date())).toBe(false);
    expect(verifySignature(hook.secret, `${got.body} `, String(got.headers['x-baton-signature']), new Date())).toBe(
      false,
    );
    // Replayed an hour later: refused by the receiver's time check.
    expect(
      verifySignature(
        hook.secret,
        got.body,
        String(got.headers['x-baton-signature']),
        new Date(Date.now() + 3_600_000),
      ),
    ).toBe(false);

    // A non-2xx answer fails the delivery so the outbox retries it.
    answer = 503;
    await expect(deliverWebhook(message as NonNullable<typeof message>, ctx())).rejects.toThrow(/503/);
  });

  it('refuses to subscribe a URL that is not http(s)', async () => {
    await expect(
      createWebhook(ctx(), { name: 'x', url: 'file:///etc/passwd', events: ['flow.approved'] }),
    ).rejects.toMatchObject({ code: 'INTEGRATION_URL_INVALID' });
    await expect(
      createWebhook(ctx(), { name: 'x', url: 'http://a.example', events: ['DROP TABLE'] }),
    ).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
    });
  });

  it('a webhook pointing inward fails delivery without connecting (it ends in the dead letters)', async () => {
    const hook = await createWebhook(ctx(), { name: 'inner', url: `http://127.0.0.1:${port}/x`, events: ['*'] });
    await enqueueWebhookEvent(ctx(), { id: 'evt-9', type: 'record.created', at: new Date().toISOString(), data: {} });
    const [message] = await outbox.claim(ctx(), { owner: 'w1', limit: 10, leaseMs: 60_000, topics: [WEBHOOK_TOPIC] });
    await expect(deliverWebhook(message as NonNullable<typeof message>, ctx())).rejects.toMatchObject({
      code: 'INTEGRATION_HOST_REFUSED',
    });
    expect(connections).toBe(0);
    expect(hook.url).toContain('127.0.0.1');
  });
});

describe(`connectors (${testDialect})`, () => {
  it('validate their configuration by kind and deliver calls with the idempotency key', async () => {
    await expect(saveConnector(ctx(), { name: 'erp.voucher', kind: 'jdbc', config: {} })).rejects.toMatchObject({
      code: 'INTEGRATION_CONNECTOR_KIND_UNKNOWN',
    });
    await expect(
      saveConnector(ctx(), { name: 'erp.voucher', kind: 'http', config: { url: 'ftp://x' } }),
    ).rejects.toMatchObject({ code: 'INTEGRATION_URL_INVALID' });
    await expect(
      saveConnector(ctx(), { name: 'erp.voucher', kind: 'http', config: { url: 'http://x', bogus: 1 } }),
    ).rejects.toMatchObject({ code: 'CORE_VALIDATION_FAILED' });
    await saveConnector(ctx(), {
      name: 'erp.voucher',
      kind: 'http',
      config: {
        url: `http://127.0.0.1:${port}/voucher`,
        headers: { 'X-Api-Key': 'k' },
        secret: 'connector-secret-123',
      },
    });
    await outbox.append(ctx(), {
      topic: CONNECTOR_TOPIC,
      key: 'rule:pay:1',
      payload: { connector: 'erp.voucher', body: { amountFen: 1_200_000, 摘要: '付款' } },
    });
    const [message] = await outbox.claim(ctx(), { owner: 'w1', limit: 10, leaseMs: 60_000, topics: [CONNECTOR_TOPIC] });
    // Not allowed yet: refused before connecting.
    await expect(deliverConnectorCall(message as NonNullable<typeof message>, ctx())).rejects.toMatchObject({
      code: 'INTEGRATION_HOST_REFUSED',
    });
    await allowHost(ctx(), { host: '127.0.0.1' });
    await deliverConnectorCall(message as NonNullable<typeof message>, ctx());
    const got = received[0] as Received;
    expect(got.headers['idempotency-key']).toBe('rule:pay:1');
    expect(got.headers['x-api-key']).toBe('k');
    expect(JSON.parse(got.body)).toEqual({ amountFen: 1_200_000, 摘要: '付款' });
    expect(
      verifySignature('connector-secret-123', got.body, String(got.headers['x-baton-signature']), new Date()),
    ).toBe(true);

    await saveConnector(ctx(), {
      name: 'erp.voucher',
      kind: 'http',
      config: { url: `http://127.0.0.1:${port}/v` },
      enabled: false,
    });
    await expect(deliverConnectorCall(message as NonNullable<typeof message>, ctx())).rejects.toMatchObject({
      code: 'INTEGRATION_CONNECTOR_UNKNOWN',
    });
  });
});
