import { z } from 'zod';
import { defineAssigneeSource } from '../define.ts';

/** Fixed members. */
export const membersSource = defineAssigneeSource({
  source: 'members',
  configSchema: z.strictObject({
    source: z.literal('members'),
    ids: z.array(z.string().min(1).max(64)).min(1).max(500),
  }),
  resolve: async (_rt, spec) => [...spec.ids],
});
