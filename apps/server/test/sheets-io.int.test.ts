import { accessMigrations, grantPermissions, queryAudit, setPassword } from '@baton/access';
import { formMigrations, listRecords, publishForm } from '@baton/form';
import {
  assignRole,
  createDepartment,
  createLevel,
  createMember,
  createPost,
  createRole,
  createUnit,
  findMemberByLogin,
  listMembers,
  orgMigrations,
} from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, orgImportRoutes, recordsIoRoutes } from '../src/index.ts';
import { PASSWORD, postParts, serverWith } from './fixtures.ts';
import { type Signed, signInAll } from './helpers.ts';

// Import and export over HTTP with a real sign-in (session cookie + CSRF), on SQLite or PostgreSQL.

let database: TestDatabase;
let app: BatonServer;
let admin: Signed;
let clerk: Signed;

const l = (zh: string, en: string) => ({ zh, en });

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations, formMigrations] });
  const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
  const hq = await createUnit(ctx, { code: 'HQ', name: '总部', kind: 'headquarters' });
  const top = await createDepartment(ctx, { unitId: hq.id, name: '总部', code: '10-00001' });
  await createDepartment(ctx, { unitId: hq.id, parentId: top.id, name: '行政部', code: '20-00001' });
  await createPost(ctx, { code: 'CLERK', name: '文员' });
  await createLevel(ctx, { code: 'STAFF', name: '专员', rank: 60 });
  await createRole(ctx, { code: 'dataAdmin', name: '数据管理员', kind: 'business' });
  await grantPermissions(ctx, {
    role: 'dataAdmin',
    permissions: ['org.read', 'org.write', 'form.record.import', 'form.record.export'],
  });
  const people = [
    { code: 'E001', name: '管理员', login: 'admin', phone: '+86 138-0000-0001' },
    { code: 'E002', name: '文员甲', login: 'clerk', phone: null },
  ];
  for (const person of people) {
    const member = await createMember(ctx, { ...person, mainDepartmentId: top.id });
    await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
    if (person.login === 'admin') await assignRole(ctx, { role: 'dataAdmin', memberId: member.id });
  }
  await publishForm(ctx, {
    pack: 'io',
    key: 'vendor',
    kind: 'archive',
    label: l('供应商', 'Vendors'),
    fields: [
      { key: 'code', label: l('编码', 'Code'), type: 'text', required: true },
      { key: 'name', label: l('名称', 'Name'), type: 'text', required: true },
      { key: 'quota', label: l('额度', 'Quota'), type: 'money' },
      { key: 'since', label: l('日期', 'Since'), type: 'date' },
      {
        key: 'grade',
        label: l('等级', 'Grade'),
        type: 'select',
        options: [
          { code: 'a', label: l('优选', 'Preferred') },
          { code: 'b', label: l('合格', 'Qualified') },
        ],
      },
      { key: 'buyer', label: l('采购员', 'Buyer'), type: 'member' },
      { key: 'note', label: l('备注', 'Note'), type: 'text' },
    ],
    keys: [['code']],
  });
  app = await serverWith(database.db, [
    ...orgImportRoutes({ db: database.db }),
    // Six exports an hour: the tests below use four, the last one runs into the limit.
    recordsIoRoutes({ db: database.db, exportQuota: { limit: 6, windowMs: 3_600_000 } }),
  ]);
  const signed = await signInAll(app, ['admin', 'clerk'], PASSWORD);
  admin = signed.admin as Signed;
  clerk = signed.clerk as Signed;
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

type Upload = { filename: string; content: Buffer | string };

const upload = (url: string, files: Upload[], as: Signed = admin) =>
  postParts(
    app,
    as,
    url,
    files.map(({ filename, content }) => ({ name: 'file', filename, content: Buffer.from(content) })),
    'zh-CN',
  );

async function download(url: string, as: Signed = admin) {
  return app.inject({ method: 'GET', url, headers: { cookie: as.cookie, 'accept-language': 'zh-CN' } });
}

async function readXlsx(data: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  return workbook;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('org import and export over HTTP', () => {
  it('exports .xlsx with both sheets, Chinese headers and neutralised cells, as a download', async () => {
    const res = await download('/api/org/export?format=xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="org-\d{4}-\d{2}-\d{2}\.xlsx"/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const workbook = await readXlsx(res.rawPayload);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['部门', '人员']);
    const members = workbook.getWorksheet('人员');
    expect(members?.getRow(1).values).toEqual(expect.arrayContaining(['工号', '姓名', '登录名', '主部门编码']));
    const adminRow = members?.getRow(2);
    expect(adminRow?.getCell(5).value).toBe("'+86 138-0000-0001");
  });

  it('exports .csv as UTF-8 with a BOM, one sheet per file, neutralised', async () => {
    const res = await download('/api/org/export?format=csv&sheet=members');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.rawPayload.subarray(0, 3).equals(BOM)).toBe(true);
    const text = res.rawPayload.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '工号,姓名,登录名,电子邮箱,手机,单位编码,主部门编码,岗位编码,职务级别编码,上级登录名,状态',
    );
    expect(text).toContain("E001,管理员,admin,,'+86 138-0000-0001,HQ,10-00001");
  });

  it('round-trips: the exported workbook imports with no change', async () => {
    const exported = await download('/api/org/export?format=xlsx');
    const res = await upload('/api/org/import?dryRun=false', [{ filename: 'org.xlsx', content: exported.rawPayload }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, dryRun: false, applied: { created: 0, updated: 4 }, errors: [] });
    const again = await download('/api/org/export?format=xlsx');
    const before = await readXlsx(exported.rawPayload);
    const after = await readXlsx(again.rawPayload);
    for (const name of ['部门', '人员']) {
      const rows = (w: ExcelJS.Workbook) =>
        w
          .getWorksheet(name)
          ?.getSheetValues()
          .map((r) => JSON.stringify(r));
      expect(rows(after)).toEqual(rows(before));
    }
  });

  it('dry-runs a CSV with many errors: every (row, column) reported, nothing changed', async () => {
    const csv = [
      'Member code,Name,Login,E-mail,Main department code,Post code,Level code,Supervisor login',
      'N001,新人,new1,bad-mail,99-99999,NOPE,STAFF,ghost',
      'N002,,new1,,20-00001,CLERK,,',
      'E001,重复,clerk,,20-00001,,,',
    ].join('\r\n');
    const res = await upload('/api/org/import?dryRun=true', [{ filename: 'members.csv', content: csv }]);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.ok).toBe(false);
    expect(
      report.errors.map((e: { row: number; column: string; code: string }) => `${e.row}:${e.column}:${e.code}`),
    ).toEqual(
      expect.arrayContaining([
        '2:E-mail:invalid',
        '2:Main department code:unknown_department',
        '2:Post code:unknown_post',
        '3:Name:required',
        '3:Login:duplicate',
        '4:Login:taken',
      ]),
    );
    expect((await listMembers(testCtx(database.db), {})).length).toBe(2);
  });

  it('applies a GB18030 CSV (what Excel in China saves) and audits it', async () => {
    const name = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]); // 张三 in GB18030
    const content = Buffer.concat([
      Buffer.from('Member code,Name,Login,Main department code,Post code,Level code\r\nN100,'),
      name,
      Buffer.from(',zhangsan,20-00001,CLERK,STAFF\r\n'),
    ]);
    const res = await upload('/api/org/import?dryRun=false', [{ filename: 'members.csv', content }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, applied: { created: 1, updated: 0 } });
    expect(await findMemberByLogin(testCtx(database.db), { login: 'zhangsan' })).toMatchObject({ name: '张三' });
    const audit = await queryAudit(testCtx(database.db), { action: 'org.import.apply' });
    expect(audit.items?.length ?? (audit as unknown as unknown[]).length).toBeGreaterThan(0);
  });

  it('refuses malformed files with a coded 400, never a 500', async () => {
    const broken = await upload('/api/org/import', [
      { filename: 'org.xlsx', content: Buffer.from('PK\u0003\u0004garbage') },
    ]);
    expect(broken.statusCode, broken.body).toBe(400);
    expect(broken.json().code).toBe('SHEET_MALFORMED');
    const notZip = await upload('/api/org/import', [{ filename: 'org.xlsx', content: 'hello' }]);
    expect(notZip.json().code).toBe('SHEET_MALFORMED');
    const old = await upload('/api/org/import', [{ filename: 'org.xls', content: 'x' }]);
    expect(old.json().code).toBe('SHEET_FORMAT_UNSUPPORTED');
    const unclosed = await upload('/api/org/import', [{ filename: 'm.csv', content: '工号,姓名\r\n"E9,未闭合\r\n' }]);
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.json().code).toBe('SHEET_MALFORMED');
    const json = await app.inject({
      method: 'POST',
      url: '/api/org/import',
      payload: { rows: [] },
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
  });

  it('declares a policy on every route and documents them in OpenAPI', async () => {
    const routes = app.listRoutes().filter((r) => /\/(import|export)$/.test(r.url));
    expect(routes.map((r) => `${r.method} ${r.url} ${r.policy}`)).toEqual(
      expect.arrayContaining([
        'POST /api/org/import org.write',
        'GET /api/org/export org.read',
        'POST /api/forms/:pack/:key/records/import form.record.import',
        'GET /api/forms/:pack/:key/records/export form.record.export',
        'POST /api/forms/:pack/:key/records/export form.record.export',
      ]),
    );
    const spec = (await app.inject('/api/docs/openapi.json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/org/import', '/api/org/export', '/api/forms/{pack}/{key}/records/import']),
    );
  });

  it('needs org.write to import and org.read to export', async () => {
    const res = await upload('/api/org/import', [{ filename: 'm.csv', content: 'a\r\n1' }], clerk);
    expect(res.statusCode).toBe(403);
    expect((await download('/api/org/export', clerk)).statusCode).toBe(403);
  });
});

describe('archive records import and export over HTTP', () => {
  const base = '/api/forms/io/vendor/records';

  it('imports a CSV (dry run first), converting labels, yuan and names', async () => {
    const csv = [
      '编码,名称,额度,日期,等级,采购员,备注',
      'V1,甲供应商,"1,200.50",2024/5/6,优选,admin,=HYPERLINK("x")',
      'V2,乙,3,,合格,,@sum',
    ].join('\r\n');
    const dry = await upload(`${base}/import?dryRun=true`, [{ filename: 'v.csv', content: csv }]);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ ok: true, dryRun: true, applied: { created: 2 } });
    const ctx = testCtx(database.db);
    expect((await listRecords(ctx, { pack: 'io', key: 'vendor' })).records).toEqual([]);
    const res = await upload(`${base}/import?dryRun=false`, [{ filename: 'v.csv', content: csv }]);
    expect(res.json()).toMatchObject({ ok: true, applied: { created: 2 } });
    const records = (await listRecords(ctx, { pack: 'io', key: 'vendor', sort: [{ field: 'code' }] })).records;
    const adminId = (await findMemberByLogin(ctx, { login: 'admin' }))?.id;
    expect(records[0]?.values).toMatchObject({ quota: 120050, since: '2024-05-06', grade: 'a', buyer: adminId });
  });

  it('reports bad cells by row and column', async () => {
    const csv = ['编码,名称,额度,等级,采购员', 'V3,丙,12.345,钻石,nobody', 'V4,,,,'].join('\r\n');
    const res = await upload(`${base}/import?dryRun=false`, [{ filename: 'v.csv', content: csv }]);
    const codes = res
      .json()
      .errors.map((e: { row: number; column: string; code: string }) => `${e.row}:${e.column}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining(['2:额度:not_money', '2:等级:not_option', '2:采购员:unknown_member', '3:名称:required']),
    );
    expect((await listRecords(testCtx(database.db), { pack: 'io', key: 'vendor' })).records).toHaveLength(2);
  });

  it('exports CSV with a BOM and neutralised formulas, and .xlsx that imports back unchanged', async () => {
    const csv = await download(`${base}/export?format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="io-vendor-/);
    // Counted before the stream starts, for the client's progress bar.
    expect(csv.headers['x-total-count']).toBe('2');
    expect(csv.rawPayload.subarray(0, 3).equals(BOM)).toBe(true);
    const text = csv.rawPayload.subarray(3).toString('utf8');
    expect(text).toContain('编码,名称,额度,日期,等级,采购员,备注');
    expect(text).toContain(`V1,甲供应商,1200.50,2024-05-06,优选,管理员,"'=HYPERLINK(""x"")"`);
    expect(text).toContain("V2,乙,3.00,,合格,,'@sum");

    const xlsx = await download(`${base}/export?format=xlsx`);
    expect(xlsx.headers['x-total-count']).toBe('2');
    const sheet = (await readXlsx(xlsx.rawPayload)).worksheets[0];
    expect(sheet?.getRow(2).getCell(3).value).toBe(1200.5);
    expect(sheet?.getRow(2).getCell(7).value).toBe('\'=HYPERLINK("x")');

    const before = (await listRecords(testCtx(database.db), { pack: 'io', key: 'vendor', sort: [{ field: 'code' }] }))
      .records;
    const res = await upload(`${base}/import?dryRun=false`, [{ filename: 'v.xlsx', content: xlsx.rawPayload }]);
    expect(res.json()).toMatchObject({ ok: true, applied: { created: 0, updated: 2 } });
    const after = (await listRecords(testCtx(database.db), { pack: 'io', key: 'vendor', sort: [{ field: 'code' }] }))
      .records;
    expect(after.map((r) => r.values)).toEqual(before.map((r) => r.values));
  });

  it('filters an export through POST like listRecords, and refuses callers without the permission', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${base}/export?format=csv`,
      payload: { filters: [{ field: 'grade', op: 'eq', value: 'b' }] },
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'accept-language': 'en-US' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-total-count']).toBe('1');
    const lines = res.rawPayload.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^V2,乙,3\.00,,/);
    const bad = await app.inject({
      method: 'POST',
      url: `${base}/export`,
      payload: { filters: [{ field: 'nope', op: 'eq', value: 1 }] },
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('FORM_QUERY_INVALID');
    expect((await download(`${base}/export`, clerk)).statusCode).toBe(403);
    expect((await upload(`${base}/import`, [{ filename: 'v.csv', content: 'a\r\n1' }], clerk)).statusCode).toBe(403);
  });

  it('limits exports per member and hour with a coded 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await download(`${base}/export?format=csv`)).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await download(`${base}/export?format=csv`);
    expect(refused.json()).toMatchObject({ code: 'ACCESS_QUOTA_EXCEEDED', status: 429 });
    expect(refused.json().detail ?? refused.json().title).toMatch(/操作过于频繁/);
  });
});
