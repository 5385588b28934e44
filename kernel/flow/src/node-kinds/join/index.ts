import { z } from 'zod';
import { defineNodeKind } from '../define.ts';

/**
 * Waits until no other active node of the instance can still reach it, i.e. every branch of the split
 * has arrived (a branch that a condition routed elsewhere does not hold the join up).
 */
export const joinNode = defineNodeKind({
  kind: 'join',
  configSchema: z.strictObject({}),
  outgoing: 'one',
  enter: async (rt, run) => {
    const others = await rt.otherActiveRuns(run);
    const pending = others.some(
      (other) => other.nodeKey === run.nodeKey || rt.flow.reach.get(other.nodeKey)?.has(run.nodeKey),
    );
    return pending ? { kind: 'wait' } : { kind: 'complete', outcome: 'joined' };
  },
});
