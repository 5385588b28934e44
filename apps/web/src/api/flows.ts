// Calls of the flows REST API (/api/flows, /api/instances, /api/tasks) as apps/server/src/routes/flows-schemas.ts
// defines them. Every write carries a client action id made once per click, so a retried request is not applied twice.
import type { FormDefinition, Label, Values } from '../form-runtime/types.ts';
import { api } from './client.ts';

export type FlowSummary = {
  pack: string;
  key: string;
  version: number;
  name: Label;
  category: string | null;
  form: { pack: string; key: string };
};

/** The parts of a published flow definition the web app reads; the server checks the rest. */
export type FlowNodeDefinition = {
  key: string;
  kind: string;
  name?: Label;
  fieldAccess?: Record<string, 'hidden' | 'read' | 'edit' | 'required'>;
};
export type FlowDefinition = {
  pack: string;
  key: string;
  name: Label;
  category?: string;
  form: { pack: string; key: string };
  nodes: FlowNodeDefinition[];
  edges: { from: string; to: string }[];
};
/** A node whose assignees someone picks: the initiator at submit, or the assignee before it at approve. */
export type AssigneeChoice = { nodeKey: string; name: Label | null };
/** Who picked whom, by node key: `chosen` of submit and approve. */
export type Chosen = Record<string, string[]>;

/** The form a flow files into, served with the flow and the request (no form rights needed). */
export type FlowForm = { definition: FormDefinition; version: number };

export type FlowDetail = {
  definition: FlowDefinition;
  version: number;
  publishedAt: string;
  form: FlowForm;
  /** Nodes whose assignees the initiator picks at submit. */
  choose: AssigneeChoice[];
};

export type InstanceState = 'draft' | 'running' | 'approved' | 'rejected' | 'withdrawn' | 'terminated';

export type ActionResult = {
  instanceId: string;
  recordId: string;
  state: string;
  version: number;
  currentNodes: string[];
};

export type TaskBox = 'pending' | 'done' | 'notify';
export type InstanceBox = 'sent' | 'drafts' | 'tracked';
export type WorkBox = TaskBox | InstanceBox;
export const workBoxes: ReadonlyArray<WorkBox> = ['pending', 'done', 'sent', 'drafts', 'notify', 'tracked'];
export const isTaskBox = (box: WorkBox): box is TaskBox => box === 'pending' || box === 'done' || box === 'notify';

export type TaskItem = {
  taskId: string;
  instanceId: string;
  title: string;
  flow: string;
  nodeKey: string;
  kind: string;
  state: string;
  outcome: string | null;
  initiatorId: string;
  instanceState: string;
  delegatedFrom: string | null;
  createdAt: string;
  actedAt: string | null;
  readAt: string | null;
  /** The deadline of the task's node, if it has one. */
  dueAt: string | null;
  overdueAt: string | null;
  /** Pending and past its deadline (decided by the server's clock). */
  overdue: boolean;
  urgedAt: string | null;
  /** Urged (催办) while pending. */
  urgent: boolean;
  /** The flow's name (lists name flows the member may not file). */
  flowName?: Label | null;
};

export type InstanceItem = {
  instanceId: string;
  title: string;
  flow: string;
  state: string;
  initiatorId: string;
  currentNodes: string[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  flowName?: Label | null;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type TaskCounts = {
  pending: number;
  overdue: number;
  urgent: number;
  done: number;
  notifyUnread: number;
  notify: number;
  drafts: number;
  sent: number;
  tracked: number;
};

export type TaskView = {
  taskId: string;
  nodeKey: string;
  kind: string;
  assigneeId: string;
  state: string;
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

export type HistoryAction = {
  action: string;
  actorId: string;
  at: string;
  nodeKey: string | null;
  taskId: string | null;
  opinion: string | null;
  attachments: string[];
  detail: Record<string, unknown> | null;
};

export type GraphNodeState = 'notReached' | 'active' | 'waiting' | 'completed' | 'cancelled';

export type GraphNode = {
  key: string;
  kind: string;
  name: Label | null;
  state: GraphNodeState | string;
  outcome: string | null;
  entries: number;
  assignees: string[];
  tasks: TaskView[];
};

export type FieldLevel = 'hidden' | 'read' | 'edit' | 'required';

/** What the signed-in member may do on a request now; the server's engine still decides when they act. */
export type CallerView = {
  as: 'assignee' | 'initiator' | 'participant' | 'administrator' | 'reader';
  node: {
    key: string;
    kind: string;
    name: Label | null;
    taskId: string | null;
    fieldAccess: Record<string, FieldLevel>;
    defaultAccess: 'edit' | 'read';
    opinionField: string | null;
    choose: AssigneeChoice[];
  } | null;
  actions: {
    submit: boolean;
    approve: boolean;
    reject: boolean;
    /** `initiator` and earlier node keys; empty: no return. */
    returnTo: string[];
    transfer: boolean;
    addSigner: boolean;
    urge: boolean;
    withdraw: boolean;
    terminate: boolean;
    comment: boolean;
    jump: boolean;
  };
};

export type InstanceDetail = {
  instance: InstanceItem & { version: number; flowVersion: number; recordId: string; finishedAt: string | null };
  record: {
    id: string;
    version: number;
    state: string;
    values: Values;
    totals: Record<string, Record<string, number>>;
  };
  history: { actions: HistoryAction[]; tasks: TaskView[] };
  /** Files attached to actions in the history (comments), for their names. */
  files: { id: string; fileName: string; contentType: string; size: number }[];
  graph: {
    state: string;
    flow: { pack: string; key: string; version: number; name: Label };
    nodes: GraphNode[];
    edges: { from: string; to: string; condition?: string; else?: boolean }[];
    currentNodes: string[];
  };
  form: FlowForm;
  caller: CallerView;
};

export type BatchResult = {
  taskId: string;
  ok: boolean;
  result?: ActionResult;
  problem?: { status: number; code: string; detail: string };
};

export type ListQuery = { cursor?: string; limit?: number; keyword?: string; flow?: string };

export type TaskAction = 'approve' | 'reject' | 'return' | 'transfer' | 'add-signer';
export type InstanceAction = 'withdraw' | 'terminate' | 'urge' | 'comment';

/** One id per user click: a retried request with the same id replays the first result. */
export const newClientActionId = (): string => crypto.randomUUID();

const seg = encodeURIComponent;

export const flowsApi = {
  list: () => api<{ flows: FlowSummary[] }>('/api/flows').then((body) => body.flows),
  get: (pack: string, key: string) => api<FlowDetail>(`/api/flows/${seg(pack)}/${seg(key)}`),
  file: (
    pack: string,
    key: string,
    body: { values: Values; title?: string; draft?: boolean; chosen?: Chosen; clientActionId: string },
  ) => api<ActionResult>(`/api/flows/${seg(pack)}/${seg(key)}/instances`, { method: 'POST', body }),

  tasks: (box: TaskBox, query: ListQuery & { read?: boolean } = {}) =>
    api<Page<TaskItem>>('/api/tasks', {
      query: { box, ...query, read: query.read === undefined ? undefined : String(query.read) },
    }),
  instances: (box: InstanceBox, query: ListQuery = {}) =>
    api<Page<InstanceItem>>('/api/instances', { query: { box, ...query } }),
  counts: () => api<TaskCounts>('/api/tasks/counts'),
  instance: (id: string, task?: string) =>
    api<InstanceDetail>(`/api/instances/${seg(id)}`, { query: { task: task || undefined } }),

  submit: (
    id: string,
    body: { values?: Values; title?: string; jumpBack?: boolean; chosen?: Chosen; clientActionId: string },
  ) => api<ActionResult>(`/api/instances/${seg(id)}/submit`, { method: 'POST', body }),
  instanceAction: (
    id: string,
    action: InstanceAction,
    body: { clientActionId: string; opinion?: string; taskId?: string },
  ) => api<ActionResult>(`/api/instances/${seg(id)}/${action}`, { method: 'POST', body }),

  taskAction: (
    id: string,
    action: TaskAction,
    body: {
      clientActionId: string;
      opinion?: string;
      values?: Values;
      to?: string;
      members?: string[];
      position?: 'before' | 'after' | 'parallel';
      chosen?: Chosen;
    },
  ) => api<ActionResult>(`/api/tasks/${seg(id)}/${action}`, { method: 'POST', body }),
  /** 评论: any reader of the request; `attachments` are ids uploaded for it (uploadAttachment with `instance`). */
  comment: (id: string, body: { clientActionId: string; opinion: string; attachments?: string[] }) =>
    api<ActionResult>(`/api/instances/${seg(id)}/comment`, { method: 'POST', body }),
  /** 跳转: an administrator moves a running request to another node (audited). */
  jump: (id: string, body: { clientActionId: string; to: string; opinion?: string }) =>
    api<ActionResult>(`/api/instances/${seg(id)}/jump`, { method: 'POST', body }),
  /** 批量同意: one approval per task, each with its own client action id, and a result for each. */
  approveBatch: (body: { tasks: { taskId: string; clientActionId: string }[]; opinion?: string }) =>
    api<{ results: BatchResult[] }>('/api/tasks/approve-batch', { method: 'POST', body }).then((r) => r.results),
  markRead: (id: string) =>
    api<{ taskId: string; readAt: string }>(`/api/tasks/${seg(id)}/read`, { method: 'POST', body: {} }),
};
