import { defineError } from '@baton/core';

export const AccessErrors = {
  // One message for unknown login, wrong password and a member who left: the answer must not tell an
  // attacker which logins exist.
  badCredentials: defineError('ACCESS_BAD_CREDENTIALS', {
    status: 401,
    zh: '登录名或密码错误',
    en: 'Wrong login or password',
  }),
  accountLocked: defineError('ACCESS_ACCOUNT_LOCKED', {
    status: 423,
    zh: '登录失败次数过多，账号已锁定，请于 {unlockAt} 之后再试',
    en: 'Too many failed sign-ins; the account is locked until {unlockAt}',
  }),
  quotaExceeded: defineError('ACCESS_QUOTA_EXCEEDED', {
    status: 429,
    zh: '操作过于频繁，请于 {retryAt} 之后再试',
    en: 'Too many requests of this kind; try again after {retryAt}',
  }),
  tooManyAttempts: defineError('ACCESS_TOO_MANY_ATTEMPTS', {
    status: 429,
    zh: '来自该地址的登录尝试过多，请于 {retryAt} 之后再试',
    en: 'Too many sign-in attempts from this address; try again after {retryAt}',
  }),
  weakPassword: defineError('ACCESS_WEAK_PASSWORD', {
    status: 422,
    zh: '密码不符合要求：{rules}',
    en: 'The password does not meet the policy: {rules}',
  }),
  wrongOldPassword: defineError('ACCESS_WRONG_OLD_PASSWORD', {
    status: 422,
    zh: '原密码不正确',
    en: 'The current password is wrong',
  }),
  passwordReused: defineError('ACCESS_PASSWORD_REUSED', {
    status: 422,
    zh: '新密码不能与原密码相同',
    en: 'The new password must differ from the current one',
  }),
  memberNotFound: defineError('ACCESS_MEMBER_NOT_FOUND', {
    status: 404,
    zh: '找不到人员 {memberId}',
    en: 'Member {memberId} was not found',
  }),
  memberLeft: defineError('ACCESS_MEMBER_LEFT', {
    status: 422,
    zh: '人员 {memberId} 已离职',
    en: 'Member {memberId} has left',
  }),
  forbidden: defineError('ACCESS_FORBIDDEN', {
    status: 403,
    zh: '您没有权限：{permission}',
    en: 'You do not have the permission {permission}',
  }),
  permissionUnknown: defineError('ACCESS_PERMISSION_UNKNOWN', {
    status: 422,
    zh: '未登记的权限：{permissions}',
    en: 'Unknown permission(s): {permissions}',
  }),
  scopeNotHeld: defineError('ACCESS_SCOPE_NOT_HELD', {
    status: 403,
    zh: '令牌不能包含您自己没有的权限：{permissions}',
    en: 'A token cannot carry permissions you do not hold: {permissions}',
  }),
  tokenNotFound: defineError('ACCESS_TOKEN_NOT_FOUND', {
    status: 404,
    zh: '找不到访问令牌 {id}',
    en: 'API token {id} was not found',
  }),
  roleNotFound: defineError('ACCESS_ROLE_NOT_FOUND', {
    status: 404,
    zh: '找不到角色 {role}',
    en: 'Role {role} was not found',
  }),
  grantNotFound: defineError('ACCESS_GRANT_NOT_FOUND', {
    status: 404,
    zh: '找不到授权 {id}',
    en: 'Grant {id} was not found',
  }),
  fieldNotWritable: defineError('ACCESS_FIELD_NOT_WRITABLE', {
    status: 403,
    zh: '您无权修改这些字段：{fields}',
    en: 'You may not change these fields: {fields}',
  }),
  csrfInvalid: defineError('ACCESS_CSRF_INVALID', {
    status: 403,
    zh: '请求校验失败，请刷新页面后重试',
    en: 'The request could not be verified; reload the page and try again',
  }),
  auditCursorInvalid: defineError('ACCESS_AUDIT_CURSOR_INVALID', {
    status: 400,
    zh: '分页游标无效',
    en: 'The page cursor is invalid',
  }),
} as const;
