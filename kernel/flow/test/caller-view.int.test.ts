import { createFakeClock, type FakeClock, systemActor } from '@baton/core';
import type { DbCtx } from '@baton/db';
import {
  approve,
  assigneeChoices,
  callerView,
  countTasks,
  type FlowDefinitionInput,
  flowMigrations,
  listTasks,
  loadFlow,
  publishFlow,
  returnTask,
  saveDraft,
  submit,
  urge,
} from '@baton/flow';
import { formMigrations, publishForm } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { scheduleMigrations } from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, caught, expenseForm, members } from './fixtures.ts';

const l = (zh: string, en: string) => ({ zh, en });

let database: TestDatabase;
let clock: FakeClock;
let ctx: DbCtx;
let m: Awaited<ReturnType<typeof buildOrg>>['m'];
const as = (memberId: string) => testCtx(database.db, { clock, actor: { kind: 'member', memberId } });

// start → manager (head, edits invoiceNo, hides reviewer, one-hour deadline) → condition → finance (picked by
// the manager) → notify → cfo (picked by the initiator) → end
const flow = { pack: 'finance', key: 'callerView' };
const definition = (notified: string): FlowDefinitionInput => ({
  ...flow,
  name: l('报销审批', 'Expense approval'),
  form: { pack: 'finance', key: 'expense' },
  terminatePolicy: 'initiatorOrAdministrator',
  nodes: [
    { key: 'start', kind: 'start', fieldAccess: { managerOpinion: 'hidden' } },
    {
      key: 'manager',
      kind: 'approval',
      name: l('经理审批', 'Manager'),
      assignees: [{ source: 'relative', relation: 'head' }],
      fieldAccess: { invoiceNo: 'required', reviewer: 'hidden' },
      opinionField: 'managerOpinion',
      deadline: { after: { hours: 1 }, calendar: 'natural' },
    },
    { key: 'route', kind: 'condition' },
    { key: 'finance', kind: 'approval', name: l('财务审批', 'Finance'), assignees: [{ source: 'chosenByPrevious' }] },
    { key: 'cc', kind: 'notify', assignees: members(notified) },
    { key: 'cfo', kind: 'approval', name: l('财务总监', 'CFO'), assignees: [{ source: 'chosenByInitiator' }] },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'manager' },
    { from: 'manager', to: 'route' },
    { from: 'route', to: 'finance', condition: 'amount > 0' },
    { from: 'route', to: 'cc', else: true },
    { from: 'finance', to: 'cc' },
    { from: 'cc', to: 'cfo' },
    { from: 'cfo', to: 'end' },
  ],
});

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [scheduleMigrations, orgMigrations, formMigrations, flowMigrations],
  });
  clock = createFakeClock('2026-12-04T01:00:00.000Z');
  ctx = testCtx(database.db, { clock, actor: systemActor('test') });
  ({ m } = await buildOrg(ctx));
  await publishForm(ctx, expenseForm);
  await publishFlow(ctx, { ...definition(m.acc2.id), administrators: [m.admin.id] });
});
afterAll(async () => {
  await database?.cleanup();
});

describe('assignee choices', () => {
  it('the initiator picks every chosenByInitiator node; an assignee the chosenByPrevious nodes up to the next wait', async () => {
    const { flow: compiled } = await loadFlow(ctx, flow.pack, flow.key);
    expect(assigneeChoices(compiled, 'initiator')).toEqual([{ nodeKey: 'cfo', name: l('财务总监', 'CFO') }]);
    // Through the condition to finance (a waiting node: the walk stops there), and through the else edge and
    // the notify node to cfo, which the initiator picks, not the manager.
    expect(assigneeChoices(compiled, { after: 'manager' })).toEqual([
      { nodeKey: 'finance', name: l('财务审批', 'Finance') },
    ]);
    expect(assigneeChoices(compiled, { after: 'finance' })).toEqual([]);
  });
});

describe('caller view', () => {
  it('tells each member their node, field rules, picks and the actions the engine accepts now', async () => {
    const { dev1, devManager, acc1, cfo, admin, dev2 } = m;
    const draft = await saveDraft(as(dev1.id), { flow, values: { amount: 500, reason: '差旅' } });
    const asDrafter = await callerView(as(dev1.id), { instanceId: draft.instanceId });
    expect(asDrafter).toMatchObject({
      as: 'initiator',
      node: {
        key: 'start',
        taskId: null,
        defaultAccess: 'edit',
        fieldAccess: { managerOpinion: 'hidden' },
        choose: [{ nodeKey: 'cfo' }],
      },
      actions: { submit: true, approve: false, withdraw: false, terminate: true, urge: false, comment: true },
    });

    const filed = await submit(as(dev1.id), {
      instanceId: draft.instanceId,
      chosen: { cfo: [cfo.id] },
      values: { amount: 500 },
    });
    const mine = await callerView(as(devManager.id), { instanceId: filed.instanceId });
    const [task] = (await listTasks(as(devManager.id), { box: 'pending' })).items;
    expect(mine).toMatchObject({
      as: 'assignee',
      node: {
        key: 'manager',
        taskId: task?.taskId,
        defaultAccess: 'read',
        fieldAccess: { invoiceNo: 'required', reviewer: 'hidden' },
        opinionField: 'managerOpinion',
        choose: [{ nodeKey: 'finance' }],
      },
      actions: {
        approve: true,
        reject: true,
        transfer: true,
        addSigner: true,
        returnTo: ['initiator'],
        withdraw: false,
        terminate: false,
        submit: false,
      },
    });
    expect((await callerView(as(dev1.id), { instanceId: filed.instanceId })).actions).toMatchObject({
      withdraw: true,
      urge: true,
      terminate: true,
      approve: false,
    });
    expect(await callerView(as(admin.id), { instanceId: filed.instanceId })).toMatchObject({
      as: 'administrator',
      node: null,
      actions: { jump: true, terminate: true, urge: true, approve: false },
    });
    expect((await callerView(as(dev2.id), { instanceId: filed.instanceId })).as).toBe('reader');

    await approve(as(devManager.id), {
      taskId: task?.taskId as string,
      values: { invoiceNo: 'FP-1' },
      chosen: { finance: [acc1.id] },
    });
    // The manager has acted: the initiator may no longer withdraw; the manager now reads with their node's rules.
    expect((await callerView(as(dev1.id), { instanceId: filed.instanceId })).actions.withdraw).toBe(false);
    expect(await callerView(as(devManager.id), { instanceId: filed.instanceId })).toMatchObject({
      as: 'participant',
      node: { key: 'manager', taskId: null, fieldAccess: { reviewer: 'hidden' } },
      actions: { approve: false, comment: true },
    });
    const atFinance = await callerView(as(acc1.id), { instanceId: filed.instanceId });
    expect(atFinance.node?.key).toBe('finance');
    expect(atFinance.actions.returnTo).toEqual(['initiator', 'manager']);
    await returnTask(as(acc1.id), { taskId: atFinance.node?.taskId as string, to: 'initiator' });
    // Returned to the initiator: a draft again, to resubmit.
    expect(await callerView(as(dev1.id), { instanceId: filed.instanceId })).toMatchObject({
      as: 'initiator',
      node: { key: 'start' },
      actions: { submit: true, urge: false, withdraw: false },
    });
    expect((await caught(callerView(testCtx(database.db, { clock }), { instanceId: filed.instanceId }))).code).toBe(
      'CORE_FORBIDDEN',
    );
    expect((await caught(callerView(as(dev1.id), { instanceId: 'nope' }))).code).toBe('FLOW_INSTANCE_NOT_FOUND');
  });
});

describe('badges and marks', () => {
  it('counts done, tracked, overdue and urgent, and marks overdue and urged tasks in the pending list', async () => {
    const { dev2, devManager, cfo, acc1 } = m;
    const before = await countTasks(as(devManager.id));
    const filed = await submit(as(dev2.id), { flow, values: { amount: 80 }, chosen: { cfo: [cfo.id] } });
    const fresh = (await listTasks(as(devManager.id), { box: 'pending' })).items.find(
      (item) => item.instanceId === filed.instanceId,
    );
    expect(fresh).toMatchObject({ overdue: false, urgent: false, urgedAt: null });
    expect(fresh?.dueAt).toBe('2026-12-04T02:00:00.000Z');

    clock.advance(61 * 60 * 1000);
    await urge(as(dev2.id), { instanceId: filed.instanceId });
    const late = (await listTasks(as(devManager.id), { box: 'pending' })).items.find(
      (item) => item.instanceId === filed.instanceId,
    );
    expect(late).toMatchObject({ overdue: true, urgent: true, urgedAt: clock.now().toISOString() });
    const counts = await countTasks(as(devManager.id));
    expect(counts.pending).toBe(before.pending + 1);
    expect(counts.overdue).toBe(before.overdue + 1);
    expect(counts.urgent).toBe(before.urgent + 1);

    await approve(as(devManager.id), {
      taskId: late?.taskId as string,
      values: { invoiceNo: 'FP-2' },
      chosen: { finance: [acc1.id] },
    });
    const after = await countTasks(as(devManager.id));
    expect(after).toMatchObject({
      pending: before.pending,
      overdue: before.overdue,
      urgent: before.urgent,
      done: before.done + 1,
      tracked: before.tracked + 1,
    });
    // Done tasks are neither overdue nor urgent any more, though their urge and deadline stay on record.
    const done = (await listTasks(as(devManager.id), { box: 'done' })).items.find(
      (item) => item.instanceId === filed.instanceId,
    );
    expect(done).toMatchObject({ overdue: false, urgent: false });
    expect(done?.urgedAt).not.toBeNull();
  });
});
