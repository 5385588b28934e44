import { accessMigrations } from '@baton/access';
import { createFakeClock, isBatonError } from '@baton/core';
import {
  countRecords,
  createRecord,
  formMigrations,
  getRecord,
  listRecords,
  publishForm,
  updateRecord,
} from '@baton/form';
import { createDepartment, createMember, createUnit, orgMigrations, setHead } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerArchive } from './fixtures.ts';

const ca = { pack: 'customerArchive', key: 'customerArchive' };
let database: TestDatabase;
let ctx: ReturnType<typeof testCtx>;
const m: Record<string, string> = {};
const d: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations, formMigrations] });
  ctx = testCtx(database.db, { clock: createFakeClock('2026-11-28T01:00:00.000Z') });
  const unit = await createUnit(ctx, { code: 'U1', name: '总部', kind: 'headquarters' });
  const sales = await createDepartment(ctx, { unitId: unit.id, parentId: null, code: 'D1', name: '销售部' });
  const east = await createDepartment(ctx, { unitId: unit.id, parentId: sales.id, code: 'D11', name: '华东销售' });
  const finance = await createDepartment(ctx, { unitId: unit.id, parentId: null, code: 'D2', name: '财务部' });
  Object.assign(d, { sales: sales.id, east: east.id, finance: finance.id, unit: unit.id });
  let n = 0;
  for (const [login, department] of [
    ['alice', sales],
    ['bob', east],
    ['erin', finance],
  ] as const) {
    const member = await createMember(ctx, { code: `M${++n}`, name: login, login, mainDepartmentId: department.id });
    m[login] = member.id;
  }
  await setHead(ctx, { departmentId: sales.id, memberId: m.alice as string });
  await publishForm(ctx, customerArchive);
  for (const [name, owner, department] of [
    ['东方公司', 'bob', east.id],
    ['销售部客户', 'alice', sales.id],
    ['财务客户', 'erin', finance.id],
  ] as const) {
    const record = await createRecord(
      ctx,
      { ...ca, values: { companyName: name, leaderComment: '重点客户' } },
      { context: { memberId: m[owner], departmentId: department, unitId: unit.id } },
    );
    ids[owner] = record.id;
  }
});
afterAll(async () => {
  await database?.cleanup();
});

const names = async (memberId: string, scopes: ('own' | 'managedDepartments' | 'all')[]) =>
  (
    await listRecords(ctx, { ...ca, sort: [{ field: 'companyName', dir: 'asc' }] }, { viewer: { memberId, scopes } })
  ).records
    .map((r) => r.values.companyName)
    .sort();

describe('record scopes and field access', () => {
  it('compiles record scopes into the SQL of lists and gets', async () => {
    expect(await names(m.bob as string, ['own'])).toEqual(['东方公司']);
    expect(await names(m.alice as string, ['managedDepartments'])).toEqual(['东方公司', '销售部客户'].sort());
    expect(await names(m.erin as string, ['all'])).toHaveLength(3);
    // Counting a list (what an export sends ahead as its total) applies the same scopes and filters.
    const count = (memberId: string, scopes: ('own' | 'managedDepartments' | 'all')[], filters = [] as never[]) =>
      countRecords(ctx, { ...ca, filters, sort: [{ field: 'companyName' }] }, { viewer: { memberId, scopes } });
    expect(await count(m.bob as string, ['own'])).toBe(1);
    expect(await count(m.alice as string, ['managedDepartments'])).toBe(2);
    expect(await count(m.erin as string, ['all'])).toBe(3);
    const filter = [{ field: 'companyName', op: 'eq', value: '东方公司' }] as never[];
    expect(await count(m.erin as string, ['all'], filter)).toBe(1);
    await expect(
      count(m.erin as string, ['all'], [{ field: 'nope', op: 'eq', value: 1 }] as never[]),
    ).rejects.toMatchObject({ code: 'FORM_QUERY_INVALID' });
    const viewer = { memberId: m.bob as string, scopes: ['own' as const] };
    expect((await getRecord(ctx, { ...ca, id: ids.bob as string }, { viewer })).values.companyName).toBe('东方公司');
    let error: unknown;
    try {
      await getRecord(ctx, { ...ca, id: ids.erin as string }, { viewer });
    } catch (caught) {
      error = caught;
    }
    expect(isBatonError(error) && error.code).toBe('FORM_RECORD_NOT_FOUND');
  });

  it('says whether a writer may change the record it reads, by the write scopes updateRecord applies', async () => {
    const id = ids.bob as string;
    const read = (memberId: string, write: ('own' | 'managedDepartments' | 'all')[]) =>
      getRecord(ctx, { ...ca, id }, { viewer: { memberId, scopes: ['all'] }, writer: { memberId, scopes: write } });
    // Without a writer nothing is claimed.
    expect(
      (await getRecord(ctx, { ...ca, id }, { viewer: { memberId: m.erin as string, scopes: ['all'] } })).writable,
    ).toBeUndefined();
    expect((await read(m.bob as string, ['own'])).writable).toBe(true);
    expect((await read(m.alice as string, ['managedDepartments'])).writable).toBe(true);
    // Erin reads every record but may change only her own: the update is refused as not found.
    const erin = await read(m.erin as string, ['own']);
    expect(erin.writable).toBe(false);
    await expect(
      updateRecord(
        ctx,
        { ...ca, id, version: erin.version, values: { companyName: '改名' } },
        { viewer: { memberId: m.erin as string, scopes: ['own'] } },
      ),
    ).rejects.toMatchObject({ code: 'FORM_RECORD_NOT_FOUND' });
  });

  it('hides unreadable fields and refuses writes to fields that are not editable', async () => {
    const viewer = {
      memberId: m.bob as string,
      scopes: ['own' as const],
      defaultAccess: 'edit' as const,
      fieldRules: [
        { field: 'leaderComment', access: 'hidden' as const },
        { field: 'companyName', access: 'read' as const },
      ],
    };
    const record = await getRecord(ctx, { ...ca, id: ids.bob as string }, { viewer });
    expect(record.values).not.toHaveProperty('leaderComment');
    expect(record.values.agencyName).toBe(null);
    let error: unknown;
    try {
      await updateRecord(
        ctx,
        { ...ca, id: ids.bob as string, version: 1, values: { companyName: '改名', leaderComment: 'x' } },
        { viewer },
      );
    } catch (caught) {
      error = caught;
    }
    expect(isBatonError(error) && error.code).toBe('ACCESS_FIELD_NOT_WRITABLE');
    expect(isBatonError(error) && error.fields.map((f) => f.path.join('.'))).toEqual(['companyName', 'leaderComment']);
    const updated = await updateRecord(
      ctx,
      { ...ca, id: ids.bob as string, version: 1, values: { agencyName: '代理' } },
      { viewer },
    );
    expect(updated.values).toMatchObject({ agencyName: '代理', companyName: '东方公司' });
    expect(updated.values).not.toHaveProperty('leaderComment');
  });
});
