// The flow benchmark on one database: completed "submit + 3 sequential approvals" instances per second with
// concurrent clients, the pending list of a busy member over a large task table (bulk-seeded outside the
// engine), and one countersign node with 100 assignees.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type Actor, newId, silentLogger, systemActor, systemClock } from '@baton/core';
import { type DbCtx, dialectOf } from '@baton/db';
import { approve, type FlowDefinitionInput, listTasks, publishFlow, submit } from '@baton/flow';
import { type FormDefinitionInput, publishForm } from '@baton/form';
import { createDepartment, createMembers, createUnit, type Member } from '@baton/org';
import { type Kysely, sql } from 'kysely';
import { percentile } from '../lib/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the bulk load writes snake_case columns without the camel-case plugin
type AnyDb = Kysely<any>;

export interface FlowSize {
  /** Concurrent client loops in this process, sharing the database pool. */
  clients: number;
  /** Timed duration of the throughput phase. */
  throughputSeconds: number;
  /** Tasks stored for the pending-list phase (bulk-loaded). */
  bulkTasks: number;
  /** Pending approval tasks of the one busy member among them. */
  pendingTasks: number;
  /** Timed pending-list calls, after `listWarmup` untimed ones. */
  listCalls: number;
  listWarmup: number;
  /** Assignees of the countersign node. */
  countersignAssignees: number;
  /** Countersign instances (each: submit, then every approval). */
  countersignRounds: number;
}

export interface LatencyFigure {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  perSecond: number;
}

export interface FlowRunFigure {
  dialect: string;
  throughput: {
    clients: number;
    seconds: number;
    instances: number;
    actionsPerInstance: number;
    instancesPerSecond: number;
    actionsPerSecond: number;
    /** CPU time of this Node process over wall time (100 % = one core busy): near 100 %, the client side is the limit. */
    nodeCpuPercent: number;
    /**
     * CPU per action of this process and of the PostgreSQL backends serving this database (read from /proc when the
     * server runs on this machine, else null): unlike actions/s these hardly move when other work shares the cores.
     */
    cpuPerActionMs: { node: number; database: number | null };
    /** Wall time of one whole instance (submit + 3 approvals) as one client saw it. */
    perInstance: LatencyFigure;
    submit: LatencyFigure;
    approve: LatencyFigure;
  };
  countersign: {
    assignees: number;
    rounds: number;
    /** The submit that enters the node and creates every task, one transaction. */
    submit: LatencyFigure;
    /** All approvals of one instance, one after the other, in seconds. */
    allApprovalsSeconds: number[];
    approve: LatencyFigure;
  };
  pending: {
    load: { tasks: number; instances: number; seconds: number; rowsPerSecond: number; method: string };
    pendingOfMember: number;
    firstPage: LatencyFigure;
  };
}

export function latency(samples: readonly number[]): LatencyFigure {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    meanMs: sorted.length ? total / sorted.length : Number.NaN,
    perSecond: total > 0 ? sorted.length / (total / 1000) : Number.NaN,
  };
}

const l = (text: string) => ({ zh: text, en: text });

const claim: FormDefinitionInput = {
  pack: 'bench',
  key: 'claim',
  kind: 'flow',
  label: l('Expense claim'),
  fields: [
    { key: 'amount', label: l('Amount'), type: 'money', required: true },
    { key: 'reason', label: l('Reason'), type: 'text' },
    { key: 'managerOpinion', label: l('Manager opinion'), type: 'opinion', node: 'manager' },
  ],
};

/** start → the given nodes in a line → end. */
function line(key: string, nodes: FlowDefinitionInput['nodes']): FlowDefinitionInput {
  const all = [{ key: 'start', kind: 'start' }, ...nodes, { key: 'end', kind: 'end' }];
  return {
    pack: 'bench',
    key,
    name: l(key),
    form: { pack: 'bench', key: 'claim' },
    nodes: all,
    edges: all.slice(1).map((node, index) => ({ from: (all[index] as { key: string }).key, to: node.key })),
  };
}

const members = (...ids: string[]) => [{ source: 'members', ids }];

async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await call();
  samples.push(performance.now() - t0);
  return result;
}

/** The instance's pending task ids: one indexed read, standing in for the approver opening the request. */
async function pendingTaskIds(db: DbCtx['db'], instanceId: string): Promise<Array<{ id: string; assigneeId: string }>> {
  return db
    .selectFrom('baton_flow_task')
    .select(['id', 'assigneeId'])
    .where('instanceId', '=', instanceId)
    .where('state', '=', 'pending')
    .orderBy('seq')
    .execute();
}

async function buildOrg(ctx: DbCtx, size: FlowSize) {
  const unit = await createUnit(ctx, { code: 'HQ', name: 'Headquarters', kind: 'headquarters' });
  const department = await createDepartment(ctx, { unitId: unit.id, code: '10-1', name: 'Head office' });
  let n = 0;
  const many = async (count: number, prefix: string): Promise<Member[]> =>
    createMembers(ctx, {
      members: Array.from({ length: count }, () => {
        n += 1;
        return { code: `E${n}`, name: `${prefix} ${n}`, login: `${prefix}${n}`, mainDepartmentId: department.id };
      }),
    });
  return {
    initiators: await many(size.clients, 'initiator'),
    approvers: await many(3, 'approver'),
    board: await many(size.countersignAssignees, 'board'),
    busy: (await many(1, 'busy'))[0] as Member,
  };
}

/** Throughput: `clients` async loops, each submitting a claim and walking it through 3 sequential approvals. */
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU used so far (ms) by each PostgreSQL backend connected to this database, read from /proc/<pid>/stat; null when
 * the server is not on this machine or this is not PostgreSQL. Backends are per connection, so the pool's stay the
 * same across the timed phase.
 */
async function backendCpuMs(db: DbCtx['db']): Promise<Map<number, number> | null> {
  if (dialectOf(db) !== 'postgres') return null;
  const { rows } = await sql<{
    pid: number;
  }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return null;
    }
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
  }
  return out;
}

/** CPU the backends used between two readings; a backend that appeared in between counts from zero. */
function sumFrom(after: Map<number, number>, before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

async function throughput(
  db: DbCtx['db'],
  as: (memberId: string) => DbCtx,
  org: Awaited<ReturnType<typeof buildOrg>>,
  size: FlowSize,
): Promise<FlowRunFigure['throughput']> {
  const flow = { pack: 'bench', key: 'claim3' };
  const oneInstance = async (initiator: string, perInstance: number[], submits: number[], approves: number[]) => {
    const t0 = performance.now();
    const started = await timed(submits, () =>
      submit(as(initiator), { flow, values: { amount: 120_000, reason: 'travel' } }),
    );
    let state = started.state;
    for (const approver of org.approvers) {
      const [task] = await pendingTaskIds(db, started.instanceId);
      if (!task || task.assigneeId !== approver.id) throw new Error('bench/flow: the next approver has no task');
      state = (await timed(approves, () => approve(as(approver.id), { taskId: task.id, opinion: 'agreed' }))).state;
    }
    if (state !== 'approved') throw new Error(`bench/flow: instance ended ${state}, not approved`);
    perInstance.push(performance.now() - t0);
  };
  // Warm-up: definitions, statements and caches, outside the timing.
  for (const initiator of org.initiators.slice(0, 2)) await oneInstance(initiator.id, [], [], []);

  const perInstance: number[] = [];
  const submits: number[] = [];
  const approves: number[] = [];
  const server0 = await backendCpuMs(db);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + size.throughputSeconds * 1000;
  await Promise.all(
    org.initiators.map(async (initiator) => {
      while (performance.now() < deadline) await oneInstance(initiator.id, perInstance, submits, approves);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = await backendCpuMs(db);
  const actionsPerInstance = 1 + org.approvers.length;
  const actions = perInstance.length * actionsPerInstance;
  return {
    clients: org.initiators.length,
    seconds,
    instances: perInstance.length,
    actionsPerInstance,
    instancesPerSecond: perInstance.length / seconds,
    actionsPerSecond: (perInstance.length * actionsPerInstance) / seconds,
    nodeCpuPercent: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    cpuPerActionMs: {
      node: (cpu.user + cpu.system) / 1e3 / actions,
      database: server0 && server1 ? sumFrom(server1, server0) / actions : null,
    },
    perInstance: latency(perInstance),
    submit: latency(submits),
    approve: latency(approves),
  };
}

async function countersign(
  db: DbCtx['db'],
  as: (memberId: string) => DbCtx,
  org: Awaited<ReturnType<typeof buildOrg>>,
  size: FlowSize,
): Promise<FlowRunFigure['countersign']> {
  const flow = { pack: 'bench', key: 'board' };
  const submits: number[] = [];
  const approves: number[] = [];
  const allApprovalsSeconds: number[] = [];
  const initiator = (org.initiators[0] as Member).id;
  for (let round = 0; round < size.countersignRounds; round++) {
    const started = await timed(submits, () =>
      submit(as(initiator), { flow, values: { amount: 5_000_000, reason: 'board decision' } }),
    );
    const tasks = await pendingTaskIds(db, started.instanceId);
    if (tasks.length !== size.countersignAssignees)
      throw new Error(`bench/flow: countersign created ${tasks.length} tasks, not ${size.countersignAssignees}`);
    const t0 = performance.now();
    let state = started.state;
    for (const [index, task] of tasks.entries()) {
      state = (await timed(approves, () => approve(as(task.assigneeId), { taskId: task.id }))).state;
      if (index < tasks.length - 1 && state !== 'running')
        throw new Error(`bench/flow: countersign left running after ${index + 1} approvals`);
    }
    allApprovalsSeconds.push((performance.now() - t0) / 1000);
    if (state !== 'approved') throw new Error(`bench/flow: countersign ended ${state}, not approved`);
  }
  return {
    assignees: size.countersignAssignees,
    rounds: size.countersignRounds,
    submit: latency(submits),
    allApprovalsSeconds,
    approve: latency(approves),
  };
}

const CHUNK = 1_000;
const OTHER_ASSIGNEES = 5_000;

/**
 * Bulk load outside the engine: multi-row INSERTs of 1,000 rows, instances first (4 tasks each), then tasks.
 * Every `stride`-th task is a pending approval of the busy member on its own instance; the task after it is
 * one he has done; the rest belong to 5,000 other members, 1 in 10 pending, 1 in 20 a notification.
 */
async function load(
  db: AnyDb,
  size: FlowSize,
  busyId: string,
  initiatorId: string,
  log: (line: string) => void,
): Promise<FlowRunFigure['pending']['load']> {
  const raw = db.withoutPlugins();
  const stride = Math.floor(size.bulkTasks / size.pendingTasks);
  if (stride < 4) throw new Error('bench/flow: bulkTasks must be at least 4 × pendingTasks');
  const instances = Math.ceil(size.bulkTasks / 4);
  const instanceIds = Array.from({ length: instances }, () => newId());
  // A task's created_at is a second apart from the next, ending before the run, so seeded rows sort older.
  const base = Date.now() - size.bulkTasks * 1000 - 86_400_000;
  const at = (i: number) => new Date(base + i * 1000).toISOString();
  const t0 = performance.now();
  await raw.transaction().execute(async (trx) => {
    for (let start = 0; start < instances; start += CHUNK) {
      const rows = [];
      for (let i = start; i < Math.min(start + CHUNK, instances); i++) {
        rows.push({
          id: instanceIds[i],
          version: 2,
          flow_pack: 'bench',
          flow_key: 'seed',
          flow_version: 1,
          form_pack: 'bench',
          form_key: 'claim',
          record_id: newId(),
          title: `Seeded claim ${i}`,
          initiator_id: initiatorId,
          state: 'running',
          current_nodes: '["manager"]',
          returned_from: null,
          acts_since_submit: 0,
          chosen: '{}',
          parent_instance_id: null,
          parent_node_run_id: null,
          submitted_at: at(i * 4),
          finished_at: null,
          created_at: at(i * 4),
          updated_at: at(i * 4),
        });
      }
      await trx.insertInto('baton_flow_instance').values(rows).execute();
    }
    let pendingOfBusy = 0;
    for (let start = 0; start < size.bulkTasks; start += CHUNK) {
      const rows = [];
      for (let i = start; i < Math.min(start + CHUNK, size.bulkTasks); i++) {
        const busy = i % stride === 0 && pendingOfBusy < size.pendingTasks;
        if (busy) pendingOfBusy += 1;
        const busyDone = i % stride === 1;
        const mine = busy || busyDone;
        const notify = !mine && i % 20 === 7;
        const pending = busy || (!mine && !notify && i % 10 === 3);
        rows.push({
          id: newId(),
          instance_id: instanceIds[Math.floor(i / 4)],
          node_run_id: newId(),
          node_key: 'manager',
          kind: notify ? 'notify' : 'approval',
          assignee_id: mine ? busyId : `bench-m-${i % OTHER_ASSIGNEES}`,
          state: pending ? 'pending' : 'done',
          outcome: pending ? null : notify ? 'notified' : 'approved',
          opinion: null,
          attachments: null,
          seq: 0,
          origin: 'assigned',
          added_by: null,
          delegated_from: null,
          read_at: null,
          urged_at: null,
          created_at: at(i),
          acted_at: pending ? null : at(i + 1),
        });
      }
      await trx.insertInto('baton_flow_task').values(rows).execute();
      if (start > 0 && start % 200_000 === 0) log(`  … ${start.toLocaleString('en-US')} tasks`);
    }
  });
  await sql`analyze`.execute(raw);
  const seconds = (performance.now() - t0) / 1000;
  return {
    tasks: size.bulkTasks,
    instances,
    seconds,
    rowsPerSecond: (size.bulkTasks + instances) / seconds,
    method: `multi-row INSERTs of ${CHUNK.toLocaleString('en-US')} rows in one transaction, then ANALYZE`,
  };
}

async function pendingList(
  db: DbCtx['db'],
  as: (memberId: string) => DbCtx,
  org: Awaited<ReturnType<typeof buildOrg>>,
  size: FlowSize,
  log: (line: string) => void,
): Promise<FlowRunFigure['pending']> {
  const loaded = await load(db as unknown as AnyDb, size, org.busy.id, (org.initiators[0] as Member).id, log);
  log(`  loaded in ${loaded.seconds.toFixed(1)} s; ${size.listCalls} pending-list calls …`);
  const ctx = as(org.busy.id);
  const firstPage: number[] = [];
  for (let i = 0; i < size.listWarmup + size.listCalls; i++) {
    const page = await timed(i < size.listWarmup ? [] : firstPage, () => listTasks(ctx, { box: 'pending', limit: 50 }));
    if (page.items.length !== 50) throw new Error(`bench/flow: the pending list returned ${page.items.length} items`);
  }
  // Check, untimed: following the cursors finds every seeded pending task of the member.
  let pendingOfMember = 0;
  let cursor: string | undefined;
  do {
    const page = await listTasks(ctx, { box: 'pending', limit: 200, ...(cursor ? { cursor } : {}) });
    pendingOfMember += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (pendingOfMember !== size.pendingTasks)
    throw new Error(`bench/flow: ${pendingOfMember} pending tasks listed, ${size.pendingTasks} seeded`);
  return { load: loaded, pendingOfMember, firstPage: latency(firstPage) };
}

export async function runFlowScenario(
  db: DbCtx['db'],
  dialect: string,
  size: FlowSize,
  log: (line: string) => void,
): Promise<FlowRunFigure> {
  const ctx: DbCtx = { db, actor: systemActor('bench-flow'), clock: systemClock, log: silentLogger() };
  const as = (memberId: string): DbCtx => ({
    ...ctx,
    actor: { kind: 'member', memberId } satisfies Actor,
  });
  const org = await buildOrg(ctx, size);
  await publishForm(ctx, claim);
  const [manager, director, finance] = org.approvers as [Member, Member, Member];
  await publishFlow(
    ctx,
    line('claim3', [
      { key: 'manager', kind: 'approval', assignees: members(manager.id), opinionField: 'managerOpinion' },
      { key: 'director', kind: 'approval', assignees: members(director.id) },
      { key: 'finance', kind: 'approval', assignees: members(finance.id) },
    ]),
  );
  await publishFlow(
    ctx,
    line('board', [
      { key: 'board', kind: 'approval', mode: 'countersign', assignees: members(...org.board.map((m) => m.id)) },
    ]),
  );

  log(`${dialect}: ${size.clients} clients × (submit + 3 approvals) for ${size.throughputSeconds} s …`);
  const through = await throughput(db, as, org, size);
  log(`  ${through.instances} instances, ${through.instancesPerSecond.toFixed(1)}/s`);

  log(`${dialect}: countersign with ${size.countersignAssignees} assignees × ${size.countersignRounds} …`);
  const cs = await countersign(db, as, org, size);

  log(
    `${dialect}: loading ${size.bulkTasks.toLocaleString('en-US')} tasks ` +
      `(${size.pendingTasks.toLocaleString('en-US')} pending for one member) on ${dialectOf(db)} …`,
  );
  const pending = await pendingList(db, as, org, size, log);
  return { dialect, throughput: through, countersign: cs, pending };
}
