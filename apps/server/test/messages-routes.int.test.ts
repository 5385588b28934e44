import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessMigrations } from '@baton/access';
import { outbox } from '@baton/db';
import {
  createMessageBus,
  MESSAGE_SEND_TOPIC,
  type MessageBus,
  messageChannels,
  messageMigrations,
  messageOutboxHandlers,
  sendMessage,
} from '@baton/message';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, messagesRoutes } from '../src/index.ts';
import { PASSWORD, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// The messages API with real sign-ins, and the unread badge over SSE across two server processes'
// worth of servers joined by Redis pub/sub (REDIS_URL, default 127.0.0.1:6379): a message delivered
// through server A's bus reaches a stream held open on server B, heartbeats flow, and a closed
// stream unsubscribes.

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// A channel of our own, so parallel suites on the same Redis never hear each other.
const CHANNEL = `baton:test:messages:${randomBytes(6).toString('hex')}`;

let database: TestDatabase;
let busA: MessageBus;
let busB: MessageBus;
let appA: BatonServer;
let appB: BatonServer;
let portB = 0;
let members: Record<string, string> = {};
let signed: Record<string, Signed> = {};
let streamsOpen = 0;

/** Counts live subscriptions on B, so the test can see a closed stream let go of the bus. */
function counting(bus: MessageBus): MessageBus {
  return {
    ...bus,
    subscribe(memberId, listener) {
      streamsOpen += 1;
      const off = bus.subscribe(memberId, listener);
      return () => {
        streamsOpen -= 1;
        off();
      };
    },
  };
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations, messageMigrations] });
  const ctx = seedCtx(database.db);
  const office = await seedDepartment(ctx, { name: '综合部', code: '10-00001' });
  await seedRoles(ctx, { opsAdmin: ['message.admin'] });
  members = await seedMembers(ctx, [
    ['alice', office.id],
    ['bob', office.id],
    ['admin', office.id, 'opsAdmin'],
  ]);

  busA = createMessageBus({ redisUrl: REDIS_URL, channel: CHANNEL });
  busB = createMessageBus({ redisUrl: REDIS_URL, channel: CHANNEL });
  await Promise.all([busA.ready(), busB.ready()]);
  const build = (bus: MessageBus) =>
    serverWith(database.db, [messagesRoutes({ db: database.db, bus, heartbeatMs: 100 })]);
  appA = await build(busA);
  appB = await build(counting(busB));
  await appB.listen({ port: 0, host: '127.0.0.1' });
  portB = (appB.server.address() as AddressInfo).port;
  signed = await signInAll(appA, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  await appA?.close();
  await appB?.close();
  await busA?.close();
  await busB?.close();
  await database?.cleanup();
});

const call = (as: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  requestAs(appA, signed[as] as Signed, method, url, payload);

/** Delivers every due message.send row as server A's embedded worker would, publishing on A's bus. */
async function deliverThroughA() {
  const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
  const handler = messageOutboxHandlers({ channels: messageChannels(), bus: busA })[MESSAGE_SEND_TOPIC];
  const due = await outbox.claim(ctx, { owner: 'a', limit: 50, leaseMs: 60_000, topics: [MESSAGE_SEND_TOPIC] });
  for (const message of due) {
    await handler?.(message, ctx);
    await outbox.complete(ctx, { id: message.id, owner: 'a' });
  }
  return due.length;
}

async function queue(to: string, en: string) {
  const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
  await sendMessage(ctx, { recipients: [to], kind: 'flow.task', title: { zh: `中文 ${en}`, en } });
}

/** A real HTTP client reading server B's stream; `events` collects parsed `unread` events and pings. */
function openStream(as: string) {
  const who = signed[as] as Signed;
  const events: { unread?: number; ping?: true }[] = [];
  let status = 0;
  let contentType = '';
  let request: http.ClientRequest | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    request = http.get(
      { host: '127.0.0.1', port: portB, path: '/api/messages/stream', headers: { cookie: who.cookie } },
      (res) => {
        status = res.statusCode ?? 0;
        contentType = String(res.headers['content-type']);
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith(': ping')) events.push({ ping: true });
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (block.includes('event: unread') && data) events.push(JSON.parse(data.slice(6)));
            end = buffer.indexOf('\n\n');
          }
        });
        resolve();
      },
    );
    request.on('error', reject);
  });
  const unread = () => events.filter((e) => e.unread !== undefined).map((e) => e.unread);
  return {
    opened,
    events,
    unread,
    status: () => status,
    contentType: () => contentType,
    close: () => request?.destroy(),
    async waitFor(check: () => boolean, what: string) {
      const deadline = Date.now() + 10_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

describe('messages API', () => {
  it('refuses anonymous callers and non-administrators', async () => {
    expect((await appA.inject({ method: 'GET', url: '/api/messages' })).statusCode).toBe(401);
    expect((await appA.inject({ method: 'GET', url: '/api/messages/stream' })).statusCode).toBe(401);
    const res = await call('alice', 'GET', '/api/messages/dead-letters');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CORE_FORBIDDEN');
  });

  it('pushes the unread count from server A to a stream on server B through Redis', async () => {
    const stream = openStream('alice');
    await stream.opened;
    expect(stream.status()).toBe(200);
    expect(stream.contentType()).toMatch(/^text\/event-stream/);
    await stream.waitFor(() => stream.unread().length === 1, 'the count on connect');
    expect(stream.unread()).toEqual([0]);
    expect(streamsOpen).toBe(1);

    await queue(members.alice as string, 'First');
    await queue(members.bob as string, 'For Bob');
    expect(await deliverThroughA()).toBe(2);
    await stream.waitFor(() => stream.unread().length === 2, 'the count after delivery');
    expect(stream.unread()).toEqual([0, 1]);

    const list = await call('alice', 'GET', '/api/messages?limit=10');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as { id: string; title: { en: string } }[];
    expect(items.map((i) => i.title.en)).toEqual(['First']);
    const read = await call('alice', 'POST', `/api/messages/${items[0]?.id}/read`);
    expect(read.json()).toEqual({ changed: true, unread: 0 });
    await stream.waitFor(() => stream.unread().length === 3, 'the count after reading');
    expect(stream.unread()).toEqual([0, 1, 0]);
    await stream.waitFor(() => stream.events.some((e) => e.ping), 'a heartbeat');

    stream.close();
    const deadline = Date.now() + 5_000;
    while (streamsOpen > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(streamsOpen).toBe(0);
  });

  it("does not let a member read another's message", async () => {
    const bobs = await appA.inject({
      method: 'GET',
      url: '/api/messages',
      headers: { cookie: signed.bob?.cookie ?? '' },
    });
    const id = (bobs.json().items as { id: string }[])[0]?.id;
    const res = await call('alice', 'POST', `/api/messages/${id}/read`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('MESSAGE_NOT_FOUND');
    expect((await call('bob', 'GET', '/api/messages/unread-count')).json()).toEqual({ unread: 1 });
    expect((await call('bob', 'POST', '/api/messages/read-all')).json()).toEqual({ updated: 1, unread: 0 });
  });

  it('keeps preferences per member and refuses unknown channels', async () => {
    const saved = await call('alice', 'PUT', '/api/messages/preferences', {
      preferences: [{ kind: 'flow.urged', channel: 'email', enabled: false }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({
      channels: ['inApp', 'email'],
      preferences: [{ kind: 'flow.urged', channel: 'email', enabled: false }],
    });
    const bad = await call('alice', 'PUT', '/api/messages/preferences', {
      preferences: [{ kind: '*', channel: 'pigeon', enabled: true }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('CORE_VALIDATION_FAILED');
    expect((await call('alice', 'GET', '/api/messages/preferences')).json().preferences).toHaveLength(1);
    expect((await call('bob', 'GET', '/api/messages/preferences')).json().preferences).toEqual([]);
  });

  it('shows dead letters to administrators and audits a retry', async () => {
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    const { id } = await sendMessage(ctx, {
      recipients: [members.alice as string],
      kind: 'flow.task',
      title: { zh: '死信', en: 'Dead' },
    });
    await outbox.claim(ctx, { owner: 'x', limit: 10, leaseMs: 60_000, topics: [MESSAGE_SEND_TOPIC] });
    expect(await outbox.fail(ctx, { id, owner: 'x', error: 'boom', maxAttempts: 1 })).toBe('dead');

    const listed = await call('admin', 'GET', '/api/messages/dead-letters');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ id, topic: MESSAGE_SEND_TOPIC, attempts: 1, lastError: 'boom' }),
    ]);
    expect((await call('alice', 'POST', `/api/messages/dead-letters/${id}/retry`)).statusCode).toBe(403);
    const retried = await call('admin', 'POST', `/api/messages/dead-letters/${id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toEqual({ id, topic: MESSAGE_SEND_TOPIC });
    const again = await call('admin', 'POST', `/api/messages/dead-letters/${id}/retry`);
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('MESSAGE_DEAD_LETTER_NOT_FOUND');
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['action', 'targetId'])
      .where('action', '=', 'message.deadLetter.retry')
      .execute();
    expect(audit).toEqual([{ action: 'message.deadLetter.retry', targetId: id }]);
    expect(await deliverThroughA()).toBe(1);
  });
});
