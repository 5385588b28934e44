import { CoreErrors, newId } from '@baton/core';
import { type DbCtx, fromJson, instant, toJson, withTx } from '@baton/db';
import { createRecord, FormErrors, type FormRecord, updateRecord } from '@baton/form';
import { getMember, getMemberWithUnit } from '@baton/org';
import { z } from 'zod';
import { actorId, ClaimLost, Engine, initiatorOf, installSubflowStarter, loadFlow, readSnapshot } from './engine.ts';
import { FlowErrors } from './errors.ts';
import { approving } from './node-kinds/approval/index.ts';
import type { NodeFieldAccess } from './node-kinds/shared.ts';
import type { NodeRun, Task } from './runtime-types.ts';
import type { InstanceState } from './schema.ts';

export type ActionResult = {
  instanceId: string;
  recordId: string;
  state: InstanceState;
  version: number;
  currentNodes: string[];
};

const id = z.string().min(1).max(64);
const clientActionId = z.string().min(1).max(100).optional();
const opinion = z.string().max(4000).optional();
const attachments = z.array(id).max(50).optional();
const values = z.record(z.string(), z.unknown()).optional();
const chosen = z.record(z.string().max(64), z.array(id).max(200)).optional();
const flowRef = z.strictObject({ pack: z.string().min(1).max(40), key: z.string().min(1).max(40) });

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw FlowErrors.invalidInput.create(
    {},
    {
      fields: parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
        code: issue.code,
        message: issue.message,
      })),
    },
  );
}

function memberOf(ctx: DbCtx): string {
  if (ctx.actor.kind !== 'member') throw CoreErrors.forbidden.create();
  return ctx.actor.memberId;
}

type ActionRow = {
  action: string;
  nodeKey?: string | null;
  taskId?: string | null;
  opinion?: string | null;
  attachments?: readonly string[] | null;
  detail?: Record<string, unknown> | null;
  clientActionId?: string | null;
};

/** Saves the instance and appends the action's history row (one statement on PostgreSQL); returns the result. */
async function saveAndRecord(engine: Engine, row: ActionRow): Promise<ActionResult> {
  const ctx = engine.ctx;
  const result: ActionResult = engine.settle();
  await engine.saveWithAction({
    id: newId(),
    instanceId: engine.inst.id,
    clientActionId: row.clientActionId ?? null,
    actorId: actorId(ctx),
    action: row.action,
    nodeKey: row.nodeKey ?? null,
    taskId: row.taskId ?? null,
    opinion: row.opinion ?? null,
    attachments: row.attachments ? toJson(ctx.db, row.attachments) : null,
    detail: row.detail ? toJson(ctx.db, row.detail) : null,
    result: toJson(ctx.db, result),
    at: instant(ctx.clock.now()),
  });
  return result;
}

async function replay(ctx: DbCtx, instanceId: string | undefined, client: string | undefined) {
  if (!client) return undefined;
  let query = ctx.db.selectFrom('baton_flow_action').select(['result', 'actorId']).where('clientActionId', '=', client);
  query = instanceId ? query.where('instanceId', '=', instanceId) : query.where('actorId', '=', actorId(ctx));
  const row = await query.limit(1).executeTakeFirst();
  return row ? replayed(ctx, row) : undefined;
}

function replayed(ctx: DbCtx, row: { result: string | null; actorId: string }): ActionResult {
  // A retry replays only its own action: someone else's id must not hand them the result of an act they
  // never performed.
  if (row.actorId !== actorId(ctx)) {
    throw FlowErrors.notAllowed.create({ reason: 'clientActionId already used by someone else' });
  }
  return fromJson<ActionResult>(row.result);
}

/**
 * One action = one transaction: reads the instance, the task and a known client action id in one statement
 * before the transaction (a replay ends there), takes the instance's optimistic lock at the version read — or,
 * when someone acted since, reads again under the lock —, runs `fn`, saves the instance and appends the history
 * row.
 */
async function act(
  ctx: DbCtx,
  target: { instanceId: string } | { taskId: string },
  client: string | undefined,
  fn: (engine: Engine) => Promise<ActionRow>,
): Promise<ActionResult> {
  const snapshot = await readSnapshot(ctx, target, client);
  if (snapshot.replay) return replayed(ctx, snapshot.replay);
  const fromSnapshot = async (tx: DbCtx) => {
    const engine = await Engine.fromSnapshot(tx, snapshot);
    if (snapshot.task) engine.knowTask(snapshot.task);
    if (snapshot.active) engine.adoptActive(snapshot.active);
    return engine;
  };
  const underLock = async (tx: DbCtx): Promise<ActionResult> => {
    const previous = await replay(tx, snapshot.inst.id, client);
    if (previous) return previous;
    const engine = await Engine.load(tx, snapshot.inst.id);
    await engine.claim();
    return saveAndRecord(engine, { ...(await fn(engine)), clientActionId: client });
  };
  if (ctx.db.isTransaction) {
    // Inside someone else's transaction nothing can be undone alone: claim first.
    return withTx(ctx, async (tx) => {
      const engine = await fromSnapshot(tx);
      if (!(await engine.tryClaim())) return underLock(tx);
      return saveAndRecord(engine, { ...(await fn(engine)), clientActionId: client });
    });
  }
  // Usually nobody acted since the snapshot: the claim is deferred to the first write or folded into the save
  // (a round trip or three less). When it is lost — or the action failed on what may have been a stale
  // snapshot — the transaction rolls back and the action runs again, claiming first.
  let engine: Engine | undefined;
  try {
    return await withTx(ctx, async (tx) => {
      engine = await fromSnapshot(tx);
      engine.claimLazily();
      return saveAndRecord(engine, { ...(await fn(engine)), clientActionId: client });
    });
  } catch (error) {
    // A publish of the form since the snapshot is a stale snapshot too: the rerun reads the new version.
    if (!(error instanceof ClaimLost) && !engine?.unclaimed && !FormErrors.publishedMeanwhile.is(error)) throw error;
  }
  return withTx(ctx, underLock);
}

async function taskContext(ctx: DbCtx, taskId: string): Promise<Task> {
  const task = await ctx.db.selectFrom('baton_flow_task').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task) throw FlowErrors.taskNotFound.create({ id: taskId });
  return { ...task, seq: Number(task.seq) };
}

/** The task as the claimed engine knows it: it must belong to this instance. */
async function claimedTask(engine: Engine, taskId: string): Promise<Task> {
  const task = await engine.readTask(taskId);
  if (!task || task.instanceId !== engine.inst.id) throw FlowErrors.taskNotFound.create({ id: taskId });
  return task;
}

function requireRunning(engine: Engine, action: string): void {
  if (engine.inst.state !== 'running') throw FlowErrors.invalidState.create({ state: engine.inst.state, action });
}

/** Re-reads the task inside the claimed transaction: it must still be pending and the actor's. */
async function ownPendingTask(engine: Engine, taskId: string, action: string): Promise<{ task: Task; run: NodeRun }> {
  const task = await claimedTask(engine, taskId);
  if (task.state !== 'pending' || task.kind !== 'approval') throw FlowErrors.taskNotPending.create();
  if (task.assigneeId !== memberOf(engine.ctx)) throw FlowErrors.notAssignee.create();
  requireRunning(engine, action);
  const run = await engine.runById(task.nodeRunId);
  if (!run) throw FlowErrors.taskNotPending.create();
  return { task, run };
}

function isAdministrator(engine: Engine, memberId: string): boolean {
  return engine.flow.def.administrators.includes(memberId);
}

function nodeAccess(engine: Engine, nodeKey: string): Record<string, NodeFieldAccess> {
  const node = engine.flow.byKey.get(nodeKey) as { fieldAccess?: Record<string, NodeFieldAccess> } | undefined;
  return node?.fieldAccess ?? {};
}

/** Writes record values as the node's assignee: its field permissions apply and only it writes its opinion slot. */
async function writeRecord(
  engine: Engine,
  nodeKey: string,
  memberId: string,
  changes: Record<string, unknown>,
  isStart: boolean,
): Promise<FormRecord | undefined> {
  if (Object.keys(changes).length === 0) return undefined;
  // The record's hooks (rules) read the flow tables: what the engine buffered goes first; the record row is
  // locked after the instance row, as every action does.
  await engine.lockFirst();
  await engine.flush();
  const access = nodeAccess(engine, nodeKey);
  const fieldRules = Object.entries(access).map(([field, level]) => ({
    field,
    access: level === 'required' ? ('edit' as const) : level,
  }));
  // The node's own opinion slot is writable there (the form engine still checks the acting node).
  const opinionField = (engine.flow.byKey.get(nodeKey) as { opinionField?: string } | undefined)?.opinionField;
  if (opinionField) fieldRules.push({ field: opinionField, access: 'edit' });
  const updated = await updateRecord(
    engine.ctx,
    {
      pack: engine.inst.formPack,
      key: engine.inst.formKey,
      id: engine.inst.recordId,
      values: changes,
    },
    {
      viewer: { memberId, scopes: ['all'], fieldRules, defaultAccess: isStart ? 'edit' : 'read' },
      actingNode: nodeKey,
      flowInstanceId: engine.inst.id,
      // Under the instance's claim the engine writes the record as it is now (it used to read the version first).
      atCurrentVersion: true,
      ...(engine.formStamp ? { formStamp: engine.formStamp } : {}),
    },
  );
  engine.forgetRecord();
  return updated;
}

const blank = (value: unknown) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

async function assertRequired(engine: Engine, nodeKey: string): Promise<void> {
  const required = Object.entries(nodeAccess(engine, nodeKey))
    .filter(([, level]) => level === 'required')
    .map(([field]) => field);
  if (required.length === 0) return;
  const current = await engine.values();
  const missing = required.filter((field) => blank(current[field]));
  if (missing.length > 0) {
    throw FlowErrors.requiredFields.create(
      { fields: missing.join(', ') },
      { fields: missing.map((field) => ({ path: [field], code: 'required', message: 'required at this step' })) },
    );
  }
}

// ---- drafts and submit ---------------------------------------------------------------------------------

const draftSchema = z.strictObject({
  flow: flowRef.optional(),
  instanceId: id.optional(),
  values: values,
  title: z.string().min(1).max(200).optional(),
  clientActionId,
});
export type SaveDraftInput = z.input<typeof draftSchema>;

async function initiatorContext(ctx: DbCtx, memberId: string) {
  const found = await getMemberWithUnit(ctx, { id: memberId });
  const initiator = initiatorOf(memberId, found);
  return {
    member: found.member,
    initiator,
    context: {
      memberId,
      departmentId: found.member.mainDepartmentId,
      unitId: initiator.unitId ?? undefined,
      postId: initiator.postId ?? undefined,
    },
  };
}

/**
 * A new instance's record is written for the form version read with the flow version; a publish of the form in
 * between refuses the write (FORM_PUBLISHED_MEANWHILE) and rolls the transaction back, and the action is made
 * once more with the new version. Inside a caller's transaction nothing can be undone alone: the error stands.
 */
async function againIfPublished<T>(ctx: DbCtx, run: () => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return run();
  try {
    return await run();
  } catch (error) {
    if (!FormErrors.publishedMeanwhile.is(error)) throw error;
  }
  return run();
}

async function createDraft(
  ctx: DbCtx,
  input: { pack: string; key: string; values: Record<string, unknown>; title?: string; initiatorId: string },
): Promise<Engine> {
  const { version, flow, delegationStamp, formStamp } = await loadFlow(ctx, input.pack, input.key);
  const { member, initiator, context } = await initiatorContext(ctx, input.initiatorId);
  const instanceId = newId();
  const start = flow.byKey.get(flow.startKey) as { fieldAccess?: Record<string, NodeFieldAccess> };
  const fieldRules = Object.entries(start.fieldAccess ?? {}).map(([field, level]) => ({
    field,
    access: level === 'required' ? ('edit' as const) : level,
  }));
  const record = await createRecord(
    ctx,
    { pack: flow.def.form.pack, key: flow.def.form.key, values: input.values },
    {
      context,
      flowInstanceId: instanceId,
      ...(formStamp ? { formStamp } : {}),
      ...(fieldRules.length > 0
        ? { viewer: { memberId: input.initiatorId, scopes: ['all'], fieldRules, defaultAccess: 'edit' } }
        : {}),
    },
  );
  return Engine.create(ctx, {
    id: instanceId,
    flow,
    flowVersion: version,
    recordId: record.id,
    title: input.title ?? `${member.name}的${flow.def.name.zh}`,
    initiatorId: input.initiatorId,
    initiator,
    delegationStamp,
    formStamp,
  });
}

/** Creates a draft instance with its record, or updates a draft's record. */
export async function saveDraft(ctx: DbCtx, input: SaveDraftInput): Promise<ActionResult> {
  const data = parse(draftSchema, input);
  const me = memberOf(ctx);
  if (data.instanceId) {
    return act(ctx, { instanceId: data.instanceId }, data.clientActionId, async (engine) => {
      if (engine.inst.initiatorId !== me) throw FlowErrors.notAllowed.create({ reason: 'not the initiator' });
      if (engine.inst.state !== 'draft')
        throw FlowErrors.invalidState.create({ state: engine.inst.state, action: 'saveDraft' });
      await writeRecord(engine, engine.flow.startKey, me, data.values ?? {}, true);
      if (data.title) engine.inst.title = data.title;
      return { action: 'saveDraft', nodeKey: engine.flow.startKey };
    });
  }
  if (!data.flow) throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['flow'], code: 'required' }] });
  const flow = data.flow;
  return againIfPublished(ctx, () =>
    withTx(ctx, async (tx) => {
      const previous = await replay(tx, undefined, data.clientActionId);
      if (previous) return previous;
      const engine = await createDraft(tx, { ...flow, values: data.values ?? {}, title: data.title, initiatorId: me });
      return saveAndRecord(engine, { action: 'saveDraft', clientActionId: data.clientActionId });
    }),
  );
}

const submitSchema = draftSchema.extend({
  /** Assignees picked by the initiator, per node with a chosenByInitiator source. */
  chosen,
  /** After a return to the initiator: go straight back to the node that returned it. */
  jumpBack: z.boolean().optional(),
});
export type SubmitInput = z.input<typeof submitSchema>;

async function doSubmit(engine: Engine, data: z.output<typeof submitSchema>): Promise<ActionRow> {
  const ctx = engine.ctx;
  const jumpTo = data.jumpBack ? engine.inst.returnedFrom : null;
  engine.inst.state = 'running';
  engine.inst.submittedAt = instant(ctx.clock.now());
  engine.inst.actsSinceSubmit = 0;
  engine.inst.returnedFrom = null;
  for (const [node, ids] of Object.entries(data.chosen ?? {})) engine.chosen[node] = [...ids];
  await engine.setRecordState('running');
  await engine.emit({ type: 'submitted', actorId: actorId(ctx) });
  if (jumpTo && engine.flow.byKey.has(jumpTo)) await engine.enter(jumpTo);
  else await engine.enter(engine.flow.startKey);
  return { action: 'submit', nodeKey: engine.flow.startKey, detail: jumpTo ? { jumpBack: jumpTo } : null };
}

/** Submits a new request, a draft, or a request returned to the initiator. */
export async function submit(ctx: DbCtx, input: SubmitInput): Promise<ActionResult> {
  const data = parse(submitSchema, input);
  const me = memberOf(ctx);
  if (data.instanceId) {
    return act(ctx, { instanceId: data.instanceId }, data.clientActionId, async (engine) => {
      if (engine.inst.initiatorId !== me) throw FlowErrors.notAllowed.create({ reason: 'not the initiator' });
      if (engine.inst.state !== 'draft')
        throw FlowErrors.invalidState.create({ state: engine.inst.state, action: 'submit' });
      await writeRecord(engine, engine.flow.startKey, me, data.values ?? {}, true);
      if (data.title) engine.inst.title = data.title;
      return doSubmit(engine, data);
    });
  }
  if (!data.flow) throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['flow'], code: 'required' }] });
  const flow = data.flow;
  return againIfPublished(ctx, () =>
    withTx(ctx, async (tx) => {
      const previous = await replay(tx, undefined, data.clientActionId);
      if (previous) return previous;
      const engine = await createDraft(tx, { ...flow, values: data.values ?? {}, title: data.title, initiatorId: me });
      const row = await doSubmit(engine, data);
      return saveAndRecord(engine, { ...row, clientActionId: data.clientActionId });
    }),
  );
}

installSubflowStarter(async (ctx, input) => {
  const engine = await createDraft(ctx, {
    pack: input.pack,
    key: input.key,
    values: input.values,
    initiatorId: input.initiatorId,
  });
  engine.inst.parentInstanceId = input.parentInstanceId;
  engine.inst.parentNodeRunId = input.parentNodeRunId;
  const row = await doSubmit(engine, { values: {} });
  await saveAndRecord(engine, { ...row, detail: { parentInstanceId: input.parentInstanceId } });
  return { id: engine.inst.id, state: engine.inst.state };
});

// ---- task actions ----------------------------------------------------------------------------------------

const taskBase = { taskId: id, clientActionId, opinion, attachments };
const approveSchema = z.strictObject({ ...taskBase, values, chosen });
export type ApproveInput = z.input<typeof approveSchema>;

async function withTask<T extends { taskId: string; clientActionId?: string }>(
  ctx: DbCtx,
  data: T,
  fn: (engine: Engine) => Promise<ActionRow>,
): Promise<ActionResult> {
  // The snapshot finds the instance through the task; the action trusts the task only under the instance's lock.
  return act(ctx, { taskId: data.taskId }, data.clientActionId, fn);
}

/** Approves the actor's pending task, writing the node's editable fields and its opinion slot. */
export async function approve(ctx: DbCtx, input: ApproveInput): Promise<ActionResult> {
  const data = parse(approveSchema, input);
  return withTask(ctx, data, async (engine) => {
    const { task, run } = await ownPendingTask(engine, data.taskId, 'approve');
    const me = task.assigneeId;
    const changes: Record<string, unknown> = { ...(data.values ?? {}) };
    const opinionField = (engine.flow.byKey.get(run.nodeKey) as { opinionField?: string }).opinionField;
    if (opinionField && data.opinion !== undefined) {
      changes[opinionField] = { text: data.opinion, memberId: me, at: instant(engine.ctx.clock.now()) };
    }
    await writeRecord(engine, run.nodeKey, me, changes, false);
    await assertRequired(engine, run.nodeKey);
    await closeTask(engine, task, 'approved', data.opinion, data.attachments);
    for (const [node, ids] of Object.entries(data.chosen ?? {})) engine.chosen[node] = [...ids];
    await engine.progress(run);
    return {
      action: 'approve',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      attachments: data.attachments,
    };
  });
}

async function closeTask(
  engine: Engine,
  task: Task,
  outcome: string,
  text: string | undefined,
  files: readonly string[] | undefined,
): Promise<void> {
  const ctx = engine.ctx;
  const closed = await engine.patchTask(
    task.id,
    {
      state: 'done',
      outcome,
      opinion: text ?? null,
      attachments: files ? JSON.stringify(files) : null,
      actedAt: instant(ctx.clock.now()),
    },
    'pending',
  );
  if (!closed) throw FlowErrors.taskNotPending.create();
  engine.inst.actsSinceSubmit += 1;
  await engine.emit({ type: 'taskActed', nodeKey: task.nodeKey, taskId: task.id, actorId: actorId(ctx), outcome });
}

const rejectSchema = z.strictObject(taskBase);
export type RejectInput = z.input<typeof rejectSchema>;

/** Rejects: the instance ends rejected (a countersign with a ratio only once the ratio is out of reach). */
export async function reject(ctx: DbCtx, input: RejectInput): Promise<ActionResult> {
  const data = parse(rejectSchema, input);
  return withTask(ctx, data, async (engine) => {
    const { task, run } = await ownPendingTask(engine, data.taskId, 'reject');
    await closeTask(engine, task, 'rejected', data.opinion, data.attachments);
    await engine.progress(run);
    return {
      action: 'reject',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      attachments: data.attachments,
    };
  });
}

const returnSchema = z.strictObject({
  ...taskBase,
  /** 'initiator', 'previous', or the key of an earlier approval node. */
  to: z.string().min(1).max(64),
});
export type ReturnInput = z.input<typeof returnSchema>;

/** Sends the request back to the initiator (as a draft), the previous approval node, or any earlier one. */
export async function returnTask(ctx: DbCtx, input: ReturnInput): Promise<ActionResult> {
  const data = parse(returnSchema, input);
  return withTask(ctx, data, async (engine) => {
    const { task, run } = await ownPendingTask(engine, data.taskId, 'return');
    await engine.flush();
    const earlier = await engine.ctx.db
      .selectFrom('baton_flow_node_run')
      .select(['nodeKey', 'seq'])
      .where('instanceId', '=', engine.inst.id)
      .where('kind', '=', 'approval')
      .where('state', '=', 'completed')
      .where('seq', '<', run.seq)
      .where('nodeKey', '<>', run.nodeKey)
      .orderBy('seq', 'desc')
      .execute();
    let target: string | null = null;
    if (data.to === 'initiator') target = null;
    else if (data.to === 'previous') {
      target = earlier[0]?.nodeKey ?? null;
      if (!target) throw FlowErrors.returnTargetInvalid.create({ node: 'previous' });
    } else {
      if (!earlier.some((row) => row.nodeKey === data.to))
        throw FlowErrors.returnTargetInvalid.create({ node: data.to });
      target = data.to;
    }
    await closeTask(engine, task, 'returned', data.opinion, data.attachments);
    await engine.cancelActive('returned');
    await engine.emit({
      type: 'returned',
      nodeKey: run.nodeKey,
      actorId: actorId(engine.ctx),
      detail: { to: data.to },
    });
    if (target === null) {
      engine.inst.state = 'draft';
      engine.inst.returnedFrom = run.nodeKey;
      await engine.setRecordState('draft');
    } else {
      await engine.enter(target);
    }
    return {
      action: 'return',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      attachments: data.attachments,
      detail: { to: data.to },
    };
  });
}

const transferSchema = z.strictObject({ ...taskBase, to: id });
export type TransferInput = z.input<typeof transferSchema>;

/** Hands the actor's pending task to another member (the new task takes its place in the node). */
export async function transfer(ctx: DbCtx, input: TransferInput): Promise<ActionResult> {
  const data = parse(transferSchema, input);
  return withTask(ctx, data, async (engine) => {
    const { task, run } = await ownPendingTask(engine, data.taskId, 'transfer');
    if (data.to === task.assigneeId) throw FlowErrors.notAllowed.create({ reason: 'transfer to yourself' });
    await activeMember(engine.ctx, data.to);
    await closeTask(engine, task, 'transferred', data.opinion, data.attachments);
    await engine.createTask(run, {
      assigneeId: data.to,
      kind: 'approval',
      state: 'pending',
      seq: task.seq,
      origin: task.origin,
      addedBy: task.addedBy,
    });
    return {
      action: 'transfer',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      detail: { to: data.to },
    };
  });
}

// ---- system actions: what an overdue deadline does (deadlines.ts) ----------------------------------------

const systemSchema = z.strictObject({ taskId: id, opinion, to: id.optional() });

/** Like ownPendingTask, for the system actor: no assignee check. */
async function systemPendingTask(
  engine: Engine,
  taskId: string,
  action: string,
): Promise<{ task: Task; run: NodeRun }> {
  if (engine.ctx.actor.kind !== 'system') throw CoreErrors.forbidden.create();
  const task = await claimedTask(engine, taskId);
  if (task.state !== 'pending' || task.kind !== 'approval') throw FlowErrors.taskNotPending.create();
  requireRunning(engine, action);
  const run = await engine.runById(task.nodeRunId);
  if (!run) throw FlowErrors.taskNotPending.create();
  return { task, run };
}

/**
 * Approves a pending task as the system actor (`ctx.actor.kind === 'system'`): no record write and no
 * required-field check, since nobody fills the form. Internal: not exported from the package.
 */
export async function systemApprove(ctx: DbCtx, input: { taskId: string; opinion?: string }): Promise<ActionResult> {
  const data = parse(systemSchema, input);
  return withTask(ctx, data, async (engine) => {
    const { task, run } = await systemPendingTask(engine, data.taskId, 'approve');
    await closeTask(engine, task, 'approved', data.opinion, undefined);
    await engine.progress(run);
    return {
      action: 'approve',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      detail: { overdue: true },
    };
  });
}

/** Hands a pending task to `to` as the system actor (overdue transfer / escalation). Internal. */
export async function systemTransfer(
  ctx: DbCtx,
  input: { taskId: string; to: string; opinion?: string },
): Promise<ActionResult> {
  const data = parse(systemSchema, input);
  const to = data.to ?? '';
  return withTask(ctx, data, async (engine) => {
    const { task, run } = await systemPendingTask(engine, data.taskId, 'transfer');
    if (to === task.assigneeId) throw FlowErrors.notAllowed.create({ reason: 'transfer to the same assignee' });
    await activeMember(engine.ctx, to);
    await closeTask(engine, task, 'transferred', data.opinion, undefined);
    await engine.createTask(run, {
      assigneeId: to,
      kind: 'approval',
      state: 'pending',
      seq: task.seq,
      origin: task.origin,
      addedBy: task.addedBy,
    });
    return {
      action: 'transfer',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      detail: { to, overdue: true },
    };
  });
}

async function activeMember(ctx: DbCtx, memberId: string): Promise<void> {
  const member = await getMember(ctx, { id: memberId }).catch(() => undefined);
  if (member?.status !== 'active') {
    throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['to'], code: 'not_active_member' }] });
  }
}

const addSignerSchema = z.strictObject({
  ...taskBase,
  members: z.array(id).min(1).max(50),
  position: z.enum(['before', 'after', 'parallel']),
});
export type AddSignerInput = z.input<typeof addSignerSchema>;

/**
 * 加签. before: they sign first, then the task comes back to the actor · after: the actor approves now and
 * the node also waits for them · parallel: they join the node as further assignees.
 */
export async function addSigner(ctx: DbCtx, input: AddSignerInput): Promise<ActionResult> {
  const data = parse(addSignerSchema, input);
  return withTask(ctx, data, async (engine) => {
    const { task, run } = await ownPendingTask(engine, data.taskId, 'addSigner');
    const members = [...new Set(data.members)].filter((member) => member !== task.assigneeId);
    if (members.length === 0)
      throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['members'], code: 'empty' }] });
    for (const member of members) await activeMember(engine.ctx, member);
    if (data.position === 'before') {
      await engine.updateTask(task.id, { state: 'waiting' });
    } else if (data.position === 'after') {
      await closeTask(engine, task, 'approved', data.opinion, data.attachments);
    } else {
      engine.inst.actsSinceSubmit += 1;
    }
    if (data.position === 'before') engine.inst.actsSinceSubmit += 1;
    for (const member of members) {
      await engine.createTask(run, {
        assigneeId: member,
        kind: 'approval',
        state: 'pending',
        seq: task.seq,
        origin: data.position,
        addedBy: task.assigneeId,
      });
    }
    if (data.position !== 'after') {
      await engine.emit({
        type: 'taskActed',
        nodeKey: run.nodeKey,
        taskId: task.id,
        actorId: task.assigneeId,
        outcome: `addSigner.${data.position}`,
        detail: { members },
      });
    }
    await engine.progress(run);
    return {
      action: 'addSigner',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      detail: { members, position: data.position },
    };
  });
}

const removeSignerSchema = z.strictObject({ taskId: id, clientActionId, opinion });
export type RemoveSignerInput = z.input<typeof removeSignerSchema>;

/** Removes an open task: by whoever added it, or by an administrator. */
export async function removeSigner(ctx: DbCtx, input: RemoveSignerInput): Promise<ActionResult> {
  const data = parse(removeSignerSchema, input);
  return withTask(ctx, data, async (engine) => {
    const me = memberOf(engine.ctx);
    const task = await claimedTask(engine, data.taskId);
    requireRunning(engine, 'removeSigner');
    if (task.state !== 'pending' && task.state !== 'waiting') throw FlowErrors.taskNotPending.create();
    if (task.addedBy !== me && !isAdministrator(engine, me)) {
      throw FlowErrors.notAllowed.create({ reason: 'only who added the signer or an administrator' });
    }
    const run = await engine.runById(task.nodeRunId);
    if (!run) throw FlowErrors.taskNotPending.create();
    const open = (await engine.tasksOf(run)).filter(
      (other) => other.id !== task.id && ['pending', 'waiting', 'done', 'skipped'].includes(other.state),
    );
    if (!open.some((other) => other.outcome === null || approving.has(other.outcome))) {
      throw FlowErrors.notAllowed.create({ reason: 'the last signer of a node cannot be removed' });
    }
    await engine.updateTask(task.id, {
      state: 'cancelled',
      outcome: 'removed',
      actedAt: instant(engine.ctx.clock.now()),
    });
    await engine.progress(run);
    return {
      action: 'removeSigner',
      nodeKey: run.nodeKey,
      taskId: task.id,
      opinion: data.opinion,
      detail: { member: task.assigneeId },
    };
  });
}

// ---- instance actions -----------------------------------------------------------------------------------

const instanceBase = { instanceId: id, clientActionId, opinion };
const withdrawSchema = z.strictObject(instanceBase);
export type WithdrawInput = z.input<typeof withdrawSchema>;

/** The initiator takes the request back, as long as no approver has acted since the submit. */
export async function withdraw(ctx: DbCtx, input: WithdrawInput): Promise<ActionResult> {
  const data = parse(withdrawSchema, input);
  return act(ctx, { instanceId: data.instanceId }, data.clientActionId, async (engine) => {
    if (engine.inst.initiatorId !== memberOf(engine.ctx))
      throw FlowErrors.notAllowed.create({ reason: 'not the initiator' });
    requireRunning(engine, 'withdraw');
    if (engine.inst.actsSinceSubmit > 0) throw FlowErrors.withdrawTooLate.create();
    await engine.finish('withdrawn');
    return { action: 'withdraw', opinion: data.opinion };
  });
}

/** Ends a running request: an administrator, or the initiator when the flow's terminatePolicy allows. */
export async function terminate(ctx: DbCtx, input: WithdrawInput): Promise<ActionResult> {
  const data = parse(withdrawSchema, input);
  return act(ctx, { instanceId: data.instanceId }, data.clientActionId, async (engine) => {
    const me = memberOf(engine.ctx);
    const allowed =
      isAdministrator(engine, me) ||
      (engine.flow.def.terminatePolicy === 'initiatorOrAdministrator' && engine.inst.initiatorId === me);
    if (!allowed) throw FlowErrors.notAllowed.create({ reason: 'terminate' });
    if (engine.inst.state !== 'running' && engine.inst.state !== 'draft') {
      throw FlowErrors.invalidState.create({ state: engine.inst.state, action: 'terminate' });
    }
    await engine.finish('terminated');
    return { action: 'terminate', opinion: data.opinion };
  });
}

const jumpSchema = z.strictObject({ ...instanceBase, to: z.string().min(1).max(64) });
export type JumpInput = z.input<typeof jumpSchema>;

/** An administrator moves a running request to any node (audited in the history). */
export async function jump(ctx: DbCtx, input: JumpInput): Promise<ActionResult> {
  const data = parse(jumpSchema, input);
  return act(ctx, { instanceId: data.instanceId }, data.clientActionId, async (engine) => {
    if (!isAdministrator(engine, memberOf(engine.ctx)))
      throw FlowErrors.notAllowed.create({ reason: 'administrators only' });
    requireRunning(engine, 'jump');
    const node = engine.flow.byKey.get(data.to);
    if (!node || node.kind === 'start') throw FlowErrors.returnTargetInvalid.create({ node: data.to });
    await engine.cancelActive('jumped');
    await engine.enter(data.to);
    return { action: 'jump', opinion: data.opinion, detail: { to: data.to } };
  });
}

export const URGE_INTERVAL_MS = 60 * 60 * 1000;
const urgeSchema = z.strictObject({ ...instanceBase, taskId: id.optional() });
export type UrgeInput = z.input<typeof urgeSchema>;

/** 催办: the initiator (or an administrator) urges pending tasks, each at most once an hour. */
export async function urge(ctx: DbCtx, input: UrgeInput): Promise<ActionResult> {
  const data = parse(urgeSchema, input);
  return act(ctx, { instanceId: data.instanceId }, data.clientActionId, async (engine) => {
    const me = memberOf(engine.ctx);
    if (engine.inst.initiatorId !== me && !isAdministrator(engine, me)) {
      throw FlowErrors.notAllowed.create({ reason: 'only the initiator or an administrator urges' });
    }
    requireRunning(engine, 'urge');
    let query = engine.ctx.db
      .selectFrom('baton_flow_task')
      .selectAll()
      .where('instanceId', '=', engine.inst.id)
      .where('state', '=', 'pending')
      .where('kind', '=', 'approval');
    if (data.taskId) query = query.where('id', '=', data.taskId);
    const tasks = await query.execute();
    const now = engine.ctx.clock.now();
    const due = tasks.filter((task) => !task.urgedAt || now.getTime() - Date.parse(task.urgedAt) >= URGE_INTERVAL_MS);
    if (due.length === 0) throw FlowErrors.urgeTooSoon.create();
    await engine.lockFirst();
    for (const task of due) {
      await engine.ctx.db
        .updateTable('baton_flow_task')
        .set({ urgedAt: instant(now) })
        .where('id', '=', task.id)
        .execute();
      await engine.emit({ type: 'urged', nodeKey: task.nodeKey, taskId: task.id, actorId: me });
    }
    return { action: 'urge', opinion: data.opinion, detail: { tasks: due.map((task) => task.id) } };
  });
}

const commentSchema = z.strictObject({ ...instanceBase, opinion: z.string().min(1).max(4000), attachments });
export type CommentInput = z.input<typeof commentSchema>;

export type CommentOptions = {
  /**
   * The caller (the HTTP layer) already decided that the acting member may read the request — as a delegator, or
   * through a permission the engine does not know — and lets every reader comment.
   */
  mayRead?: boolean;
};

/**
 * 评论: a comment with attachments in the history, by the initiator, an administrator, anyone holding a task, or
 * (`mayRead`) anyone the caller lets read the request.
 */
export async function comment(ctx: DbCtx, input: CommentInput, options: CommentOptions = {}): Promise<ActionResult> {
  const data = parse(commentSchema, input);
  return act(ctx, { instanceId: data.instanceId }, data.clientActionId, async (engine) => {
    const me = memberOf(engine.ctx);
    if (options.mayRead) return { action: 'comment', opinion: data.opinion, attachments: data.attachments };
    const holds = await engine.ctx.db
      .selectFrom('baton_flow_task')
      .select('id')
      .where('instanceId', '=', engine.inst.id)
      .where('assigneeId', '=', me)
      .limit(1)
      .executeTakeFirst();
    if (engine.inst.initiatorId !== me && !isAdministrator(engine, me) && !holds) {
      throw FlowErrors.notAllowed.create({ reason: 'not a participant' });
    }
    return { action: 'comment', opinion: data.opinion, attachments: data.attachments };
  });
}

/** Marks a notify (知会) task read. */
export async function markRead(ctx: DbCtx, input: { taskId: string }): Promise<{ taskId: string; readAt: string }> {
  const data = parse(z.strictObject({ taskId: id }), input);
  return withTx(ctx, async (tx) => {
    const task = await taskContext(tx, data.taskId);
    if (task.assigneeId !== memberOf(tx)) throw FlowErrors.notAssignee.create();
    const readAt = task.readAt ?? instant(tx.clock.now());
    if (!task.readAt) await tx.db.updateTable('baton_flow_task').set({ readAt }).where('id', '=', task.id).execute();
    return { taskId: task.id, readAt };
  });
}
