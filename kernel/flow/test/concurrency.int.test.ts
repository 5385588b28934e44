import { isBatonError } from '@baton/core';
import { type Db, fromJson } from '@baton/db';
import {
  type ActionResult,
  addSigner,
  approve,
  listTasks,
  onFlowEvent,
  reject,
  submit,
  terminate,
  transfer,
  withdraw,
} from '@baton/flow';
import { testDialect } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, line, members, openEnv, publish } from './fixtures.ts';

let env: Env;
let second: Db;
beforeAll(async () => {
  env = await openEnv();
  // PostgreSQL: a second pool, so the two actions really run in two sessions. SQLite has one connection
  // per process: the second action queues behind the first one's BEGIN IMMEDIATE.
  second = testDialect === 'postgres' ? env.database.openSecond().db : env.database.db;
});
afterAll(async () => {
  await env?.database.cleanup();
});

const LOSER_CODES = ['DB_VERSION_CONFLICT', 'FLOW_TASK_NOT_PENDING', 'FLOW_WITHDRAW_TOO_LATE', 'FLOW_INVALID_STATE'];

/**
 * Runs `first` until it emits its first flow event (inside its transaction, after it took the instance's
 * lock), starts `second` while `first` is paused there, lets `first` commit, and returns both outcomes.
 */
async function race(
  first: () => Promise<ActionResult>,
  secondOp: () => Promise<ActionResult>,
): Promise<[PromiseSettledResult<ActionResult>, PromiseSettledResult<ActionResult>]> {
  let armed = true;
  let paused!: () => void;
  let release!: () => void;
  const isPaused = new Promise<void>((resolve) => {
    paused = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const off = onFlowEvent(async () => {
    if (!armed) return;
    armed = false;
    paused();
    await released;
  });
  try {
    const a = first();
    await isPaused;
    const b = secondOp();
    await new Promise((resolve) => setTimeout(resolve, 150));
    release();
    return (await Promise.allSettled([a, b])) as [
      PromiseSettledResult<ActionResult>,
      PromiseSettledResult<ActionResult>,
    ];
  } finally {
    off();
  }
}

const codeOf = (result: PromiseSettledResult<unknown>) =>
  result.status === 'rejected' && isBatonError(result.reason) ? result.reason.code : result.status;

async function taskOf(memberId: string, instanceId: string): Promise<string> {
  const { items } = await listTasks(env.as(memberId), { box: 'pending', limit: 200 });
  const task = items.find((item) => item.instanceId === instanceId);
  if (!task) throw new Error(`no pending task for ${memberId}`);
  return task.taskId;
}

async function instanceRow(id: string) {
  return env.database.db.selectFrom('baton_flow_instance').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function runsOf(instanceId: string, nodeKey: string) {
  return env.database.db
    .selectFrom('baton_flow_node_run')
    .selectAll()
    .where('instanceId', '=', instanceId)
    .where('nodeKey', '=', nodeKey)
    .execute();
}

const values = { amount: 5000, reason: '并发' };

describe(`competing actions (${testDialect})`, () => {
  it('two countersign approvals: the node completes once; a loser retries and succeeds', async () => {
    const { dev1, acc1, acc2, cfo } = env.m;
    const def = line(
      { key: 'cs', kind: 'approval', mode: 'countersign', assignees: members(acc1.id, acc2.id) },
      { key: 'next', kind: 'approval', assignees: members(cfo.id) },
    );
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    const t1 = await taskOf(acc1.id, instanceId);
    const t2 = await taskOf(acc2.id, instanceId);
    const [a, b] = await race(
      () => approve(env.as(acc1.id), { taskId: t1, clientActionId: 'a1' }),
      () => approve(env.as(acc2.id, second), { taskId: t2, clientActionId: 'a2' }),
    );
    expect(a.status).toBe('fulfilled');
    if (b.status === 'rejected') {
      expect(codeOf(b)).toBe('DB_VERSION_CONFLICT');
      await approve(env.as(acc2.id), { taskId: t2, clientActionId: 'a2' });
    }
    expect((await runsOf(instanceId, 'next')).length).toBe(1);
    expect(fromJson<string[]>((await instanceRow(instanceId)).currentNodes)).toEqual(['next']);
  });

  it('two anySign approvals: exactly one approves, the other gets a coded conflict', async () => {
    const { dev1, acc1, acc2 } = env.m;
    const def = line({ key: 'any', kind: 'approval', mode: 'anySign', assignees: members(acc1.id, acc2.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    const t1 = await taskOf(acc1.id, instanceId);
    const t2 = await taskOf(acc2.id, instanceId);
    const [a, b] = await race(
      () => approve(env.as(acc1.id), { taskId: t1 }),
      () => approve(env.as(acc2.id, second), { taskId: t2 }),
    );
    expect(a.status).toBe('fulfilled');
    expect(LOSER_CODES).toContain(codeOf(b));
    // Two sessions on PostgreSQL: the second waited on the instance row and lost the optimistic lock at the
    // version it had read; read again under the lock, its task is no longer pending.
    if (testDialect === 'postgres') expect(codeOf(b)).toBe('FLOW_TASK_NOT_PENDING');
    const approvedTasks = await env.database.db
      .selectFrom('baton_flow_task')
      .select('id')
      .where('instanceId', '=', instanceId)
      .where('outcome', '=', 'approved')
      .execute();
    expect(approvedTasks).toHaveLength(1);
    expect((await instanceRow(instanceId)).state).toBe('approved');
  });

  const competitors: Array<{
    name: string;
    mode?: string;
    second: (ids: { instanceId: string; taskId: string; otherTaskId?: string }) => Promise<ActionResult>;
    after: (state: string) => void;
    /** The second action is also valid after the first commits (a serial order), not only as a loser. */
    serialOk?: string;
  }> = [
    {
      name: 'withdraw',
      second: ({ instanceId }) => withdraw(env.as(env.m.dev1.id, second), { instanceId }),
      after: (state) => expect(state).toBe('running'),
    },
    {
      name: 'terminate',
      second: ({ instanceId }) => terminate(env.as(env.m.dev1.id, second), { instanceId }),
      after: (state) => expect(state).toBe('running'),
      serialOk: 'terminated',
    },
    {
      name: 'reject of the other anySign task',
      mode: 'anySign',
      second: ({ otherTaskId }) => reject(env.as(env.m.acc2.id, second), { taskId: otherTaskId as string }),
      after: (state) => expect(state).toBe('running'),
    },
    {
      name: 'transfer of the same task (double click)',
      second: ({ taskId }) => transfer(env.as(env.m.acc1.id, second), { taskId, to: env.m.acc2.id }),
      after: (state) => expect(state).toBe('running'),
    },
    {
      name: 'addSigner on the same task',
      second: ({ taskId }) =>
        addSigner(env.as(env.m.acc1.id, second), { taskId, members: [env.m.acc2.id], position: 'before' }),
      after: (state) => expect(state).toBe('running'),
    },
  ];

  for (const competitor of competitors) {
    it(`approve against ${competitor.name}: one effect, a coded loser, a valid state`, async () => {
      const { dev1, acc1, acc2, cfo } = env.m;
      const def = line(
        {
          key: 'a',
          kind: 'approval',
          mode: competitor.mode ?? 'single',
          assignees: members(...(competitor.mode === 'anySign' ? [acc1.id, acc2.id] : [acc1.id])),
        },
        { key: 'b', kind: 'approval', assignees: members(cfo.id) },
      );
      const flow = await publish(env, def.nodes, def.edges);
      const { instanceId } = await submit(env.as(dev1.id), { flow, values });
      const taskId = await taskOf(acc1.id, instanceId);
      const otherTaskId = competitor.mode === 'anySign' ? await taskOf(acc2.id, instanceId) : undefined;
      const [a, b] = await race(
        () => approve(env.as(acc1.id), { taskId }),
        () => competitor.second({ instanceId, taskId, otherTaskId }),
      );
      expect(a.status).toBe('fulfilled');
      const row = await instanceRow(instanceId);
      if (competitor.serialOk && b.status === 'fulfilled') {
        // Queued behind the approval (SQLite), the second action ran on the new state: also one effect each.
        expect(row.state).toBe(competitor.serialOk);
        await checkInvariants();
        return;
      }
      expect(LOSER_CODES).toContain(codeOf(b));
      competitor.after(row.state);
      expect(fromJson<string[]>(row.currentNodes)).toEqual(['b']);
      await checkInvariants();
    });
  }

  it('two anySign approvals from two processes (a real second connection on SQLite too)', async () => {
    const { dev1, acc1, acc2 } = env.m;
    const def = line({ key: 'any', kind: 'approval', mode: 'anySign', assignees: members(acc1.id, acc2.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    const t1 = await taskOf(acc1.id, instanceId);
    const t2 = await taskOf(acc2.id, instanceId);
    const child = await env.database.spawnChild<{ ok: boolean; code?: string; state?: string }>(
      new URL('./child-approve.ts', import.meta.url),
      { taskId: t2, memberId: acc2.id, now: env.clock.now().toISOString() },
    );
    let childResult: { ok: boolean; code?: string } | undefined;
    const [a] = await race(
      () => approve(env.as(acc1.id), { taskId: t1 }),
      async () => {
        childResult = await child.go();
        return {} as ActionResult;
      },
    );
    expect(a.status).toBe('fulfilled');
    expect(childResult?.ok).toBe(false);
    expect(LOSER_CODES).toContain(childResult?.code);
    expect((await instanceRow(instanceId)).state).toBe('approved');
    await checkInvariants();
  }, 60_000);

  it('withdraw against approve (withdraw first): the approval loses', async () => {
    const { dev1, acc1 } = env.m;
    const def = line({ key: 'a', kind: 'approval', assignees: members(acc1.id) });
    const flow = await publish(env, def.nodes, def.edges);
    const { instanceId } = await submit(env.as(dev1.id), { flow, values });
    const taskId = await taskOf(acc1.id, instanceId);
    const [a, b] = await race(
      () => withdraw(env.as(dev1.id), { instanceId }),
      () => approve(env.as(acc1.id, second), { taskId }),
    );
    expect(a.status).toBe('fulfilled');
    expect(LOSER_CODES).toContain(codeOf(b));
    expect((await instanceRow(instanceId)).state).toBe('withdrawn');
  });

  it('a randomised stress test keeps every invariant', async () => {
    const { dev1, dev2, acc1, acc2, cfo, devManager } = env.m;
    const def = line(
      { key: 'cs', kind: 'approval', mode: 'countersign', assignees: members(acc1.id, acc2.id) },
      { key: 'any', kind: 'approval', mode: 'anySign', assignees: members(cfo.id, devManager.id) },
    );
    const flow = await publish(env, def.nodes, def.edges);
    const instances: string[] = [];
    for (let i = 0; i < 6; i++) {
      instances.push((await submit(env.as(i % 2 ? dev1.id : dev2.id), { flow, values })).instanceId);
    }
    const initiators = new Map<string, string>();
    for (const [i, id] of instances.entries()) initiators.set(id, i % 2 ? dev1.id : dev2.id);
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const unexpected: unknown[] = [];
    const worker = async (db: Db) => {
      for (let step = 0; step < 12; step++) {
        const instanceId = instances[random(instances.length)] as string;
        const tasks = await db
          .selectFrom('baton_flow_task')
          .select(['id', 'assigneeId'])
          .where('instanceId', '=', instanceId)
          .where('state', '=', 'pending')
          .execute();
        const task = tasks[random(Math.max(tasks.length, 1))];
        const choice = random(10);
        try {
          if (choice === 0) await withdraw(env.as(initiators.get(instanceId) as string, db), { instanceId });
          else if (choice === 1 && random(3) === 0)
            await terminate(env.as(initiators.get(instanceId) as string, db), { instanceId });
          else if (!task) continue;
          else if (choice === 2) await reject(env.as(task.assigneeId, db), { taskId: task.id });
          else await approve(env.as(task.assigneeId, db), { taskId: task.id, clientActionId: `s-${task.id}` });
        } catch (error) {
          if (!isBatonError(error) || !LOSER_CODES.includes(error.code)) unexpected.push(error);
        }
      }
    };
    const dbs =
      testDialect === 'postgres' ? [env.database.db, second, env.database.openSecond().db] : [env.database.db];
    await Promise.all([worker(dbs[0] as Db), worker(dbs[1 % dbs.length] as Db), worker(dbs[2 % dbs.length] as Db)]);
    expect(unexpected).toEqual([]);
    const acted = await env.database.db
      .selectFrom('baton_flow_action')
      .select('id')
      .where('instanceId', 'in', instances)
      .where('action', '<>', 'submit')
      .execute();
    expect(acted.length).toBeGreaterThan(5);
    await checkInvariants();
  });
});

/** Every instance in one valid state; finished ones hold no open task or active node; current nodes match. */
async function checkInvariants(): Promise<void> {
  const db = env.database.db;
  const instances = await db.selectFrom('baton_flow_instance').selectAll().execute();
  for (const instance of instances) {
    expect(['draft', 'running', 'approved', 'rejected', 'withdrawn', 'terminated']).toContain(instance.state);
    const open = await db
      .selectFrom('baton_flow_task')
      .select('id')
      .where('instanceId', '=', instance.id)
      .where('state', 'in', ['pending', 'waiting'])
      .execute();
    const active = await db
      .selectFrom('baton_flow_node_run')
      .select('nodeKey')
      .where('instanceId', '=', instance.id)
      .where('state', 'in', ['active', 'waiting'])
      .execute();
    if (instance.state !== 'running') {
      expect(open, `${instance.id} ${instance.state}`).toEqual([]);
      expect(active).toEqual([]);
    } else {
      expect(active.length).toBeGreaterThan(0);
    }
    expect([...new Set(active.map((run) => run.nodeKey))].sort()).toEqual(
      [...fromJson<string[]>(instance.currentNodes)].sort(),
    );
    const ends = await db
      .selectFrom('baton_flow_node_run')
      .select('id')
      .where('instanceId', '=', instance.id)
      .where('kind', '=', 'end')
      .execute();
    expect(ends.length).toBeLessThanOrEqual(1);
  }
}
