import type { z } from 'zod';
import type { CheckContext } from '../node-kinds/define.ts';
import type { Runtime } from '../runtime-types.ts';

/** One way to find a node's assignees: `{ source: 'role', role: 'financeDirector' }`. */
export type AssigneeSpec = { source: string; [option: string]: unknown };

export type AssigneeSourceDefinition<C extends AssigneeSpec = AssigneeSpec> = {
  readonly source: string;
  /** The whole spec, `source` included. Strict. */
  readonly configSchema: z.ZodType<C>;
  /**
   * Whose pick this source reads: the initiator's at submit or the previous assignee's at approve. The web asks
   * that person to choose (see `assigneeChoices`); sources that resolve on their own leave it out.
   */
  readonly chosenBy?: 'initiator' | 'previous';
  /** Checks against the form (field kinds). */
  check?(spec: C, context: CheckContext): void;
  /** Active member ids, in a stable order; never throws for "nobody" (the node's emptyPolicy decides). */
  resolve(rt: Runtime, spec: C, nodeKey: string): Promise<string[]>;
};

export type AnyAssigneeSource = AssigneeSourceDefinition<AssigneeSpec>;

export function defineAssigneeSource<C extends AssigneeSpec>(
  definition: AssigneeSourceDefinition<C>,
): AssigneeSourceDefinition<C> {
  return Object.freeze(definition);
}
