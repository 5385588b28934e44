import type { DbCtx } from '@baton/db';

export type FlowEventType =
  | 'submitted'
  | 'nodeEntered'
  /** A node run completed (not cancelled); outcome: approved, reached, childApproved, … */
  | 'nodeCompleted'
  | 'taskCreated'
  | 'taskActed'
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'withdrawn'
  | 'terminated'
  | 'urged'
  | 'automatic'
  /** A pending task's reminder timer fired (deadlines.ts); detail: assigneeId, dueAt. */
  | 'taskReminder'
  /** A pending task's deadline passed; detail: assigneeId, dueAt, action (notify|autoApprove|transfer|escalate), to. */
  | 'taskOverdue';

export type FlowEvent = {
  type: FlowEventType;
  instanceId: string;
  /** `pack.key` of the flow. */
  flow: string;
  at: string;
  nodeKey?: string;
  nodeRunId?: string;
  taskId?: string;
  actorId?: string;
  /** For `taskActed`: approved, rejected, returned, transferred, … */
  outcome?: string;
  /** For `automatic`: the node's action name. */
  action?: string;
  /** For `nodeEntered`: the node's definition (deadline options for a scheduler). */
  node?: Readonly<Record<string, unknown>>;
  detail?: Readonly<Record<string, unknown>>;
};

/** Called inside the action's transaction: a throw rolls the whole action back. */
export type FlowListener = (ctx: DbCtx, event: FlowEvent) => Promise<void> | void;

const listeners = new Set<FlowListener>();

/**
 * Subscribes to every flow event (rules, messages and the scheduler wire here in the composition root).
 * Returns the function that unsubscribes.
 */
export function onFlowEvent(listener: FlowListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Whether anyone listens: with nobody, an event costs nothing (the engine need not write its buffer first). */
export function hasFlowListeners(): boolean {
  return listeners.size > 0;
}

export async function emitFlowEvent(ctx: DbCtx, event: FlowEvent): Promise<void> {
  for (const listener of [...listeners]) await listener(ctx, event);
}
