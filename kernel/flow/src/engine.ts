import { newId } from '@baton/core';
import { type DbCtx, fromJson, instant, toJson, updateVersioned } from '@baton/db';
import { evaluate } from '@baton/expression';
import { type FormDefinition, type FormRecord, getRecord, tableName } from '@baton/form';
import { getDepartment, getLevel, getMember } from '@baton/org';
import type { AssigneeSpec } from './assignee-sources/define.ts';
import { findAssigneeSource } from './assignee-sources/registry.ts';
import { type CompiledFlow, compileFlow } from './definition.ts';
import { FlowErrors } from './errors.ts';
import { emitFlowEvent, type FlowEvent } from './events.ts';
import type { Progress } from './node-kinds/define.ts';
import { findNodeKind } from './node-kinds/registry.ts';
import type { Initiator, NewTask, NodeRun, Runtime, Task } from './runtime-types.ts';
import type { FlowInstanceTable, FlowNodeRunTable, InstanceState } from './schema.ts';

export type Instance = FlowInstanceTable;

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
): Promise<{ version: number; form: FormDefinition }> {
  let query = ctx.db
    .selectFrom('baton_form_definition')
    .select(['version', 'definition'])
    .where('pack', '=', pack)
    .where('key', '=', key);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) throw FlowErrors.notPublished.create({ flow: `form ${pack}.${key}` });
  return { version: Number(row.version), form: fromJson<FormDefinition>(row.definition) };
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
): Promise<{ version: number; flow: CompiledFlow }> {
  let query = ctx.db
    .selectFrom('baton_flow_definition')
    .select(['version', 'hash', 'formVersion', 'definition'])
    .where('pack', '=', pack)
    .where('key', '=', key);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) throw FlowErrors.notPublished.create({ flow: `${pack}.${key}` });
  const def = fromJson<{ form: { pack: string; key: string } }>(row.definition);
  const formVersion = Number(row.formVersion);
  // Published rows never change: the compiled flow is cached by both contents' hashes (validation is not free).
  const formRow = await ctx.db
    .selectFrom('baton_form_definition')
    .select(['hash'])
    .where('pack', '=', def.form.pack)
    .where('key', '=', def.form.key)
    .where('version', '=', formVersion)
    .executeTakeFirst();
  const cacheKey = `${row.hash}:${formRow?.hash ?? '-'}`;
  let flow = loaded.get(cacheKey);
  if (!flow) {
    const { form } = await formAt(ctx, def.form.pack, def.form.key, formVersion);
    flow = compileFlow(def, form);
    if (loaded.size > 500) loaded.clear();
    loaded.set(cacheKey, flow);
  }
  return { version: Number(row.version), flow };
}

const loaded = new Map<string, CompiledFlow>();

const toRun = (row: FlowNodeRunTable): NodeRun => ({
  id: row.id,
  nodeKey: row.nodeKey,
  kind: row.kind,
  seq: Number(row.seq),
  state: row.state,
  outcome: row.outcome,
  assignees: fromJson<string[]>(row.assignees) ?? [],
});

const normTask = (row: Task): Task => ({ ...row, seq: Number(row.seq) });

const openTaskStates = ['pending', 'waiting'] as const;

/**
 * The engine for one instance inside one transaction: implements the Runtime node kinds and assignee
 * sources see, enters nodes, applies progress, and finishes the instance.
 */
export class Engine implements Runtime {
  readonly ctx: DbCtx;
  readonly flow: CompiledFlow;
  inst: Instance;
  chosen: Record<string, string[]>;
  private claimed = false;
  private recordCache: FormRecord | undefined;
  private initiatorCache: Initiator | undefined;

  private constructor(ctx: DbCtx, flow: CompiledFlow, inst: Instance) {
    this.ctx = ctx;
    this.flow = flow;
    this.inst = inst;
    this.chosen = fromJson<Record<string, string[]>>(inst.chosen) ?? {};
  }

  static async load(ctx: DbCtx, instanceId: string): Promise<Engine> {
    const row = await ctx.db
      .selectFrom('baton_flow_instance')
      .selectAll()
      .where('id', '=', instanceId)
      .executeTakeFirst();
    if (!row) throw FlowErrors.instanceNotFound.create({ id: instanceId });
    const inst = { ...row, version: Number(row.version), actsSinceSubmit: Number(row.actsSinceSubmit) };
    const { flow } = await loadFlow(ctx, inst.flowPack, inst.flowKey, Number(inst.flowVersion));
    return new Engine(ctx, flow, inst);
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
    await ctx.db
      .insertInto('baton_flow_instance')
      .values({ ...inst, currentNodes: toJson(ctx.db, []), chosen: toJson(ctx.db, {}) })
      .execute();
    const engine = new Engine(ctx, input.flow, inst);
    engine.claimed = true;
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

  /** Writes the instance's state; current nodes are derived from the active node runs. */
  async save(): Promise<void> {
    const active = await this.ctx.db
      .selectFrom('baton_flow_node_run')
      .select('nodeKey')
      .where('instanceId', '=', this.inst.id)
      .where('state', 'in', ['active', 'waiting'])
      .orderBy('seq')
      .execute();
    const current = [...new Set(active.map((row) => row.nodeKey))];
    this.inst.currentNodes = JSON.stringify(current);
    this.inst.chosen = JSON.stringify(this.chosen);
    this.inst.updatedAt = instant(this.ctx.clock.now());
    await this.ctx.db
      .updateTable('baton_flow_instance')
      .set({
        state: this.inst.state,
        title: this.inst.title,
        currentNodes: toJson(this.ctx.db, current),
        chosen: toJson(this.ctx.db, this.chosen),
        returnedFrom: this.inst.returnedFrom,
        actsSinceSubmit: this.inst.actsSinceSubmit,
        submittedAt: this.inst.submittedAt,
        finishedAt: this.inst.finishedAt,
        parentInstanceId: this.inst.parentInstanceId,
        parentNodeRunId: this.inst.parentNodeRunId,
        updatedAt: this.inst.updatedAt,
      })
      .where('id', '=', this.inst.id)
      .where('version', '=', this.inst.version)
      .execute();
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
        { referenceIds: true },
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
    const member = await getMember(this.ctx, { id: this.inst.initiatorId }).catch(() => undefined);
    const department = member
      ? await getDepartment(this.ctx, { id: member.mainDepartmentId }).catch(() => undefined)
      : undefined;
    const level = member?.levelId ? await getLevel(this.ctx, { id: member.levelId }).catch(() => undefined) : undefined;
    this.initiatorCache = {
      memberId: this.inst.initiatorId,
      departmentId: member?.mainDepartmentId ?? null,
      unitId: department?.unitId ?? null,
      postId: member?.postId ?? null,
      levelRank: level ? Number(level.rank) : null,
    };
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

  /** The member who receives `memberId`'s new tasks of this flow right now, if any. */
  private async delegateOf(memberId: string): Promise<string | undefined> {
    const now = instant(this.ctx.clock.now());
    const rows = await this.ctx.db
      .selectFrom('baton_flow_delegation')
      .select(['toMemberId', 'flowPack', 'flowKey'])
      .where('fromMemberId', '=', memberId)
      .where('revokedAt', 'is', null)
      .where('startsAt', '<=', now)
      .where('endsAt', '>', now)
      .orderBy('createdAt', 'desc')
      .execute();
    const hit = rows.find(
      (row) => row.flowPack === null || (row.flowPack === this.inst.flowPack && row.flowKey === this.inst.flowKey),
    );
    return hit?.toMemberId;
  }

  async createTask(run: NodeRun, task: NewTask): Promise<Task> {
    const delegate = task.kind === 'approval' ? await this.delegateOf(task.assigneeId) : undefined;
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
      createdAt: instant(this.ctx.clock.now()),
      actedAt: task.state === 'skipped' ? instant(this.ctx.clock.now()) : null,
      dueAt: null,
      overdueAt: null,
    };
    await this.ctx.db.insertInto('baton_flow_task').values(row).execute();
    if (row.state === 'pending') await this.tasksOpened([row]);
    await this.emit({ type: 'taskCreated', nodeKey: run.nodeKey, nodeRunId: run.id, taskId: row.id });
    return row;
  }

  async tasksOf(run: NodeRun): Promise<Task[]> {
    const rows = await this.ctx.db
      .selectFrom('baton_flow_task')
      .selectAll()
      .where('nodeRunId', '=', run.id)
      .orderBy('seq')
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
    return rows.map(normTask);
  }

  async updateTask(id: string, patch: Partial<Pick<Task, 'state' | 'outcome' | 'actedAt'>>): Promise<void> {
    await this.ctx.db.updateTable('baton_flow_task').set(patch).where('id', '=', id).execute();
    if (patch.state === 'pending') {
      const row = await this.ctx.db.selectFrom('baton_flow_task').selectAll().where('id', '=', id).executeTakeFirst();
      if (row) await this.tasksOpened([normTask(row)]);
    } else if (patch.state) await this.tasksClosed([id]);
  }

  /** A task became pending: arms its deadline timers (when the deadline hooks are installed). */
  async tasksOpened(tasks: readonly Task[]): Promise<void> {
    for (const task of tasks) if (task.kind === 'approval') await taskTimers?.opened(this, task);
  }

  /** Tasks left pending (acted, cancelled, moved to waiting): every task change off pending ends here. */
  async tasksClosed(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await taskTimers?.closed(this.ctx, ids);
  }

  async setAssignees(run: NodeRun, ids: readonly string[]): Promise<void> {
    run.assignees = [...ids];
    await this.ctx.db
      .updateTable('baton_flow_node_run')
      .set({ assignees: toJson(this.ctx.db, ids) })
      .where('id', '=', run.id)
      .execute();
  }

  async approvedBefore(memberId: string, run: NodeRun, scope: 'previous' | 'anyEarlier'): Promise<boolean> {
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
      .where('nodeRunId', 'in', ids)
      .where('assigneeId', '=', memberId)
      .where('outcome', 'in', ['approved', 'deduped', 'initiatorAutoPass'])
      .limit(1)
      .executeTakeFirst();
    return hit !== undefined;
  }

  async activeRuns(): Promise<NodeRun[]> {
    const rows = await this.ctx.db
      .selectFrom('baton_flow_node_run')
      .selectAll()
      .where('instanceId', '=', this.inst.id)
      .where('state', 'in', ['active', 'waiting'])
      .orderBy('seq')
      .execute();
    return rows.map(toRun);
  }

  async otherActiveRuns(run: NodeRun): Promise<NodeRun[]> {
    return (await this.activeRuns()).filter((other) => other.id !== run.id);
  }

  async runById(id: string): Promise<NodeRun | undefined> {
    const row = await this.ctx.db.selectFrom('baton_flow_node_run').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async startSubflow(
    run: NodeRun,
    input: { pack: string; key: string; values: Record<string, unknown> },
  ): Promise<{ id: string; state: string }> {
    if (!subflowStarter) throw new Error('flow: subflow starter not installed');
    return subflowStarter(this.ctx, {
      ...input,
      initiatorId: this.inst.initiatorId,
      parentInstanceId: this.inst.id,
      parentNodeRunId: run.id,
    });
  }

  async setChild(run: NodeRun, childInstanceId: string, wait: boolean): Promise<void> {
    if (wait) run.state = 'waiting';
    await this.ctx.db
      .updateTable('baton_flow_node_run')
      .set({ childInstanceId, state: run.state })
      .where('id', '=', run.id)
      .execute();
  }

  async emit(event: Omit<FlowEvent, 'instanceId' | 'flow' | 'at'>): Promise<void> {
    await emitFlowEvent(this.ctx, {
      ...event,
      instanceId: this.inst.id,
      flow: `${this.inst.flowPack}.${this.inst.flowKey}`,
      at: instant(this.ctx.clock.now()),
    });
  }

  // ---- moving through the graph ---------------------------------------------------------------------

  private async nextSeq(): Promise<number> {
    const row = await this.ctx.db
      .selectFrom('baton_flow_node_run')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('instanceId', '=', this.inst.id)
      .executeTakeFirst();
    return Number(row?.seq ?? 0) + 1;
  }

  /** Enters `nodeKey` (a join already waiting is re-checked instead) and follows it as far as it goes. */
  async enter(nodeKey: string): Promise<void> {
    if (this.isFinished()) return;
    const node = this.flow.byKey.get(nodeKey);
    if (!node) throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['node'], code: 'unknown_node' }] });
    const kind = findNodeKind(node.kind);
    if (!kind) throw new Error(`flow: node kind ${node.kind} is not registered`);
    const config = kind.configSchema.parse(
      Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'key' && k !== 'kind' && k !== 'name')),
    );
    if (node.kind === 'join') {
      const waiting = (await this.activeRuns()).find((run) => run.nodeKey === nodeKey);
      if (waiting) {
        await this.apply(waiting, await kind.enter(this, waiting, config));
        return;
      }
    }
    const now = instant(this.ctx.clock.now());
    const row: FlowNodeRunTable = {
      id: newId(),
      instanceId: this.inst.id,
      nodeKey,
      kind: node.kind,
      seq: await this.nextSeq(),
      state: 'active',
      outcome: null,
      assignees: '[]',
      childInstanceId: null,
      enteredAt: now,
      completedAt: null,
    };
    await this.ctx.db
      .insertInto('baton_flow_node_run')
      .values({ ...row, assignees: toJson(this.ctx.db, []) })
      .execute();
    const run = toRun(row);
    await this.emit({ type: 'nodeEntered', nodeKey, nodeRunId: run.id, node: node as Record<string, unknown> });
    await this.apply(run, await kind.enter(this, run, config));
  }

  /** Re-evaluates an approval node after one of its tasks changed. */
  async progress(run: NodeRun): Promise<void> {
    const node = this.flow.byKey.get(run.nodeKey);
    const kind = node ? findNodeKind(node.kind) : undefined;
    if (!node || !kind?.progress) return;
    const config = kind.configSchema.parse(
      Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'key' && k !== 'kind' && k !== 'name')),
    );
    await this.apply(run, await kind.progress(this, run, config));
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
    run.state = state;
    run.outcome = outcome;
    await this.ctx.db
      .updateTable('baton_flow_node_run')
      .set({ state, outcome, completedAt: instant(this.ctx.clock.now()) })
      .where('id', '=', run.id)
      .execute();
    if (state === 'completed') {
      await this.emit({ type: 'nodeCompleted', nodeKey: run.nodeKey, nodeRunId: run.id, outcome });
    }
  }

  isFinished(): boolean {
    return ['approved', 'rejected', 'withdrawn', 'terminated'].includes(this.inst.state) || this.inst.state === 'draft';
  }

  /** Cancels every active node run and open task. */
  async cancelActive(outcome: string): Promise<void> {
    for (const run of await this.activeRuns()) await this.completeRun(run, outcome, 'cancelled');
    const pending = await this.ctx.db
      .selectFrom('baton_flow_task')
      .select('id')
      .where('instanceId', '=', this.inst.id)
      .where('state', '=', 'pending')
      .execute();
    await this.tasksClosed(pending.map((task) => task.id));
    await this.ctx.db
      .updateTable('baton_flow_task')
      .set({ state: 'cancelled', outcome })
      .where('instanceId', '=', this.inst.id)
      .where('state', 'in', [...openTaskStates])
      .execute();
  }

  async setRecordState(state: string): Promise<void> {
    // The table name comes from the validated definition's form pack and key, never from input.
    // biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
    const db = this.ctx.db as any;
    await db
      .updateTable(tableName(this.inst.formPack, this.inst.formKey))
      .set({ state })
      .where('id', '=', this.inst.recordId)
      .execute();
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
  opened(engine: Engine, task: Task): Promise<void>;
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
