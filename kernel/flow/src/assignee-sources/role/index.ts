import { resolveHoldersOfRole } from '@baton/org';
import { z } from 'zod';
import { defineAssigneeSource } from '../define.ts';

/** Holders of a role (code or id), resolved in the initiator's department unless `scope: 'all'`. */
export const roleSource = defineAssigneeSource({
  source: 'role',
  configSchema: z.strictObject({
    source: z.literal('role'),
    role: z.string().min(1).max(64),
    scope: z.enum(['initiator', 'all']).default('initiator'),
  }),
  resolve: async (rt, spec) => {
    if (spec.scope === 'all') return resolveHoldersOfRole(rt.ctx, { role: spec.role });
    const initiator = await rt.initiator();
    return resolveHoldersOfRole(rt.ctx, { role: spec.role, departmentId: initiator.departmentId });
  },
});
