import { resolveHeadOfDepartment, resolveMembersOfDepartment } from '@baton/org';
import { z } from 'zod';
import { defineAssigneeSource } from '../define.ts';
import { checkFieldType, idList } from '../shared.ts';

/** The heads (walking up when empty) or the members of the department(s) in a department field. */
export const departmentFieldSource = defineAssigneeSource({
  source: 'departmentField',
  configSchema: z.strictObject({
    source: z.literal('departmentField'),
    field: z.string().min(1).max(40),
    take: z.enum(['head', 'members']).default('head'),
  }),
  check: (spec, context) => checkFieldType(spec.field, ['department', 'departments'], context, 'field'),
  resolve: async (rt, spec) => {
    const values = await rt.values();
    const out: string[] = [];
    for (const departmentId of idList(values[spec.field])) {
      out.push(
        ...(spec.take === 'head'
          ? await resolveHeadOfDepartment(rt.ctx, { departmentId, walkUp: true })
          : await resolveMembersOfDepartment(rt.ctx, { departmentId })),
      );
    }
    return out;
  },
});
