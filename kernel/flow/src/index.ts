// @baton/flow — the approval-flow engine: definitions (validated, hashed, versioned), node kinds and
// assignee sources as registries, instances with optimistic locking, task lists, history and graph.
// The package's only entry point. No HTTP; task deadlines are @baton/schedule timers (deadlines.ts).
import './schema.ts';

export {
  type ActionResult,
  type AddSignerInput,
  type ApproveInput,
  addSigner,
  approve,
  type CommentInput,
  type CommentOptions,
  comment,
  type JumpInput,
  jump,
  markRead,
  type RejectInput,
  type RemoveSignerInput,
  type ReturnInput,
  reject,
  removeSigner,
  returnTask,
  type SaveDraftInput,
  type SubmitInput,
  saveDraft,
  submit,
  type TransferInput,
  terminate,
  transfer,
  type UrgeInput,
  urge,
  type WithdrawInput,
  withdraw,
} from './actions.ts';
export {
  type AssigneeSourceDefinition,
  type AssigneeSpec,
  defineAssigneeSource,
} from './assignee-sources/define.ts';
export { findAssigneeSource, listAssigneeSources } from './assignee-sources/registry.ts';
export {
  type AssigneeChoice,
  assigneeChoices,
  type CallerActions,
  type CallerNode,
  type CallerView,
  callerView,
} from './caller-view.ts';
export {
  FLOW_DEADLINE_TOPIC,
  FLOW_REMINDER_TOPIC,
  flowTimerHandlers,
  setFlowBusinessCalendar,
} from './deadlines.ts';
export { type CompiledFlow, defineFlow, initiatorContext, validateFlow } from './definition.ts';
export {
  type DelegateInput,
  type Delegation,
  delegate,
  flowMemberLeft,
  getDelegation,
  listDelegations,
  revokeDelegation,
} from './delegation.ts';
export { loadFlow } from './engine.ts';
export { FlowErrors } from './errors.ts';
export { type FlowEvent, type FlowEventType, type FlowListener, onFlowEvent } from './events.ts';
export { type FlowIssueCode, FlowIssues } from './issues.ts';
export {
  countTasks,
  type HistoryEntry,
  type InstanceGraph,
  type InstanceListInput,
  type InstanceListItem,
  instanceGraph,
  instanceHistory,
  listInstances,
  listTasks,
  type TaskCounts,
  type TaskListInput,
  type TaskListItem,
  type TaskView,
} from './lists.ts';
export type { DeadlineOptions, OverdueAction } from './node-kinds/approval/deadline.ts';
export { defineNodeKind, type NodeKindDefinition, type Progress } from './node-kinds/define.ts';
export { findNodeKind, listNodeKinds } from './node-kinds/registry.ts';
export { type PublishFlowResult, publishFlow } from './publish.ts';
export type { Initiator, NodeRun, Runtime } from './runtime-types.ts';
export {
  type FlowActionTable,
  type FlowDefinitionTable,
  type FlowDelegationTable,
  type FlowInstanceTable,
  type FlowNodeRunTable,
  type FlowTaskTable,
  flowMigrations,
  type InstanceState,
  type TaskState,
} from './schema.ts';
export type {
  FlowDefinition,
  FlowDefinitionInput,
  FlowEdge,
  FlowIssue,
  FlowNodeInput,
  Label,
  TerminatePolicy,
} from './types.ts';
