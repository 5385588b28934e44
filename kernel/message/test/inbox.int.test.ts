import type { FakeClock } from '@baton/core';
import { CoreErrors } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { outbox } from '@baton/db';
import {
  countUnread,
  createMessageBus,
  getPreferences,
  listDeadLetters,
  listMessages,
  MESSAGE_SEND_TOPIC,
  MessageErrors,
  markAllRead,
  markRead,
  messageChannels,
  messageMigrations,
  messageOutboxHandlers,
  retryDeadLetter,
  sendMessage,
  setPreferences,
  type UnreadEvent,
} from '@baton/message';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from './fixtures/members.ts';

// The inbox end to end on one database: sendMessage queues an outbox row in the caller's transaction,
// the handler fans it out per recipient, repeats change nothing, preferences switch channels off,
// reads and paging are per member, and dead rows can be listed and put back.

let database: TestDatabase;
let ctx: DbCtx & { clock: FakeClock };
let people: Awaited<ReturnType<typeof seedMembers>>;
const bus = createMessageBus();
const handler = messageOutboxHandlers({ channels: messageChannels(), bus })[MESSAGE_SEND_TOPIC];
const title = { zh: '请审批：请假单', en: 'Please approve: leave request' };

async function deliverDue(owner = 'test-worker') {
  const messages = await outbox.claim(ctx, { owner, limit: 50, leaseMs: 60_000, topics: [MESSAGE_SEND_TOPIC] });
  for (const message of messages) {
    await handler?.(message, ctx);
    await outbox.complete(ctx, { id: message.id, owner });
  }
  return messages;
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, messageMigrations] });
  ctx = testCtx(database.db);
  people = await seedMembers(ctx);
});

afterAll(async () => {
  await bus.close();
  await database?.cleanup();
});

describe('sending', () => {
  it('queues one outbox row and delivers one inbox row per recipient, pushing the unread count', async () => {
    const heard: UnreadEvent[] = [];
    const off = bus.subscribe(people.zhang.id, (event) => heard.push(event));
    const { id, created } = await sendMessage(ctx, {
      recipients: [people.zhang.id, people.alice.id, people.zhang.id],
      kind: 'flow.task',
      title,
      body: { zh: '张三提交了请假单', en: 'Zhang San filed a leave request' },
      link: '/flows/instances/1',
      dedupeKey: 'task-1',
    });
    expect(created).toBe(true);
    const again = await sendMessage(ctx, {
      recipients: [people.zhang.id],
      kind: 'flow.task',
      title,
      dedupeKey: 'task-1',
    });
    expect(again).toEqual({ id, created: false });

    const delivered = await deliverDue();
    expect(delivered.map((m) => m.id)).toEqual([id]);
    off();
    expect(heard).toEqual([{ memberId: people.zhang.id, unread: 1 }]);

    const inbox = await listMessages(ctx, { memberId: people.zhang.id });
    expect(inbox.items).toHaveLength(1);
    expect(inbox.items[0]).toMatchObject({
      kind: 'flow.task',
      title,
      body: { zh: '张三提交了请假单', en: 'Zhang San filed a leave request' },
      link: '/flows/instances/1',
      readAt: null,
    });
    expect(await countUnread(ctx, { memberId: people.alice.id })).toBe(1);
  });

  it('redelivering the same outbox row adds nothing', async () => {
    const { id } = await sendMessage(ctx, { recipients: [people.alice.id], kind: 'flow.urged', title });
    const [message] = await outbox.claim(ctx, { owner: 'a', limit: 10, leaseMs: 60_000 });
    expect(message?.id).toBe(id);
    if (!message) throw new Error('no message');
    await handler?.(message, ctx);
    await handler?.(message, ctx);
    const rows = await database.db
      .selectFrom('baton_message_item')
      .select('id')
      .where('sendKey', '=', message.key)
      .execute();
    expect(rows).toHaveLength(1);
    expect(await outbox.complete(ctx, { id, owner: 'a' })).toBe(true);
  });

  it('refuses bad input with a coded error and queues nothing', async () => {
    const before = await database.db.selectFrom('baton_db_outbox').select('id').execute();
    const bad = [
      { recipients: [], kind: 'flow.task', title },
      { recipients: [people.zhang.id], kind: 'Bad Kind', title },
      { recipients: [people.zhang.id], kind: 'flow.task', title: { zh: '只有中文' } },
      { recipients: [people.zhang.id], kind: 'flow.task', title, link: 'javascript:alert(1)' },
    ];
    for (const input of bad) {
      await expect(sendMessage(ctx, input as never)).rejects.toSatisfy((e) => CoreErrors.validation.is(e));
    }
    const after = await database.db.selectFrom('baton_db_outbox').select('id').execute();
    expect(after).toHaveLength(before.length);
  });
});

describe('reading', () => {
  it('pages newest first with a cursor and counts only unread', async () => {
    for (let i = 1; i <= 5; i += 1) {
      ctx.clock.advance(1000);
      await sendMessage(ctx, {
        recipients: [people.zhang.id],
        kind: 'flow.approved',
        title: { zh: `通知 ${i}`, en: `Notice ${i}` },
      });
    }
    await deliverDue();
    const first = await listMessages(ctx, { memberId: people.zhang.id, limit: 4 });
    expect(first.items.map((m) => m.title.en)).toEqual(['Notice 5', 'Notice 4', 'Notice 3', 'Notice 2']);
    expect(first.nextCursor).toBe(first.items[3]?.id);
    const second = await listMessages(ctx, { memberId: people.zhang.id, limit: 4, cursor: first.nextCursor ?? '' });
    expect(second.items.map((m) => m.title.en)).toEqual(['Notice 1', title.en]);
    expect(second.nextCursor).toBeNull();
    expect(await countUnread(ctx, { memberId: people.zhang.id })).toBe(6);

    const target = first.items[0];
    if (!target) throw new Error('no item');
    expect(await markRead(ctx, { memberId: people.zhang.id, id: target.id })).toEqual({ changed: true, unread: 5 });
    expect(await markRead(ctx, { memberId: people.zhang.id, id: target.id })).toEqual({ changed: false, unread: 5 });
    const unread = await listMessages(ctx, { memberId: people.zhang.id, unreadOnly: true });
    expect(unread.items.map((m) => m.id)).not.toContain(target.id);
  });

  it("treats another member's message as not found", async () => {
    const mine = await listMessages(ctx, { memberId: people.zhang.id, limit: 1 });
    const id = mine.items[0]?.id ?? '';
    await expect(markRead(ctx, { memberId: people.alice.id, id })).rejects.toSatisfy((e) =>
      MessageErrors.notFound.is(e),
    );
    const row = await database.db
      .selectFrom('baton_message_item')
      .select('readAt')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.readAt).not.toBeNull();
  });

  it('marks all read', async () => {
    expect(await markAllRead(ctx, { memberId: people.zhang.id })).toEqual({ updated: 5 });
    expect(await countUnread(ctx, { memberId: people.zhang.id })).toBe(0);
  });
});

describe('preferences', () => {
  it('a kind switched off in-app does not reach the inbox; the exact kind wins over *', async () => {
    await setPreferences(ctx, {
      memberId: people.alice.id,
      preferences: [
        { kind: '*', channel: 'inApp', enabled: false },
        { kind: 'flow.task', channel: 'inApp', enabled: true },
      ],
    });
    expect(await getPreferences(ctx, { memberId: people.alice.id })).toEqual([
      { kind: '*', channel: 'inApp', enabled: false },
      { kind: 'flow.task', channel: 'inApp', enabled: true },
    ]);
    const before = await countUnread(ctx, { memberId: people.alice.id });
    await sendMessage(ctx, { recipients: [people.alice.id], kind: 'flow.approved', title });
    await sendMessage(ctx, { recipients: [people.alice.id], kind: 'flow.task', title });
    await deliverDue();
    expect(await countUnread(ctx, { memberId: people.alice.id })).toBe(before + 1);
  });

  it('refuses unknown channels and repeated rules, keeping the old choice', async () => {
    for (const preferences of [
      [{ kind: '*', channel: 'pigeon', enabled: true }],
      [
        { kind: 'flow.task', channel: 'inApp', enabled: true },
        { kind: 'flow.task', channel: 'inApp', enabled: false },
      ],
    ]) {
      await expect(
        setPreferences(ctx, { memberId: people.alice.id, preferences: preferences as never }),
      ).rejects.toSatisfy((e) => CoreErrors.validation.is(e));
    }
    expect(await getPreferences(ctx, { memberId: people.alice.id })).toHaveLength(2);
  });
});

describe('dead letters', () => {
  it('lists dead rows and puts one back in the queue with fresh attempts', async () => {
    const { id } = await sendMessage(ctx, { recipients: [people.zhang.id], kind: 'flow.task', title });
    const [message] = await outbox.claim(ctx, { owner: 'b', limit: 1, leaseMs: 60_000 });
    expect(message?.id).toBe(id);
    expect(await outbox.fail(ctx, { id, owner: 'b', error: 'smtp down', maxAttempts: 1 })).toBe('dead');

    const dead = await listDeadLetters(ctx, {});
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0]).toMatchObject({ id, topic: MESSAGE_SEND_TOPIC, attempts: 1, lastError: 'smtp down' });
    expect(dead.items[0]?.payload).toMatchObject({ kind: 'flow.task', title });

    expect(await retryDeadLetter(ctx, { id })).toEqual({ id, topic: MESSAGE_SEND_TOPIC });
    expect((await listDeadLetters(ctx, {})).items).toHaveLength(0);
    await expect(retryDeadLetter(ctx, { id })).rejects.toSatisfy((e) => MessageErrors.deadLetterNotFound.is(e));
    const redelivered = await deliverDue();
    expect(redelivered.map((m) => m.id)).toEqual([id]);
    const row = await database.db
      .selectFrom('baton_db_outbox')
      .select(['status', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row).toEqual({ status: 'delivered', attempts: 1 });
  });
});
