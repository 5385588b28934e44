// Row shapes of the access tables as Kysely sees them (camelCase through CamelCasePlugin; SQL is snake_case).
// Booleans are written true/false and read back as 1/0; instants are ISO strings; JSON columns are text
// written with toJson and read with fromJson.

/** One password per member. Only the argon2id PHC string is stored, never the password. */
export type CredentialTable = {
  memberId: string;
  passwordHash: string;
  /** Set by an administrator's reset: the member must choose a new password at next sign-in. */
  mustChange: number | boolean;
  changedAt: string;
  createdAt: string;
  updatedAt: string;
};

/** A fixed-window failure counter shared by every server process: `login:<login>` or `ip:<address>`. */
export type ThrottleTable = {
  key: string;
  windowStart: string;
  failures: number;
  lockedUntil: string | null;
  updatedAt: string;
};

export type SessionTable = {
  id: string;
  /** SHA-256 (hex) of the session token; the token itself is only ever in the client's cookie. */
  tokenHash: string;
  /** SHA-256 (hex) of the CSRF token. */
  csrfHash: string;
  memberId: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  /** Copied from the policy at sign-in, so a session keeps the rules it was issued under. */
  idleTimeoutMs: number;
  /** The absolute end of the session. */
  expiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
};

export type ApiTokenTable = {
  id: string;
  memberId: string;
  name: string;
  /** SHA-256 (hex) of the whole token `bt_…`. */
  tokenHash: string;
  /** The first characters of the token, enough to recognise it in a list, useless to an attacker. */
  hint: string;
  /** JSON array of permission codes. */
  scopes: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type RolePermissionTable = {
  roleId: string;
  permission: string;
  grantedAt: string;
  grantedBy: string | null;
};

export type GrantAccess = 'read' | 'write';

export type GrantTable = {
  id: string;
  memberId: string;
  resource: string;
  /** null: every record of the resource. */
  recordId: string | null;
  access: GrantAccess;
  /** null: until revoked. */
  expiresAt: string | null;
  grantedBy: string | null;
  reason: string | null;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
};

export type AuditTable = {
  seq: number;
  id: string;
  at: string;
  actorKind: 'member' | 'system' | 'anonymous';
  /** Member id, system name, or null for anonymous. */
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  /** JSON text (see toJson / fromJson). */
  detail: string | null;
  prevHash: string;
  hash: string;
};

/** One row ('audit'): the last appended seq and hash. Appenders lock it, so the chain never forks. */
export type AuditHeadTable = {
  id: string;
  seq: number;
  hash: string;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_access_credential: CredentialTable;
    baton_access_throttle: ThrottleTable;
    baton_access_session: SessionTable;
    baton_access_api_token: ApiTokenTable;
    baton_access_role_permission: RolePermissionTable;
    baton_access_grant: GrantTable;
    baton_access_audit: AuditTable;
    baton_access_audit_head: AuditHeadTable;
  }
}
