import { definePermission, type RecordScope } from '@baton/access';
import { type GrantableScope, grantableScopes, type PackDefinition, type PackRight } from './types.ts';

// Per-form and per-flow function permissions (ADR 0004): `form.<pack>.<key>.create`,
// `form.<pack>.<key>.read.<scope>`, `form.<pack>.<key>.write.<scope>`, `flow.<pack>.<key>.start`. The forms and
// flows APIs (apps/server) declare the same codes for every published form and flow; a code is declared once
// per process with one set of labels, so the composition root hands the installer the server's declare
// functions. The defaults below, for tests and the CLI, use the server's labels word for word
// (apps/cli/test/packs.int.test.ts declares both in one process and would throw if they drifted).

/** Declares the permissions of one published form and one published flow before roles are granted them. */
export type PermissionDeclarer = {
  form(pack: string, key: string): void;
  flow(pack: string, key: string): void;
};

const scopeLabels: Record<GrantableScope, { zh: string; en: string }> = {
  department: { zh: '本部门', en: 'own department' },
  departmentAndBelow: { zh: '本部门及下级', en: 'own department and below' },
  managedDepartments: { zh: '所管部门', en: 'managed departments' },
  unit: { zh: '本单位', en: 'own unit' },
  all: { zh: '全部', en: 'all' },
};

export const defaultDeclarer: PermissionDeclarer = {
  form(pack, key) {
    const id = `${pack}.${key}`;
    const prefix = `form.${id}.`;
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
  },
  flow(pack, key) {
    definePermission(`flow.${pack}.${key}.start`, { zh: `流程 ${pack}.${key}：发起`, en: `Flow ${pack}.${key}: file` });
  },
};

export const formPermissionCode = (pack: string, key: string, right: 'create' | `${'read' | 'write'}.${string}`) =>
  `form.${pack}.${key}.${right}`;
export const flowStartCode = (pack: string, key: string) => `flow.${pack}.${key}.start`;

/** The permission codes a list of pack rights amounts to, sorted. */
export function rightCodes(pack: string, permissions: readonly PackRight[]): string[] {
  const codes = new Set<string>();
  for (const spec of permissions) {
    if ('form' in spec) {
      if (spec.create) codes.add(formPermissionCode(pack, spec.form, 'create'));
      for (const scope of spec.read ?? []) codes.add(formPermissionCode(pack, spec.form, `read.${scope}`));
      for (const scope of spec.write ?? []) codes.add(formPermissionCode(pack, spec.form, `write.${scope}`));
    } else if (spec.start) codes.add(flowStartCode(pack, spec.flow));
  }
  return [...codes].sort();
}

/** Every permission code a role of the pack is granted, by role code. */
export function rolePermissionCodes(pack: Pick<PackDefinition, 'key' | 'roles'>): Map<string, string[]> {
  return new Map(pack.roles.map((role) => [role.code, rightCodes(pack.key, role.permissions)]));
}

/** A member's rights on one form, read from the permissions they hold (what the forms API computes). */
export type FormRights = { create: boolean; read: RecordScope[]; write: RecordScope[] };

export function rightsFrom(held: ReadonlySet<string>, pack: string, key: string): FormRights {
  const prefix = `form.${pack}.${key}.`;
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
  return { create, read, write };
}
