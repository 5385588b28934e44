import { getMember } from '@baton/org';
import { z } from 'zod';
import { defineAssigneeSource } from '../define.ts';
import { checkFieldType, idList } from '../shared.ts';

/** The member(s) in a member or members field of the record (members who left are left out). */
export const memberFieldSource = defineAssigneeSource({
  source: 'memberField',
  configSchema: z.strictObject({ source: z.literal('memberField'), field: z.string().min(1).max(40) }),
  check: (spec, context) => checkFieldType(spec.field, ['member', 'members'], context, 'field'),
  resolve: async (rt, spec) => {
    const values = await rt.values();
    const out: string[] = [];
    for (const id of idList(values[spec.field])) {
      const member = await getMember(rt.ctx, { id }).catch(() => undefined);
      if (member?.status === 'active') out.push(id);
    }
    return out;
  },
});
