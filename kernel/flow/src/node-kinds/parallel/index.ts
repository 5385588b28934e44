import { z } from 'zod';
import { defineNodeKind } from '../define.ts';

/** Parallel split: every outgoing branch runs; a join downstream waits for them. */
export const parallelNode = defineNodeKind({
  kind: 'parallel',
  configSchema: z.strictObject({}),
  outgoing: 'many',
  enter: async () => ({ kind: 'complete', outcome: 'split' }),
});
