import {
  addSigner,
  approve,
  instanceGraph,
  instanceHistory,
  listTasks,
  reject,
  returnTask,
  saveDraft,
  submit,
} from '@baton/flow';
import { publishForm } from '@baton/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, expenseForm, line, members, openEnv, publish } from './fixtures.ts';

let env: Env;
beforeAll(async () => {
  env = await openEnv();
});
afterAll(async () => {
  await env?.database.cleanup();
});

const values = (over: Record<string, unknown> = {}) => ({ amount: 80000, reason: '培训', ...over });

async function taskOf(memberId: string, instanceId: string): Promise<string> {
  const { items } = await listTasks(env.as(memberId), { box: 'pending', limit: 200 });
  const task = items.find((item) => item.instanceId === instanceId);
  if (!task) throw new Error(`no pending task for ${memberId}`);
  return task.taskId;
}

describe('more runtime paths', () => {
  it('draft → submit; return to an earlier node by key; resubmit without jumpBack starts over', async () => {
    const { dev1, devManager, cto, ceo } = env.m;
    const def = line(
      { key: 'one', kind: 'approval', assignees: members(devManager.id) },
      { key: 'two', kind: 'approval', assignees: members(cto.id) },
      { key: 'three', kind: 'approval', assignees: members(ceo.id) },
    );
    const flow = await publish(env, def.nodes, def.edges);
    const draft = await saveDraft(env.as(dev1.id), { flow, values: values() });
    expect(draft.state).toBe('draft');
    expect((await caught(submit(env.as(devManager.id), { instanceId: draft.instanceId }))).code).toBe(
      'FLOW_ACTION_NOT_ALLOWED',
    );
    const { instanceId } = await submit(env.as(dev1.id), { instanceId: draft.instanceId, values: { reason: '外训' } });
    env.clock.advance(1000);
    await approve(env.as(devManager.id), { taskId: await taskOf(devManager.id, instanceId) });
    env.clock.advance(1000);
    await approve(env.as(cto.id), { taskId: await taskOf(cto.id, instanceId) });
    env.clock.advance(1000);
    const back = await returnTask(env.as(ceo.id), {
      taskId: await taskOf(ceo.id, instanceId),
      to: 'one',
      opinion: '重审',
    });
    expect(back.currentNodes).toEqual(['one']);
    env.clock.advance(1000);
    const toInitiator = await returnTask(env.as(devManager.id), {
      taskId: await taskOf(devManager.id, instanceId),
      to: 'initiator',
    });
    expect(toInitiator.state).toBe('draft');
    env.clock.advance(1000);
    const again = await submit(env.as(dev1.id), { instanceId });
    expect(again.currentNodes).toEqual(['one']);
    const graph = await instanceGraph(env.ctx, { instanceId });
    expect(graph.nodes.find((node) => node.key === 'one')).toMatchObject({ state: 'active', entries: 3 });
    expect(graph.nodes.find((node) => node.key === 'three')).toMatchObject({ state: 'cancelled', outcome: 'returned' });
    const history = await instanceHistory(env.ctx, { instanceId });
    expect(history.actions.map((entry) => entry.action)).toEqual([
      'saveDraft',
      'submit',
      'approve',
      'approve',
      'return',
      'return',
      'submit',
    ]);
    expect(history.tasks.find((task) => task.outcome === 'returned')).toMatchObject({ opinion: '重审' });
  });

  it('a join is not held up by a branch a condition routed straight to it', async () => {
    const { dev1, acc1, cto, ceo } = env.m;
    const flow = await publish(
      env,
      [
        { key: 'start', kind: 'start' },
        { key: 'split', kind: 'parallel' },
        { key: 'finance', kind: 'approval', assignees: members(acc1.id) },
        { key: 'route', kind: 'condition' },
        { key: 'tech', kind: 'approval', assignees: members(cto.id) },
        { key: 'join', kind: 'join' },
        { key: 'final', kind: 'approval', assignees: members(ceo.id) },
        { key: 'end', kind: 'end' },
      ],
      [
        { from: 'start', to: 'split' },
        { from: 'split', to: 'finance' },
        { from: 'split', to: 'route' },
        { from: 'route', to: 'tech', condition: 'amount > 100000' },
        { from: 'route', to: 'join', else: true },
        { from: 'tech', to: 'join' },
        { from: 'finance', to: 'join' },
        { from: 'join', to: 'final' },
        { from: 'final', to: 'end' },
      ],
    );
    const small = await submit(env.as(dev1.id), { flow, values: values({ amount: 1000 }) });
    expect(small.currentNodes.sort()).toEqual(['finance', 'join']);
    expect((await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, small.instanceId) })).currentNodes).toEqual([
      'final',
    ]);
    const big = await submit(env.as(dev1.id), { flow, values: values({ amount: 20_000_000 }) });
    expect(big.currentNodes.sort()).toEqual(['finance', 'tech']);
    // A rejection in one branch rejects the instance and cancels the other branch.
    expect((await reject(env.as(cto.id), { taskId: await taskOf(cto.id, big.instanceId) })).state).toBe('rejected');
    const { items } = await listTasks(env.as(acc1.id), { box: 'pending' });
    expect(items.some((item) => item.instanceId === big.instanceId)).toBe(false);
  });

  it('conditions over the initiator’s department; a subflow without wait starts the child and moves on', async () => {
    const { dev1, cfo, acc1, acc2 } = env.m;
    const childDef = line({ key: 'check', kind: 'approval', assignees: members(acc2.id) });
    const child = await publish(env, childDef.nodes, childDef.edges);
    const flow = await publish(
      env,
      [
        { key: 'start', kind: 'start' },
        { key: 'route', kind: 'condition' },
        { key: 'finance', kind: 'approval', assignees: members(cfo.id) },
        { key: 'spawn', kind: 'subflow', flow: child, wait: false, map: { amount: 'amount' } },
        { key: 'other', kind: 'approval', assignees: members(acc1.id) },
        { key: 'end', kind: 'end' },
      ],
      [
        { from: 'start', to: 'route' },
        { from: 'route', to: 'finance', condition: `$initiator.departmentId = '${env.org.departments.F.id}'` },
        { from: 'route', to: 'spawn', else: true },
        { from: 'finance', to: 'end' },
        { from: 'spawn', to: 'other' },
        { from: 'other', to: 'end' },
      ],
    );
    const fromFinance = await submit(env.as(acc1.id), { flow, values: values() });
    expect(fromFinance.currentNodes).toEqual(['finance']);
    const fromDev = await submit(env.as(dev1.id), { flow, values: values() });
    expect(fromDev.currentNodes).toEqual(['other']);
    const childTasks = (await listTasks(env.as(acc2.id), { box: 'pending' })).items.filter(
      (item) => item.flow === `${child.pack}.${child.key}`,
    );
    expect(childTasks).toHaveLength(1);
  });

  it('countersign (all): one rejection rejects the instance and cancels the other tasks', async () => {
    const { dev2, acc1, acc2 } = env.m;
    const def = line({ key: 'cs', kind: 'approval', mode: 'countersign', assignees: members(acc1.id, acc2.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev2.id), { flow, values: values() });
    const other = await taskOf(acc2.id, instanceId);
    expect((await reject(env.as(acc1.id), { taskId: await taskOf(acc1.id, instanceId) })).state).toBe('rejected');
    expect((await caught(approve(env.as(acc2.id), { taskId: other }))).code).toBe('FLOW_TASK_NOT_PENDING');
    expect((await caught(approve(env.as(acc1.id), { taskId: other }))).code).toBe('FLOW_TASK_NOT_PENDING');
  });

  it('only the assignee acts on a task', async () => {
    const { dev2, acc1, acc2 } = env.m;
    const def = line({ key: 'a', kind: 'approval', assignees: members(acc1.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev2.id), { flow, values: values() });
    expect((await caught(approve(env.as(acc2.id), { taskId: await taskOf(acc1.id, instanceId) }))).code).toBe(
      'FLOW_NOT_ASSIGNEE',
    );
  });

  it('a form change after publishing never strands a running instance (it stays on its form version)', async () => {
    const { dev2, acc1, cfo, ceo } = env.m;
    const flow = await publish(
      env,
      [
        { key: 'start', kind: 'start' },
        { key: 'first', kind: 'approval', assignees: members(acc1.id) },
        { key: 'route', kind: 'condition' },
        { key: 'special', kind: 'approval', assignees: members(ceo.id) },
        { key: 'normal', kind: 'approval', assignees: members(cfo.id) },
        { key: 'end', kind: 'end' },
      ],
      [
        { from: 'start', to: 'first' },
        { from: 'first', to: 'route' },
        { from: 'route', to: 'special', condition: "invoiceNo = 'VIP'" },
        { from: 'route', to: 'normal', else: true },
        { from: 'special', to: 'end' },
        { from: 'normal', to: 'end' },
      ],
    );
    const { instanceId } = await submit(env.as(dev2.id), { flow, values: values({ invoiceNo: 'VIP' }) });
    await publishForm(env.ctx, { ...expenseForm, fields: expenseForm.fields.filter((f) => f.key !== 'invoiceNo') });
    const moved = await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, instanceId) });
    expect(moved.currentNodes).toEqual(['normal']);
    const refused = await caught(
      publish(
        env,
        [
          { key: 'start', kind: 'start' },
          { key: 'route', kind: 'condition' },
          { key: 'end', kind: 'end' },
        ],
        [
          { from: 'start', to: 'route' },
          { from: 'route', to: 'end', condition: "invoiceNo = 'VIP'" },
          { from: 'route', to: 'end', else: true },
        ],
      ),
    );
    expect(refused.code).toBe('FLOW_DEFINITION_INVALID');
  });

  it('a countersign node with 100 assignees completes on the last approval only', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `m-${String(i).padStart(3, '0')}`);
    const def = line({ key: 'board', kind: 'approval', mode: 'countersign', assignees: members(...ids) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(env.m.dev1.id), { flow, values: values() });
    const tasks = await env.database.db
      .selectFrom('baton_flow_task')
      .select(['id', 'assigneeId'])
      .where('instanceId', '=', instanceId)
      .execute();
    expect(tasks).toHaveLength(100);
    let state = 'running';
    for (const [index, task] of tasks.entries()) {
      state = (await approve(env.as(task.assigneeId), { taskId: task.id })).state;
      if (index < 99) expect(state).toBe('running');
    }
    expect(state).toBe('approved');
  });

  it('sequential with an after-signer: the next in line waits for the added signer', async () => {
    const { dev1, devManager, cto, acc1 } = env.m;
    const def = line({ key: 'seq', kind: 'approval', mode: 'sequential', assignees: members(devManager.id, cto.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values: values() });
    await addSigner(env.as(devManager.id), {
      taskId: await taskOf(devManager.id, instanceId),
      members: [acc1.id],
      position: 'after',
    });
    expect((await listTasks(env.as(cto.id), { box: 'pending' })).items.some((t) => t.instanceId === instanceId)).toBe(
      false,
    );
    await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, instanceId) });
    expect((await approve(env.as(cto.id), { taskId: await taskOf(cto.id, instanceId) })).state).toBe('approved');
  });
});
