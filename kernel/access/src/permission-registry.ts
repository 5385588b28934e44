/**
 * A function permission: a dotted code such as `org.department.write`, `flow.definition.publish`,
 * `audit.read`. Engines declare theirs once with definePermission; roles are granted them.
 */
export type Permission = string;

export type PermissionDefinition = Readonly<{ code: Permission; zh: string; en: string }>;

const CODE = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;
const registry = new Map<Permission, PermissionDefinition>();

/**
 * Declares a permission with its zh-CN and en-US labels (shown where roles are edited) and returns the
 * code. Declaring the same code again with the same labels is a no-op (a module loaded twice); with
 * other labels it throws, because two engines must not claim one code.
 */
export function definePermission(code: string, labels: { zh: string; en: string }): Permission {
  if (!CODE.test(code))
    throw new TypeError(`definePermission: "${code}" is not a dotted code like org.department.write`);
  if (!labels.zh.trim() || !labels.en.trim()) throw new TypeError(`definePermission: "${code}" needs zh and en labels`);
  const existing = registry.get(code);
  if (existing) {
    if (existing.zh === labels.zh && existing.en === labels.en) return code;
    throw new TypeError(`definePermission: "${code}" is defined twice`);
  }
  registry.set(code, Object.freeze({ code, zh: labels.zh, en: labels.en }));
  return code;
}

export function isPermission(code: unknown): code is Permission {
  return typeof code === 'string' && registry.has(code);
}

/** Every declared permission, sorted by code: what the role editor offers and what `admin` holds. */
export function permissionCatalog(): PermissionDefinition[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function unknownPermissions(codes: Iterable<string>): string[] {
  return [...codes].filter((code) => !registry.has(code));
}

/** The permissions access itself checks for at its routes (the server declares the policy). */
export const AccessPermissions = {
  rolePermissionWrite: definePermission('access.rolePermission.write', {
    zh: '为角色分配功能权限',
    en: 'Grant function permissions to roles',
  }),
  grantWrite: definePermission('access.grant.write', {
    zh: '授予和收回数据借阅',
    en: 'Grant and revoke record access',
  }),
  grantRead: definePermission('access.grant.read', { zh: '查看数据借阅', en: 'View record access grants' }),
  passwordReset: definePermission('access.password.reset', {
    zh: '重置他人密码',
    en: "Reset other members' passwords",
  }),
  sessionRevoke: definePermission('access.session.revoke', {
    zh: '强制他人下线',
    en: 'Sign other members out',
  }),
  apiTokenWrite: definePermission('access.apiToken.write', {
    zh: '创建和吊销接口令牌',
    en: 'Create and revoke API tokens',
  }),
  auditRead: definePermission('audit.read', { zh: '查看审计日志', en: 'Read the audit log' }),
} as const;
