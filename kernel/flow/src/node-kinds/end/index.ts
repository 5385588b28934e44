import { z } from 'zod';
import { defineNodeKind } from '../define.ts';

/** Reaching an end approves the instance. */
export const endNode = defineNodeKind({
  kind: 'end',
  configSchema: z.strictObject({}),
  outgoing: 'none',
  enter: async () => ({ kind: 'finish' }),
});
