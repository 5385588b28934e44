import {
  approve,
  comment,
  countTasks,
  delegate,
  flowMemberLeft,
  instanceHistory,
  jump,
  listInstances,
  listTasks,
  revokeDelegation,
  saveDraft,
  submit,
  urge,
} from '@baton/flow';
import { getMember, memberLeaves, moveMember, registerHandover } from '@baton/org';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, line, members, openEnv, publish } from './fixtures.ts';

let env: Env;
let flow: { pack: string; key: string };
beforeAll(async () => {
  env = await openEnv();
  const def = line(
    { key: 'one', kind: 'approval', assignees: members(env.m.devManager.id) },
    { key: 'two', kind: 'approval', assignees: members(env.m.cto.id) },
  );
  flow = await publish(env, def.nodes, def.edges);
});
afterAll(async () => {
  await env?.database.cleanup();
});

const values = { amount: 1000, reason: '办公用品' };

describe('task lists', () => {
  it('pending, done, sent, tracked and drafts with counts, keyword and flow filters and keyset paging', async () => {
    const { dev2, devManager } = env.m;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      env.clock.advance(1000);
      ids.push((await submit(env.as(dev2.id), { flow, values, title: `采购申请 ${i}` })).instanceId);
    }
    await saveDraft(env.as(dev2.id), { flow, values, title: '草稿一' });
    const counts = await countTasks(env.as(devManager.id));
    expect(counts.pending).toBeGreaterThanOrEqual(5);
    const page1 = await listTasks(env.as(devManager.id), { box: 'pending', limit: 2, keyword: '采购' });
    expect(page1.items.map((item) => item.title)).toEqual(['采购申请 4', '采购申请 3']);
    const page2 = await listTasks(env.as(devManager.id), {
      box: 'pending',
      limit: 2,
      keyword: '采购',
      cursor: page1.nextCursor as string,
    });
    expect(page2.items.map((item) => item.title)).toEqual(['采购申请 2', '采购申请 1']);
    const page3 = await listTasks(env.as(devManager.id), {
      box: 'pending',
      limit: 2,
      keyword: '采购',
      cursor: page2.nextCursor as string,
    });
    expect(page3.items.map((item) => item.title)).toEqual(['采购申请 0']);
    expect(page3.nextCursor).toBeNull();
    const other = await listTasks(env.as(devManager.id), { box: 'pending', flow: { pack: 'finance', key: 'nothing' } });
    expect(other.items).toEqual([]);

    await approve(env.as(devManager.id), { taskId: page1.items[0]?.taskId as string, opinion: '同意' });
    const done = await listTasks(env.as(devManager.id), { box: 'done' });
    expect(done.items.map((item) => item.instanceId)).toContain(ids[4]);
    const tracked = await listInstances(env.as(devManager.id), { box: 'tracked' });
    expect(tracked.items.map((item) => item.instanceId)).toEqual([ids[4]]);
    const sent = await listInstances(env.as(dev2.id), { box: 'sent', limit: 3 });
    expect(sent.items).toHaveLength(3);
    expect(sent.nextCursor).not.toBeNull();
    const drafts = await listInstances(env.as(dev2.id), { box: 'drafts' });
    expect(drafts.items.map((item) => item.title)).toEqual(['草稿一']);
    expect(await countTasks(env.as(dev2.id))).toMatchObject({ drafts: 1, sent: 5 });
    expect((await caught(listTasks(env.as(dev2.id), { box: 'pending', keyword: '100%' }))).code).toBe(
      'FLOW_INPUT_INVALID',
    );
  });

  it('history lists every action with actor, time and opinion; urge is rate limited; jump is for administrators', async () => {
    const { dev1, devManager, cto, admin } = env.m;
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    await comment(env.as(dev1.id), { instanceId, opinion: '请尽快', attachments: ['att-1'] });
    await urge(env.as(dev1.id), { instanceId });
    expect((await caught(urge(env.as(dev1.id), { instanceId }))).code).toBe('FLOW_URGE_TOO_SOON');
    env.clock.advance(61 * 60 * 1000);
    await urge(env.as(dev1.id), { instanceId });
    expect((await caught(jump(env.as(dev1.id), { instanceId, to: 'two' }))).code).toBe('FLOW_ACTION_NOT_ALLOWED');
    const jumped = await jump(env.as(admin.id), { instanceId, to: 'two', opinion: '跳过' });
    expect(jumped.currentNodes).toEqual(['two']);
    const [task] = (await listTasks(env.as(cto.id), { box: 'pending' })).items.filter(
      (t) => t.instanceId === instanceId,
    );
    await approve(env.as(cto.id), { taskId: task?.taskId as string, opinion: '同意' });
    const history = await instanceHistory(env.ctx, { instanceId });
    expect(history.actions.map((entry) => entry.action)).toEqual([
      'submit',
      'comment',
      'urge',
      'urge',
      'jump',
      'approve',
    ]);
    expect(history.actions[1]).toMatchObject({ actorId: dev1.id, opinion: '请尽快', attachments: ['att-1'] });
    expect(history.actions[5]).toMatchObject({ actorId: cto.id, opinion: '同意', nodeKey: 'two' });
    expect(history.tasks.find((t) => t.nodeKey === 'one')).toMatchObject({
      assigneeId: devManager.id,
      state: 'cancelled',
    });
  });

  it('a comment comes from a participant, or from any reader the caller vouches for (mayRead)', async () => {
    const { dev1, dev2 } = env.m;
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    expect((await caught(comment(env.as(dev2.id), { instanceId, opinion: '路过' }))).code).toBe(
      'FLOW_ACTION_NOT_ALLOWED',
    );
    await comment(env.as(dev2.id), { instanceId, opinion: '预算已核对', attachments: ['att-2'] }, { mayRead: true });
    const history = await instanceHistory(env.ctx, { instanceId });
    expect(history.actions.map((entry) => [entry.action, entry.actorId])).toEqual([
      ['submit', dev1.id],
      ['comment', dev2.id],
    ]);
    expect(history.actions[1]).toMatchObject({ opinion: '预算已核对', attachments: ['att-2'] });
  });
});

describe('delegation and handover', () => {
  it('tasks created during a delegation go to the delegate, recording delegatedFrom', async () => {
    const { dev1, devManager, dev2 } = env.m;
    const now = env.clock.now().getTime();
    await delegate(env.ctx, {
      fromMemberId: devManager.id,
      toMemberId: dev2.id,
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
    });
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    const [task] = (await listTasks(env.as(dev2.id), { box: 'pending' })).items.filter(
      (t) => t.instanceId === instanceId,
    );
    expect(task).toMatchObject({ delegatedFrom: devManager.id });
    env.clock.advance(2 * 86_400_000);
    const later = await submit(env.as(dev1.id), { flow, values });
    const mine = (await listTasks(env.as(devManager.id), { box: 'pending' })).items;
    expect(mine.some((t) => t.instanceId === later.instanceId)).toBe(true);
  });

  it('a delegation created or revoked between two approvals applies to the next node at once', async () => {
    const { dev1, devManager, cto, ceo } = env.m;
    const pendingOf = async (memberId: string, instanceId: string) =>
      (await listTasks(env.as(memberId), { box: 'pending' })).items.find((t) => t.instanceId === instanceId);
    // Approving node one enters node two (cto): the first one reads the delegations, then they are known.
    const passOne = async () => {
      const { instanceId } = await submit(env.as(dev1.id), { flow, values });
      const task = await pendingOf(devManager.id, instanceId);
      await approve(env.as(devManager.id), { taskId: task?.taskId as string });
      return instanceId;
    };
    expect(await pendingOf(cto.id, await passOne())).toBeDefined();
    const now = env.clock.now().getTime();
    const { id } = await delegate(env.ctx, {
      fromMemberId: cto.id,
      toMemberId: ceo.id,
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
    });
    const delegated = await passOne();
    expect(await pendingOf(ceo.id, delegated)).toMatchObject({ delegatedFrom: cto.id });
    await revokeDelegation(env.ctx, { id });
    expect(await pendingOf(cto.id, await passOne())).toMatchObject({ delegatedFrom: null });
  });

  it('flowMemberLeft holds a leave without successor and moves open tasks to the successor', async () => {
    const { dev1, cto, ceo } = env.m;
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    const [task] = (await listTasks(env.as(env.m.devManager.id), { box: 'pending' })).items.filter(
      (t) => t.instanceId === instanceId,
    );
    await approve(env.as(env.m.devManager.id), { taskId: task?.taskId as string });
    const held = await flowMemberLeft(env.ctx, { memberId: cto.id, successorId: null });
    expect(held.held).toBeGreaterThan(0);
    const off = registerHandover('flow', flowMemberLeft);
    try {
      const result = await memberLeaves(env.ctx, { memberId: cto.id, successorId: ceo.id });
      expect(result.handovers.flow).toMatchObject({ moved: held.held });
    } finally {
      off();
    }
    const moved = (await listTasks(env.as(ceo.id), { box: 'pending' })).items.find((t) => t.instanceId === instanceId);
    expect(moved).toMatchObject({ delegatedFrom: cto.id });
    expect((await approve(env.as(ceo.id), { taskId: moved?.taskId as string })).state).toBe('approved');
  });

  it('a member changing post (调岗) keeps their tasks, unless a successor is named: then they move, audited', async () => {
    const { dev1, devManager, dev2 } = env.m;
    const first = await submit(env.as(dev1.id), { flow, values });
    const off = registerHandover('flow', flowMemberLeft);
    try {
      // A transfer without a successor: the manager still holds the request.
      let manager = await getMember(env.ctx, { id: devManager.id });
      await moveMember(env.ctx, { memberId: devManager.id, levelId: null, version: manager.version });
      const kept = (await listTasks(env.as(devManager.id), { box: 'pending' })).items;
      expect(kept.some((t) => t.instanceId === first.instanceId)).toBe(true);

      manager = await getMember(env.ctx, { id: devManager.id });
      const refused = await moveMember(env.ctx, { memberId: devManager.id, successorId: devManager.id }).catch(
        (e: { code: string }) => e.code,
      );
      expect(refused).toBe('ORG_SUCCESSOR_INVALID');
      await moveMember(env.ctx, { memberId: devManager.id, successorId: dev2.id, version: manager.version });
    } finally {
      off();
    }
    expect((await listTasks(env.as(devManager.id), { box: 'pending' })).items).toEqual([]);
    const moved = (await listTasks(env.as(dev2.id), { box: 'pending' })).items.find(
      (t) => t.instanceId === first.instanceId,
    );
    expect(moved).toMatchObject({ delegatedFrom: devManager.id });
    const handover = await env.database.db
      .selectFrom('baton_flow_action')
      .select(['action', 'detail'])
      .where('instanceId', '=', first.instanceId)
      .where('action', '=', 'handover')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(handover.detail))).toEqual({ from: devManager.id, to: dev2.id, reason: 'move' });
  });
});
