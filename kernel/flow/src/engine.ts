import { newId } from '@baton/core';
import { type DbCtx, dialectOf, fromJson, instant, reusableQuery, stampOf, toJson, updateVersioned } from '@baton/db';
import { evaluate } from '@baton/expression';
import { type FormDefinition, type FormRecord, formPublishStamp, getRecord, tableName } from '@baton/form';
import { getMemberWithUnit, type MemberWithUnit } from '@baton/org';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { AssigneeSpec } from './assignee-sources/define.ts';
import { findAssigneeSource } from './assignee-sources/registry.ts';
import { type CompiledFlow, compileFlow } from './definition.ts';
import { FlowErrors } from './errors.ts';
import { emitFlowEvent, type FlowEvent, hasFlowListeners } from './events.ts';
import type { NodeKindDefinition, Progress } from './node-kinds/define.ts';
import { findNodeKind } from './node-kinds/registry.ts';
import type { Initiator, NewTask, NodeRun, Runtime, Task } from './runtime-types.ts';
import type { FlowActionTable, FlowInstanceTable, FlowNodeRunTable, InstanceState } from './schema.ts';
import type { FlowNodeInput } from './types.ts';

export type Instance = FlowInstanceTable;

/**
 * A lazily claimed action found the instance moved on since its snapshot: its transaction rolls back and the
 * action runs again the classic way, claiming first (not exported from the package).
 */
export class ClaimLost extends Error {
  constructor() {
    super('flow: the instance changed since the snapshot');
  }
}

/** What conditions and assignee sources know of the initiator (nothing but the id when the member is gone). */
export function initiatorOf(memberId: string, found: MemberWithUnit | undefined): Initiator {
  return {
    memberId,
    departmentId: found?.member.mainDepartmentId ?? null,
    unitId: found?.unitId ?? null,
    postId: found?.member.postId ?? null,
    levelRank: found?.levelRank ?? null,
  };
}

/** Who acts: a member id, or `system:<name>`. */
export function actorId(ctx: DbCtx): string {
  const actor = ctx.actor;
  return actor.kind === 'member' ? actor.memberId : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}

/** A published form definition: the given version, or the latest. */
export async function formAt(
  ctx: DbCtx,
  pack: string,
  key: string,
  version?: number,
): Promise<{ version: number; hash: string; form: FormDefinition }> {
  let query = ctx.db
    .selectFrom('baton_form_definition')
    .select(['version', 'hash', 'definition'])
    .where('pack', '=', pack)
    .where('key', '=', key);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) throw FlowErrors.notPublished.create({ flow: `form ${pack}.${key}` });
  return { version: Number(row.version), hash: row.hash, form: fromJson<FormDefinition>(row.definition) };
}

// Published rows never change, so a compiled flow is cached by both contents' hashes (validation is not free).
// The hashes come with the row that names the version (the instance, or the latest flow row), so a cache hit
// costs no statement of its own, and two databases seen by one process can never share a wrong entry.
const compiledFlows = new Map<string, CompiledFlow>();
/** The form a flow key was last seen bound to: lets the latest-version read join that form's hash. */
const formOfFlow = new Map<string, { pack: string; key: string }>();
const flowCacheKey = (flowHash: string, formHash: string) => `${flowHash}:${formHash}`;

function cachedFlow(
  flowHash: string | null | undefined,
  formHash: string | null | undefined,
): CompiledFlow | undefined {
  return flowHash && formHash ? compiledFlows.get(flowCacheKey(flowHash, formHash)) : undefined;
}

/** Reads a stored version and compiles it against the form version it was published with. */
async function compileStored(ctx: DbCtx, pack: string, key: string, version: number): Promise<CompiledFlow> {
  const row = await ctx.db
    .selectFrom('baton_flow_definition')
    .select(['hash', 'formVersion', 'definition'])
    .where('pack', '=', pack)
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw FlowErrors.notPublished.create({ flow: `${pack}.${key}` });
  const def = fromJson<{ form: { pack: string; key: string } }>(row.definition);
  const form = await formAt(ctx, def.form.pack, def.form.key, Number(row.formVersion));
  const cacheKey = flowCacheKey(row.hash, form.hash);
  let flow = compiledFlows.get(cacheKey);
  if (!flow) {
    flow = compileFlow(def, form.form);
    if (compiledFlows.size > 500) compiledFlows.clear();
    compiledFlows.set(cacheKey, flow);
  }
  formOfFlow.set(`${pack}.${key}`, { pack: def.form.pack, key: def.form.key });
  return flow;
}

/**
 * A published flow version (the latest when `version` is left out), compiled against the form version it
 * was published with: a later form change never strands a running instance.
 */
export async function loadFlow(
  ctx: DbCtx,
  pack: string,
  key: string,
  version?: number,
): Promise<{ version: number; flow: CompiledFlow; delegationStamp: string | null; formStamp: string | null }> {
  const form = formOfFlow.get(`${pack}.${key}`);
  let query = ctx.db
    .selectFrom('baton_flow_definition as d')
    .leftJoin('baton_form_definition as f', (join) =>
      join
        .on('f.pack', '=', form?.pack ?? '')
        .on('f.key', '=', form?.key ?? '')
        .onRef('f.version', '=', 'd.formVersion'),
    )
    .select(['d.version', 'd.hash', 'f.hash as formHash'])
    // A new instance's tasks look up delegations, and its record the form's latest version: their stamps come
    // with the version read, as with the snapshot.
    .select(delegationStampOf().as('delegationStamp'))
    .select(formPublishStamp().as('formStamp'))
    .where('d.pack', '=', pack)
    .where('d.key', '=', key);
  query = version === undefined ? query.orderBy('d.version', 'desc').limit(1) : query.where('d.version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) throw FlowErrors.notPublished.create({ flow: `${pack}.${key}` });
  // A guessed form that is not the flow's own has another hash, so it can only miss, never hit wrongly.
  const flow = cachedFlow(row.hash, row.formHash) ?? (await compileStored(ctx, pack, key, Number(row.version)));
  return {
    version: Number(row.version),
    flow,
    delegationStamp: row.delegationStamp ?? null,
    formStamp: row.formStamp ?? null,
  };
}

const hasDeadlinesCache = new WeakMap<CompiledFlow, boolean>();

/** Whether any node of the flow sets a deadline: only then can a task have timers to cancel. */
function hasDeadlines(flow: CompiledFlow): boolean {
  let found = hasDeadlinesCache.get(flow);
  if (found === undefined) {
    found = flow.def.nodes.some((node) => (node as { deadline?: unknown }).deadline !== undefined);
    hasDeadlinesCache.set(flow, found);
  }
  return found;
}

const configCache = new WeakMap<CompiledFlow, Map<string, unknown>>();

/** A node's options parsed by its kind's schema (defaults applied), once per compiled flow. */
function nodeConfig(flow: CompiledFlow, node: Readonly<FlowNodeInput>, kind: NodeKindDefinition): unknown {
  let perFlow = configCache.get(flow);
  if (!perFlow) {
    perFlow = new Map();
    configCache.set(flow, perFlow);
  }
  if (!perFlow.has(node.key)) {
    perFlow.set(
      node.key,
      kind.configSchema.parse(
        Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'key' && k !== 'kind' && k !== 'name')),
      ),
    );
  }
  return perFlow.get(node.key);
}

/** A node run as the engine keeps it: what node kinds see, plus the rest of its row. */
type RunRow = NodeRun & { childInstanceId: string | null; enteredAt: string; completedAt: string | null };

const toRun = (row: FlowNodeRunTable): RunRow => ({
  id: row.id,
  nodeKey: row.nodeKey,
  kind: row.kind,
  seq: Number(row.seq),
  state: row.state,
  outcome: row.outcome,
  assignees: fromJson<string[]>(row.assignees) ?? [],
  childInstanceId: row.childInstanceId,
  enteredAt: row.enteredAt,
  completedAt: row.completedAt,
});

const normTask = (row: Task): Task => ({ ...row, seq: Number(row.seq) });

const openRunStates = ['active', 'waiting'] as const;
const isOpen = (task: Task) => task.state === 'pending' || task.state === 'waiting';

/** The order tasks are read in (seq, then creation), the same in memory as in SQL. */
function byTaskOrder(a: Task, b: Task): number {
  return a.seq - b.seq || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1);
}

const runColumns = [
  'id',
  'nodeKey',
  'kind',
  'seq',
  'state',
  'outcome',
  'assignees',
  'childInstanceId',
  'enteredAt',
  'completedAt',
] as const;
const taskColumns = [
  'id',
  'instanceId',
  'nodeRunId',
  'nodeKey',
  'kind',
  'assigneeId',
  'state',
  'outcome',
  'opinion',
  'attachments',
  'seq',
  'origin',
  'addedBy',
  'delegatedFrom',
  'readAt',
  'urgedAt',
  'createdAt',
  'actedAt',
  'dueAt',
  'overdueAt',
] as const;
const prefixed = (prefix: string, column: string) => `${prefix}${column[0]?.toUpperCase()}${column.slice(1)}`;

function unprefix<T>(row: Record<string, unknown>, prefix: string, columns: readonly string[]): T {
  return Object.fromEntries(columns.map((column) => [column, row[prefixed(prefix, column)]])) as T;
}

// biome-ignore lint/suspicious/noExplicitAny: joined reads alias columns the typed schema does not know
type AnyDb = Kysely<any>;

/** The instance row with the hashes of its pinned flow and form versions, as one read. */
function instanceQuery(db: DbCtx['db']) {
  return db
    .selectFrom('baton_flow_instance as i')
    .leftJoin('baton_flow_definition as d', (join) =>
      join.onRef('d.pack', '=', 'i.flowPack').onRef('d.key', '=', 'i.flowKey').onRef('d.version', '=', 'i.flowVersion'),
    )
    .leftJoin('baton_form_definition as f', (join) =>
      join.onRef('f.pack', '=', 'i.formPack').onRef('f.key', '=', 'i.formKey').onRef('f.version', '=', 'd.formVersion'),
    )
    .selectAll('i')
    .select(['d.hash as flowHash', 'f.hash as formHash'])
    .select(delegationStampOf().as('delegationStamp'))
    .select(formPublishStamp().as('formStamp'));
}

/** The delegations' stamp as a scalar subquery of a read that needs it anyway. */
function delegationStampOf() {
  return stampOf('baton_flow_delegation_stamp', 'delegations');
}

type CachedDelegation = {
  fromMemberId: string;
  toMemberId: string;
  flowPack: string | null;
  flowKey: string | null;
  startsAt: string;
  endsAt: string;
};

// Delegations in force are looked up for every new approval task. They are cached per process under the random
// stamp of baton_flow_delegation_stamp, which creating or revoking one replaces; the instance read brings the
// stamp along, so a lookup costs no statement while nothing changed (a stamp rolled back never comes back).
const delegationCache = new Map<string, Promise<CachedDelegation[]>>();

function delegationsUnder(ctx: DbCtx, stamp: string): Promise<CachedDelegation[]> {
  let found = delegationCache.get(stamp);
  if (!found) {
    // Every delegation not revoked, newest first: whether one is in force is decided at use, by ctx.clock.
    found = ctx.db
      .selectFrom('baton_flow_delegation')
      .select(['fromMemberId', 'toMemberId', 'flowPack', 'flowKey', 'startsAt', 'endsAt'])
      .where('revokedAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .execute();
    found.catch(() => delegationCache.delete(stamp));
    if (delegationCache.size > 8) delegationCache.clear();
    delegationCache.set(stamp, found);
  }
  return found;
}

/**
 * The active runs, how many tasks each has and the highest run number, read in one statement with the instance.
 * Not the tasks themselves: a countersign run has a hundred, and they are read (narrow) when needed. A run
 * whose only task is the one acted on needs no read at all.
 */
export type ActiveRead = { runs: RunRow[]; taskCounts: Map<string, number>; maxSeq: number };

// biome-ignore lint/suspicious/noExplicitAny: the joins alias columns the typed schema does not know
function withActiveRuns(query: SelectQueryBuilder<any, any, any>): SelectQueryBuilder<any, any, any> {
  return query
    .leftJoin('baton_flow_node_run as r', (join) =>
      join.onRef('r.instanceId', '=', 'i.id').on('r.state', 'in', [...openRunStates]),
    )
    .select((eb) => [
      ...runColumns.map((column) => eb.ref(`r.${column}`).as(prefixed('run', column))),
      eb
        .selectFrom('baton_flow_task as rt')
        .select((c) => c.fn.countAll().as('n'))
        .whereRef('rt.instanceId', '=', 'i.id')
        .whereRef('rt.nodeRunId', '=', 'r.id')
        .as('runTaskCount'),
      eb
        .selectFrom('baton_flow_node_run as m')
        .select((m) => m.fn.max('m.seq').as('seq'))
        .whereRef('m.instanceId', '=', 'i.id')
        .as('maxSeq'),
    ])
    .orderBy('r.seq');
}

function readActive(rows: readonly Record<string, unknown>[]): ActiveRead {
  const read: ActiveRead = { runs: [], taskCounts: new Map(), maxSeq: 0 };
  for (const row of rows) {
    read.maxSeq = Math.max(read.maxSeq, Number(row.maxSeq ?? 0));
    if (row.runId === null || row.runId === undefined) continue;
    const run = toRun(unprefix<FlowNodeRunTable>(row, 'run', runColumns));
    read.runs.push(run);
    read.taskCounts.set(run.id, Number(row.runTaskCount ?? 0));
  }
  return read;
}

/**
 * What an action reads before its transaction: the instance (with its definitions' hashes), the task it acts
 * on, and an earlier result of the same client action id. Read in one statement, so the parts agree.
 */
export type InstanceSnapshot = {
  inst: Instance;
  flowHash: string | null;
  formHash: string | null;
  delegationStamp?: string | null;
  /** The forms' publish stamp: the record's writes find the form's latest version in the process cache. */
  formStamp?: string | null;
  task?: Task;
  replay?: { result: string | null; actorId: string };
  /** The active runs with their tasks, valid once the claim at `inst.version` succeeds. */
  active?: ActiveRead;
};

function toInstance(row: Record<string, unknown>): Instance {
  const { flowHash: _f, formHash: _h, delegationStamp: _d, formStamp: _s, ...rest } = row;
  const inst = rest as unknown as Instance;
  return { ...inst, version: Number(inst.version), actsSinceSubmit: Number(inst.actsSinceSubmit) };
}

// biome-ignore lint/suspicious/noExplicitAny: the optional joins alias columns the typed schema does not know
type Joined = SelectQueryBuilder<any, any, any>;

function byTask(query: Joined, taskId: string): Joined {
  return query
    .innerJoin('baton_flow_task as t', 't.instanceId', 'i.id')
    .select((eb) => taskColumns.map((column) => eb.ref(`t.${column}`).as(prefixed('task', column))))
    .where('t.id', '=', taskId);
}

function withReplay(query: Joined, clientActionId: string): Joined {
  return query
    .leftJoin('baton_flow_action as a', (join) =>
      join.onRef('a.instanceId', '=', 'i.id').on('a.clientActionId', '=', clientActionId),
    )
    .select(['a.result as replayResult', 'a.actorId as replayActorId', 'a.id as replayId']);
}

// Every action starts with this read: its four shapes are built and compiled once (reusableQuery).
const snapshotQueries = {
  task: {
    plain: reusableQuery((db, taskId: string) => withActiveRuns(byTask(instanceQuery(db), taskId))),
    replay: reusableQuery((db, taskId: string, clientActionId: string) =>
      withActiveRuns(withReplay(byTask(instanceQuery(db), taskId), clientActionId)),
    ),
  },
  instance: {
    plain: reusableQuery((db, instanceId: string) => withActiveRuns(instanceQuery(db).where('i.id', '=', instanceId))),
    replay: reusableQuery((db, instanceId: string, clientActionId: string) =>
      withActiveRuns(withReplay(instanceQuery(db).where('i.id', '=', instanceId), clientActionId)),
    ),
  },
};

export async function readSnapshot(
  ctx: DbCtx,
  target: { instanceId: string } | { taskId: string },
  clientActionId?: string,
): Promise<InstanceSnapshot> {
  const id = 'taskId' in target ? target.taskId : target.instanceId;
  const read = snapshotQueries['taskId' in target ? 'task' : 'instance'];
  const rows = (
    clientActionId ? await read.replay(ctx.db, id, clientActionId) : await read.plain(ctx.db, id)
  ) as Record<string, unknown>[];
  const row = rows[0];
  if (!row) {
    if ('taskId' in target) throw FlowErrors.taskNotFound.create({ id: target.taskId });
    throw FlowErrors.instanceNotFound.create({ id: target.instanceId });
  }
  const instanceRow: Record<string, unknown> = {};
  let task: Task | undefined;
  let replay: InstanceSnapshot['replay'];
  // Task, replay and run columns carry their prefix; no instance column starts with one.
  for (const [column, value] of Object.entries(row)) {
    if (!/^(task|replay|run|maxSeq)/.test(column)) instanceRow[column] = value;
  }
  if ('taskId' in target) task = normTask(unprefix<Task>(row, 'task', taskColumns));
  if (clientActionId && row.replayId)
    replay = { result: row.replayResult as string | null, actorId: String(row.replayActorId) };
  return {
    inst: toInstance(instanceRow),
    flowHash: (row.flowHash as string | null) ?? null,
    formHash: (row.formHash as string | null) ?? null,
    delegationStamp: (row.delegationStamp as string | null) ?? null,
    formStamp: (row.formStamp as string | null) ?? null,
    ...(task ? { task } : {}),
    ...(replay ? { replay } : {}),
    active: readActive(rows),
  };
}

/**
 * The engine for one instance inside one transaction: implements the Runtime node kinds and assignee
 * sources see, enters nodes, applies progress, and finishes the instance.
 *
 * It keeps what it read and wrote: after the claim nobody else can change the instance's runs and tasks
 * (every action takes the same lock first), so the active runs, their tasks and the next run number are read
 * once, and new rows are inserted together (several tasks in one statement) — before anything else reads
 * them: a read of runs or tasks, an event with listeners, a record write, a subflow, and the save.
 */
export class Engine implements Runtime {
  readonly ctx: DbCtx;
  readonly flow: CompiledFlow;
  inst: Instance;
  chosen: Record<string, string[]>;
  private claimed = false;
  /**
   * Set while the claim is deferred (`claimLazily`): the version the snapshot read. The claim is then taken by
   * the first write (on PostgreSQL; on SQLite the one writer needs no lock order) or folded into the final save.
   */
  private lazyFrom: number | undefined;
  /** Changes to saved task, run and record rows, merged per row, written with the next flush or the save. */
  private readonly updates = new Map<string, { table: string; id: string; set: Record<string, unknown> }>();
  private recordCache: FormRecord | undefined;
  private initiatorCache: Initiator | undefined;
  /** The instance row is not inserted yet (a new instance: it is written once, at the save). */
  private unsavedInstance = false;
  private readonly unsavedRuns = new Map<string, RunRow>();
  private readonly unsavedTasks = new Map<string, Task>();
  /** Active and waiting runs by seq, once read; every later change goes through this engine. */
  private active: RunRow[] | undefined;
  private maxSeq = 0;
  /** Complete task lists of runs (read, or created here), and every task the engine knows by id. */
  private readonly runTasks = new Map<string, Task[]>();
  private readonly taskById = new Map<string, Task>();
  private readonly delegates = new Map<string, string | undefined>();
  /** The delegations' stamp read with the instance: lookups come from the process cache under it. */
  private delegationStamp: string | undefined;
  /** The forms' publish stamp read with the instance (or the flow version, for a new one). */
  formStamp: string | undefined;

  private constructor(ctx: DbCtx, flow: CompiledFlow, inst: Instance) {
    this.ctx = ctx;
    this.flow = flow;
    this.inst = inst;
    this.chosen = fromJson<Record<string, string[]>>(inst.chosen) ?? {};
  }

  static async load(ctx: DbCtx, instanceId: string): Promise<Engine> {
    const row = await instanceQuery(ctx.db).where('i.id', '=', instanceId).executeTakeFirst();
    if (!row) throw FlowErrors.instanceNotFound.create({ id: instanceId });
    return Engine.fromSnapshot(ctx, {
      inst: toInstance(row as unknown as Record<string, unknown>),
      flowHash: row.flowHash,
      formHash: row.formHash,
      delegationStamp: row.delegationStamp,
      formStamp: row.formStamp,
    });
  }

  /** An engine over a snapshot read earlier (readSnapshot); nothing is claimed yet. */
  static async fromSnapshot(ctx: DbCtx, snapshot: InstanceSnapshot): Promise<Engine> {
    const inst = { ...snapshot.inst };
    const flow =
      cachedFlow(snapshot.flowHash, snapshot.formHash) ??
      (await loadFlow(ctx, inst.flowPack, inst.flowKey, Number(inst.flowVersion))).flow;
    const engine = new Engine(ctx, flow, inst);
    engine.delegationStamp = snapshot.delegationStamp ?? undefined;
    engine.formStamp = snapshot.formStamp ?? undefined;
    return engine;
  }

  static async create(
    ctx: DbCtx,
    input: {
      flow: CompiledFlow;
      flowVersion: number;
      recordId: string;
      title: string;
      initiatorId: string;
      id?: string;
      /** The delegations' stamp read with the flow version (loadFlow). */
      delegationStamp?: string | null;
      /** The initiator as the caller already read it (the submit reads it for the record's context). */
      initiator?: Initiator;
      /** The forms' publish stamp read with the flow version (loadFlow). */
      formStamp?: string | null;
    },
  ): Promise<Engine> {
    const now = instant(ctx.clock.now());
    const inst: Instance = {
      id: input.id ?? newId(),
      version: 1,
      flowPack: input.flow.def.pack,
      flowKey: input.flow.def.key,
      flowVersion: input.flowVersion,
      formPack: input.flow.def.form.pack,
      formKey: input.flow.def.form.key,
      recordId: input.recordId,
      title: input.title,
      initiatorId: input.initiatorId,
      state: 'draft',
      currentNodes: '[]',
      returnedFrom: null,
      actsSinceSubmit: 0,
      chosen: '{}',
      parentInstanceId: null,
      parentNodeRunId: null,
      submittedAt: null,
      finishedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const engine = new Engine(ctx, input.flow, inst);
    engine.initiatorCache = input.initiator;
    engine.claimed = true;
    engine.unsavedInstance = true;
    // A new instance has no runs yet.
    engine.active = [];
    engine.delegationStamp = input.delegationStamp ?? undefined;
    engine.formStamp = input.formStamp ?? undefined;
    return engine;
  }

  get instanceId(): string {
    return this.inst.id;
  }

  get initiatorId(): string {
    return this.inst.initiatorId;
  }

  /** Takes the optimistic lock first: a concurrent action on the instance loses with DB_VERSION_CONFLICT. */
  async claim(): Promise<void> {
    if (this.lazyFrom !== undefined) return this.claimNow();
    if (this.claimed) return;
    const { version } = await updateVersioned(this.ctx, {
      table: 'baton_flow_instance',
      id: this.inst.id,
      version: this.inst.version,
      set: {},
    });
    this.inst.version = version;
    this.claimed = true;
  }

  /**
   * Claims at the version the snapshot read. False when someone acted since: the caller reads again inside
   * its transaction. True means nothing changed since the read, so the snapshot's task is current too.
   */
  async tryClaim(): Promise<boolean> {
    if (this.lazyFrom !== undefined) {
      await this.claimNow();
      return true;
    }
    if (this.claimed) return true;
    const next = this.inst.version + 1;
    const result = await this.ctx.db
      .updateTable('baton_flow_instance')
      .set({ version: next, updatedAt: instant(this.ctx.clock.now()) })
      .where('id', '=', this.inst.id)
      .where('version', '=', this.inst.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    this.inst.version = next;
    this.claimed = true;
    return true;
  }

  /**
   * Defers the claim: the snapshot is trusted now and checked by the version condition of the first write (or of
   * the save, when the action writes nothing before it). Lost, `ClaimLost` is thrown and the caller runs the
   * action again claiming first. The result already carries the version the save will write.
   */
  claimLazily(): void {
    if (this.claimed || this.lazyFrom !== undefined) return;
    this.lazyFrom = this.inst.version;
    this.inst.version += 1;
  }

  /** Whether the claim is still deferred: what the action saw may be stale, so any error it raised may be too. */
  get unclaimed(): boolean {
    return this.lazyFrom !== undefined;
  }

  private async claimNow(): Promise<void> {
    const from = this.lazyFrom;
    if (from === undefined) return;
    const result = await this.ctx.db
      .updateTable('baton_flow_instance')
      .set({ version: from + 1, updatedAt: instant(this.ctx.clock.now()) })
      .where('id', '=', this.inst.id)
      .where('version', '=', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new ClaimLost();
    this.lazyFrom = undefined;
    this.claimed = true;
  }

  /**
   * Before a statement that locks rows other actions on this instance lock after their claim (a record write,
   * listeners, timers, a subflow, buffered writes): on PostgreSQL the deferred claim is taken first, so every
   * action locks the instance row before anything else and two of them cannot deadlock.
   */
  async lockFirst(): Promise<void> {
    if (this.lazyFrom !== undefined && dialectOf(this.ctx.db) === 'postgres') await this.claimNow();
  }

  /** A task row known to be current (read under the claim, or in the snapshot the claim confirmed). */
  knowTask(task: Task): void {
    if (!this.taskById.has(task.id)) this.taskById.set(task.id, task);
  }

  /** The task as it is now: from what the engine knows, or read. */
  async readTask(id: string): Promise<Task | undefined> {
    const known = this.taskById.get(id);
    if (known) return known;
    await this.flush();
    const row = await this.ctx.db.selectFrom('baton_flow_task').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return row.instanceId === this.inst.id ? this.remember(normTask(row)) : normTask(row);
  }

  /**
   * What is still buffered, as statements (not run): the new instance, new runs, new tasks, then the changes of
   * saved rows. Taking them empties the buffer.
   */
  // biome-ignore lint/suspicious/noExplicitAny: insert and update builders over several tables
  private takeBuffered(): ((db: any) => any)[] {
    const db = this.ctx.db;
    // biome-ignore lint/suspicious/noExplicitAny: insert and update builders over several tables
    const writes: ((db: AnyDb) => any)[] = [];
    if (this.unsavedInstance) {
      this.unsavedInstance = false;
      const values = {
        ...this.inst,
        currentNodes: toJson(db, fromJson<string[]>(this.inst.currentNodes) ?? []),
        chosen: toJson(db, this.chosen),
      };
      writes.push((q) => q.insertInto('baton_flow_instance').values(values));
    }
    if (this.unsavedRuns.size > 0) {
      const runs = [...this.unsavedRuns.values()].map((run) => ({
        id: run.id,
        instanceId: this.inst.id,
        nodeKey: run.nodeKey,
        kind: run.kind,
        seq: run.seq,
        state: run.state,
        outcome: run.outcome,
        assignees: toJson(db, run.assignees),
        childInstanceId: run.childInstanceId,
        enteredAt: run.enteredAt,
        completedAt: run.completedAt,
      }));
      this.unsavedRuns.clear();
      writes.push((q) => q.insertInto('baton_flow_node_run').values(runs));
    }
    if (this.unsavedTasks.size > 0) {
      const tasks = [...this.unsavedTasks.values()].map((task) => ({ ...task }));
      this.unsavedTasks.clear();
      // Chunks keep each statement well under either database's limit on bound parameters.
      for (let at = 0; at < tasks.length; at += 500) {
        const chunk = tasks.slice(at, at + 500);
        writes.push((q) => q.insertInto('baton_flow_task').values(chunk));
      }
    }
    // Rows given the same change go in one statement; a row is in one statement only (PostgreSQL cannot
    // update a row twice in one statement).
    const groups = new Map<string, { table: string; ids: string[]; set: Record<string, unknown> }>();
    for (const { table, id, set } of this.updates.values()) {
      const plain = Object.values(set).every((value) => value === null || typeof value !== 'object');
      const key = plain ? `${table}\u0000${JSON.stringify(Object.entries(set).sort())}` : `${table}\u0000#${id}`;
      const group = groups.get(key);
      if (group) group.ids.push(id);
      else groups.set(key, { table, ids: [id], set });
    }
    this.updates.clear();
    for (const { table, ids, set } of groups.values()) {
      writes.push((q) =>
        ids.length === 1
          ? q.updateTable(table).set(set).where('id', '=', ids[0])
          : q.updateTable(table).set(set).where('id', 'in', ids),
      );
    }
    return writes;
  }

  /** Buffers a change of a saved row (merged with earlier ones of the same row); json values as toJson made them. */
  private bufferUpdate(table: string, id: string, set: Record<string, unknown>): void {
    const key = `${table}\u0000${id}`;
    const known = this.updates.get(key);
    if (known) Object.assign(known.set, set);
    else this.updates.set(key, { table, id, set: { ...set } });
  }

  /** Writes what is still buffered: the new instance, then new runs, then new tasks, then changed rows. */
  async flush(): Promise<void> {
    if (!this.unsavedInstance && this.unsavedRuns.size === 0 && this.unsavedTasks.size === 0 && this.updates.size === 0)
      return;
    await this.lockFirst();
    const db = this.ctx.db as unknown as AnyDb;
    for (const write of this.takeBuffered()) await write(db).execute();
  }

  /** The instance's state as saved: current nodes are the active node runs. */
  private prepareSave(): void {
    const current = this.active ? [...new Set(this.active.map((run) => run.nodeKey))] : undefined;
    if (current) this.inst.currentNodes = JSON.stringify(current);
    this.inst.chosen = JSON.stringify(this.chosen);
    this.inst.updatedAt = instant(this.ctx.clock.now());
  }

  // biome-ignore lint/suspicious/noExplicitAny: an update builder over the instance table, built on any creator
  private instanceUpdate(q: any) {
    return q
      .updateTable('baton_flow_instance')
      .set({
        state: this.inst.state,
        title: this.inst.title,
        currentNodes: toJson(this.ctx.db, fromJson<string[]>(this.inst.currentNodes) ?? []),
        chosen: toJson(this.ctx.db, this.chosen),
        returnedFrom: this.inst.returnedFrom,
        actsSinceSubmit: this.inst.actsSinceSubmit,
        submittedAt: this.inst.submittedAt,
        finishedAt: this.inst.finishedAt,
        parentInstanceId: this.inst.parentInstanceId,
        parentNodeRunId: this.inst.parentNodeRunId,
        updatedAt: this.inst.updatedAt,
        // Still unclaimed, this update is the claim: at the version the snapshot read, or nothing.
        ...(this.lazyFrom === undefined ? {} : { version: this.inst.version }),
      })
      .where('id', '=', this.inst.id)
      .where('version', '=', this.lazyFrom ?? this.inst.version);
  }

  /** Runs the instance update; when it carried the deferred claim, a lost claim throws `ClaimLost`. */
  private async updateInstanceNow(): Promise<void> {
    const result = await this.instanceUpdate(this.ctx.db).executeTakeFirst();
    if (this.lazyFrom === undefined) return;
    if (Number(result.numUpdatedRows) !== 1) throw new ClaimLost();
    this.lazyFrom = undefined;
    this.claimed = true;
  }

  /** Writes the instance's state (a new instance is inserted once, as it stands now). */
  async save(): Promise<void> {
    this.prepareSave();
    const update = !this.unsavedInstance;
    await this.flush();
    if (update) await this.updateInstanceNow();
  }

  /** The result of the action: the instance as it will be saved. */
  settle(): ReturnType<Engine['summary']> {
    this.prepareSave();
    return this.summary();
  }

  /**
   * Saves the instance and appends the action's history row. On PostgreSQL everything still buffered, the
   * instance and the history row go in one statement (data-modifying CTEs: each a round trip less); SQLite
   * runs them one after the other.
   */
  async saveWithAction(action: Readonly<Record<keyof FlowActionTable, unknown>>): Promise<void> {
    this.prepareSave();
    const update = !this.unsavedInstance;
    const db = this.ctx.db as unknown as AnyDb;
    if (dialectOf(db) !== 'postgres') {
      // SQLite has one writer at a time: the claim, when still deferred, can be the instance update at the end.
      for (const write of this.takeBuffered()) await write(db).execute();
      if (update) await this.updateInstanceNow();
      await db.insertInto('baton_flow_action').values(action).execute();
      return;
    }
    const claiming = update && this.lazyFrom !== undefined;
    const writes = this.takeBuffered();
    // The instance update goes first: referenced by the main statement, it runs (and locks the row) before
    // the other writes, in the order every action takes its locks.
    if (update) writes.unshift((q) => (claiming ? this.instanceUpdate(q).returning('id') : this.instanceUpdate(q)));
    // biome-ignore lint/suspicious/noExplicitAny: the creator grows one CTE per write
    let creator: any = db;
    for (const [index, write] of writes.entries()) creator = creator.with(`w${index}`, write);
    const insert = creator.insertInto('baton_flow_action').values(action);
    if (!claiming) {
      await insert.execute();
      return;
    }
    // The claim folded in: no row updated means someone acted since the snapshot; the caller's rollback undoes
    // what the other parts of the statement wrote.
    const row = await insert.returning(sql<number>`(select count(*) from w0)`.as('claimed')).executeTakeFirst();
    if (Number(row?.claimed) !== 1) throw new ClaimLost();
    this.lazyFrom = undefined;
    this.claimed = true;
  }

  summary(): { instanceId: string; state: InstanceState; version: number; currentNodes: string[]; recordId: string } {
    return {
      instanceId: this.inst.id,
      state: this.inst.state,
      version: this.inst.version,
      currentNodes: fromJson<string[]>(this.inst.currentNodes) ?? [],
      recordId: this.inst.recordId,
    };
  }

  // ---- Runtime ----------------------------------------------------------------------------------------

  async record(): Promise<FormRecord> {
    if (!this.recordCache) {
      this.recordCache = await getRecord(
        this.ctx,
        {
          pack: this.inst.formPack,
          key: this.inst.formKey,
          id: this.inst.recordId,
        },
        // Conditions compare reference fields by id, not by their display objects.
        { referenceIds: true, ...(this.formStamp ? { formStamp: this.formStamp } : {}) },
      );
    }
    return this.recordCache;
  }

  forgetRecord(): void {
    this.recordCache = undefined;
  }

  async values(): Promise<Record<string, unknown>> {
    return (await this.record()).values;
  }

  async initiator(): Promise<Initiator> {
    if (this.initiatorCache) return this.initiatorCache;
    const found = await getMemberWithUnit(this.ctx, { id: this.inst.initiatorId }).catch(() => undefined);
    this.initiatorCache = initiatorOf(this.inst.initiatorId, found);
    return this.initiatorCache;
  }

  async condition(edgeIndex: number): Promise<boolean> {
    const compiled = this.flow.conditions.get(edgeIndex);
    if (!compiled) return false;
    const initiator = await this.initiator();
    const result = evaluate(compiled, await this.values(), {
      clock: this.ctx.clock,
      context: {
        'initiator.memberId': initiator.memberId,
        'initiator.departmentId': initiator.departmentId,
        'initiator.postId': initiator.postId,
        'initiator.levelRank': initiator.levelRank,
      },
    });
    return result === true;
  }

  async resolveAssignees(specs: readonly AssigneeSpec[], nodeKey: string): Promise<string[]> {
    const ids: string[] = [];
    for (const spec of specs) {
      const source = findAssigneeSource(spec.source);
      if (!source) continue;
      const parsed = source.configSchema.parse(spec);
      ids.push(...(await source.resolve(this, parsed, nodeKey)));
    }
    return [...new Set(ids)];
  }

  /** Reads the delegations in force now of these members (one statement for a whole node's assignees). */
  private async readDelegates(memberIds: readonly string[]): Promise<void> {
    const wanted = [...new Set(memberIds)].filter((id) => !this.delegates.has(id));
    if (wanted.length === 0) return;
    const now = instant(this.ctx.clock.now());
    if (this.delegationStamp) {
      const all = await delegationsUnder(this.ctx, this.delegationStamp);
      for (const id of wanted) {
        const hit = all.find(
          (row) =>
            row.fromMemberId === id &&
            row.startsAt <= now &&
            row.endsAt > now &&
            (row.flowPack === null || (row.flowPack === this.inst.flowPack && row.flowKey === this.inst.flowKey)),
        );
        this.delegates.set(id, hit?.toMemberId);
      }
      return;
    }
    const rows = await this.ctx.db
      .selectFrom('baton_flow_delegation')
      .select(['fromMemberId', 'toMemberId', 'flowPack', 'flowKey'])
      .where('fromMemberId', 'in', wanted)
      .where('revokedAt', 'is', null)
      .where('startsAt', '<=', now)
      .where('endsAt', '>', now)
      .orderBy('createdAt', 'desc')
      .execute();
    for (const id of wanted) {
      const hit = rows.find(
        (row) =>
          row.fromMemberId === id &&
          (row.flowPack === null || (row.flowPack === this.inst.flowPack && row.flowKey === this.inst.flowKey)),
      );
      this.delegates.set(id, hit?.toMemberId);
    }
  }

  /** The member who receives `memberId`'s new tasks of this flow right now, if any. */
  private async delegateOf(memberId: string): Promise<string | undefined> {
    await this.readDelegates([memberId]);
    return this.delegates.get(memberId);
  }

  async createTask(run: NodeRun, task: NewTask): Promise<Task> {
    const delegate = task.kind === 'approval' ? await this.delegateOf(task.assigneeId) : undefined;
    const now = instant(this.ctx.clock.now());
    const row: Task = {
      id: newId(),
      instanceId: this.inst.id,
      nodeRunId: run.id,
      nodeKey: run.nodeKey,
      kind: task.kind,
      assigneeId: delegate ?? task.assigneeId,
      state: task.state,
      outcome: task.outcome ?? null,
      opinion: null,
      attachments: null,
      seq: task.seq ?? 0,
      origin: task.origin ?? 'assigned',
      addedBy: task.addedBy ?? null,
      delegatedFrom: delegate ? task.assigneeId : null,
      readAt: null,
      urgedAt: null,
      createdAt: now,
      actedAt: task.state === 'skipped' ? now : null,
      dueAt: null,
      overdueAt: null,
    };
    this.unsavedTasks.set(row.id, row);
    this.taskById.set(row.id, row);
    const list = this.runTasks.get(run.id);
    if (list) {
      list.push(row);
      list.sort(byTaskOrder);
    }
    if (row.state === 'pending') await this.tasksOpened([row]);
    await this.emit({ type: 'taskCreated', nodeKey: run.nodeKey, nodeRunId: run.id, taskId: row.id });
    return row;
  }

  async tasksOf(run: NodeRun): Promise<Task[]> {
    await this.loadTasksOf([run]);
    return [...(this.runTasks.get(run.id) ?? [])];
  }

  /** Keeps one object per task id, so a change made through the engine shows wherever the task is held. */
  private remember(task: Task): Task {
    const known = this.taskById.get(task.id);
    if (known) return Object.assign(known, task);
    this.taskById.set(task.id, task);
    return task;
  }

  async updateTask(id: string, patch: Partial<Pick<Task, 'state' | 'outcome' | 'actedAt'>>): Promise<void> {
    await this.patchTask(id, patch);
  }

  /**
   * Changes a task; with `onlyFrom` only while it is in that state (false when it was not: a concurrent action
   * or an earlier step of this one got there first). Pending tasks arm their timers; tasks leaving pending
   * cancel them.
   */
  async patchTask(
    id: string,
    patch: Partial<Pick<Task, 'state' | 'outcome' | 'actedAt' | 'opinion' | 'attachments' | 'assigneeId'>>,
    onlyFrom?: Task['state'],
  ): Promise<boolean> {
    // Under the claim nobody else changes this instance's tasks, so the state the engine holds is the state.
    const known = this.taskById.get(id) ?? (await this.readTask(id));
    if (!known) return false;
    if (onlyFrom && known.state !== onlyFrom) return false;
    if (!this.unsavedTasks.has(id)) {
      const set: Record<string, unknown> = { ...patch };
      if (typeof patch.attachments === 'string') set.attachments = toJson(this.ctx.db, JSON.parse(patch.attachments));
      this.bufferUpdate('baton_flow_task', id, set);
    }
    Object.assign(known, patch);
    if (patch.state === 'pending') {
      const task = await this.readTask(id);
      if (task) await this.tasksOpened([task]);
    } else if (patch.state) await this.tasksClosed([id]);
    return true;
  }

  /** A task became pending: arms its deadline timers (when the deadline hooks are installed). */
  async tasksOpened(tasks: readonly Task[]): Promise<void> {
    if (!taskTimers || !hasDeadlines(this.flow)) return;
    for (const task of tasks) {
      if (task.kind !== 'approval') continue;
      await this.lockFirst();
      const due = await taskTimers.opened(this, task);
      if (due === undefined) continue;
      task.dueAt = due;
      task.overdueAt = null;
      if (!this.unsavedTasks.has(task.id))
        this.bufferUpdate('baton_flow_task', task.id, { dueAt: due, overdueAt: null });
    }
  }

  /**
   * Tasks left pending (acted, cancelled, moved to waiting): every task change off pending ends here. Only
   * tasks that ever had a deadline have timers; none can in a flow without deadlines.
   */
  async tasksClosed(ids: readonly string[]): Promise<void> {
    if (ids.length === 0 || !taskTimers || !hasDeadlines(this.flow)) return;
    const known = ids.map((id) => this.taskById.get(id));
    let armed: string[];
    if (known.every((task) => task !== undefined)) {
      armed = known.filter((task) => task.dueAt !== null).map((task) => task.id);
    } else {
      await this.flush();
      const rows = await this.ctx.db
        .selectFrom('baton_flow_task')
        .select('id')
        .where('id', 'in', [...ids])
        .where('dueAt', 'is not', null)
        .execute();
      armed = rows.map((row) => row.id);
    }
    if (armed.length === 0) return;
    await this.lockFirst();
    await taskTimers.closed(this.ctx, armed);
  }

  async setAssignees(run: NodeRun, ids: readonly string[]): Promise<void> {
    run.assignees = [...ids];
    // The node's tasks are created next: their delegations are read together.
    if (run.kind === 'approval') await this.readDelegates(ids);
    if (this.unsavedRuns.has(run.id)) return;
    this.bufferUpdate('baton_flow_node_run', run.id, { assignees: toJson(this.ctx.db, ids) });
  }

  async approvedBefore(memberId: string, run: NodeRun, scope: 'previous' | 'anyEarlier'): Promise<boolean> {
    await this.flush();
    let runs = this.ctx.db
      .selectFrom('baton_flow_node_run')
      .select(['id'])
      .where('instanceId', '=', this.inst.id)
      .where('kind', '=', 'approval')
      .where('state', '=', 'completed')
      .where('seq', '<', run.seq)
      .where('enteredAt', '>=', this.inst.submittedAt ?? '')
      .orderBy('seq', 'desc');
    if (scope === 'previous') runs = runs.limit(1);
    const ids = (await runs.execute()).map((row) => row.id);
    if (ids.length === 0) return false;
    const hit = await this.ctx.db
      .selectFrom('baton_flow_task')
      .select('id')
      .where('instanceId', '=', this.inst.id)
      .where('nodeRunId', 'in', ids)
      .where('assigneeId', '=', memberId)
      .where('outcome', 'in', ['approved', 'deduped', 'initiatorAutoPass'])
      .limit(1)
      .executeTakeFirst();
    return hit !== undefined;
  }

  /**
   * Reads, once, the active runs (with how many tasks each has) and the highest run number: one statement, after
   * the claim, so nothing can change them behind the engine's back. Their tasks are read when first needed.
   */
  private async loadActive(): Promise<RunRow[]> {
    if (this.active) return this.active;
    const db = this.ctx.db as unknown as AnyDb;
    const rows: Record<string, unknown>[] = await withActiveRuns(db.selectFrom('baton_flow_instance as i'))
      .where('i.id', '=', this.inst.id)
      .execute();
    return this.adoptActive(readActive(rows));
  }

  /** Takes the active runs read with the instance (a snapshot the claim confirmed, or loadActive). */
  adoptActive(read: ActiveRead): RunRow[] {
    this.maxSeq = Math.max(this.maxSeq, read.maxSeq);
    for (const run of read.runs) {
      const count = read.taskCounts.get(run.id) ?? 0;
      if (count === 0) this.runTasks.set(run.id, []);
      else if (count === 1) {
        // The task acted on, when it is the run's only one, is its whole list.
        const only = [...this.taskById.values()].find((task) => task.nodeRunId === run.id);
        if (only) this.runTasks.set(run.id, [only]);
      }
    }
    this.active = read.runs;
    return read.runs;
  }

  /** Reads, in one statement, the tasks of the given runs whose lists are not known yet. */
  private async loadTasksOf(runs: readonly NodeRun[]): Promise<void> {
    const unknown = runs.filter((run) => !this.runTasks.has(run.id)).map((run) => run.id);
    if (unknown.length === 0) return;
    await this.flush();
    const rows = await this.ctx.db
      .selectFrom('baton_flow_task')
      .selectAll()
      .where('instanceId', '=', this.inst.id)
      .where('nodeRunId', 'in', unknown)
      .orderBy('seq')
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
    for (const id of unknown) this.runTasks.set(id, []);
    for (const row of rows) this.runTasks.get(row.nodeRunId)?.push(this.remember(normTask(row)));
  }

  async activeRuns(): Promise<NodeRun[]> {
    return [...(await this.loadActive())];
  }

  async otherActiveRuns(run: NodeRun): Promise<NodeRun[]> {
    return (await this.activeRuns()).filter((other) => other.id !== run.id);
  }

  async runById(id: string): Promise<NodeRun | undefined> {
    const known = (await this.loadActive()).find((run) => run.id === id) ?? this.unsavedRuns.get(id);
    if (known) return known;
    await this.flush();
    const row = await this.ctx.db.selectFrom('baton_flow_node_run').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async startSubflow(
    run: NodeRun,
    input: { pack: string; key: string; values: Record<string, unknown> },
  ): Promise<{ id: string; state: string }> {
    if (!subflowStarter) throw new Error('flow: subflow starter not installed');
    // The child may resume this instance at once, reading its runs.
    await this.lockFirst();
    await this.flush();
    return subflowStarter(this.ctx, {
      ...input,
      initiatorId: this.inst.initiatorId,
      parentInstanceId: this.inst.id,
      parentNodeRunId: run.id,
    });
  }

  async setChild(run: NodeRun, childInstanceId: string, wait: boolean): Promise<void> {
    if (wait) run.state = 'waiting';
    (run as RunRow).childInstanceId = childInstanceId;
    if (this.unsavedRuns.has(run.id)) return;
    this.bufferUpdate('baton_flow_node_run', run.id, { childInstanceId, state: run.state });
  }

  async emit(event: Omit<FlowEvent, 'instanceId' | 'flow' | 'at'>): Promise<void> {
    if (!hasFlowListeners()) return;
    // Listeners read the database: what this action wrote so far must be there; they may write too.
    await this.lockFirst();
    await this.flush();
    await emitFlowEvent(this.ctx, {
      ...event,
      instanceId: this.inst.id,
      flow: `${this.inst.flowPack}.${this.inst.flowKey}`,
      at: instant(this.ctx.clock.now()),
    });
  }

  // ---- moving through the graph ---------------------------------------------------------------------

  /** Enters `nodeKey` (a join already waiting is re-checked instead) and follows it as far as it goes. */
  async enter(nodeKey: string): Promise<void> {
    if (this.isFinished()) return;
    const node = this.flow.byKey.get(nodeKey);
    if (!node) throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['node'], code: 'unknown_node' }] });
    const kind = findNodeKind(node.kind);
    if (!kind) throw new Error(`flow: node kind ${node.kind} is not registered`);
    const config = nodeConfig(this.flow, node, kind);
    const active = await this.loadActive();
    if (node.kind === 'join') {
      const waiting = active.find((run) => run.nodeKey === nodeKey);
      if (waiting) {
        await this.apply(waiting, await kind.enter(this, waiting, config));
        return;
      }
    }
    this.maxSeq += 1;
    const run: RunRow = {
      id: newId(),
      nodeKey,
      kind: node.kind,
      seq: this.maxSeq,
      state: 'active',
      outcome: null,
      assignees: [],
      childInstanceId: null,
      enteredAt: instant(this.ctx.clock.now()),
      completedAt: null,
    };
    this.unsavedRuns.set(run.id, run);
    active.push(run);
    this.runTasks.set(run.id, []);
    await this.emit({ type: 'nodeEntered', nodeKey, nodeRunId: run.id, node: node as Record<string, unknown> });
    await this.apply(run, await kind.enter(this, run, config));
  }

  /** Re-evaluates an approval node after one of its tasks changed. */
  async progress(run: NodeRun): Promise<void> {
    const node = this.flow.byKey.get(run.nodeKey);
    const kind = node ? findNodeKind(node.kind) : undefined;
    if (!node || !kind?.progress) return;
    await this.apply(run, await kind.progress(this, run, nodeConfig(this.flow, node, kind)));
  }

  async apply(run: NodeRun, progress: Progress): Promise<void> {
    if (progress.kind === 'wait') return;
    await this.completeRun(run, progress.kind === 'finish' ? 'reached' : progress.outcome);
    if (progress.kind === 'failed') {
      await this.finish('rejected');
      return;
    }
    if (progress.kind === 'finish') {
      await this.finish('approved');
      return;
    }
    const next = progress.next ?? (this.flow.out.get(run.nodeKey) ?? []).map(({ edge }) => edge.to);
    for (const key of next) await this.enter(key);
  }

  async completeRun(run: NodeRun, outcome: string, state: 'completed' | 'cancelled' = 'completed'): Promise<void> {
    const completedAt = instant(this.ctx.clock.now());
    run.state = state;
    run.outcome = outcome;
    (run as RunRow).completedAt = completedAt;
    if (this.active) {
      const index = this.active.findIndex((other) => other.id === run.id);
      if (index >= 0) this.active.splice(index, 1);
    }
    if (!this.unsavedRuns.has(run.id))
      this.bufferUpdate('baton_flow_node_run', run.id, { state, outcome, completedAt });
    if (state === 'completed') {
      await this.emit({ type: 'nodeCompleted', nodeKey: run.nodeKey, nodeRunId: run.id, outcome });
    }
  }

  isFinished(): boolean {
    return ['approved', 'rejected', 'withdrawn', 'terminated'].includes(this.inst.state) || this.inst.state === 'draft';
  }

  /**
   * Cancels every active node run and open task. Open tasks belong to active runs only (a run completes only
   * after closing its open tasks), so the tasks read with the active runs are all of them.
   */
  async cancelActive(outcome: string): Promise<void> {
    const active = await this.loadActive();
    await this.loadTasksOf(active);
    const open = active.flatMap((run) => (this.runTasks.get(run.id) ?? []).filter(isOpen));
    for (const run of [...active]) await this.completeRun(run, outcome, 'cancelled');
    if (open.length === 0) return;
    const pending = open.filter((task) => task.state === 'pending').map((task) => task.id);
    await this.tasksClosed(pending);
    for (const task of open) {
      Object.assign(task, { state: 'cancelled', outcome });
      if (!this.unsavedTasks.has(task.id))
        this.bufferUpdate('baton_flow_task', task.id, { state: 'cancelled', outcome });
    }
  }

  async setRecordState(state: string): Promise<void> {
    // The table name comes from the validated definition's form pack and key, never from input.
    this.bufferUpdate(tableName(this.inst.formPack, this.inst.formKey), this.inst.recordId, { state });
  }

  /** Ends the instance in a final state, and resumes a parent waiting for it. */
  async finish(state: Exclude<InstanceState, 'draft' | 'running'>): Promise<void> {
    await this.cancelActive(state === 'approved' ? 'cancelled' : state);
    this.inst.state = state;
    this.inst.finishedAt = instant(this.ctx.clock.now());
    await this.setRecordState(state);
    await this.emit({ type: state });
    if (this.inst.parentInstanceId && this.inst.parentNodeRunId) {
      await this.save();
      await resumeParent(this.ctx, this.inst.parentInstanceId, this.inst.parentNodeRunId, state);
    }
  }
}

/** Deadline timers of approval tasks; installed by deadlines.ts, which needs the actions and so is not imported here. */
export type TaskTimers = {
  /** Arms the timers of a task that became pending; returns its due instant (the engine records it), if any. */
  opened(engine: Engine, task: Task): Promise<string | undefined>;
  /** Cancels the timers of tasks that had a deadline and left pending. */
  closed(ctx: DbCtx, taskIds: readonly string[]): Promise<void>;
};

let taskTimers: TaskTimers | undefined;

export function installTaskTimers(timers: TaskTimers): void {
  taskTimers = timers;
}

type SubflowStarter = (
  ctx: DbCtx,
  input: {
    pack: string;
    key: string;
    values: Record<string, unknown>;
    initiatorId: string;
    parentInstanceId: string;
    parentNodeRunId: string;
  },
) => Promise<{ id: string; state: string }>;

let subflowStarter: SubflowStarter | undefined;

/** Installed by actions.ts (which knows how to submit) so the engine does not import it back. */
export function installSubflowStarter(starter: SubflowStarter): void {
  subflowStarter = starter;
}

/** A child instance finished: the parent's waiting subflow node completes (approved) or fails. */
async function resumeParent(ctx: DbCtx, parentId: string, runId: string, childState: InstanceState): Promise<void> {
  const parent = await Engine.load(ctx, parentId);
  const run = await parent.runById(runId);
  // Only a parent that is already waiting: a child that finishes while its parent is still entering the
  // subflow node is picked up by the subflow node itself.
  if (run?.state !== 'waiting' || parent.inst.state !== 'running') return;
  await parent.claim();
  await parent.apply(
    run,
    childState === 'approved'
      ? { kind: 'complete', outcome: 'childApproved' }
      : { kind: 'failed', outcome: childState },
  );
  await parent.save();
}
