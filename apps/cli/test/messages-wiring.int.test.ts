import { createFakeClock } from '@baton/core';
import { type DbCtx, outbox } from '@baton/db';
import { approve, flowMigrations, publishFlow, reject, submit, urge } from '@baton/flow';
import { formMigrations, publishForm } from '@baton/form';
import { listMessages, MESSAGE_SEND_TOPIC, messageMigrations } from '@baton/message';
import { createDepartment, createMember, createUnit, orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageDeliverers, wireMessageEvents } from '../src/wiring/messages.ts';

// Flow events become notices in the action's transaction: the assignee hears of a new task and of an
// urge, the initiator of the outcome; each notice is queued once per task or instance.

const l = (zh: string, en: string) => ({ zh, en });
const clock = createFakeClock();
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [orgMigrations, formMigrations, flowMigrations, messageMigrations],
  });
});
afterAll(async () => {
  await database?.cleanup();
});

it('notifies the assignee of tasks and urges, and the initiator of approval and rejection', async () => {
  const ctx = testCtx(database.db, { clock });
  wireMessageEvents();
  const handler = messageDeliverers({})[MESSAGE_SEND_TOPIC];
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const dept = await createDepartment(ctx, { unitId: unit.id, name: '综合部', code: '10-00001' });
  const alice = await createMember(ctx, { code: 'E1', name: '爱丽丝', login: 'alice', mainDepartmentId: dept.id });
  const bob = await createMember(ctx, { code: 'E2', name: '鲍勃', login: 'bobby', mainDepartmentId: dept.id });
  await publishForm(ctx, {
    pack: 'hr',
    key: 'leave',
    kind: 'flow',
    label: l('请假单', 'Leave request'),
    fields: [{ key: 'reason', label: l('事由', 'Reason'), type: 'text' }],
  });
  const flow = { pack: 'hr', key: 'leave' };
  await publishFlow(ctx, {
    ...flow,
    name: l('请假审批', 'Leave approval'),
    form: flow,
    administrators: [alice.id],
    nodes: [
      { key: 'start', kind: 'start' },
      { key: 'manager', kind: 'approval', assignees: [{ source: 'members', ids: [bob.id] }] },
      { key: 'end', kind: 'end' },
    ],
    edges: [
      { from: 'start', to: 'manager' },
      { from: 'manager', to: 'end' },
    ],
  });
  const as = (memberId: string): DbCtx => testCtx(database.db, { clock, actor: { kind: 'member', memberId } });
  const deliver = async () => {
    const due = await outbox.claim(ctx, { owner: 'w', limit: 50, leaseMs: 60_000, topics: [MESSAGE_SEND_TOPIC] });
    for (const message of due) {
      await handler?.(message, ctx);
      await outbox.complete(ctx, { id: message.id, owner: 'w' });
    }
  };
  const taskOf = async (instanceId: string) =>
    (
      await database.db
        .selectFrom('baton_flow_task')
        .select('id')
        .where('instanceId', '=', instanceId)
        .executeTakeFirstOrThrow()
    ).id;

  const first = await submit(as(alice.id), { flow, values: { reason: '看病' } });
  clock.advance(1_000);
  await urge(as(alice.id), { instanceId: first.instanceId });
  await approve(as(bob.id), { taskId: await taskOf(first.instanceId) });
  const second = await submit(as(alice.id), { flow, values: { reason: '旅游' } });
  await reject(as(bob.id), { taskId: await taskOf(second.instanceId), opinion: '不批' });
  await deliver();

  const bobs = (await listMessages(ctx, { memberId: bob.id })).items;
  expect(bobs.map((m) => m.kind)).toEqual(['flow.task', 'flow.urged', 'flow.task']);
  expect(bobs[2]?.link).toBe(`/work/instances/${first.instanceId}?task=${await taskOf(first.instanceId)}`);
  expect(bobs[2]?.title.zh).toMatch(/^待办：/);
  const alices = (await listMessages(ctx, { memberId: alice.id })).items;
  expect(alices.map((m) => [m.kind, m.link])).toEqual([
    ['flow.rejected', `/work/instances/${second.instanceId}`],
    ['flow.approved', `/work/instances/${first.instanceId}`],
  ]);
  expect(alices[0]?.title.en).toMatch(/^Rejected: /);
  const keys = await database.db
    .selectFrom('baton_db_outbox')
    .select('key')
    .where('status', '=', 'delivered')
    .execute();
  expect(keys).toHaveLength(5);
});
