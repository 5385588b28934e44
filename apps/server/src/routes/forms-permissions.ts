import { definePermission, isPermission, type Principal, permissionsOf, type RecordScope } from '@baton/access';
import type { DbCtx } from '@baton/db';
import type { Caller } from '../gate.ts';
import type { Permission } from '../routes.ts';

// Who may do what with a form's records (docs/adr/0004-form-record-access.md). One static permission,
// `form.design`, for definitions; per form, function permissions declared at run time for each published
// form and granted to roles like any other:
//   form.<pack>.<key>.create           fill in new records; read and change one's own (scope `own`) and
//                                      those the form assigns to one (scope `assigned`, the form's assignedTo)
//   form.<pack>.<key>.read.<scope>     read the records inside <scope>
//   form.<pack>.<key>.write.<scope>    read, change and void the records inside <scope>
// where <scope> is a kernel/access RecordScope other than `own`. Grants (借阅) on resource `<pack>.<key>`
// always count on top. Scopes become SQL in kernel/form; nothing here filters rows in memory.

export const FormPermissions = {
  /** Publish form definitions (preview the migration, apply it) and see every form. */
  design: definePermission('form.design', { zh: '设计与发布表单', en: 'Design and publish forms' }) as Permission,
} as const;

/** The scopes a per-form permission can carry (`own` and `assigned` come with `create`). */
export const grantableScopes = ['department', 'departmentAndBelow', 'managedDepartments', 'unit', 'all'] as const;

const scopeLabels: Record<(typeof grantableScopes)[number], { zh: string; en: string }> = {
  department: { zh: '本部门', en: 'own department' },
  departmentAndBelow: { zh: '本部门及下级', en: 'own department and below' },
  managedDepartments: { zh: '所管部门', en: 'managed departments' },
  unit: { zh: '本单位', en: 'own unit' },
  all: { zh: '全部', en: 'all' },
};

export type FormRights = {
  /** form.design held. */
  design: boolean;
  create: boolean;
  read: RecordScope[];
  write: RecordScope[];
};

const prefixOf = (pack: string, key: string) => `form.${pack}.${key}.`;

/**
 * Declares the per-form permissions of `pack.key` (idempotent; labels name the form by its stable key, not
 * its title, which may change between versions). Called whenever a route touches a form, so every process
 * knows them before a role is granted one or a check is made.
 */
export function declareFormPermissions(pack: string, key: string): void {
  const id = `${pack}.${key}`;
  const prefix = prefixOf(pack, key);
  definePermission(`${prefix}create`, { zh: `表单 ${id}：填写`, en: `Form ${id}: fill in` });
  for (const scope of grantableScopes) {
    const label = scopeLabels[scope];
    definePermission(`${prefix}read.${scope}`, {
      zh: `表单 ${id}：查看${label.zh}记录`,
      en: `Form ${id}: read records of ${label.en}`,
    });
    definePermission(`${prefix}write.${scope}`, {
      zh: `表单 ${id}：修改${label.zh}记录`,
      en: `Form ${id}: change records of ${label.en}`,
    });
  }
}

/** The permission code of one right (declared first). */
export function formPermission(pack: string, key: string, right: 'create' | `${'read' | 'write'}.${string}`) {
  declareFormPermissions(pack, key);
  const code = `${prefixOf(pack, key)}${right}`;
  if (!isPermission(code)) throw new TypeError(`forms: "${code}" is not a form permission`);
  return code as Permission;
}

/** The principal of a caller: a token is narrowed to its scopes, as the access gate does. */
export function principalOf(caller: Caller): Principal {
  const scopes = (caller as Caller & { scopes?: string[] }).scopes;
  return caller.via === 'token' ? { memberId: caller.memberId, scopes: scopes ?? [] } : caller.memberId;
}

/** Reads a form's rights out of a set of held permissions (pure: testable without a database). */
export function rightsFrom(held: ReadonlySet<string>, pack: string, key: string): FormRights {
  const prefix = prefixOf(pack, key);
  const create = held.has(`${prefix}create`);
  const write: RecordScope[] = grantableScopes.filter((scope) => held.has(`${prefix}write.${scope}`));
  const read: RecordScope[] = grantableScopes.filter(
    (scope) => held.has(`${prefix}read.${scope}`) || write.includes(scope),
  );
  // Filling a form in brings one's own records, and those the form assigns to one (`assignedTo`).
  if (create) {
    read.unshift('own', 'assigned');
    write.unshift('own', 'assigned');
  }
  return { design: held.has(FormPermissions.design), create, read, write };
}

/** The caller's rights on one form, computed per call from their roles (no cache to go stale). */
export async function formRights(ctx: DbCtx, caller: Caller, pack: string, key: string): Promise<FormRights> {
  declareFormPermissions(pack, key);
  return rightsFrom(await permissionsOf(ctx, principalOf(caller)), pack, key);
}

/** Whether the rights let the caller see the form at all (design, create, or any record scope). */
export const usable = (rights: FormRights) => rights.design || rights.create || rights.read.length > 0;
