import { z } from 'zod';
import { defineNodeKind } from '../define.ts';

/** Follows the first outgoing edge whose condition holds, in the order the edges are listed, else the else edge. */
export const conditionNode = defineNodeKind({
  kind: 'condition',
  configSchema: z.strictObject({}),
  outgoing: 'conditional',
  enter: async (rt, run) => {
    const edges = rt.flow.out.get(run.nodeKey) ?? [];
    for (const { edge, index } of edges) {
      if (edge.else) continue;
      if (await rt.condition(index)) return { kind: 'complete', outcome: 'routed', next: [edge.to] };
    }
    const fallback = edges.find(({ edge }) => edge.else);
    return { kind: 'complete', outcome: 'routed', next: fallback ? [fallback.edge.to] : [] };
  },
});
