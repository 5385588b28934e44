import { createFakeClock, type FakeClock, systemActor } from '@baton/core';
import type { DbCtx } from '@baton/db';
import {
  approve,
  FLOW_DEADLINE_TOPIC,
  FLOW_REMINDER_TOPIC,
  type FlowDefinitionInput,
  type FlowEvent,
  flowMigrations,
  flowTimerHandlers,
  instanceHistory,
  listTasks,
  onFlowEvent,
  publishFlow,
  submit,
  terminate,
} from '@baton/flow';
import { type FormDefinitionInput, formMigrations, publishForm } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { type ClaimedTimer, getTimer, runDueTimers, scheduleMigrations } from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, caught, expenseForm, line, members } from './fixtures.ts';

const l = (zh: string, en: string) => ({ zh, en });
const form: FormDefinitionInput = {
  ...expenseForm,
  key: 'expenseDeadline',
  fields: [
    ...expenseForm.fields,
    {
      key: 'priority',
      label: l('紧急程度', 'Priority'),
      type: 'select',
      options: [
        { code: 'urgent', label: l('紧急', 'Urgent') },
        { code: 'normal', label: l('普通', 'Normal') },
      ],
    },
  ],
};

let database: TestDatabase;
let clock: FakeClock;
let ctx: DbCtx;
let m: Awaited<ReturnType<typeof buildOrg>>['m'];
const events: FlowEvent[] = [];
let unsubscribe: () => void;

// 2026-12-04 is a Friday; Asia/Shanghai is UTC+8, business hours 09:00–12:00 and 13:00–18:00.
const shanghai = (local: string) => new Date(`${local}+08:00`).toISOString();

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [scheduleMigrations, orgMigrations, formMigrations, flowMigrations],
  });
  clock = createFakeClock(shanghai('2026-12-04T08:00:00'));
  ctx = testCtx(database.db, { clock, actor: systemActor('test') });
  ({ m } = await buildOrg(ctx));
  await publishForm(ctx, form);
  unsubscribe = onFlowEvent((_ctx, event) => {
    events.push(event);
  });
});
afterAll(async () => {
  unsubscribe?.();
  await database?.cleanup();
});

const as = (memberId: string) => testCtx(database.db, { clock, actor: { kind: 'member', memberId } });
let counter = 0;

async function publishWith(
  deadline: Record<string, unknown>,
  assignees = members(m.devManager.id),
  extra: Record<string, unknown> = {},
) {
  const key = `dl${++counter}`;
  const def = line({ key: 'manager', kind: 'approval', assignees, deadline, ...extra });
  await publishFlow(ctx, {
    pack: 'finance',
    key,
    name: l('报销审批', 'Expense approval'),
    form: { pack: 'finance', key: 'expenseDeadline' },
    administrators: [m.admin.id],
    ...(def as Pick<FlowDefinitionInput, 'nodes' | 'edges'>),
  });
  return { pack: 'finance', key };
}

async function start(
  deadline: Record<string, unknown>,
  values: Record<string, unknown> = {},
  assignees?: ReturnType<typeof members>,
  extra?: Record<string, unknown>,
) {
  const flow = await publishWith(deadline, assignees, extra);
  const { instanceId } = await submit(as(m.dev1.id), { flow, values: { amount: 100, ...values } });
  return instanceId;
}

async function pendingOf(memberId: string, instanceId: string) {
  const { items } = await listTasks(as(memberId), { box: 'pending', limit: 200 });
  return items.filter((item) => item.instanceId === instanceId);
}

async function onlyTask(memberId: string, instanceId: string) {
  const [task] = await pendingOf(memberId, instanceId);
  if (!task) throw new Error(`no pending task for ${memberId}`);
  return task;
}

const runTimers = () => runDueTimers(ctx, { handlers: flowTimerHandlers, owner: 'test' });
const eventsOf = (type: string, taskId: string) => events.filter((e) => e.type === type && e.taskId === taskId);
const timerState = async (topic: string, taskId: string, what: string) =>
  (await getTimer(ctx, { topic, key: `task:${taskId}:${what}` }))?.state;

describe('flow deadlines', () => {
  it('refuses bad deadline options with their paths', async () => {
    const shape = await caught(publishWith({ after: {}, overdue: 'later' }));
    expect(shape.code).toBe('FLOW_DEFINITION_INVALID');
    expect(shape.paths).toEqual(expect.arrayContaining(['nodes.1.deadline.after', 'nodes.1.deadline.overdue']));
    const cross = await caught(
      publishWith({
        after: { hours: 8 },
        overdue: 'transfer',
        fromField: { field: 'priority', durations: { rush: { hours: 1 } } },
      }),
    );
    expect(cross.paths).toEqual(['nodes.1.deadline.transferTo', 'nodes.1.deadline.fromField.durations.rush']);
    const notChoice = await caught(publishWith({ after: { hours: 8 }, fromField: { field: 'reason', durations: {} } }));
    expect(notChoice.paths).toEqual(['nodes.1.deadline.fromField.field']);
  });

  it('counts business hours across a weekend, reminds before and marks the task overdue (notify)', async () => {
    clock.set(shanghai('2026-12-04T17:00:00'));
    const instanceId = await start({ after: { hours: 2 }, remindBefore: { minutes: 30 } });
    const task = await onlyTask(m.devManager.id, instanceId);
    // Friday 17:00–18:00, then Monday 09:00–10:00.
    expect(task.dueAt).toBe(shanghai('2026-12-07T10:00:00'));
    expect(task.overdueAt).toBeNull();
    clock.set(shanghai('2026-12-06T12:00:00'));
    await runTimers();
    expect(eventsOf('taskReminder', task.taskId)).toHaveLength(0);
    clock.set(shanghai('2026-12-07T09:30:00'));
    await runTimers();
    expect(eventsOf('taskReminder', task.taskId)).toHaveLength(1);
    expect(eventsOf('taskOverdue', task.taskId)).toHaveLength(0);
    clock.set(shanghai('2026-12-07T10:00:00'));
    await runTimers();
    const [overdue] = eventsOf('taskOverdue', task.taskId);
    expect(overdue?.detail).toMatchObject({ action: 'notify', assigneeId: m.devManager.id });
    const after = await onlyTask(m.devManager.id, instanceId);
    expect(after.overdueAt).toBe(shanghai('2026-12-07T10:00:00'));
    expect(await timerState(FLOW_DEADLINE_TOPIC, task.taskId, 'deadline')).toBe('done');
  });

  it('skips the lunch break; natural time and a priority field give other due times', async () => {
    clock.set(shanghai('2026-12-07T11:00:00'));
    const business = await onlyTask(m.devManager.id, await start({ after: { hours: 2 } }));
    expect(business.dueAt).toBe(shanghai('2026-12-07T14:00:00'));
    const natural = await onlyTask(m.devManager.id, await start({ after: { hours: 2 }, calendar: 'natural' }));
    expect(natural.dueAt).toBe(shanghai('2026-12-07T13:00:00'));
    const byPriority = { after: { days: 1 }, fromField: { field: 'priority', durations: { urgent: { hours: 1 } } } };
    const urgent = await onlyTask(m.devManager.id, await start(byPriority, { priority: 'urgent' }));
    expect(urgent.dueAt).toBe(shanghai('2026-12-07T12:00:00'));
    const normal = await onlyTask(m.devManager.id, await start(byPriority, { priority: 'normal' }));
    expect(normal.dueAt).toBe(shanghai('2026-12-08T11:00:00'));
  });

  it('acting before the deadline cancels both timers; nothing fires later', async () => {
    clock.set(shanghai('2026-12-08T09:00:00'));
    const instanceId = await start({ after: { hours: 1 }, remindBefore: { minutes: 10 }, overdue: 'autoApprove' });
    const task = await onlyTask(m.devManager.id, instanceId);
    expect(await timerState(FLOW_REMINDER_TOPIC, task.taskId, 'reminder')).toBe('pending');
    await approve(as(m.devManager.id), { taskId: task.taskId });
    expect(await timerState(FLOW_DEADLINE_TOPIC, task.taskId, 'deadline')).toBe('cancelled');
    expect(await timerState(FLOW_REMINDER_TOPIC, task.taskId, 'reminder')).toBe('cancelled');
    clock.set(shanghai('2026-12-08T11:00:00'));
    await runTimers();
    expect(eventsOf('taskReminder', task.taskId)).toHaveLength(0);
    expect(eventsOf('taskOverdue', task.taskId)).toHaveLength(0);
  });

  it('autoApprove approves as the system with an opinion', async () => {
    const instanceId = await start({ after: { minutes: 30 }, overdue: 'autoApprove' });
    const task = await onlyTask(m.devManager.id, instanceId);
    clock.advance(30 * 60_000);
    await runTimers();
    const history = await instanceHistory(ctx, { instanceId });
    expect(history.actions.at(-1)).toMatchObject({
      action: 'approve',
      actorId: 'system:flow.deadline',
      opinion: '超时自动通过',
      taskId: task.taskId,
    });
    const { items } = await listTasks(as(m.devManager.id), { box: 'done', limit: 200 });
    const done = items.find((item) => item.taskId === task.taskId);
    expect(done).toMatchObject({ outcome: 'approved', instanceState: 'approved' });
    expect(done?.overdueAt).not.toBeNull();
  });

  it('transfer hands the task to the resolved member, who gets a fresh deadline', async () => {
    clock.set(shanghai('2026-12-08T14:00:00'));
    const instanceId = await start({ after: { hours: 1 }, overdue: 'transfer', transferTo: members(m.acc1.id)[0] });
    const task = await onlyTask(m.devManager.id, instanceId);
    clock.set(shanghai('2026-12-08T15:00:00'));
    await runTimers();
    expect(await pendingOf(m.devManager.id, instanceId)).toHaveLength(0);
    const moved = await onlyTask(m.acc1.id, instanceId);
    expect(moved.dueAt).toBe(shanghai('2026-12-08T16:00:00'));
    expect(eventsOf('taskOverdue', task.taskId)[0]?.detail).toMatchObject({ action: 'transfer', to: m.acc1.id });
  });

  it("escalate hands the task to the assignee's head; without a head it only notifies", async () => {
    const instanceId = await start({ after: { hours: 1 }, overdue: 'escalate' }, {}, members(m.dev2.id));
    const task = await onlyTask(m.dev2.id, instanceId);
    clock.advance(60 * 60_000);
    await runTimers();
    expect(await pendingOf(m.dev2.id, instanceId)).toHaveLength(0);
    expect(await pendingOf(m.devManager.id, instanceId)).toHaveLength(1);
    expect(eventsOf('taskOverdue', task.taskId)[0]?.detail).toMatchObject({ action: 'escalate', to: m.devManager.id });

    const top = await start({ after: { hours: 1 }, overdue: 'escalate' }, {}, members(m.ceo.id));
    const ceoTask = await onlyTask(m.ceo.id, top);
    clock.advance(60 * 60_000);
    await runTimers();
    expect(eventsOf('taskOverdue', ceoTask.taskId)[0]?.detail).toMatchObject({ action: 'notify' });
    expect((await onlyTask(m.ceo.id, top)).overdueAt).not.toBeNull();
  });

  it('a sequential task is armed when its turn comes; terminating the request cancels its timers', async () => {
    const instanceId = await start(
      { after: { hours: 4 }, remindBefore: { hours: 1 } },
      {},
      members(m.devManager.id, m.cto.id),
      { mode: 'sequential' },
    );
    expect(await pendingOf(m.cto.id, instanceId)).toHaveLength(0);
    await approve(as(m.devManager.id), { taskId: (await onlyTask(m.devManager.id, instanceId)).taskId });
    const second = await onlyTask(m.cto.id, instanceId);
    expect(second.dueAt).not.toBeNull();
    expect(await timerState(FLOW_DEADLINE_TOPIC, second.taskId, 'deadline')).toBe('pending');
    await terminate(as(m.admin.id), { instanceId });
    expect(await timerState(FLOW_DEADLINE_TOPIC, second.taskId, 'deadline')).toBe('cancelled');
    expect(await timerState(FLOW_REMINDER_TOPIC, second.taskId, 'reminder')).toBe('cancelled');
  });

  it('a handler fired for a task that was already acted on changes nothing', async () => {
    const instanceId = await start({ after: { hours: 1 }, remindBefore: { minutes: 5 }, overdue: 'autoApprove' });
    const task = await onlyTask(m.devManager.id, instanceId);
    await approve(as(m.devManager.id), { taskId: task.taskId });
    const before = await instanceHistory(ctx, { instanceId });
    const seen = events.length;
    const timer = { payload: { taskId: task.taskId, instanceId }, key: `task:${task.taskId}:deadline` } as ClaimedTimer;
    for (const handler of Object.values(flowTimerHandlers)) await handler(ctx, timer);
    expect(events.length).toBe(seen);
    expect(await instanceHistory(ctx, { instanceId })).toEqual(before);
  });
});
