import {
  createLevel,
  createPost,
  createUnit,
  exportOrg,
  findMemberByLogin,
  type ImportRow,
  importOrg,
  listChanges,
  listDepartments,
  orgSheets,
} from '@baton/org';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture, type OrgTest, openOrgDatabase } from './org-fixture.ts';

let env: OrgTest;
let fx: Fixture;

beforeAll(async () => {
  env = await openOrgDatabase();
  fx = await buildFixture(env.ctx);
});
afterAll(async () => {
  await env?.database.cleanup();
});

/** Rows as a reader hands them over: header text → cell, numbered from 2 (the header is row 1). */
function rows(headers: string[], data: Array<Array<string | number>>): ImportRow[] {
  return data.map((cells, index) => ({
    row: index + 2,
    cells: Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? ''])),
  }));
}

const deptHeaders = ['单位编码', '部门编码', '部门名称', '上级部门编码', '排序', '部门负责人登录名'];
const memberHeaders = [
  '工号',
  '姓名',
  '登录名',
  '电子邮箱',
  '手机',
  '单位编码',
  '主部门编码',
  '岗位编码',
  '职务级别编码',
  '上级登录名',
  '状态',
];

async function snapshot() {
  return JSON.stringify(await exportOrg(env.ctx, { includeLeft: true }));
}

describe('importOrg', () => {
  it('reports every bad row and column of a file and changes nothing (dry run and real)', async () => {
    const before = await snapshot();
    const changes = (await listChanges(env.ctx, { limit: 10_000 })).length;
    const input = {
      departments: rows(deptHeaders, [
        ['HQ', '50-00001', '市场部', '10-00001', 10, ''], // fine
        ['XX', '50-00002', '无单位部', '', '', ''], // unknown unit
        ['HQ', '50-00001', '重复', '', '', ''], // duplicate code in the file
        ['HQ', '', '', '', 'abc', ''], // missing code and name, bad sort
        ['HQ', '50-00003', '孤儿', '99-99999', '', ''], // unknown parent
        ['HQ', '20-00001', '技术中心', '40-00001', '', ''], // cycle: under its own grandchild
        ['HQ', '50-00004', '新部门', '', '', 'nobody'], // unknown head
      ]),
      members: rows(memberHeaders, [
        ['N001', '新人一', 'new1', 'new1@example.com', '13800000001', 'HQ', '50-00001', 'DEV', 'STAFF', 'cto', ''], // fine
        ['N002', '新人二', 'new1', 'not-an-email', '', '', '30-00001', 'NOPE', 'NOLEVEL', '', ''], // dup login, email, post, level
        ['N003', '新人三', 'new3', '', 'phone?!', '', '10-00001', '', '', '', ''], // phone; code in two units
        ['E001', '改名', 'cto', '', '', 'HQ', '10-00001', '', '', '', ''], // code of ceo, login of cto
        ['N005', '', 'New5', '', '', 'HQ', '77-00000', '', '', 'ghost', '离职'], // name missing, unknown dept, sup, left
        ['N006', '新人六', 'new6', '', '', 'CD', '10-00001', 'DEV', '', 'new6', '在职'], // supervisor is self
      ]),
    };
    for (const dryRun of [true, false]) {
      const report = await importOrg(env.ctx, input, { dryRun });
      expect(report.ok).toBe(false);
      const found = report.errors.map((e) => `${e.sheet}:${e.row}:${e.column}:${e.code}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'departments:3:单位编码:unknown_unit',
          'departments:4:部门编码:duplicate',
          'departments:5:部门编码:required',
          'departments:5:部门名称:required',
          'departments:5:排序:invalid',
          'departments:6:上级部门编码:unknown_department',
          'departments:7:上级部门编码:cycle',
          'departments:8:部门负责人登录名:unknown_member',
          'members:3:登录名:duplicate',
          'members:3:电子邮箱:invalid',
          'members:3:岗位编码:unknown_post',
          'members:3:职务级别编码:unknown_level',
          'members:4:手机:invalid',
          'members:4:主部门编码:ambiguous_department',
          'members:5:登录名:taken',
          'members:6:姓名:required',
          'members:6:主部门编码:unknown_department',
          'members:6:状态:status_new_left',
          'members:7:上级登录名:supervisor_invalid',
        ]),
      );
      expect(report.errors.every((e) => e.message.zh && e.message.en)).toBe(true);
      expect(found.some((f) => f.startsWith('departments:2:') || f.startsWith('members:2:'))).toBe(false);
    }
    expect(await snapshot()).toBe(before);
    expect((await listChanges(env.ctx, { limit: 10_000 })).length).toBe(changes);
  });

  it('reports unknown columns and accepts English headers', async () => {
    const report = await importOrg(
      env.ctx,
      {
        departments: rows(['Unit code', 'Department code', 'Department name', 'Colour'], [['HQ', '60-1', 'X', 'red']]),
      },
      { dryRun: true },
    );
    expect(report.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual(['1:Colour:unknown_column']);
  });

  it('applies a valid file in one batch: creates, updates, moves and heads', async () => {
    const report = await importOrg(env.ctx, {
      departments: rows(deptHeaders, [
        ['HQ', '50-00010', '市场中心', '10-00001', '', 'mkt1'],
        ['HQ', '50-00011', '品牌部', '50-00010', 5, ''],
        ['HQ', '40-00001', '支付平台组', '30-00002', '', 'dev1'], // renamed and moved under 运维部
      ]),
      members: rows(memberHeaders, [
        ['M001', '马市场', 'mkt1', 'mkt1@example.com', '', 'HQ', '50-00010', '', 'MGR', '', ''],
        ['M002', '牛品牌', 'brand1', '', '+86 138-0000-0002', '', '50-00011', '', 'STAFF', 'mkt1', ''],
        ['E004', '赵一一', 'dev1', 'dev1@example.com', '', 'HQ', '30-00002', 'OPS', 'STAFF', '', '在职'],
      ]),
    });
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ ok: true, applied: { created: 4, updated: 2 } });
    const departments = await listDepartments(env.ctx, { unitId: fx.units.hq.id });
    const market = departments.find((d) => d.code === '50-00010');
    const brand = departments.find((d) => d.code === '50-00011');
    const pay = departments.find((d) => d.code === '40-00001');
    const mkt1 = await findMemberByLogin(env.ctx, { login: 'mkt1' });
    const brand1 = await findMemberByLogin(env.ctx, { login: 'brand1' });
    const dev1 = await findMemberByLogin(env.ctx, { login: 'dev1' });
    expect(market).toMatchObject({ parentId: fx.departments.A.id, headMemberId: mkt1?.id });
    expect(brand).toMatchObject({ parentId: market?.id, sort: 5 });
    expect(pay).toMatchObject({ name: '支付平台组', parentId: fx.departments.D.id, headMemberId: dev1?.id });
    expect(brand1).toMatchObject({ supervisorId: mkt1?.id, mainDepartmentId: brand?.id, phone: '+86 138-0000-0002' });
    expect(dev1).toMatchObject({
      name: '赵一一',
      email: 'dev1@example.com',
      mainDepartmentId: fx.departments.D.id,
      postId: fx.posts.opsPost.id,
    });
    const changes = await listChanges(env.ctx, { operation: 'importOrg' });
    expect(new Set(changes.map((c) => c.batchId)).size).toBe(1);
    expect(changes.map((c) => c.action)).toEqual(expect.arrayContaining(['create', 'update', 'move', 'setHead']));
  });

  it('round-trips: export → import changes nothing, and rebuilds the org in an empty database', async () => {
    const exported = await exportOrg(env.ctx);
    const asRows = (sheet: 'departments' | 'members') => {
      const columns = orgSheets[sheet].columns;
      return exported[sheet].map((row, index) => ({
        row: index + 2,
        cells: Object.fromEntries(columns.map((c) => [c.zh, row[c.key] ?? ''])),
      }));
    };
    const input = { departments: asRows('departments'), members: asRows('members') };
    const changes = (await listChanges(env.ctx, { limit: 10_000 })).length;
    const again = await importOrg(env.ctx, input);
    expect(again.errors).toEqual([]);
    expect(again.applied.created).toBe(0);
    // Only the revision-free no-op updates: nothing was logged.
    expect((await listChanges(env.ctx, { limit: 10_000 })).length).toBe(changes);
    expect(await exportOrg(env.ctx)).toEqual(exported);

    const other = await openOrgDatabase();
    try {
      await createUnit(other.ctx, { code: 'HQ', name: '总部', kind: 'headquarters' });
      await createUnit(other.ctx, { code: 'CD', name: '成都分公司' });
      for (const level of ['VP', 'DIR', 'MGR', 'STAFF']) {
        await createLevel(other.ctx, { code: level, name: level, rank: 10 });
      }
      for (const post of ['DEV', 'OPS', 'ACC']) await createPost(other.ctx, { code: post, name: post });
      const cd = (await exportOrg(env.ctx)).members.find((m) => m.postCode === 'CD-GM');
      expect(cd).toBeDefined();
      const units = await other.ctx.db.selectFrom('baton_org_unit').selectAll().where('code', '=', 'CD').execute();
      await createPost(other.ctx, { code: 'CD-GM', name: '分公司总经理', unitId: units[0]?.id });
      const report = await importOrg(other.ctx, input);
      expect(report.errors).toEqual([]);
      expect(report.applied.updated).toBe(0);
      expect(await exportOrg(other.ctx)).toEqual(exported);
    } finally {
      await other.database.cleanup();
    }
  });
});
