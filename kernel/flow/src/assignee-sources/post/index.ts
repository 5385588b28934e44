import { resolveHoldersOfPost } from '@baton/org';
import { z } from 'zod';
import { defineAssigneeSource } from '../define.ts';

/** Holders of a post, group-wide or within the initiator's unit. */
export const postSource = defineAssigneeSource({
  source: 'post',
  configSchema: z.strictObject({
    source: z.literal('post'),
    postId: z.string().min(1).max(64),
    scope: z.enum(['all', 'initiatorUnit']).default('all'),
  }),
  resolve: async (rt, spec) => {
    if (spec.scope === 'all') return resolveHoldersOfPost(rt.ctx, { postId: spec.postId });
    const initiator = await rt.initiator();
    return resolveHoldersOfPost(rt.ctx, { postId: spec.postId, unitId: initiator.unitId });
  },
});
