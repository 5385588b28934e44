import type { DbCtx } from '@baton/db';
import type { RecordContext } from '@baton/form';
import { getDepartment, getMember } from '@baton/org';

/** Where a member sits (department, unit, post): the context a record they create is filed under. */
export async function placementOf(ctx: DbCtx, memberId: string): Promise<RecordContext> {
  const member = await getMember(ctx, { id: memberId }).catch(() => undefined);
  if (!member) return { memberId };
  const department = await getDepartment(ctx, { id: member.mainDepartmentId }).catch(() => undefined);
  return {
    memberId,
    departmentId: member.mainDepartmentId,
    ...(department ? { unitId: department.unitId } : {}),
    ...(member.postId ? { postId: member.postId } : {}),
  };
}
