import { provideDepartmentCodes } from '@baton/form';
import { getDepartment, OrgErrors } from '@baton/org';

/**
 * Serial patterns name a department by its code (`XS-{department}-{yyyy}-{seq:4}`); the form engine never reads
 * the org, so the code comes from here. A department that no longer exists is blank, and the create is refused.
 */
export function wireSerialCodes(): void {
  provideDepartmentCodes(async (ctx, id) => {
    try {
      return (await getDepartment(ctx, { id })).code;
    } catch (error) {
      if (OrgErrors.departmentNotFound.is(error)) return null;
      throw error;
    }
  });
}
