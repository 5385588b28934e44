import type { DbCtx } from '@baton/db';
import type { AssigneeSpec } from './assignee-sources/define.ts';
import type { CompiledFlow } from './definition.ts';
import type { FlowEvent } from './events.ts';
import type { FlowTaskTable, NodeRunState, TaskKind, TaskState } from './schema.ts';

export type NodeRun = {
  id: string;
  nodeKey: string;
  kind: string;
  seq: number;
  state: NodeRunState;
  outcome: string | null;
  assignees: string[];
};

export type Task = FlowTaskTable;

export type NewTask = {
  assigneeId: string;
  kind: TaskKind;
  state: TaskState;
  seq?: number;
  origin?: string;
  outcome?: string | null;
  addedBy?: string | null;
};

export type Initiator = {
  memberId: string;
  departmentId: string | null;
  unitId: string | null;
  postId: string | null;
  levelRank: number | null;
};

/** What node kinds and assignee sources may do while the engine runs one action (inside its transaction). */
export type Runtime = {
  readonly ctx: DbCtx;
  readonly instanceId: string;
  readonly flow: CompiledFlow;
  readonly initiatorId: string;
  /** Assignees chosen at submit (initiator) or by a previous assignee, by node key. */
  readonly chosen: Readonly<Record<string, readonly string[]>>;
  /** The record's values as expressions read them (subtables as row lists). */
  values(): Promise<Record<string, unknown>>;
  initiator(): Promise<Initiator>;
  /** Evaluates the compiled condition of edge `index` of the definition. */
  condition(edgeIndex: number): Promise<boolean>;
  resolveAssignees(specs: readonly AssigneeSpec[], nodeKey: string): Promise<string[]>;
  /** Creates a task; new tasks of a delegating member go to the delegate (delegatedFrom set). */
  createTask(run: NodeRun, task: NewTask): Promise<Task>;
  tasksOf(run: NodeRun): Promise<Task[]>;
  updateTask(id: string, patch: Partial<Pick<Task, 'state' | 'outcome' | 'actedAt'>>): Promise<void>;
  setAssignees(run: NodeRun, ids: readonly string[]): Promise<void>;
  /** Whether `memberId` approved at the approval node run just before `run`, or at any earlier one. */
  approvedBefore(memberId: string, run: NodeRun, scope: 'previous' | 'anyEarlier'): Promise<boolean>;
  /** Active node runs of the instance other than `run`. */
  otherActiveRuns(run: NodeRun): Promise<NodeRun[]>;
  /** Starts a child instance of another flow; returns its id. */
  startSubflow(
    run: NodeRun,
    input: { pack: string; key: string; values: Record<string, unknown> },
  ): Promise<{ id: string; state: string }>;
  /** Records the child; with `wait` the node run waits for it (state waiting). */
  setChild(run: NodeRun, childInstanceId: string, wait: boolean): Promise<void>;
  emit(event: Omit<FlowEvent, 'instanceId' | 'flow' | 'at'>): Promise<void>;
};
