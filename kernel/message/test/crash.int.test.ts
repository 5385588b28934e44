import type { AddressInfo } from 'node:net';
import { messageMigrations, sendMessage } from '@baton/message';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedMembers } from './fixtures/members.ts';
import type { WorkerChildInput, WorkerChildOutput } from './fixtures/worker-child.ts';

// A worker process is SIGKILLed after it delivered a message but before it marked the outbox row
// delivered. Once the lease runs out a restarted worker gets the same row with the same key; the
// delivery records make the repeat a no-op: one inbox row, one mail, and the row ends delivered.

const script = new URL('./fixtures/worker-child.ts', import.meta.url);
const START = '2026-03-02T01:00:00.000Z';
const LEASE_MS = 60_000;

let database: TestDatabase;
let server: SMTPServer;
let smtpPort = 0;
const mails: { to: string[]; raw: string }[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (server.server.address() as AddressInfo).port;
  database = await createTestDatabase({ migrations: [orgMigrations, messageMigrations] });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await database?.cleanup();
});

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('redelivers after a crash between claim and complete, and the inbox gets exactly one row', async () => {
  const ctx = testCtx(database.db);
  const { zhang } = await seedMembers(ctx, { withEmail: true });
  const { id } = await sendMessage(ctx, {
    recipients: [zhang.id],
    kind: 'flow.task',
    title: { zh: '请审批', en: 'Please approve' },
    dedupeKey: 'crash-1',
  });
  const outboxRow = () =>
    database.db
      .selectFrom('baton_db_outbox')
      .select(['key', 'status', 'attempts', 'leaseOwner'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const inboxRows = () =>
    database.db
      .selectFrom('baton_message_item')
      .select(['id', 'sendKey'])
      .where('recipientId', '=', zhang.id)
      .execute();

  const crashing = await database.spawnChild<WorkerChildOutput>(script, {
    now: START,
    owner: 'worker-crash',
    leaseMs: LEASE_MS,
    smtpPort,
    hangBeforeComplete: true,
  } satisfies WorkerChildInput);
  const outcome = crashing.go().then(
    () => 'finished',
    (error: Error) => error.message,
  );
  // The handler has finished once both channels recorded their delivery; only `complete` is left.
  const deliveries = () =>
    database.db.selectFrom('baton_message_delivery').select('channel').where('sendKey', '=', 'crash-1').execute();
  await until(async () => (await deliveries()).length === 2, 'the first delivery');
  expect(await inboxRows()).toHaveLength(1);
  expect(mails).toHaveLength(1);
  crashing.kill();
  expect(await outcome).toMatch(/SIGKILL/);

  const afterCrash = await outboxRow();
  expect(afterCrash).toEqual({
    key: 'message.send:crash-1',
    status: 'pending',
    attempts: 1,
    leaseOwner: 'worker-crash',
  });

  // Before the lease expires nobody else may take the row.
  const early = await database.spawnChild<WorkerChildOutput>(script, {
    now: new Date(Date.parse(START) + LEASE_MS - 1_000).toISOString(),
    owner: 'worker-early',
    leaseMs: LEASE_MS,
    smtpPort,
    hangBeforeComplete: false,
  } satisfies WorkerChildInput);
  await expect(early.go()).rejects.toThrow(/nothing to deliver/);

  const restarted = await database.spawnChild<WorkerChildOutput>(script, {
    now: new Date(Date.parse(START) + LEASE_MS + 1_000).toISOString(),
    owner: 'worker-restarted',
    leaseMs: LEASE_MS,
    smtpPort,
    hangBeforeComplete: false,
  } satisfies WorkerChildInput);
  expect(await restarted.go()).toEqual({ id, key: 'message.send:crash-1', attempts: 2, completed: true });

  expect(await outboxRow()).toMatchObject({ status: 'delivered', attempts: 2 });
  const rows = await inboxRows();
  expect(rows).toHaveLength(1);
  expect(rows[0]?.sendKey).toBe('crash-1');
  expect(mails).toHaveLength(1);
  expect(mails[0]?.to).toEqual(['zhangsan@example.com']);
  expect(mails[0]?.raw).toMatch(/X-Baton-Idempotency-Key: crash-1/i);
});
