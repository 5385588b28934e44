import type { AddressInfo } from 'node:net';
import type { FakeClock } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { outbox } from '@baton/db';
import {
  listMessages,
  MESSAGE_SEND_TOPIC,
  messageChannels,
  messageMigrations,
  messageOutboxHandlers,
  sendMessage,
  setPreferences,
} from '@baton/message';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from './fixtures/members.ts';

// E-mail through a real SMTP server on a random port: each member gets the template of their own
// language, the idempotency key travels in the headers, a member who switched e-mail off gets none,
// and an SMTP refusal retries the row without duplicating the in-app copy already delivered.

type Received = { from: string; to: string[]; raw: string };

let database: TestDatabase;
let ctx: DbCtx & { clock: FakeClock };
let people: Awaited<ReturnType<typeof seedMembers>>;
let server: SMTPServer;
let port = 0;
const received: Received[] = [];
let refuse = false;

function header(raw: string, name: string): string | undefined {
  const unfolded = raw.split('\r\n\r\n')[0]?.replace(/\r\n[ \t]+/g, ' ') ?? '';
  const line = unfolded.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** Decodes an RFC 2047 subject (nodemailer writes non-ASCII as =?UTF-8?B?…?= or =?UTF-8?Q?…?=). */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** The text/plain part, decoded (quoted-printable or base64). */
function textPart(raw: string): string {
  const match = raw.match(
    /Content-Type: text\/plain[^\r]*\r\nContent-Transfer-Encoding: ([\w-]+)\r\n\r\n([\s\S]*?)\r\n--/i,
  );
  if (!match) throw new Error(`no text part in\n${raw}`);
  const [, encoding, content = ''] = match;
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(content.replace(/\s/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() === 'quoted-printable') {
    const bytes = content
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return content;
}

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refuse) callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
  database = await createTestDatabase({ migrations: [orgMigrations, messageMigrations] });
  ctx = testCtx(database.db);
  people = await seedMembers(ctx, { withEmail: true });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await database?.cleanup();
});

function handler() {
  const channels = messageChannels({
    email: {
      smtpUrl: `smtp://127.0.0.1:${port}/?ignoreTLS=true`,
      from: '接力 <noreply@baton.test>',
      publicUrl: 'https://oa.example.com',
    },
  });
  const h = messageOutboxHandlers({ channels })[MESSAGE_SEND_TOPIC];
  if (!h) throw new Error('no handler');
  return h;
}

async function deliverOnce(owner: string) {
  const [message] = await outbox.claim(ctx, { owner, limit: 1, leaseMs: 60_000, topics: [MESSAGE_SEND_TOPIC] });
  if (!message) throw new Error('nothing due');
  await handler()(message, ctx);
  return message;
}

describe('e-mail channel', () => {
  it('sends each member the template of their language with the idempotency key', async () => {
    await sendMessage(ctx, {
      recipients: [people.zhang.id, people.alice.id],
      kind: 'flow.task',
      title: { zh: '请审批：采购申请', en: 'Please approve: purchase request' },
      body: { zh: '金额 12,000.00 元', en: 'Amount 12,000.00' },
      link: '/flows/instances/42',
      dedupeKey: 'purchase-42',
    });
    const message = await deliverOnce('w1');
    expect(await outbox.complete(ctx, { id: message.id, owner: 'w1' })).toBe(true);
    expect(received).toHaveLength(2);

    const zh = received.find((m) => m.to.includes('zhangsan@example.com'));
    const en = received.find((m) => m.to.includes('alice@example.com'));
    if (!zh || !en) throw new Error('a mail is missing');
    expect(zh.from).toBe('noreply@baton.test');
    expect(decodeWords(header(zh.raw, 'Subject') ?? '')).toBe('【接力】请审批：采购申请');
    expect(decodeWords(header(en.raw, 'Subject') ?? '')).toBe('[Baton] Please approve: purchase request');
    const zhText = textPart(zh.raw);
    expect(zhText).toContain('张三，您好：');
    expect(zhText).toContain('金额 12,000.00 元');
    expect(zhText).toContain('查看详情: https://oa.example.com/flows/instances/42');
    expect(zhText).not.toContain('Hello');
    const enText = textPart(en.raw);
    expect(enText).toContain('Hello Alice,');
    expect(enText).toContain('Open: https://oa.example.com/flows/instances/42');
    expect(enText).not.toContain('您好');
    expect(header(zh.raw, 'X-Baton-Idempotency-Key')).toBe('purchase-42');
    expect(header(zh.raw, 'Message-ID')).not.toBe(header(en.raw, 'Message-ID'));

    // Both members also got the in-app copy.
    expect((await listMessages(ctx, { memberId: people.alice.id })).items).toHaveLength(1);
  });

  it('respects a member who turned e-mail off for a kind', async () => {
    received.length = 0;
    await setPreferences(ctx, {
      memberId: people.alice.id,
      preferences: [{ kind: 'flow.urged', channel: 'email', enabled: false }],
    });
    await sendMessage(ctx, {
      recipients: [people.zhang.id, people.alice.id],
      kind: 'flow.urged',
      title: { zh: '催办', en: 'Reminder' },
    });
    const message = await deliverOnce('w2');
    await outbox.complete(ctx, { id: message.id, owner: 'w2' });
    expect(received.flatMap((m) => m.to)).toEqual(['zhangsan@example.com']);
    expect((await listMessages(ctx, { memberId: people.alice.id })).items).toHaveLength(2);
  });

  it('an SMTP refusal fails the row; the retry sends the mail and keeps one inbox row', async () => {
    received.length = 0;
    refuse = true;
    const { id } = await sendMessage(ctx, {
      recipients: [people.alice.id],
      kind: 'flow.approved',
      title: { zh: '已通过', en: 'Approved' },
    });
    const first = await outbox.claim(ctx, { owner: 'w3', limit: 1, leaseMs: 60_000 });
    await expect(handler()(first[0] as never, ctx)).rejects.toThrow(/email/);
    expect(await outbox.fail(ctx, { id, owner: 'w3', error: 'smtp refused' })).toBe('retry');
    refuse = false;
    ctx.clock.advance(10_000);
    const message = await deliverOnce('w4');
    expect(message).toMatchObject({ id, attempts: 2 });
    expect(await outbox.complete(ctx, { id, owner: 'w4' })).toBe(true);
    expect(received).toHaveLength(1);
    expect(decodeWords(header(received[0]?.raw ?? '', 'Subject') ?? '')).toBe('[Baton] Approved');
    const inbox = await listMessages(ctx, { memberId: people.alice.id });
    expect(inbox.items.filter((m) => m.title.en === 'Approved')).toHaveLength(1);
  });
});
