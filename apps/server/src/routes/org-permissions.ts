import { definePermission } from '@baton/access';
import type { Permission } from '../routes.ts';

// The function permissions the Organisation API checks. Org cannot declare them itself (access depends
// on org, not the other way round), so its HTTP surface does, once, at load time.

function permission(code: Permission, labels: { zh: string; en: string }): Permission {
  return definePermission(code, labels) as Permission;
}

export const OrgPermissions = {
  /** The change log: who changed which unit, department, member or role, with before and after. */
  read: permission('org.read', { zh: '查看组织变更记录', en: 'View the organisation change log' }),
  /** Units, departments (incl. reorganisation), posts, levels, members, concurrent posts. */
  write: permission('org.write', { zh: '维护组织架构与人员', en: 'Maintain the organisation and its members' }),
  /** Roles and who holds them. */
  roleWrite: permission('org.role.write', { zh: '维护角色及角色成员', en: 'Maintain roles and role holders' }),
} as const;
