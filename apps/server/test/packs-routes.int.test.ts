import { setPassword } from '@baton/access';
import { silentLogger } from '@baton/core';
import { assignRole, createDepartment, createMember, createUnit } from '@baton/org';
import { definePack, installPack, type PackInput, packPlatformMigrations } from '@baton/pack';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessGate,
  authRoutes,
  type BatonServer,
  buildServer,
  declareFlowPermissions,
  declareFormPermissions,
  packsRoutes,
} from '../src/index.ts';

// GET /api/packs/menus on SQLite or PostgreSQL: the menus of an installed pack, each entry kept only for members
// who may use what it opens (list, new record, filing, report), menus left empty dropped.

const PASSWORD = 'Correct-Horse-42';
const l = (zh: string, en: string) => ({ zh, en });

const pack: PackInput = {
  key: 'shop',
  version: '1.0.0',
  name: l('小店', 'Shop'),
  forms: [
    {
      pack: 'shop',
      key: 'customer',
      kind: 'archive',
      label: l('客户', 'Customer'),
      fields: [
        { key: 'name', label: l('名称', 'Name'), type: 'text', required: true },
        { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
      ],
    },
    {
      pack: 'shop',
      key: 'refund',
      kind: 'flow',
      label: l('退款', 'Refund'),
      fields: [{ key: 'reason', label: l('原因', 'Reason'), type: 'text', required: true }],
    },
  ],
  flows: [
    {
      pack: 'shop',
      key: 'refundApproval',
      name: l('退款审批', 'Refund approval'),
      form: { pack: 'shop', key: 'refund' },
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'review', kind: 'approval', mode: 'anySign', assignees: [{ source: 'role', role: 'shopKeeper' }] },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'review' },
        { from: 'review', to: 'end' },
      ],
    },
  ],
  reports: [
    {
      pack: 'shop',
      key: 'customersByName',
      label: l('客户统计', 'Customers'),
      form: { pack: 'shop', key: 'customer' },
      rows: [{ field: 'name' }],
      measures: [{ key: 'count', agg: 'count' }],
    },
  ],
  menus: [
    {
      key: 'shop',
      label: l('小店', 'Shop'),
      icon: 'shop',
      items: [
        { key: 'customers', label: l('客户档案', 'Customers'), form: 'customer' },
        { key: 'newCustomer', label: l('新建客户', 'New customer'), form: 'customer', view: 'new' },
        { key: 'refund', label: l('退款申请', 'Request a refund'), flow: 'refundApproval' },
      ],
    },
    {
      key: 'shopReports',
      label: l('小店统计', 'Shop statistics'),
      items: [{ key: 'byName', label: l('客户统计', 'Customers'), report: 'customersByName' }],
    },
  ],
  roles: [
    {
      code: 'shopClerk',
      name: l('店员', 'Clerk'),
      permissions: [
        { form: 'customer', create: true },
        { flow: 'refundApproval', start: true },
      ],
    },
    { code: 'shopKeeper', name: l('店长', 'Keeper'), permissions: [{ form: 'customer', read: ['all'] }] },
  ],
  locales: { 'zh-CN': {}, 'en-US': {} },
};

let database: TestDatabase;
let app: BatonServer;
const signed: Record<string, { cookie: string; csrf: string }> = {};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const shop = await createDepartment(ctx, { unitId: unit.id, name: '门店', code: 'S' });
  await installPack(ctx, definePack(pack), {
    declarer: { form: declareFormPermissions, flow: declareFlowPermissions },
  });
  const people: [string, string | null][] = [
    ['clerk', 'shopClerk'],
    ['keeper', 'shopKeeper'],
    ['stranger', null],
  ];
  let n = 0;
  for (const [login, role] of people) {
    const member = await createMember(ctx, { code: `E${++n}`, name: login, login, mainDepartmentId: shop.id });
    await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
    if (role) await assignRole(ctx, { role, memberId: member.id });
  }
  app = await buildServer({
    logger: silentLogger(),
    readiness: {},
    gate: accessGate(database.db),
    routes: [authRoutes({ db: database.db }), packsRoutes({ db: database.db })],
  });
  for (const [login] of people) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const session = res.cookies.find((c) => c.name === 'baton_session');
    const csrf = res.cookies.find((c) => c.name === 'baton_csrf');
    signed[login] = { cookie: `baton_session=${session?.value}`, csrf: String(csrf?.value) };
  }
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

async function menusOf(login: string) {
  const who = signed[login] as { cookie: string; csrf: string };
  const res = await app.inject({ method: 'GET', url: '/api/packs/menus', headers: { cookie: who.cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    packs: { pack: string; name: unknown; menus: { key: string; icon?: string; items: { key: string }[] }[] }[];
  };
}

const entries = (body: Awaited<ReturnType<typeof menusOf>>) =>
  body.packs.flatMap((p) => p.menus.map((m) => `${m.key}: ${m.items.map((i) => i.key).join(' ')}`));

describe('GET /api/packs/menus', () => {
  it('refuses an anonymous caller', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/packs/menus' })).statusCode).toBe(401);
  });

  it('gives a clerk the list, the new-record page, filing and the report over their own records', async () => {
    const body = await menusOf('clerk');
    expect(entries(body)).toEqual(['shop: customers newCustomer refund', 'shopReports: byName']);
    expect(body.packs[0]).toMatchObject({ pack: 'shop', name: { zh: '小店', en: 'Shop' } });
    expect(body.packs[0]?.menus[0]).toMatchObject({
      icon: 'shop',
      items: [
        { key: 'customers', kind: 'form', pack: 'shop', target: 'customer', view: 'list' },
        { key: 'newCustomer', kind: 'form', pack: 'shop', target: 'customer', view: 'new' },
        { key: 'refund', kind: 'flow', pack: 'shop', target: 'refundApproval', label: { zh: '退款申请' } },
      ],
    });
    expect(body.packs[0]?.menus[1]?.items).toEqual([
      {
        key: 'byName',
        label: { zh: '客户统计', en: 'Customers' },
        kind: 'report',
        pack: 'shop',
        target: 'customersByName',
      },
    ]);
  });

  it('gives a reader the list and the report, not the new-record page nor filing', async () => {
    expect(entries(await menusOf('keeper'))).toEqual(['shop: customers', 'shopReports: byName']);
  });

  it('drops every menu a member can use nothing of', async () => {
    expect((await menusOf('stranger')).packs).toEqual([]);
  });
});
