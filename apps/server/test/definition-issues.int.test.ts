import { publishForm } from '@baton/form';
import { PACK_FORMAT, packPlatformMigrations } from '@baton/pack';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatonServer,
  flowsRoutes,
  formsRoutes,
  PackPermissions,
  packsRoutes,
  ReportPermissions,
  RulePermissions,
  reportsRoutes,
  rulesRoutes,
} from '../src/index.ts';
import { PASSWORD, postParts, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// The designers show definition issues as the server words them: in the caller's language (Accept-Language, or
// the member's saved one), zh-CN first, for a refused publish (problem+json fields) and for the check routes of
// forms, flows, rules, reports and pack files alike.

const l = (zh: string, en: string) => ({ zh, en });
type Lang = 'zh-CN' | 'en-US';
type Issue = { path: string | (string | number)[]; code: string; message: string };

let database: TestDatabase;
let app: BatonServer;
let who: Signed;

const customer = {
  pack: 'shop',
  key: 'customer',
  kind: 'archive' as const,
  label: l('客户', 'Customer'),
  fields: [
    { key: 'name', label: l('名称', 'Name'), type: 'text' },
    { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
  ],
};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  const ctx = seedCtx(database.db);
  const dept = await seedDepartment(ctx, { name: '信息部', code: 'IT' });
  await publishForm(ctx, customer);
  await seedRoles(ctx, {
    designer: ['form.design', 'flow.design', RulePermissions.design, ReportPermissions.design, PackPermissions.install],
  });
  await seedMembers(ctx, [['designer', dept.id, 'designer']]);
  app = await serverWith(database.db, [
    formsRoutes({ db: database.db }),
    ...flowsRoutes({ db: database.db }),
    rulesRoutes({ db: database.db }),
    reportsRoutes({ db: database.db }),
    packsRoutes({ db: database.db }),
  ]);
  who = (await signInAll(app, ['designer'], PASSWORD)).designer as Signed;
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const post = (lang: Lang, url: string, payload: object) => requestAs(app, who, 'POST', url, payload, lang);

/** path → message of every issue. */
const byPath = (issues: Issue[]) =>
  Object.fromEntries(issues.map((i) => [Array.isArray(i.path) ? i.path.join('.') : i.path, i.message]));

const uploadPack = (lang: Lang, document: object) =>
  postParts(
    app,
    who,
    '/api/packs/preview',
    [{ name: 'file', filename: 'bad.json', content: Buffer.from(JSON.stringify(document)), type: 'application/json' }],
    lang,
  );

describe('definition issues in the caller’s language', () => {
  it('a refused form publish words every field issue in zh-CN, or en-US when asked', async () => {
    const broken = {
      ...customer,
      key: 'broken',
      fields: [
        { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
        { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
        { key: 'total', label: l('合计', 'Total'), type: 'formula', expr: 'nothing * 2', resultType: 'money' },
        { key: 'note', label: l('备注', 'Note'), type: 'text', maxLength: 99_999 },
      ],
    };
    const zh = await post('zh-CN', '/api/forms', broken);
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toMatchObject({ code: 'FORM_DEFINITION_INVALID', detail: '表单定义有误：3 处问题' });
    expect(byPath(zh.json().fields)).toEqual({
      'fields.1.key': '「amount」重复了',
      'fields.2.expr': '未知字段 nothing',
      'fields.3.maxLength': '设置有误：数值不能大于 2000',
    });
    const en = await post('en-US', '/api/forms', broken);
    expect(byPath(en.json().fields)).toEqual({
      'fields.1.key': '"amount" is used twice',
      'fields.2.expr': 'Unknown field nothing',
      'fields.3.maxLength': 'Invalid setting: The value must be at most 2000',
    });
    const shape = await post('zh-CN', '/api/forms', { ...customer, key: 'shapeless', label: { zh: '无' } });
    expect(byPath(shape.json().fields)).toEqual({ 'label.en': '缺少此项' });
  });

  it('the flow designer’s check words graph, form and condition issues', async () => {
    const flow = {
      pack: 'shop',
      key: 'review',
      name: l('审核', 'Review'),
      form: { pack: 'shop', key: 'customer' },
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'end' },
        { from: 'start', to: 'nowhere' },
      ],
    };
    const zh = await post('zh-CN', '/api/flows/validate', flow);
    expect(zh.statusCode, zh.body).toBe(200);
    expect(byPath(zh.json().issues)).toMatchObject({
      form: '该表单不是流程表单',
      'edges.1.to': '没有节点「nowhere」',
    });
    const unpublished = await post('en-US', '/api/flows/validate', { ...flow, form: { pack: 'shop', key: 'ghost' } });
    expect(byPath(unpublished.json().issues)).toMatchObject({ form: 'No published form shop.ghost' });
    const unpublishedZh = await post('zh-CN', '/api/flows/validate', { ...flow, form: { pack: 'shop', key: 'ghost' } });
    expect(byPath(unpublishedZh.json().issues)).toMatchObject({ form: '表单 shop.ghost 尚未发布' });
  });

  it('the rule and report designers’ checks word their issues', async () => {
    const rule = {
      pack: 'shop',
      key: 'copy',
      name: l('复制', 'Copy'),
      on: { form: 'shop.customer', events: ['created'] },
      actions: [{ kind: 'teleport' }, { kind: 'writeBack', form: 'shop.customer', set: { ghost: 'name' } }],
    };
    const ruleZh = await post('zh-CN', '/api/rules/validate', rule);
    expect(ruleZh.statusCode, ruleZh.body).toBe(200);
    expect(byPath(ruleZh.json().issues)).toEqual({
      'actions.0.kind': '未知的操作类型「teleport」',
      'actions.1.set.ghost': 'shop.customer 没有字段「ghost」',
    });
    const ruleEn = await post('en-US', '/api/rules/validate', rule);
    expect(byPath(ruleEn.json().issues)).toMatchObject({ 'actions.0.kind': 'Unknown action kind "teleport"' });

    const report = {
      pack: 'shop',
      key: 'byName',
      label: l('按名称', 'By name'),
      form: 'shop.customer',
      rows: [{ field: 'colour' }],
      measures: [{ key: 'count', agg: 'count' }],
      where: "amount > 'x'",
    };
    const reportZh = await post('zh-CN', '/api/reports/validate', report);
    expect(reportZh.statusCode, reportZh.body).toBe(200);
    expect(byPath(reportZh.json().issues)).toEqual({
      'rows.0.field': '「colour」不是本报表的字段',
      where: '"x" 不是「amount」的有效值（位置 9–12）',
    });
    const reportEn = await post('en-US', '/api/reports/validate', report);
    expect(byPath(reportEn.json().issues)).toMatchObject({ 'rows.0.field': '"colour" is not a field of this report' });
  });

  it('a pack file’s preview words the pack’s issues and its forms’ under their paths', async () => {
    const document = {
      format: PACK_FORMAT,
      key: 'lab',
      version: '1.0.0',
      name: l('实验室', 'Lab'),
      forms: [
        { ...customer, pack: 'lab', key: 'sample', fields: [{ key: 'Bad', label: l('坏', 'Bad'), type: 'text' }] },
      ],
      flows: [],
      menus: [{ key: 'lab', label: l('实验室', 'Lab'), items: [{ key: 'x', label: l('甲', 'X'), form: 'ghost' }] }],
      roles: [],
      locales: { 'zh-CN': {}, 'en-US': {} },
    };
    const zh = await uploadPack('zh-CN', document);
    expect(zh.statusCode, zh.body).toBe(200);
    expect(byPath(zh.json().issues)).toEqual({
      'forms.0.fields.0.key': '键名须为驼峰式英文：小写字母开头，其后只用字母和数字',
      'menus.0.items.0.form': '本应用包中没有表单「ghost」',
    });
    const en = await uploadPack('en-US', document);
    expect(byPath(en.json().issues)).toMatchObject({ 'menus.0.items.0.form': 'No form "ghost" in this pack' });
  });
});
