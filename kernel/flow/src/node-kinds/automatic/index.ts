import { z } from 'zod';
import { defineNodeKind } from '../define.ts';

/**
 * Fires a rule or a connector: emits `automatic` with the action name inside the transaction (the
 * composition root runs it, or writes an outbox row) and moves on.
 */
export const automaticNode = defineNodeKind({
  kind: 'automatic',
  configSchema: z.strictObject({
    action: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).optional(),
  }),
  outgoing: 'one',
  enter: async (rt, run, config) => {
    await rt.emit({
      type: 'automatic',
      nodeKey: run.nodeKey,
      nodeRunId: run.id,
      action: config.action,
      detail: config.params ?? {},
    });
    return { kind: 'complete', outcome: 'fired' };
  },
});
