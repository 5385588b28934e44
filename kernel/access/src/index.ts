// @baton/access — authentication (passwords, sign-in throttling, sessions, CSRF, API tokens, first-start
// administrator) and authorisation (function permissions, record scopes compiled to SQL, grants, field
// permissions), plus the hash-chained audit log. The package's only entry point. No HTTP here.
import './schema.ts';

export {
  type ApiToken,
  type CreateApiTokenInput,
  createApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
} from './api-tokens.ts';
export {
  type AuditEntry,
  type AuditEntryInput,
  type AuditQuery,
  type AuditVerification,
  appendAudit,
  queryAudit,
  verifyAuditChain,
} from './audit.ts';
export { canonicalJson } from './audit-hash.ts';
export {
  type EnsureAdministratorResult,
  ensureAdministrator,
  ensureSystemRoles,
  seedPasswords,
} from './bootstrap.ts';
export { AccessErrors } from './errors.ts';
export {
  accessOf,
  assertWritable,
  type FieldAccess,
  type FieldAccessInput,
  type FieldAccessLevel,
  type FieldRule,
  fieldAccess,
  filterReadable,
  narrowAccess,
} from './fields.ts';
export { type CreateGrantInput, createGrant, type Grant, listGrants, revokeGrant } from './grants.ts';
export { accessMemberLeft } from './handover.ts';
export { accessMigrations } from './migrations.ts';
export { EVERYONE_ROLE_CODE } from './org-port.ts';
export {
  type ChangePasswordInput,
  changePassword,
  type SetPasswordInput,
  setPassword,
  verifyPassword,
} from './password.ts';
export { passwordHashParams } from './password-hash.ts';
export {
  assertPasswordPolicy,
  checkPasswordPolicy,
  generatePassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordRule,
} from './password-policy.ts';
export {
  AccessPermissions,
  definePermission,
  isPermission,
  type Permission,
  type PermissionDefinition,
  permissionCatalog,
} from './permission-registry.ts';
export {
  assertCan,
  can,
  grantPermissions,
  listRolePermissions,
  type Principal,
  permissionsOf,
  type RolePermissionInput,
  revokePermissions,
} from './permissions.ts';
export {
  ACCESS_POLICY_SETTING,
  type AccessPolicy,
  type AccessSettings,
  type AccessSettingsView,
  defaultAccessPolicy,
  effectivePolicy,
  getAccessSettings,
  updateAccessSettings,
} from './policy.ts';
export type {
  ApiTokenTable,
  AuditHeadTable,
  AuditTable,
  CredentialTable,
  GrantAccess,
  GrantTable,
  RolePermissionTable,
  SessionTable,
  ThrottleTable,
} from './schema.ts';
export {
  type ColumnRef,
  type RecordScope,
  recordScopes,
  type ScopeColumns,
  type ScopeGrants,
  type ScopesWhereInput,
  type ScopeWhereInput,
  scopesWhere,
  scopeWhere,
} from './scope.ts';
export {
  assertCsrf,
  purgeSessions,
  renewCsrfToken,
  resolveSession,
  type Session,
  type SignInInput,
  type SignInResult,
  signIn,
  signOut,
  signOutEverywhere,
  verifyCsrf,
} from './session.ts';
export { clientAddressKey, consumeQuota, purgeThrottle } from './throttle.ts';
