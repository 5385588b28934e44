import { type ColumnTypes, createStampTable, defineMigrations } from '@baton/db';
import type { Kysely } from 'kysely';

export type FlowDefinitionTable = {
  pack: string;
  key: string;
  version: number;
  /** The definition as published (JSON text). */
  definition: string;
  hash: string;
  /** The form version the definition was checked against; conditions compile against it at run time. */
  formVersion: number;
  publishedAt: string;
  publishedBy: string;
};

export type InstanceState = 'draft' | 'running' | 'approved' | 'rejected' | 'withdrawn' | 'terminated';

export type FlowInstanceTable = {
  id: string;
  /** Optimistic lock: every action bumps it with `where version = ?`. */
  version: number;
  flowPack: string;
  flowKey: string;
  /** The definition version this instance is pinned to. */
  flowVersion: number;
  formPack: string;
  formKey: string;
  recordId: string;
  title: string;
  initiatorId: string;
  state: InstanceState;
  /** JSON array of the node keys with an active node run. */
  currentNodes: string;
  /** Node that returned the request to the initiator (for a resubmit with jumpBack). */
  returnedFrom: string | null;
  /** Human actions on tasks since the last submit: withdraw is allowed only while 0. */
  actsSinceSubmit: number;
  /** JSON { nodeKey: memberIds } chosen by the initiator at submit or by previous assignees. */
  chosen: string;
  parentInstanceId: string | null;
  parentNodeRunId: string | null;
  submittedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type NodeRunState = 'active' | 'waiting' | 'completed' | 'cancelled';

export type FlowNodeRunTable = {
  id: string;
  instanceId: string;
  nodeKey: string;
  kind: string;
  /** Order of entry within the instance. */
  seq: number;
  state: NodeRunState;
  outcome: string | null;
  /** JSON array of the resolved assignees, in order. */
  assignees: string;
  childInstanceId: string | null;
  enteredAt: string;
  completedAt: string | null;
};

export type TaskKind = 'approval' | 'notify';
export type TaskState = 'pending' | 'waiting' | 'done' | 'cancelled' | 'skipped';

export type FlowTaskTable = {
  id: string;
  instanceId: string;
  nodeRunId: string;
  nodeKey: string;
  kind: TaskKind;
  assigneeId: string;
  state: TaskState;
  outcome: string | null;
  opinion: string | null;
  /** JSON array of attachment ids. */
  attachments: string | null;
  /** Position for sequential approval (1-based); 0 otherwise. */
  seq: number;
  /** assigned | before | after | parallel | transfer */
  origin: string;
  addedBy: string | null;
  delegatedFrom: string | null;
  readAt: string | null;
  urgedAt: string | null;
  createdAt: string;
  actedAt: string | null;
  /** When the node's deadline falls for this task (set while pending; see deadlines.ts). */
  dueAt: string | null;
  /** When its deadline timer fired while it was still pending. */
  overdueAt: string | null;
};

export type FlowActionTable = {
  id: string;
  instanceId: string;
  clientActionId: string | null;
  actorId: string;
  action: string;
  nodeKey: string | null;
  taskId: string | null;
  opinion: string | null;
  attachments: string | null;
  /** JSON with action specifics (targets, added signers, …). */
  detail: string | null;
  /** JSON of what the operation returned, replayed for a retried client action id. */
  result: string | null;
  at: string;
};

export type FlowDelegationTable = {
  id: string;
  fromMemberId: string;
  toMemberId: string;
  startsAt: string;
  endsAt: string;
  flowPack: string | null;
  flowKey: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
};

/** One row (`id` 'delegations'): a random stamp replaced by every delegation created or revoked. */
export type FlowDelegationStampTable = { id: string; stamp: string };

declare module '@baton/db' {
  interface BatonDatabase {
    baton_flow_delegation_stamp: FlowDelegationStampTable;
    baton_flow_definition: FlowDefinitionTable;
    baton_flow_instance: FlowInstanceTable;
    baton_flow_node_run: FlowNodeRunTable;
    baton_flow_task: FlowTaskTable;
    baton_flow_action: FlowActionTable;
    baton_flow_delegation: FlowDelegationTable;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
type AnyDb = Kysely<any>;

async function init(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('baton_flow_definition')
    .addColumn('pack', t.text, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('hash', t.text, (c) => c.notNull())
    .addColumn('form_version', t.integer, (c) => c.notNull())
    .addColumn('published_at', t.instant, (c) => c.notNull())
    .addColumn('published_by', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('baton_flow_definition_pk', ['pack', 'key', 'version'])
    .execute();

  await db.schema
    .createTable('baton_flow_instance')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('flow_pack', t.text, (c) => c.notNull())
    .addColumn('flow_key', t.text, (c) => c.notNull())
    .addColumn('flow_version', t.integer, (c) => c.notNull())
    .addColumn('form_pack', t.text, (c) => c.notNull())
    .addColumn('form_key', t.text, (c) => c.notNull())
    .addColumn('record_id', t.id, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('initiator_id', t.id, (c) => c.notNull())
    .addColumn('state', t.text, (c) => c.notNull())
    .addColumn('current_nodes', t.json, (c) => c.notNull())
    .addColumn('returned_from', t.text)
    .addColumn('acts_since_submit', t.integer, (c) => c.notNull())
    .addColumn('chosen', t.json, (c) => c.notNull())
    .addColumn('parent_instance_id', t.id)
    .addColumn('parent_node_run_id', t.id)
    .addColumn('submitted_at', t.instant)
    .addColumn('finished_at', t.instant)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('baton_flow_instance_initiator')
    .on('baton_flow_instance')
    .columns(['initiator_id', 'state', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('baton_flow_instance_parent')
    .on('baton_flow_instance')
    .columns(['parent_instance_id'])
    .execute();

  await db.schema
    .createTable('baton_flow_node_run')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('instance_id', t.id, (c) => c.notNull())
    .addColumn('node_key', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('state', t.text, (c) => c.notNull())
    .addColumn('outcome', t.text)
    .addColumn('assignees', t.json, (c) => c.notNull())
    .addColumn('child_instance_id', t.id)
    .addColumn('entered_at', t.instant, (c) => c.notNull())
    .addColumn('completed_at', t.instant)
    .execute();
  await db.schema
    .createIndex('baton_flow_node_run_instance')
    .on('baton_flow_node_run')
    .columns(['instance_id', 'seq'])
    .execute();

  await db.schema
    .createTable('baton_flow_task')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('instance_id', t.id, (c) => c.notNull())
    .addColumn('node_run_id', t.id, (c) => c.notNull())
    .addColumn('node_key', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('assignee_id', t.id, (c) => c.notNull())
    .addColumn('state', t.text, (c) => c.notNull())
    .addColumn('outcome', t.text)
    .addColumn('opinion', t.text)
    .addColumn('attachments', t.json)
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('origin', t.text, (c) => c.notNull())
    .addColumn('added_by', t.id)
    .addColumn('delegated_from', t.id)
    .addColumn('read_at', t.instant)
    .addColumn('urged_at', t.instant)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('acted_at', t.instant)
    .execute();
  // The pending / done / notify lists are index range scans on this one.
  await db.schema
    .createIndex('baton_flow_task_assignee')
    .on('baton_flow_task')
    .columns(['assignee_id', 'state', 'kind', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('baton_flow_task_instance').on('baton_flow_task').columns(['instance_id']).execute();

  await db.schema
    .createTable('baton_flow_action')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('instance_id', t.id, (c) => c.notNull())
    .addColumn('client_action_id', t.text)
    .addColumn('actor_id', t.text, (c) => c.notNull())
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('node_key', t.text)
    .addColumn('task_id', t.id)
    .addColumn('opinion', t.text)
    .addColumn('attachments', t.json)
    .addColumn('detail', t.json)
    .addColumn('result', t.json)
    .addColumn('at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('baton_flow_action_client')
    .on('baton_flow_action')
    .columns(['instance_id', 'client_action_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('baton_flow_action_actor')
    .on('baton_flow_action')
    .columns(['actor_id', 'client_action_id'])
    .execute();
  await db.schema
    .createIndex('baton_flow_action_instance')
    .on('baton_flow_action')
    .columns(['instance_id', 'at'])
    .execute();

  await db.schema
    .createTable('baton_flow_delegation')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('from_member_id', t.id, (c) => c.notNull())
    .addColumn('to_member_id', t.id, (c) => c.notNull())
    .addColumn('starts_at', t.instant, (c) => c.notNull())
    .addColumn('ends_at', t.instant, (c) => c.notNull())
    .addColumn('flow_pack', t.text)
    .addColumn('flow_key', t.text)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .execute();
  await db.schema
    .createIndex('baton_flow_delegation_from')
    .on('baton_flow_delegation')
    .columns(['from_member_id', 'starts_at'])
    .execute();
}

async function taskDeadline(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('baton_flow_task').addColumn('due_at', t.instant).execute();
  await db.schema.alterTable('baton_flow_task').addColumn('overdue_at', t.instant).execute();
}

/** One row whose random stamp every delegation change replaces: processes cache the delegations under it. */
async function delegationStamp(db: AnyDb, t: ColumnTypes): Promise<void> {
  await createStampTable(db, t, 'baton_flow_delegation_stamp', 'delegations');
}

export const flowMigrations = defineMigrations('flow', [
  { name: '0001_init', up: init },
  { name: '0002_task_deadline', up: taskDeadline },
  { name: '0003_delegation_stamp', up: delegationStamp },
]);
