import type { z } from 'zod';
import type { NodeRun, Runtime } from '../runtime-types.ts';
import type { AddIssue, FlowDefinitionInput, FlowNodeInput, FormView } from '../types.ts';

/** How many outgoing edges a node of this kind has. */
export type Outgoing = 'none' | 'one' | 'conditional' | 'many';

/** The result of entering a node or of a task acting on it. */
export type Progress =
  | { kind: 'wait' }
  | { kind: 'complete'; outcome: string; next?: string[] }
  | { kind: 'failed'; outcome: string }
  /** The instance finishes (end node). */
  | { kind: 'finish' };

export type CheckContext = {
  def: FlowDefinitionInput;
  form?: FormView;
  path: (string | number)[];
  add: AddIssue;
};

/**
 * One node kind: its options, its graph rule, and what it does when entered. Registered once in
 * registry.ts; the engine never switches on `kind`.
 */
export type NodeKindDefinition<C = unknown> = {
  readonly kind: string;
  /** The kind-specific keys of a node (everything but key, kind, name). Strict. */
  readonly configSchema: z.ZodType<C>;
  readonly outgoing: Outgoing;
  /** True for kinds that hold tasks (their assignees and field access are checked). */
  readonly hasTasks?: boolean;
  /** Cross checks of the config against the flow and the form. */
  check?(config: C, node: FlowNodeInput, context: CheckContext): void;
  /** Runs when the node is entered (the node run exists, state active). */
  enter(rt: Runtime, run: NodeRun, config: C): Promise<Progress>;
  /** Re-evaluates the node after one of its tasks changed (approval kinds). */
  progress?(rt: Runtime, run: NodeRun, config: C): Promise<Progress>;
};

export type AnyNodeKind = NodeKindDefinition<unknown>;

export function defineNodeKind<C>(definition: NodeKindDefinition<C>): NodeKindDefinition<C> {
  return Object.freeze(definition);
}
