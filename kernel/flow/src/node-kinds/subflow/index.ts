import { z } from 'zod';
import { defineNodeKind } from '../define.ts';

/**
 * Starts another flow with the same initiator, its record filled from this record (`map`: child field ←
 * parent field). With `wait` the node completes when the child is approved (anything else rejects the parent).
 */
export const subflowNode = defineNodeKind({
  kind: 'subflow',
  configSchema: z.strictObject({
    flow: z.strictObject({ pack: z.string().min(1).max(40), key: z.string().min(1).max(40) }),
    wait: z.boolean().default(false),
    map: z.record(z.string().max(40), z.string().max(40)).default({}),
  }),
  outgoing: 'one',
  check: (config, _node, context) => {
    const form = context.form;
    if (!form) return;
    for (const [child, parent] of Object.entries(config.map)) {
      if (!form.fieldTypes.has(parent) && !form.subtables.has(parent)) {
        context.add([...context.path, 'map', child], 'unknown_field', { field: parent });
      }
    }
  },
  enter: async (rt, run, config) => {
    const values = await rt.values();
    const childValues: Record<string, unknown> = {};
    for (const [child, parent] of Object.entries(config.map)) childValues[child] = values[parent] ?? null;
    const child = await rt.startSubflow(run, { ...config.flow, values: childValues });
    if (!config.wait || child.state !== 'running') await rt.setChild(run, child.id, false);
    if (!config.wait) {
      return { kind: 'complete', outcome: 'started' };
    }
    // A child that finished at once (every node auto-passed) decides here; otherwise the node waits for it.
    if (child.state === 'approved') return { kind: 'complete', outcome: 'childApproved' };
    if (child.state !== 'running') return { kind: 'failed', outcome: child.state };
    await rt.setChild(run, child.id, true);
    return { kind: 'wait' };
  },
});
