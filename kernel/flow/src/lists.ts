import { type DbCtx, fromJson, instant } from '@baton/db';
import { z } from 'zod';
import { Engine } from './engine.ts';
import { FlowErrors } from './errors.ts';
import type { InstanceState, TaskState } from './schema.ts';
import type { FlowEdge, Label } from './types.ts';

const id = z.string().min(1).max(64);
const listBase = {
  /** Whose list (default: the acting member). */
  memberId: id.optional(),
  flow: z.strictObject({ pack: z.string().max(40), key: z.string().max(40) }).optional(),
  keyword: z.string().min(1).max(100).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
};

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

function whoseList(ctx: DbCtx, memberId: string | undefined): string {
  if (memberId) return memberId;
  if (ctx.actor.kind !== 'member')
    throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['memberId'], code: 'required' }] });
  return ctx.actor.memberId;
}

function keywordPattern(keyword: string | undefined): string | undefined {
  if (keyword === undefined) return undefined;
  if (/[%_\\]/.test(keyword)) {
    throw FlowErrors.invalidInput.create(
      {},
      { fields: [{ path: ['keyword'], code: 'bad_keyword', message: 'no % _ or \\' }] },
    );
  }
  return `%${keyword}%`;
}

type Cursor = [string, string];
const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decode(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string'))
      return value as Cursor;
  } catch {
    // fall through
  }
  throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['cursor'], code: 'bad_cursor' }] });
}

export type TaskListItem = {
  taskId: string;
  instanceId: string;
  title: string;
  flow: string;
  nodeKey: string;
  kind: 'approval' | 'notify';
  state: TaskState;
  outcome: string | null;
  initiatorId: string;
  instanceState: InstanceState;
  delegatedFrom: string | null;
  createdAt: string;
  actedAt: string | null;
  readAt: string | null;
  /** The task's deadline, when its node has one. */
  dueAt: string | null;
  /** When the deadline passed while the task was pending. */
  overdueAt: string | null;
  /** Pending and past its deadline (the timer fired, or the deadline is behind ctx.clock). */
  overdue: boolean;
  /** When the initiator or an administrator last urged the task (催办). */
  urgedAt: string | null;
  /** Urged while pending: the lists mark it 急. */
  urgent: boolean;
};

const taskListSchema = z.strictObject({
  ...listBase,
  box: z.enum(['pending', 'done', 'notify']),
  /** notify only: true = read, false = unread. */
  read: z.boolean().optional(),
});
export type TaskListInput = z.input<typeof taskListSchema>;

/**
 * 待办 (pending), 已办 (done) and 知会 (notify) lists, newest first, keyset-paged on (created_at, id): an index
 * range scan on baton_flow_task (assignee_id, state, kind, created_at, id).
 */
export async function listTasks(
  ctx: DbCtx,
  input: TaskListInput,
): Promise<{ items: TaskListItem[]; nextCursor: string | null }> {
  const data = parse(taskListSchema, input);
  const me = whoseList(ctx, data.memberId);
  const after = decode(data.cursor);
  const pattern = keywordPattern(data.keyword);
  let query = ctx.db
    .selectFrom('baton_flow_task as t')
    .innerJoin('baton_flow_instance as i', 'i.id', 't.instanceId')
    .select([
      't.id as taskId',
      't.instanceId',
      'i.title',
      'i.flowPack',
      'i.flowKey',
      't.nodeKey',
      't.kind',
      't.state',
      't.outcome',
      'i.initiatorId',
      'i.state as instanceState',
      't.delegatedFrom',
      't.createdAt',
      't.actedAt',
      't.readAt',
      't.dueAt',
      't.overdueAt',
      't.urgedAt',
    ])
    .where('t.assigneeId', '=', me);
  if (data.box === 'pending') query = query.where('t.state', '=', 'pending').where('t.kind', '=', 'approval');
  if (data.box === 'done') query = query.where('t.state', '=', 'done').where('t.kind', '=', 'approval');
  if (data.box === 'notify') {
    query = query.where('t.state', '=', 'done').where('t.kind', '=', 'notify');
    if (data.read !== undefined) query = query.where('t.readAt', data.read ? 'is not' : 'is', null);
  }
  if (data.flow) query = query.where('i.flowPack', '=', data.flow.pack).where('i.flowKey', '=', data.flow.key);
  if (pattern) query = query.where('i.title', 'like', pattern);
  if (after) {
    const [createdAt, taskId] = after;
    query = query.where((eb) =>
      eb.or([eb('t.createdAt', '<', createdAt), eb.and([eb('t.createdAt', '=', createdAt), eb('t.id', '<', taskId)])]),
    );
  }
  const rows = await query
    .orderBy('t.createdAt', 'desc')
    .orderBy('t.id', 'desc')
    .limit(data.limit + 1)
    .execute();
  const now = ctx.clock.now().getTime();
  const items = rows.slice(0, data.limit).map(
    (row): TaskListItem => ({
      taskId: row.taskId,
      instanceId: row.instanceId,
      title: row.title,
      flow: `${row.flowPack}.${row.flowKey}`,
      nodeKey: row.nodeKey,
      kind: row.kind,
      state: row.state,
      outcome: row.outcome,
      initiatorId: row.initiatorId,
      instanceState: row.instanceState,
      delegatedFrom: row.delegatedFrom,
      createdAt: String(row.createdAt),
      actedAt: row.actedAt === null ? null : String(row.actedAt),
      readAt: row.readAt === null ? null : String(row.readAt),
      dueAt: row.dueAt === null ? null : String(row.dueAt),
      overdueAt: row.overdueAt === null ? null : String(row.overdueAt),
      overdue: row.state === 'pending' && isOverdue(row.dueAt, row.overdueAt, now),
      urgedAt: row.urgedAt === null ? null : String(row.urgedAt),
      urgent: row.state === 'pending' && row.urgedAt !== null,
    }),
  );
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > data.limit && last ? encode([last.createdAt, last.taskId]) : null };
}

function isOverdue(dueAt: string | Date | null, overdueAt: string | Date | null, now: number): boolean {
  if (overdueAt !== null) return true;
  return dueAt !== null && new Date(dueAt).getTime() <= now;
}

export type InstanceListItem = {
  instanceId: string;
  title: string;
  flow: string;
  state: InstanceState;
  initiatorId: string;
  currentNodes: string[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
};

const instanceListSchema = z.strictObject({ ...listBase, box: z.enum(['sent', 'drafts', 'tracked']) });
export type InstanceListInput = z.input<typeof instanceListSchema>;

/** 我发起的 (sent), 草稿 (drafts) and 我处理过的 (tracked) instances, newest first, keyset-paged. */
export async function listInstances(
  ctx: DbCtx,
  input: InstanceListInput,
): Promise<{ items: InstanceListItem[]; nextCursor: string | null }> {
  const data = parse(instanceListSchema, input);
  const me = whoseList(ctx, data.memberId);
  const after = decode(data.cursor);
  const pattern = keywordPattern(data.keyword);
  let query = ctx.db.selectFrom('baton_flow_instance as i').selectAll('i');
  if (data.box === 'sent') query = query.where('i.initiatorId', '=', me).where('i.state', '<>', 'draft');
  if (data.box === 'drafts') query = query.where('i.initiatorId', '=', me).where('i.state', '=', 'draft');
  if (data.box === 'tracked') {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('baton_flow_task as t')
          .select('t.id')
          .whereRef('t.instanceId', '=', 'i.id')
          .where('t.assigneeId', '=', me)
          .where('t.state', '=', 'done')
          .where('t.kind', '=', 'approval'),
      ),
    );
  }
  if (data.flow) query = query.where('i.flowPack', '=', data.flow.pack).where('i.flowKey', '=', data.flow.key);
  if (pattern) query = query.where('i.title', 'like', pattern);
  if (after) {
    const [createdAt, instanceId] = after;
    query = query.where((eb) =>
      eb.or([
        eb('i.createdAt', '<', createdAt),
        eb.and([eb('i.createdAt', '=', createdAt), eb('i.id', '<', instanceId)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('i.createdAt', 'desc')
    .orderBy('i.id', 'desc')
    .limit(data.limit + 1)
    .execute();
  const items = rows.slice(0, data.limit).map(
    (row): InstanceListItem => ({
      instanceId: row.id,
      title: row.title,
      flow: `${row.flowPack}.${row.flowKey}`,
      state: row.state,
      initiatorId: row.initiatorId,
      currentNodes: fromJson<string[]>(row.currentNodes) ?? [],
      createdAt: String(row.createdAt),
      updatedAt: String(row.updatedAt),
      submittedAt: row.submittedAt === null ? null : String(row.submittedAt),
    }),
  );
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > data.limit && last ? encode([last.createdAt, last.instanceId]) : null };
}

export type TaskCounts = {
  pending: number;
  /** Pending tasks past their deadline. */
  overdue: number;
  /** Pending tasks someone urged (催办). */
  urgent: number;
  done: number;
  notifyUnread: number;
  notify: number;
  drafts: number;
  sent: number;
  /** Instances the member acted on (跟踪), as `listInstances({ box: 'tracked' })` lists them. */
  tracked: number;
};

/** The badge numbers of the workspace: each one index range count, like the lists they stand for. */
export async function countTasks(ctx: DbCtx, input: { memberId?: string } = {}): Promise<TaskCounts> {
  const me = whoseList(ctx, input.memberId);
  const count = async (
    build: () => { executeTakeFirst(): Promise<{ n: string | number | bigint } | undefined> },
  ): Promise<number> => Number((await build().executeTakeFirst())?.n ?? 0);
  const now = instant(ctx.clock.now());
  const tasks = (state: TaskState, kind: 'approval' | 'notify', only?: 'unread' | 'overdue' | 'urgent') => () => {
    let query = ctx.db
      .selectFrom('baton_flow_task')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('assigneeId', '=', me)
      .where('state', '=', state)
      .where('kind', '=', kind);
    if (only === 'unread') query = query.where('readAt', 'is', null);
    if (only === 'urgent') query = query.where('urgedAt', 'is not', null);
    if (only === 'overdue')
      query = query.where((eb) => eb.or([eb('overdueAt', 'is not', null), eb('dueAt', '<=', now)]));
    return query;
  };
  const tracked = () =>
    ctx.db
      .selectFrom('baton_flow_task')
      .select((eb) => eb.fn.count('instanceId').distinct().as('n'))
      .where('assigneeId', '=', me)
      .where('state', '=', 'done')
      .where('kind', '=', 'approval');
  const instances = (draft: boolean) => () =>
    ctx.db
      .selectFrom('baton_flow_instance')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('initiatorId', '=', me)
      .where('state', draft ? '=' : '<>', 'draft');
  return {
    pending: await count(tasks('pending', 'approval')),
    overdue: await count(tasks('pending', 'approval', 'overdue')),
    urgent: await count(tasks('pending', 'approval', 'urgent')),
    done: await count(tasks('done', 'approval')),
    notifyUnread: await count(tasks('done', 'notify', 'unread')),
    notify: await count(tasks('done', 'notify')),
    drafts: await count(instances(true)),
    sent: await count(instances(false)),
    tracked: await count(tracked),
  };
}

export type HistoryEntry = {
  action: string;
  actorId: string;
  at: string;
  nodeKey: string | null;
  taskId: string | null;
  opinion: string | null;
  attachments: string[];
  detail: Record<string, unknown> | null;
};

export type TaskView = {
  taskId: string;
  nodeKey: string;
  kind: 'approval' | 'notify';
  assigneeId: string;
  state: TaskState;
  outcome: string | null;
  opinion: string | null;
  delegatedFrom: string | null;
  origin: string;
  createdAt: string;
  actedAt: string | null;
  readAt: string | null;
  dueAt: string | null;
  overdueAt: string | null;
  urgedAt: string | null;
};

/** Every action (who, when, opinion) and every task (the opinion table 审批人/意见/日期) of an instance. */
export async function instanceHistory(
  ctx: DbCtx,
  input: { instanceId: string },
): Promise<{ actions: HistoryEntry[]; tasks: TaskView[] }> {
  const { instanceId } = parse(z.strictObject({ instanceId: id }), input);
  const actions = await ctx.db
    .selectFrom('baton_flow_action')
    .selectAll()
    .where('instanceId', '=', instanceId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const tasks = await ctx.db
    .selectFrom('baton_flow_task')
    .selectAll()
    .where('instanceId', '=', instanceId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  if (actions.length === 0 && tasks.length === 0) {
    const exists = await ctx.db
      .selectFrom('baton_flow_instance')
      .select('id')
      .where('id', '=', instanceId)
      .executeTakeFirst();
    if (!exists) throw FlowErrors.instanceNotFound.create({ id: instanceId });
  }
  return {
    actions: actions.map((row) => ({
      action: row.action,
      actorId: row.actorId,
      at: String(row.at),
      nodeKey: row.nodeKey,
      taskId: row.taskId,
      opinion: row.opinion,
      attachments: fromJson<string[]>(row.attachments) ?? [],
      detail: fromJson<Record<string, unknown> | null>(row.detail),
    })),
    tasks: tasks.map(taskView),
  };
}

function taskView(row: {
  id: string;
  nodeKey: string;
  kind: 'approval' | 'notify';
  assigneeId: string;
  state: TaskState;
  outcome: string | null;
  opinion: string | null;
  delegatedFrom: string | null;
  origin: string;
  createdAt: string;
  actedAt: string | null;
  readAt: string | null;
  dueAt: string | null;
  overdueAt: string | null;
  urgedAt: string | null;
}): TaskView {
  return {
    taskId: row.id,
    nodeKey: row.nodeKey,
    kind: row.kind,
    assigneeId: row.assigneeId,
    state: row.state,
    outcome: row.outcome,
    opinion: row.opinion,
    delegatedFrom: row.delegatedFrom,
    origin: row.origin,
    createdAt: String(row.createdAt),
    actedAt: row.actedAt === null ? null : String(row.actedAt),
    readAt: row.readAt === null ? null : String(row.readAt),
    dueAt: row.dueAt === null ? null : String(row.dueAt),
    overdueAt: row.overdueAt === null ? null : String(row.overdueAt),
    urgedAt: row.urgedAt === null ? null : String(row.urgedAt),
  };
}

export type GraphNodeState = 'notReached' | 'active' | 'waiting' | 'completed' | 'cancelled';

export type InstanceGraph = {
  instanceId: string;
  state: InstanceState;
  flow: { pack: string; key: string; version: number; name: Label };
  nodes: {
    key: string;
    kind: string;
    name: Label | null;
    state: GraphNodeState;
    outcome: string | null;
    /** How many times the node was entered (returns and jumps enter again). */
    entries: number;
    assignees: string[];
    tasks: TaskView[];
  }[];
  edges: readonly Readonly<FlowEdge>[];
  currentNodes: string[];
};

/** The pinned definition's nodes and edges with each node's latest state: ready to draw. */
export async function instanceGraph(ctx: DbCtx, input: { instanceId: string }): Promise<InstanceGraph> {
  const { instanceId } = parse(z.strictObject({ instanceId: id }), input);
  const engine = await Engine.load(ctx, instanceId);
  const runs = await ctx.db
    .selectFrom('baton_flow_node_run')
    .selectAll()
    .where('instanceId', '=', instanceId)
    .orderBy('seq')
    .execute();
  const tasks = await ctx.db.selectFrom('baton_flow_task').selectAll().where('instanceId', '=', instanceId).execute();
  const latest = new Map<string, (typeof runs)[number]>();
  const entries = new Map<string, number>();
  for (const run of runs) {
    latest.set(run.nodeKey, run);
    entries.set(run.nodeKey, (entries.get(run.nodeKey) ?? 0) + 1);
  }
  const def = engine.flow.def;
  return {
    instanceId,
    state: engine.inst.state,
    flow: { pack: def.pack, key: def.key, version: Number(engine.inst.flowVersion), name: def.name },
    nodes: def.nodes.map((node) => {
      const run = latest.get(node.key);
      return {
        key: node.key,
        kind: node.kind,
        name: node.name ?? null,
        state: run ? run.state : 'notReached',
        outcome: run?.outcome ?? null,
        entries: entries.get(node.key) ?? 0,
        assignees: run ? (fromJson<string[]>(run.assignees) ?? []) : [],
        tasks: run ? tasks.filter((task) => task.nodeRunId === run.id).map(taskView) : [],
      };
    }),
    edges: def.edges,
    currentNodes: fromJson<string[]>(engine.inst.currentNodes) ?? [],
  };
}
