import {
  addSigner,
  approve,
  type FlowEvent,
  instanceGraph,
  instanceHistory,
  listTasks,
  markRead,
  onFlowEvent,
  publishFlow,
  reject,
  removeSigner,
  returnTask,
  submit,
  terminate,
  transfer,
  withdraw,
} from '@baton/flow';
import { getRecord } from '@baton/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, line, members, openEnv, publish } from './fixtures.ts';

let env: Env;
beforeAll(async () => {
  env = await openEnv();
});
afterAll(async () => {
  await env?.database.cleanup();
});

const values = (over: Record<string, unknown> = {}) => ({ amount: 120000, reason: '差旅', ...over });

/** The pending tasks of a member on one instance. */
async function pending(memberId: string, instanceId: string) {
  const { items } = await listTasks(env.as(memberId), { box: 'pending', limit: 200 });
  return items.filter((item) => item.instanceId === instanceId);
}

async function taskOf(memberId: string, instanceId: string): Promise<string> {
  const [task] = await pending(memberId, instanceId);
  if (!task) throw new Error(`no pending task for ${memberId}`);
  return task.taskId;
}

describe('approval modes', () => {
  it('single: one approval approves the instance; the record follows the state', async () => {
    const flow = await publish(
      env,
      ...(Object.values(line({ key: 'manager', kind: 'approval', assignees: members(env.m.devManager.id) })) as [
        never,
        never,
      ]),
    );
    const started = await submit(env.as(env.m.dev1.id), { flow, values: values() });
    expect(started).toMatchObject({ state: 'running', currentNodes: ['manager'] });
    const done = await approve(env.as(env.m.devManager.id), {
      taskId: await taskOf(env.m.devManager.id, started.instanceId),
      opinion: '同意',
    });
    expect(done).toMatchObject({ state: 'approved', currentNodes: [] });
    const record = await getRecord(env.ctx, { pack: 'finance', key: 'expense', id: started.recordId });
    expect(record).toMatchObject({ state: 'approved', flowInstanceId: started.instanceId });
  });

  it('sequential: one at a time, in order', async () => {
    const { dev2, devManager, cto } = env.m;
    const def = line({ key: 'seq', kind: 'approval', mode: 'sequential', assignees: members(devManager.id, cto.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev2.id), { flow, values: values() });
    expect(await pending(cto.id, instanceId)).toHaveLength(0);
    await approve(env.as(devManager.id), { taskId: await taskOf(devManager.id, instanceId) });
    expect(await pending(cto.id, instanceId)).toHaveLength(1);
    const result = await approve(env.as(cto.id), { taskId: await taskOf(cto.id, instanceId) });
    expect(result.state).toBe('approved');
  });

  it('countersign: all must approve; with a ratio the rest are cancelled once it is reached', async () => {
    const { dev1, acc1, acc2, cfo } = env.m;
    const all = line({ key: 'cs', kind: 'approval', mode: 'countersign', assignees: members(acc1.id, acc2.id) });
    const flowAll = await publish(env, all.nodes, all.edges);
    const a = await submit(env.as(dev1.id), { flow: flowAll, values: values() });
    expect((await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, a.instanceId) })).state).toBe('running');
    expect((await approve(env.as(acc2.id), { taskId: await taskOf(acc2.id, a.instanceId) })).state).toBe('approved');

    const ratio = line({
      key: 'cs',
      kind: 'approval',
      mode: 'countersign',
      ratio: 0.5,
      assignees: members(acc1.id, acc2.id, cfo.id),
    });
    const flowRatio = await publish(env, ratio.nodes, ratio.edges);
    const b = await submit(env.as(dev1.id), { flow: flowRatio, values: values() });
    await reject(env.as(cfo.id), { taskId: await taskOf(cfo.id, b.instanceId), opinion: '不同意' });
    expect((await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, b.instanceId) })).state).toBe('running');
    expect((await approve(env.as(acc2.id), { taskId: await taskOf(acc2.id, b.instanceId) })).state).toBe('approved');
  });

  it('anySign: the first approval completes the node and cancels the others', async () => {
    const { dev1, acc1, acc2 } = env.m;
    const def = line({ key: 'any', kind: 'approval', mode: 'anySign', assignees: members(acc1.id, acc2.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values: values() });
    const other = await taskOf(acc2.id, instanceId);
    expect((await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, instanceId) })).state).toBe('approved');
    expect((await caught(approve(env.as(acc2.id), { taskId: other }))).code).toBe('FLOW_TASK_NOT_PENDING');
  });

  it('reject ends the instance rejected; a second action on the task is FLOW_TASK_NOT_PENDING', async () => {
    const { dev1, devManager } = env.m;
    const def = line({ key: 'manager', kind: 'approval', assignees: members(devManager.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values: values() });
    const taskId = await taskOf(devManager.id, instanceId);
    expect((await reject(env.as(devManager.id), { taskId, opinion: '超标' })).state).toBe('rejected');
    expect((await caught(approve(env.as(devManager.id), { taskId }))).code).toBe('FLOW_TASK_NOT_PENDING');
    expect((await caught(approve(env.as(dev1.id), { taskId }))).code).toBe('FLOW_TASK_NOT_PENDING');
  });
});

describe('routing', () => {
  it('condition branches are ordered, with an else; conditions read fields, subtable totals and the initiator', async () => {
    const { dev1, devManager, cto, ceo } = env.m;
    const flow = await publish(
      env,
      [
        { key: 'start', kind: 'start' },
        { key: 'route', kind: 'condition' },
        { key: 'big', kind: 'approval', assignees: members(ceo.id) },
        { key: 'items', kind: 'approval', assignees: members(cto.id) },
        { key: 'small', kind: 'approval', assignees: members(devManager.id) },
        { key: 'end', kind: 'end' },
      ],
      [
        { from: 'start', to: 'route' },
        { from: 'route', to: 'big', condition: 'amount > 5000 AND $initiator.levelRank >= 60' },
        { from: 'route', to: 'items', condition: 'SUM(items.cost) > 100' },
        { from: 'route', to: 'small', else: true },
        { from: 'big', to: 'end' },
        { from: 'items', to: 'end' },
        { from: 'small', to: 'end' },
      ],
    );
    const big = await submit(env.as(dev1.id), {
      flow,
      values: values({ amount: 600000, items: [{ what: 'a', cost: 20000 }] }),
    });
    expect(big.currentNodes).toEqual(['big']);
    const items = await submit(env.as(dev1.id), {
      flow,
      values: values({ amount: 30000, items: [{ what: 'a', cost: 20000 }] }),
    });
    expect(items.currentNodes).toEqual(['items']);
    const small = await submit(env.as(dev1.id), { flow, values: values({ amount: 30000 }) });
    expect(small.currentNodes).toEqual(['small']);
  });

  it('parallel split and join: the join waits for every branch', async () => {
    const { dev1, acc1, cto, ceo } = env.m;
    const flow = await publish(
      env,
      [
        { key: 'start', kind: 'start' },
        { key: 'split', kind: 'parallel' },
        { key: 'finance', kind: 'approval', assignees: members(acc1.id) },
        { key: 'tech', kind: 'approval', assignees: members(cto.id) },
        { key: 'join', kind: 'join' },
        { key: 'final', kind: 'approval', assignees: members(ceo.id) },
        { key: 'end', kind: 'end' },
      ],
      [
        { from: 'start', to: 'split' },
        { from: 'split', to: 'finance' },
        { from: 'split', to: 'tech' },
        { from: 'finance', to: 'join' },
        { from: 'tech', to: 'join' },
        { from: 'join', to: 'final' },
        { from: 'final', to: 'end' },
      ],
    );
    const { instanceId, currentNodes } = await submit(env.as(dev1.id), { flow, values: values() });
    expect(currentNodes.sort()).toEqual(['finance', 'tech']);
    const afterOne = await approve(env.as(cto.id), { taskId: await taskOf(cto.id, instanceId) });
    expect(afterOne.currentNodes.sort()).toEqual(['finance', 'join']);
    const afterTwo = await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, instanceId) });
    expect(afterTwo.currentNodes).toEqual(['final']);
    const graph = await instanceGraph(env.ctx, { instanceId });
    expect(graph.nodes.find((node) => node.key === 'join')).toMatchObject({ state: 'completed', entries: 1 });
    expect(graph.nodes.find((node) => node.key === 'end')).toMatchObject({ state: 'notReached' });
  });

  it('notify (知会) creates read-tracked tasks and moves on; automatic emits its action', async () => {
    const { dev1, acc1, acc2 } = env.m;
    const events: FlowEvent[] = [];
    const off = onFlowEvent((_ctx, event) => {
      events.push(event);
    });
    try {
      const def = line(
        { key: 'cc', kind: 'notify', assignees: members(acc1.id, acc2.id) },
        { key: 'book', kind: 'automatic', action: 'ledger.book' },
      );
      const flow = await publish(env, def.nodes, def.edges);
      const { instanceId, state } = await submit(env.as(dev1.id), { flow, values: values() });
      expect(state).toBe('approved');
      const { items } = await listTasks(env.as(acc1.id), { box: 'notify', read: false });
      const task = items.find((item) => item.instanceId === instanceId);
      expect(task).toBeDefined();
      await markRead(env.as(acc1.id), { taskId: task?.taskId as string });
      const unread = await listTasks(env.as(acc1.id), { box: 'notify', read: false });
      expect(unread.items.some((item) => item.instanceId === instanceId)).toBe(false);
      const types = events.filter((event) => event.instanceId === instanceId).map((event) => event.type);
      expect(types).toEqual(expect.arrayContaining(['submitted', 'nodeEntered', 'automatic', 'approved']));
      expect(events.find((event) => event.type === 'automatic')?.action).toBe('ledger.book');
    } finally {
      off();
    }
  });

  it('subflow with wait: the parent continues when the child is approved', async () => {
    const { dev1, acc1, devManager } = env.m;
    const childDef = line({ key: 'check', kind: 'approval', assignees: members(acc1.id) });
    const child = await publish(env, childDef.nodes, childDef.edges);
    const parentDef = line(
      { key: 'sub', kind: 'subflow', flow: child, wait: true, map: { amount: 'amount' } },
      { key: 'manager', kind: 'approval', assignees: members(devManager.id) },
    );
    const parent = await publish(env, parentDef.nodes, parentDef.edges);
    const started = await submit(env.as(dev1.id), { flow: parent, values: values() });
    expect(started.currentNodes).toEqual(['sub']);
    const { items } = await listTasks(env.as(acc1.id), { box: 'pending' });
    const childTask = items.find((item) => item.flow === `${child.pack}.${child.key}`);
    await approve(env.as(acc1.id), { taskId: childTask?.taskId as string });
    expect(await pending(devManager.id, started.instanceId)).toHaveLength(1);
  });
});

describe('assignees and policies', () => {
  it('resolves relative, role, post, member and department fields; empty policies decide', async () => {
    const { dev1, devManager, cto, acc1, acc2, cfo, admin } = env.m;
    const def = line(
      { key: 'head', kind: 'approval', assignees: [{ source: 'relative', relation: 'head' }] },
      { key: 'second', kind: 'approval', assignees: [{ source: 'relative', relation: 'nthSupervisor', n: 2 }] },
      { key: 'role', kind: 'approval', assignees: [{ source: 'role', role: 'financeReviewer' }] },
      {
        key: 'post',
        kind: 'approval',
        mode: 'countersign',
        assignees: [{ source: 'post', postId: env.org.posts.accPost.id }],
      },
      { key: 'reviewer', kind: 'approval', assignees: [{ source: 'memberField', field: 'reviewer' }] },
      { key: 'center', kind: 'approval', assignees: [{ source: 'departmentField', field: 'costCenter' }] },
      { key: 'nobody', kind: 'approval', emptyPolicy: 'autoPass', assignees: [{ source: 'chosenByInitiator' }] },
      { key: 'toAdmin', kind: 'approval', emptyPolicy: 'administrator', assignees: [{ source: 'chosenByPrevious' }] },
    );
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), {
      flow,
      values: values({ reviewer: acc2.id, costCenter: env.org.departments.F.id }),
    });
    const step = async (memberIds: string[]) => {
      for (const memberId of memberIds) await approve(env.as(memberId), { taskId: await taskOf(memberId, instanceId) });
    };
    await step([devManager.id]);
    await step([cto.id]);
    await step([acc1.id]);
    expect((await pending(acc2.id, instanceId)).length + (await pending(cfo.id, instanceId)).length).toBe(2);
    await step([cfo.id, acc1.id, acc2.id]);
    await step([acc2.id]);
    await step([cfo.id]);
    expect(await pending(admin.id, instanceId)).toHaveLength(1);
    expect((await approve(env.as(admin.id), { taskId: await taskOf(admin.id, instanceId) })).state).toBe('approved');
  });

  it('refuses a submit when a refuse-policy node has nobody; the whole submit rolls back', async () => {
    const def = line({ key: 'pick', kind: 'approval', assignees: [{ source: 'chosenByInitiator' }] });
    const flow = await publish(env, def.nodes, def.edges);
    const failure = await caught(submit(env.as(env.m.dev2.id), { flow, values: values() }));
    expect(failure.code).toBe('FLOW_NO_ASSIGNEE');
    const ok = await submit(env.as(env.m.dev2.id), { flow, values: values(), chosen: { pick: [env.m.acc2.id] } });
    expect(await pending(env.m.acc2.id, ok.instanceId)).toHaveLength(1);
  });

  it('de-duplicates an approver of the previous node and auto-passes the initiator', async () => {
    const { devManager, cto } = env.m;
    const def = line(
      { key: 'one', kind: 'approval', assignees: members(cto.id) },
      { key: 'two', kind: 'approval', dedupe: 'previous', assignees: members(cto.id) },
      { key: 'three', kind: 'approval', initiatorAutoPass: true, assignees: members(devManager.id) },
    );
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(devManager.id), { flow, values: values() });
    const result = await approve(env.as(cto.id), { taskId: await taskOf(cto.id, instanceId) });
    expect(result.state).toBe('approved');
    const history = await instanceHistory(env.ctx, { instanceId });
    expect(history.tasks.map((task) => task.outcome)).toEqual(['approved', 'deduped', 'initiatorAutoPass']);
  });

  it('chosenByPrevious: the approver picks the next node’s assignee', async () => {
    const def = line(
      { key: 'one', kind: 'approval', assignees: members(env.m.devManager.id) },
      { key: 'two', kind: 'approval', assignees: [{ source: 'chosenByPrevious' }] },
    );
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(env.m.dev1.id), { flow, values: values() });
    await approve(env.as(env.m.devManager.id), {
      taskId: await taskOf(env.m.devManager.id, instanceId),
      chosen: { two: [env.m.cfo.id] },
    });
    expect(await pending(env.m.cfo.id, instanceId)).toHaveLength(1);
  });
});

describe('field permissions per node', () => {
  it('edits only editable fields, checks required ones, writes the opinion slot of its node only', async () => {
    const { dev1, devManager, acc1 } = env.m;
    const def = line(
      {
        key: 'manager',
        kind: 'approval',
        assignees: members(devManager.id),
        fieldAccess: { reason: 'edit', invoiceNo: 'required' },
        opinionField: 'managerOpinion',
      },
      { key: 'finance', kind: 'approval', assignees: members(acc1.id) },
    );
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId, recordId } = await submit(env.as(dev1.id), { flow, values: values() });
    const taskId = await taskOf(devManager.id, instanceId);
    expect((await caught(approve(env.as(devManager.id), { taskId, values: { amount: 1 } }))).code).toBe(
      'ACCESS_FIELD_NOT_WRITABLE',
    );
    const missing = await caught(approve(env.as(devManager.id), { taskId }));
    expect(missing).toEqual({ code: 'FLOW_REQUIRED_FIELDS', paths: ['invoiceNo'] });
    await approve(env.as(devManager.id), {
      taskId,
      values: { invoiceNo: 'FP-1', reason: '差旅（改）' },
      opinion: '同意',
    });
    const record = await getRecord(env.ctx, { pack: 'finance', key: 'expense', id: recordId });
    expect(record.values).toMatchObject({ invoiceNo: 'FP-1', reason: '差旅（改）', managerOpinion: { text: '同意' } });
    const financeTask = await taskOf(acc1.id, instanceId);
    const foreign = await caught(
      approve(env.as(acc1.id), { taskId: financeTask, values: { managerOpinion: { text: 'x' } } }),
    );
    expect(['ACCESS_FIELD_NOT_WRITABLE', 'FORM_OPINION_NOT_ACTING']).toContain(foreign.code);
  });
});

describe('actions', () => {
  const twoSteps = () =>
    line(
      { key: 'one', kind: 'approval', assignees: members(env.m.devManager.id) },
      { key: 'two', kind: 'approval', assignees: members(env.m.cto.id) },
    );

  it('return to the initiator, resubmit with jumpBack; return to the previous node', async () => {
    const { dev1, devManager, cto } = env.m;
    const def = twoSteps();
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values: values() });
    await approve(env.as(devManager.id), { taskId: await taskOf(devManager.id, instanceId) });
    const back = await returnTask(env.as(cto.id), {
      taskId: await taskOf(cto.id, instanceId),
      to: 'initiator',
      opinion: '补材料',
    });
    expect(back).toMatchObject({ state: 'draft', currentNodes: [] });
    const again = await submit(env.as(dev1.id), { instanceId, values: { reason: '补充' }, jumpBack: true });
    expect(again.currentNodes).toEqual(['two']);
    const previous = await returnTask(env.as(cto.id), { taskId: await taskOf(cto.id, instanceId), to: 'previous' });
    expect(previous.currentNodes).toEqual(['one']);
    expect(
      (await caught(returnTask(env.as(devManager.id), { taskId: await taskOf(devManager.id, instanceId), to: 'two' })))
        .code,
    ).toBe('FLOW_RETURN_TARGET_INVALID');
  });

  it('withdraw only until an approver acted; terminate by the initiator per policy', async () => {
    const { dev1, devManager, cto } = env.m;
    const def = twoSteps();
    const flow = await publish(env, def.nodes, def.edges);
    const a = await submit(env.as(dev1.id), { flow, values: values() });
    expect((await withdraw(env.as(dev1.id), { instanceId: a.instanceId })).state).toBe('withdrawn');
    expect(await pending(devManager.id, a.instanceId)).toHaveLength(0);
    const b = await submit(env.as(dev1.id), { flow, values: values() });
    await approve(env.as(devManager.id), { taskId: await taskOf(devManager.id, b.instanceId) });
    expect((await caught(withdraw(env.as(dev1.id), { instanceId: b.instanceId }))).code).toBe('FLOW_WITHDRAW_TOO_LATE');
    expect((await caught(terminate(env.as(cto.id), { instanceId: b.instanceId }))).code).toBe(
      'FLOW_ACTION_NOT_ALLOWED',
    );
    expect((await terminate(env.as(dev1.id), { instanceId: b.instanceId })).state).toBe('terminated');
  });

  it('transfer, addSigner before/after/parallel, removeSigner', async () => {
    const { dev1, devManager, cto, acc1, acc2, cfo } = env.m;
    const def = line({ key: 'one', kind: 'approval', mode: 'anySign', assignees: members(devManager.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values: values() });
    await transfer(env.as(devManager.id), { taskId: await taskOf(devManager.id, instanceId), to: cto.id });
    expect(await pending(devManager.id, instanceId)).toHaveLength(0);
    // before: acc1 signs first, then the task comes back to cto.
    await addSigner(env.as(cto.id), {
      taskId: await taskOf(cto.id, instanceId),
      members: [acc1.id],
      position: 'before',
    });
    expect(await pending(cto.id, instanceId)).toHaveLength(0);
    await approve(env.as(acc1.id), { taskId: await taskOf(acc1.id, instanceId) });
    expect(await pending(cto.id, instanceId)).toHaveLength(1);
    // after: cto approves now, acc2 must still sign.
    const after = await addSigner(env.as(cto.id), {
      taskId: await taskOf(cto.id, instanceId),
      members: [acc2.id],
      position: 'after',
    });
    expect(after.state).toBe('running');
    // parallel by acc2, then removed by whoever added it.
    await addSigner(env.as(acc2.id), {
      taskId: await taskOf(acc2.id, instanceId),
      members: [cfo.id],
      position: 'parallel',
    });
    await removeSigner(env.as(acc2.id), { taskId: await taskOf(cfo.id, instanceId) });
    expect(await pending(cfo.id, instanceId)).toHaveLength(0);
    expect((await approve(env.as(acc2.id), { taskId: await taskOf(acc2.id, instanceId) })).state).toBe('approved');
  });

  it('a retried client action id is a no-op returning the first result', async () => {
    const { dev1, devManager, cto } = env.m;
    const def = twoSteps();
    const flow = await publish(env, def.nodes, def.edges);
    const first = await submit(env.as(dev1.id), { flow, values: values(), clientActionId: 'c-submit-1' });
    const again = await submit(env.as(dev1.id), { flow, values: values(), clientActionId: 'c-submit-1' });
    expect(again).toEqual(first);
    const taskId = await taskOf(devManager.id, first.instanceId);
    const one = await approve(env.as(devManager.id), { taskId, clientActionId: 'c-approve-1' });
    const two = await approve(env.as(devManager.id), { taskId, clientActionId: 'c-approve-1' });
    expect(two).toEqual(one);
    expect(await pending(cto.id, first.instanceId)).toHaveLength(1);
    // someone else presenting that id does not get the result of an act they never performed
    const ctoTask = await taskOf(cto.id, first.instanceId);
    await expect(approve(env.as(cto.id), { taskId: ctoTask, clientActionId: 'c-approve-1' })).rejects.toMatchObject({
      code: 'FLOW_ACTION_NOT_ALLOWED',
    });
    expect(await pending(cto.id, first.instanceId)).toHaveLength(1);
  });

  it('an instance stays on its definition version', async () => {
    const { dev1, devManager, cto } = env.m;
    const def = twoSteps();
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values: values() });
    const v2 = line({ key: 'other', kind: 'approval', assignees: members(cto.id) });
    await publishFlow(env.ctx, {
      pack: flow.pack,
      key: flow.key,
      name: { zh: '报销审批', en: 'Expense approval' },
      form: { pack: 'finance', key: 'expense' },
      administrators: [env.m.admin.id],
      ...v2,
    });
    const result = await approve(env.as(devManager.id), { taskId: await taskOf(devManager.id, instanceId) });
    expect(result.currentNodes).toEqual(['two']);
    expect((await instanceGraph(env.ctx, { instanceId })).flow.version).toBe(1);
  });
});
