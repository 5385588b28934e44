import { accessMigrations, type RecordScope } from '@baton/access';
import { createFakeClock, isBatonError } from '@baton/core';
import {
  createRecord,
  exportRecords,
  type FormDefinitionInput,
  formMigrations,
  getRecord,
  listRecords,
  publishForm,
  reassignRecord,
  type SheetRefs,
  updateRecord,
  type Viewer,
  validateForm,
} from '@baton/form';
import { assignRole, createDepartment, createMember, createRole, createUnit, orgMigrations, setHead } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A form's own access settings, applied wherever records are read or written for a member:
// `assignedTo` (members named in member fields reach the record, their supervisors read it) and
// `fieldAccess` (hidden / read / edit per role).

const l = (zh: string, en: string) => ({ zh, en });
const deal: FormDefinitionInput = {
  pack: 'crm',
  key: 'deal',
  kind: 'archive',
  label: l('商机', 'Deal'),
  fields: [
    { key: 'title', label: l('名称', 'Title'), type: 'text', required: true },
    { key: 'manager', label: l('销售经理', 'Manager'), type: 'member' },
    { key: 'partner', label: l('协同人', 'Partner'), type: 'member' },
    { key: 'note', label: l('备注', 'Note'), type: 'text' },
    { key: 'leaderComment', label: l('领导批示', 'Instructions'), type: 'longtext' },
    { key: 'margin', label: l('毛利', 'Margin'), type: 'money' },
  ],
  subtables: [
    { key: 'steps', label: l('跟进', 'Steps'), columns: [{ key: 'note', label: l('内容', 'Note'), type: 'text' }] },
  ],
  assignedTo: { fields: ['manager', 'partner'], supervisorLevels: 1 },
  fieldAccess: [
    { field: 'leaderComment', access: 'read' },
    { field: 'leaderComment', access: 'edit', role: 'director' },
    { field: 'margin', access: 'hidden' },
    { field: 'margin', access: 'edit', role: 'director' },
    { field: 'steps', access: 'read' },
    { field: 'steps', access: 'edit', role: 'director' },
  ],
};
const ref = { pack: 'crm', key: 'deal' };

let database: TestDatabase;
let ctx: ReturnType<typeof testCtx>;
const m: Record<string, string> = {};
const r: Record<string, string> = {};
let unitId = '';
const departments: Record<string, string> = {};

const viewer = (login: string, scopes: RecordScope[] = ['own', 'assigned']): Viewer => ({
  memberId: m[login] as string,
  scopes,
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  return 'OK';
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations, formMigrations] });
  ctx = testCtx(database.db, { clock: createFakeClock('2026-11-28T01:00:00.000Z') });
  const unit = await createUnit(ctx, { code: 'U1', name: '总部', kind: 'headquarters' });
  unitId = unit.id;
  const sales = await createDepartment(ctx, { unitId, parentId: null, code: 'D1', name: '销售部' });
  const east = await createDepartment(ctx, { unitId, parentId: sales.id, code: 'D11', name: '华东销售' });
  const finance = await createDepartment(ctx, { unitId, parentId: null, code: 'D2', name: '财务部' });
  Object.assign(departments, { sales: sales.id, east: east.id, finance: finance.id });
  let n = 0;
  for (const [login, department] of [
    ['alice', sales],
    ['bob', east],
    ['carol', east],
    ['erin', finance],
  ] as const) {
    const member = await createMember(ctx, { code: `M${++n}`, name: login, login, mainDepartmentId: department.id });
    m[login] = member.id;
  }
  // alice heads 销售部; 华东销售 has no head, so she is bob's and carol's first supervisor.
  await setHead(ctx, { departmentId: sales.id, memberId: m.alice as string });
  await createRole(ctx, { code: 'director', name: '总监' });
  await assignRole(ctx, { role: 'director', memberId: m.alice as string });
  await publishForm(ctx, deal);
  const file = async (name: string, owner: string, department: string, values: Record<string, unknown>) => {
    const record = await createRecord(
      ctx,
      { ...ref, values: { title: name, ...values } },
      { context: { memberId: m[owner], departmentId: department, unitId } },
    );
    r[name] = record.id;
  };
  await file('bob-own', 'bob', east.id, { margin: 500_00, leaderComment: '抓紧', steps: [{ note: '初访' }] });
  await file('erin-managed-by-bob', 'erin', finance.id, { manager: m.bob });
  await file('erin-partner-carol', 'erin', finance.id, { partner: m.carol });
  await file('erin-alone', 'erin', finance.id, {});
});
afterAll(async () => {
  await database?.cleanup();
});

const titles = async (v: Viewer) =>
  (await listRecords(ctx, { ...ref, sort: [{ field: 'title', dir: 'asc' }] }, { viewer: v })).records.map(
    (record) => record.values.title,
  );

describe('form definitions: assignedTo and fieldAccess', () => {
  it('are validated with paths, and leave the hash of a form without them unchanged', () => {
    const issues = validateForm({
      ...deal,
      assignedTo: { fields: ['title', 'nobody', 'manager', 'manager'], supervisorLevels: 9 },
      fieldAccess: [
        { field: 'ghost', access: 'read' },
        { field: 'note', access: 'all' },
      ],
    });
    expect(issues.map((issue) => `${issue.path.join('.')}:${issue.code}`)).toEqual([
      'assignedTo.supervisorLevels:too_big',
      'fieldAccess.1.access:invalid_value',
    ]);
    const second = validateForm({
      ...deal,
      assignedTo: { fields: ['title', 'nobody', 'manager', 'manager'] },
      fieldAccess: [{ field: 'ghost', access: 'read' }],
    });
    expect(second.map((issue) => `${issue.path.join('.')}:${issue.code}`)).toEqual([
      'assignedTo.fields.0:not_member_field',
      'assignedTo.fields.1:unknown_field',
      'assignedTo.fields.3:duplicate_key',
      'fieldAccess.0.field:unknown_field',
    ]);
  });
});

describe('assignedTo: who else reaches a record', () => {
  it('named members read and write; their supervisors read only', async () => {
    expect(await titles(viewer('bob'))).toEqual(['bob-own', 'erin-managed-by-bob']);
    expect(await titles(viewer('carol'))).toEqual(['erin-partner-carol']);
    // alice supervises bob and carol: every record that names either, or that either owns.
    expect(await titles(viewer('alice'))).toEqual(['bob-own', 'erin-managed-by-bob', 'erin-partner-carol']);
    expect(await titles(viewer('erin'))).toEqual(['erin-alone', 'erin-managed-by-bob', 'erin-partner-carol']);
    const managed = await getRecord(ctx, { ...ref, id: r['erin-managed-by-bob'] as string }, { viewer: viewer('bob') });
    const changed = await updateRecord(
      ctx,
      { ...ref, id: managed.id, version: managed.version, values: { note: '已联系' } },
      { viewer: viewer('bob') },
    );
    expect(changed.values.note).toBe('已联系');
    expect(
      await code(
        updateRecord(
          ctx,
          { ...ref, id: managed.id, version: changed.version, values: { note: 'x' } },
          { viewer: viewer('alice') },
        ),
      ),
    ).toBe('FORM_RECORD_NOT_FOUND');
  });

  it('only with the assigned scope; a form without assignedTo reaches nobody through it', async () => {
    expect(await titles(viewer('bob', ['own']))).toEqual(['bob-own']);
    const plain = { ...deal, key: 'plainDeal', assignedTo: undefined, fieldAccess: undefined };
    await publishForm(ctx, plain);
    await createRecord(
      ctx,
      { pack: 'crm', key: 'plainDeal', values: { title: 'x', manager: m.bob } },
      { context: { memberId: m.erin, departmentId: departments.finance, unitId } },
    );
    const list = await listRecords(ctx, { pack: 'crm', key: 'plainDeal' }, { viewer: viewer('bob') });
    expect(list.records).toEqual([]);
  });

  it('a reassignment passes the previous owner’s assignment on', async () => {
    const own = await getRecord(ctx, { ...ref, id: r['erin-alone'] as string });
    await updateRecord(ctx, { ...ref, id: own.id, version: own.version, values: { manager: m.erin } });
    const before = await getRecord(ctx, { ...ref, id: own.id });
    await reassignRecord(ctx, { ...ref, id: own.id, version: before.version, ownerId: m.carol as string });
    const after = await getRecord(ctx, { ...ref, id: own.id });
    expect(after.values.manager).toBe(m.carol);
    expect(await titles(viewer('carol'))).toEqual(['erin-alone', 'erin-partner-carol']);
    expect(await titles(viewer('erin'))).toEqual(['erin-managed-by-bob', 'erin-partner-carol']);
  });
});

describe('fieldAccess: hidden, read and edit per role', () => {
  const bob = () => viewer('bob');
  const bobOwn = () => r['bob-own'] as string;

  it('hides fields from records and lists, and refuses filters or sorts on them', async () => {
    const record = await getRecord(ctx, { ...ref, id: bobOwn() }, { viewer: bob() });
    expect(record.values).not.toHaveProperty('margin');
    expect(record.values).toMatchObject({ leaderComment: '抓紧', steps: [{ note: '初访' }] });
    const listed = (await listRecords(ctx, ref, { viewer: bob() })).records;
    expect(listed.every((item) => !('margin' in item.values))).toBe(true);
    expect(
      await code(listRecords(ctx, { ...ref, filters: [{ field: 'margin', op: 'gt', value: 1 }] }, { viewer: bob() })),
    ).toBe('FORM_QUERY_INVALID');
    expect(await code(listRecords(ctx, { ...ref, sort: [{ field: 'margin' }] }, { viewer: bob() }))).toBe(
      'FORM_QUERY_INVALID',
    );
    // The director's role reads and edits it.
    const director = await getRecord(ctx, { ...ref, id: bobOwn() }, { viewer: viewer('alice', ['all']) });
    expect(director.values.margin).toBe(500_00);
  });

  it('refuses a change to a read-only or hidden field with a coded error, and changes nothing', async () => {
    const before = await getRecord(ctx, { ...ref, id: bobOwn() });
    for (const values of [
      { note: '新备注', leaderComment: '我改的' },
      { note: '新备注', margin: 1 },
      { note: '新备注', steps: [{ note: '改写' }] },
    ]) {
      expect(
        await code(updateRecord(ctx, { ...ref, id: bobOwn(), version: before.version, values }, { viewer: bob() })),
      ).toBe('ACCESS_FIELD_NOT_WRITABLE');
    }
    const after = await getRecord(ctx, { ...ref, id: bobOwn() });
    expect(after.version).toBe(before.version);
    expect(after.values).toEqual(before.values);
    const count = (await listRecords(ctx, ref)).records.length;
    expect(
      await code(createRecord(ctx, { ...ref, values: { title: '新', leaderComment: '自批' } }, { viewer: bob() })),
    ).toBe('ACCESS_FIELD_NOT_WRITABLE');
    expect((await listRecords(ctx, ref)).records).toHaveLength(count);
  });

  it('accepts echoes: read-only values sent back unchanged, blanks for what the member cannot see', async () => {
    const before = await getRecord(ctx, { ...ref, id: bobOwn() }, { viewer: bob() });
    const saved = await updateRecord(
      ctx,
      {
        ...ref,
        id: bobOwn(),
        version: before.version,
        values: { ...before.values, note: '回显也可以', margin: null },
      },
      { viewer: bob() },
    );
    expect(saved.values.note).toBe('回显也可以');
    const stored = await getRecord(ctx, { ...ref, id: bobOwn() });
    expect(stored.values).toMatchObject({ margin: 500_00, leaderComment: '抓紧', steps: [{ note: '初访' }] });
    // A blank for a read-only field that has a value is a change, and refused.
    expect(
      await code(
        updateRecord(
          ctx,
          { ...ref, id: bobOwn(), version: saved.version, values: { leaderComment: null } },
          { viewer: bob() },
        ),
      ),
    ).toBe('ACCESS_FIELD_NOT_WRITABLE');
    const created = await createRecord(
      ctx,
      { ...ref, values: { title: '带空值', leaderComment: null, margin: null, steps: [] } },
      { viewer: bob() },
    );
    expect(created.values).not.toHaveProperty('margin');
  });

  it('the role that may edit, edits', async () => {
    const current = await getRecord(ctx, { ...ref, id: bobOwn() });
    const edited = await updateRecord(
      ctx,
      { ...ref, id: bobOwn(), version: current.version, values: { leaderComment: '批准', margin: 600_00 } },
      { viewer: viewer('alice', ['all']) },
    );
    expect(edited.values).toMatchObject({ leaderComment: '批准', margin: 600_00 });
  });

  it('a flow node’s rules narrow the form’s, never widen them', async () => {
    const node: Viewer = {
      ...bob(),
      fieldRules: [
        { field: 'margin', access: 'edit' },
        { field: 'note', access: 'read' },
      ],
      defaultAccess: 'edit',
    };
    const record = await getRecord(ctx, { ...ref, id: bobOwn() }, { viewer: node });
    expect(record.values).not.toHaveProperty('margin');
    expect(
      await code(
        updateRecord(ctx, { ...ref, id: bobOwn(), version: record.version, values: { note: 'x' } }, { viewer: node }),
      ),
    ).toBe('ACCESS_FIELD_NOT_WRITABLE');
  });

  it('leaves hidden fields out of exports as columns', async () => {
    const refs: SheetRefs = { names: async () => new Map(), find: async () => [] };
    const hidden = await exportRecords(ctx, ref, { refs, viewer: bob() });
    expect(hidden.columns.map((column) => column.key)).not.toContain('margin');
    const shown = await exportRecords(ctx, ref, { refs, viewer: viewer('alice', ['all']) });
    expect(shown.columns.map((column) => column.key)).toContain('margin');
  });
});
