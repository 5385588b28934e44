import { defineError } from '@baton/core';

export const OrgErrors = {
  unitNotFound: defineError('ORG_UNIT_NOT_FOUND', {
    status: 404,
    zh: '找不到单位 {id}',
    en: 'Unit {id} was not found',
  }),
  departmentNotFound: defineError('ORG_DEPARTMENT_NOT_FOUND', {
    status: 404,
    zh: '找不到部门 {id}',
    en: 'Department {id} was not found',
  }),
  postNotFound: defineError('ORG_POST_NOT_FOUND', {
    status: 404,
    zh: '找不到岗位 {id}',
    en: 'Post {id} was not found',
  }),
  levelNotFound: defineError('ORG_LEVEL_NOT_FOUND', {
    status: 404,
    zh: '找不到职务级别 {id}',
    en: 'Level {id} was not found',
  }),
  memberNotFound: defineError('ORG_MEMBER_NOT_FOUND', {
    status: 404,
    zh: '找不到人员 {id}',
    en: 'Member {id} was not found',
  }),
  roleNotFound: defineError('ORG_ROLE_NOT_FOUND', {
    status: 404,
    zh: '找不到角色 {id}',
    en: 'Role {id} was not found',
  }),
  roleAssignmentNotFound: defineError('ORG_ROLE_ASSIGNMENT_NOT_FOUND', {
    status: 404,
    zh: '找不到该角色分配',
    en: 'The role assignment was not found',
  }),
  concurrentPostNotFound: defineError('ORG_CONCURRENT_POST_NOT_FOUND', {
    status: 404,
    zh: '找不到该兼职',
    en: 'The concurrent post was not found',
  }),
  duplicateCode: defineError('ORG_DUPLICATE_CODE', {
    status: 409,
    zh: '编码 {code} 已被其他{entityZh}使用',
    en: 'Code {code} is already used by another {entity}',
  }),
  duplicateLogin: defineError('ORG_DUPLICATE_LOGIN', {
    status: 409,
    zh: '登录名 {login} 已被使用',
    en: 'Login {login} is already taken',
  }),
  departmentCycle: defineError('ORG_DEPARTMENT_CYCLE', {
    status: 422,
    zh: '不能把部门移到它自己或它的下级部门之下',
    en: 'A department cannot be placed under itself or one of its sub-departments',
  }),
  crossUnitMove: defineError('ORG_CROSS_UNIT_MOVE', {
    status: 422,
    zh: '部门不能跨单位移动（如确需移动，请明确允许跨单位）',
    en: 'A department cannot move to another unit unless the move explicitly allows it',
  }),
  departmentDisabled: defineError('ORG_DEPARTMENT_DISABLED', {
    status: 422,
    zh: '部门 {name} 已停用',
    en: 'Department {name} is disabled',
  }),
  departmentNotEmpty: defineError('ORG_DEPARTMENT_NOT_EMPTY', {
    status: 422,
    zh: '部门 {name} 仍有 {members} 名在职人员（含兼职）和 {children} 个启用的下级部门，请先转移或指定接收部门',
    en: 'Department {name} still has {members} active member(s) (concurrent posts included) and {children} enabled sub-department(s); move them first or name a department to receive them',
  }),
  mergeInvalid: defineError('ORG_MERGE_INVALID', {
    status: 422,
    zh: '不能把部门合并到它自己或它的下级部门',
    en: 'A department cannot be merged into itself or one of its sub-departments',
  }),
  notInDepartment: defineError('ORG_NOT_IN_DEPARTMENT', {
    status: 422,
    zh: '{what} 不属于部门 {name}',
    en: '{what} does not belong to department {name}',
  }),
  unitMismatch: defineError('ORG_UNIT_MISMATCH', {
    status: 422,
    zh: '{what} 属于其他单位',
    en: '{what} belongs to another unit',
  }),
  memberLeft: defineError('ORG_MEMBER_LEFT', {
    status: 422,
    zh: '人员 {name} 已离职',
    en: 'Member {name} has left',
  }),
  successorRequired: defineError('ORG_SUCCESSOR_REQUIRED', {
    status: 422,
    zh: '{name} 离职前需要指定工作交接人：{reasons}',
    en: '{name} needs a successor before leaving: {reasons}',
  }),
  successorInvalid: defineError('ORG_SUCCESSOR_INVALID', {
    status: 422,
    zh: '交接人必须是另一名在职人员',
    en: 'The successor must be another active member',
  }),
  supervisorInvalid: defineError('ORG_SUPERVISOR_INVALID', {
    status: 422,
    zh: '指定的上级不能是本人、已离职人员或本人的下属链',
    en: 'The supervisor cannot be the member, a member who left, or someone who reports to the member',
  }),
  concurrentPostExists: defineError('ORG_CONCURRENT_POST_EXISTS', {
    status: 409,
    zh: '该人员在部门 {name} 已有主岗或兼职',
    en: 'The member already has a main or concurrent post in department {name}',
  }),
  roleScopeMismatch: defineError('ORG_ROLE_SCOPE_MISMATCH', {
    status: 422,
    zh: '角色 {role} 的适用范围不包含该单位或部门',
    en: 'Role {role} does not apply to that unit or department',
  }),
  roleAssignmentExists: defineError('ORG_ROLE_ASSIGNMENT_EXISTS', {
    status: 409,
    zh: '该人员已在相同范围内拥有角色 {role}',
    en: 'The member already holds role {role} in the same scope',
  }),
} as const;

const entityZh: Record<string, string> = {
  unit: '单位',
  department: '部门',
  post: '岗位',
  level: '职务级别',
  member: '人员',
  role: '角色',
};

/** ORG_DUPLICATE_CODE for `entity`, with the field issue on `path`. */
export function duplicateCode(entity: string, code: string, path: Array<string | number> = ['code']) {
  return OrgErrors.duplicateCode.create(
    { code, entity, entityZh: entityZh[entity] ?? entity },
    { fields: [{ path, code: 'duplicate', message: `${entity} code ${code} is taken` }] },
  );
}
