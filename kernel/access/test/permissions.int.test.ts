import {
  AccessErrors,
  accessOf,
  assertCan,
  assertWritable,
  can,
  definePermission,
  EVERYONE_ROLE_CODE,
  ensureSystemRoles,
  type FieldAccess,
  fieldAccess,
  filterReadable,
  grantPermissions,
  isPermission,
  listRolePermissions,
  narrowAccess,
  permissionCatalog,
  permissionsOf,
  queryAudit,
  revokePermissions,
} from '@baton/access';
import { assignRole, createMember, createRole, getRole, memberLeaves, updateRole } from '@baton/org';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, type Env, type Org, openEnv } from './access-fixture.ts';

const deptWrite = definePermission('test.department.write', { zh: '维护部门', en: 'Maintain departments' });
const publish = definePermission('test.definition.publish', { zh: '发布流程', en: 'Publish flows' });
const auditRead = 'audit.read';
const salaryRead = definePermission('test.salary.read', { zh: '查看薪资', en: 'See salaries' });

describe('permission registry', () => {
  it('declares dotted codes once', () => {
    expect(isPermission(deptWrite)).toBe(true);
    expect(definePermission('test.department.write', { zh: '维护部门', en: 'Maintain departments' })).toBe(deptWrite);
    expect(() => definePermission('test.department.write', { zh: '别的', en: 'Other' })).toThrow(/twice/);
    expect(() => definePermission('NotDotted', { zh: 'a', en: 'b' })).toThrow();
    expect(() => definePermission('test.x', { zh: ' ', en: 'b' })).toThrow();
    expect(permissionCatalog().map((p) => p.code)).toContain(auditRead);
  });
});

describe('function permissions via roles', () => {
  let env: Env;
  let org: Org;

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
    await createRole(env.ctx, { code: 'orgAdmin', name: '组织管理员' });
    await createRole(env.ctx, { code: 'flowAdmin', name: '流程管理员' });
    await createRole(env.ctx, { code: 'admin', name: '系统管理员', kind: 'system' });
    await grantPermissions(env.ctx, { role: 'orgAdmin', permissions: [deptWrite, auditRead] });
    await grantPermissions(env.ctx, { role: 'flowAdmin', permissions: [publish] });
    await assignRole(env.ctx, { role: 'orgAdmin', memberId: org.members.bob.id });
    // A scoped assignment still confers the role's function permissions.
    await assignRole(env.ctx, {
      role: 'flowAdmin',
      memberId: org.members.bob.id,
      scopeDepartmentId: org.departments.D11.id,
    });
    await assignRole(env.ctx, { role: 'flowAdmin', memberId: org.members.carol.id });
    await assignRole(env.ctx, { role: 'admin', memberId: org.members.alice.id });
  });
  afterAll(() => env.database.cleanup());

  it('unions the permissions of a member’s roles', async () => {
    expect([...(await permissionsOf(env.ctx, org.members.bob.id))].sort()).toEqual(
      [auditRead, publish, deptWrite].sort(),
    );
    expect([...(await permissionsOf(env.ctx, org.members.carol.id))]).toEqual([publish]);
    expect([...(await permissionsOf(env.ctx, org.members.dave.id))]).toEqual([]);
    expect(await can(env.ctx, org.members.carol.id, publish)).toBe(true);
    expect(await can(env.ctx, org.members.carol.id, deptWrite)).toBe(false);
  });

  it('gives the system role admin every permission, including ones declared later', async () => {
    const later = definePermission('test.later.thing', { zh: '后来的', en: 'Declared later' });
    const all = await permissionsOf(env.ctx, org.members.alice.id);
    expect(all.size).toBe(permissionCatalog().length);
    expect(await can(env.ctx, org.members.alice.id, later)).toBe(true);
    expect(await can(env.ctx, org.members.alice.id, salaryRead)).toBe(true);
  });

  it('assertCan throws ACCESS_FORBIDDEN (403) naming the permission; undeclared codes are a bug', async () => {
    await assertCan(env.ctx, org.members.bob.id, deptWrite);
    let caught: unknown;
    try {
      await assertCan(env.ctx, org.members.carol.id, deptWrite);
    } catch (error) {
      caught = error;
    }
    expect(AccessErrors.forbidden.is(caught)).toBe(true);
    expect((caught as { status: number }).status).toBe(403);
    expect((caught as { params: { permission: string } }).params.permission).toBe(deptWrite);
    await expect(can(env.ctx, org.members.alice.id, 'test.typo.permision')).rejects.toThrow(TypeError);
  });

  it('follows role changes at once: revoke, disable, leave', async () => {
    await revokePermissions(env.ctx, { role: 'flowAdmin', permissions: [publish] });
    expect(await can(env.ctx, org.members.carol.id, publish)).toBe(false);
    await grantPermissions(env.ctx, { role: 'flowAdmin', permissions: [publish] });
    expect(await can(env.ctx, org.members.carol.id, publish)).toBe(true);
    const role = await getRole(env.ctx, { role: 'flowAdmin' });
    await updateRole(env.ctx, { id: role.id, version: role.version, enabled: false });
    expect(await can(env.ctx, org.members.carol.id, publish)).toBe(false);
    const disabled = await getRole(env.ctx, { role: 'flowAdmin' });
    await updateRole(env.ctx, { id: disabled.id, version: disabled.version, enabled: true });
    expect(await can(env.ctx, org.members.carol.id, publish)).toBe(true);
    await memberLeaves(env.ctx, { memberId: org.members.carol.id, successorId: org.members.dave.id });
    expect(await can(env.ctx, org.members.carol.id, publish)).toBe(false);
    // The successor took the role over.
    expect(await can(env.ctx, org.members.dave.id, publish)).toBe(true);
  });

  it('lists, validates and audits role permission changes', async () => {
    expect(await listRolePermissions(env.ctx, { role: 'orgAdmin' })).toEqual([auditRead, deptWrite].sort());
    await expect(
      grantPermissions(env.ctx, { role: 'orgAdmin', permissions: ['test.nope.nope'] }),
    ).rejects.toMatchObject({
      code: 'ACCESS_PERMISSION_UNKNOWN',
    });
    await expect(grantPermissions(env.ctx, { role: 'noSuchRole', permissions: [deptWrite] })).rejects.toMatchObject({
      code: 'ACCESS_ROLE_NOT_FOUND',
    });
    // Granting twice keeps one row.
    await grantPermissions(env.ctx, { role: 'orgAdmin', permissions: [deptWrite, deptWrite] });
    expect(await listRolePermissions(env.ctx, { role: 'orgAdmin' })).toEqual([auditRead, deptWrite].sort());
    const audit = await queryAudit(env.ctx, { action: 'access.permission.*' });
    expect(audit.items.map((e) => e.action)).toContain('access.permission.grant');
    expect(audit.items.map((e) => e.action)).toContain('access.permission.revoke');
  });
});

describe('the system role everyone', () => {
  let env: Env;
  let org: Org;
  const file = definePermission('test.leave.file', { zh: '提交请假', en: 'File leave requests' });

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
  });
  afterAll(() => env.database.cleanup());

  it('gives what it is granted to every active member, including ones who join later, and to no one who left', async () => {
    // Before it exists, nobody holds anything through it.
    expect(await can(env.ctx, org.members.dave.id, file)).toBe(false);
    await ensureSystemRoles(env.ctx);
    await ensureSystemRoles(env.ctx);
    const role = await getRole(env.ctx, { role: EVERYONE_ROLE_CODE });
    expect(role.kind).toBe('system');
    await grantPermissions(env.ctx, { role: EVERYONE_ROLE_CODE, permissions: [file] });
    for (const member of [org.members.alice, org.members.bob, org.members.dave]) {
      expect(await can(env.ctx, member.id, file)).toBe(true);
    }
    const newcomer = await createMember(env.ctx, {
      code: 'N1',
      name: '新同事',
      login: 'newcomer',
      mainDepartmentId: org.departments.D11.id,
    });
    expect(await can(env.ctx, newcomer.id, file)).toBe(true);
    await memberLeaves(env.ctx, { memberId: newcomer.id });
    expect(await can(env.ctx, newcomer.id, file)).toBe(false);
    // Disabling it takes the grant away from everyone at once.
    await updateRole(env.ctx, { id: role.id, version: role.version, enabled: false });
    expect(await can(env.ctx, org.members.dave.id, file)).toBe(false);
    expect(
      (await queryAudit(env.ctx, { action: 'access.bootstrap.everyoneRole' })).items.map((entry) => entry.action),
    ).toEqual(['access.bootstrap.everyoneRole']);
  });

  it('refuses to treat a business role that merely has the code as everyone', async () => {
    const other = await openEnv();
    try {
      await createRole(other.ctx, { code: EVERYONE_ROLE_CODE, name: '所有人' });
      await expect(ensureSystemRoles(other.ctx)).rejects.toThrow(/business role/);
    } finally {
      await other.database.cleanup();
    }
  });
});

describe('field permissions', () => {
  let env: Env;
  let org: Org;

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
    await createRole(env.ctx, { code: 'hr', name: '人事' });
    await createRole(env.ctx, { code: 'cashier', name: '出纳' });
    await grantPermissions(env.ctx, { role: 'hr', permissions: [salaryRead] });
    await assignRole(env.ctx, { role: 'hr', memberId: org.members.erin.id });
    await assignRole(env.ctx, { role: 'cashier', memberId: org.members.dave.id });
  });
  afterAll(() => env.database.cleanup());

  const rules = [
    { field: 'title', access: 'edit' as const },
    { field: 'salary', access: 'hidden' as const },
    { field: 'salary', access: 'read' as const, permission: salaryRead },
    { field: 'payment', access: 'read' as const },
    { field: 'payment.*', access: 'edit' as const, role: 'cashier' },
    { field: 'terms', access: 'edit' as const },
    { field: 'terms.amount', access: 'read' as const },
  ];
  const record = {
    id: 'r1',
    title: '劳动合同',
    salary: 30_000_00,
    payment: { account: '6222…', paidAt: '2026-03-01' },
    terms: [
      { amount: 100, note: 'a' },
      { amount: 200, note: 'b' },
    ],
  };

  const accessFor = (memberId: string) => fieldAccess(env.ctx, { memberId, resource: 'hr.contract', rules });

  it('resolves the most permissive applicable rule per field', async () => {
    const plain = await accessFor(org.members.bob.id);
    expect(plain.fields).toEqual({
      title: 'edit',
      salary: 'hidden',
      payment: 'read',
      terms: 'edit',
      'terms.amount': 'read',
    });
    expect(accessOf(plain, 'id')).toBe('read');
    expect(accessOf(plain, 'payment.account')).toBe('read');
    expect(accessOf(plain, 'terms.note')).toBe('edit');
    expect(accessOf(plain, 'constructor')).toBe('read');
    const hr = await accessFor(org.members.erin.id);
    expect(hr.fields.salary).toBe('read');
    const cashier = await accessFor(org.members.dave.id);
    expect(accessOf(cashier, 'payment.account')).toBe('edit');
  });

  it('filters what may be read, into nested objects and subtable rows', async () => {
    const plain = await accessFor(org.members.bob.id);
    expect(filterReadable(record, plain)).toEqual({
      id: 'r1',
      title: '劳动合同',
      payment: { account: '6222…', paidAt: '2026-03-01' },
      terms: [
        { amount: 100, note: 'a' },
        { amount: 200, note: 'b' },
      ],
    });
    expect(filterReadable(record, await accessFor(org.members.erin.id)).salary).toBe(30_000_00);
    const hideNotes: FieldAccess = { resource: 'x', defaultAccess: 'read', fields: { 'terms.note': 'hidden' } };
    expect(filterReadable(record, hideNotes).terms).toEqual([{ amount: 100 }, { amount: 200 }]);
    const denyByDefault: FieldAccess = { resource: 'x', defaultAccess: 'hidden', fields: { title: 'read' } };
    expect(filterReadable(record, denyByDefault)).toEqual({ title: '劳动合同' });
  });

  it('refuses writes to fields that are not editable, listing every path', async () => {
    const plain = await accessFor(org.members.bob.id);
    assertWritable({ title: '新标题', terms: [{ note: 'changed' }] }, plain);
    let caught: unknown;
    try {
      assertWritable(
        { title: 'ok', salary: 1, id: 'r2', payment: { account: 'x' }, terms: [{ note: 'ok' }, { amount: 5 }] },
        plain,
      );
    } catch (error) {
      caught = error;
    }
    expect(AccessErrors.fieldNotWritable.is(caught)).toBe(true);
    const error = caught as { status: number; fields: Array<{ path: Array<string | number> }> };
    expect(error.status).toBe(403);
    expect(error.fields.map((f) => f.path)).toEqual([['salary'], ['id'], ['payment'], ['terms', 1, 'amount']]);
    // The cashier edits payment fields, not the rest.
    const cashier = await accessFor(org.members.dave.id);
    expect(() => assertWritable({ payment: { account: 'y' } }, cashier)).toThrow();
    const paymentOnly: FieldAccess = { ...cashier, fields: { ...cashier.fields, payment: 'edit' } };
    assertWritable({ payment: { account: 'y' } }, paymentOnly);
  });

  it('narrows one layer of rules by another: the least of the two wins', async () => {
    const form: FieldAccess = { resource: 'x', defaultAccess: 'edit', fields: { salary: 'hidden', note: 'read' } };
    const node: FieldAccess = { resource: 'x', defaultAccess: 'read', fields: { note: 'edit', title: 'edit' } };
    const both = narrowAccess(form, node);
    expect(accessOf(both, 'salary')).toBe('hidden');
    expect(accessOf(both, 'note')).toBe('read');
    expect(accessOf(both, 'title')).toBe('edit');
    expect(accessOf(both, 'other')).toBe('read');
    expect(filterReadable(record, both)).not.toHaveProperty('salary');
    expect(() => assertWritable({ note: 'x' }, both)).toThrow();
    assertWritable({ title: 'x' }, both);
    // A third layer narrows further, never widens.
    const third = narrowAccess(both, { resource: 'x', defaultAccess: 'hidden', fields: {} });
    expect(accessOf(third, 'title')).toBe('hidden');
  });

  it('validates rules with paths', async () => {
    await expect(
      fieldAccess(env.ctx, {
        memberId: org.members.bob.id,
        resource: 'x',
        rules: [
          { field: 'bad path!', access: 'edit' },
          { field: 'ok', access: 'everything' as never },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
      fields: [
        expect.objectContaining({ path: ['rules', 0, 'field'] }),
        expect.objectContaining({ path: ['rules', 1, 'access'] }),
      ],
    });
  });
});
