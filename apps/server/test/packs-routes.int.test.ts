import { publishForm } from '@baton/form';
import { definePack, installPack, PackFileLimits, type PackInput, packPlatformMigrations } from '@baton/pack';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatonServer,
  declareFlowPermissions,
  declareFormPermissions,
  PackPermissions,
  packsRoutes,
} from '../src/index.ts';
import { PASSWORD, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { type Signed, signInAll } from './helpers.ts';

// GET /api/packs/menus on SQLite or PostgreSQL: the menus of an installed pack, each entry kept only for members
// who may use what it opens (list, new record, filing, report), menus left empty dropped.

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
let signed: Record<string, Signed> = {};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  const ctx = seedCtx(database.db);
  const shop = await seedDepartment(ctx, { name: '门店', code: 'S' });
  await installPack(ctx, definePack(pack), {
    declarer: { form: declareFormPermissions, flow: declareFlowPermissions },
  });
  await seedRoles(ctx, { packAdmin: [PackPermissions.export, PackPermissions.install] });
  // An app assembled in the form designer under its own key: nothing installed, exportable.
  await publishForm(ctx, {
    pack: 'lab',
    key: 'sample',
    kind: 'archive',
    label: l('样品', 'Sample'),
    fields: [{ key: 'name', label: l('名称', 'Name'), type: 'text' }],
  });
  const members = await seedMembers(ctx, [
    ['clerk', shop.id, 'shopClerk'],
    ['keeper', shop.id, 'shopKeeper'],
    ['stranger', shop.id],
    ['admin', shop.id, 'packAdmin'],
  ]);
  app = await serverWith(database.db, [packsRoutes({ db: database.db })]);
  signed = await signInAll(app, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

async function menusOf(login: string) {
  const who = signed[login] as Signed;
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

const boundary = '----batonpack';
function upload(name: string, content: string | Buffer) {
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
          'Content-Type: application/json\r\n\r\n',
      ),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function post(login: string, url: string, file: { payload: Buffer; contentType: string }) {
  const who = signed[login] as Signed;
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': file.contentType },
    payload: file.payload,
  });
}

async function get(login: string, url: string) {
  const who = signed[login] as Signed;
  return app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
}

/** What an import can change, in figures: a refused upload leaves them all as they were. */
async function footprint() {
  const rows = await database.db.selectFrom('baton_pack_install').select(['key', 'version', 'hash']).execute();
  const forms = await database.db.selectFrom('baton_form_definition').select(['pack', 'key', 'version']).execute();
  const audit = await database.db.selectFrom('baton_access_audit_head').select('seq').executeTakeFirst();
  return { rows, forms: forms.length, audit: Number(audit?.seq ?? 0) };
}

describe('packs for the administrator: list, export, preview and import', () => {
  it('lists installed packs with versions and apps assembled in the designers; members without the right get 403', async () => {
    const res = await get('admin', '/api/packs');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().packs).toEqual([
      {
        key: 'lab',
        name: null,
        version: null,
        installed: false,
        installedAt: null,
        updatedAt: null,
        demoLoadedAt: null,
        counts: { forms: 1, flows: 0, rules: 0, reports: 0 },
      },
      expect.objectContaining({
        key: 'shop',
        name: l('小店', 'Shop'),
        version: '1.0.0',
        installed: true,
        counts: { forms: 2, flows: 1, rules: 0, reports: 1 },
      }),
    ]);
    expect((await get('clerk', '/api/packs')).statusCode).toBe(403);
    expect((await get('clerk', '/api/packs/shop/export')).statusCode).toBe(403);
    expect((await post('clerk', '/api/packs/preview', upload('x.json', '{}'))).statusCode).toBe(403);
  });

  it('exports a pack as a file, previews its next version as an upload, and imports exactly the confirmed diff', async () => {
    const exported = await get('admin', '/api/packs/shop/export');
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-disposition']).toBe(
      `attachment; filename="shop-1.0.0.baton-pack.json"; filename*=UTF-8''shop-1.0.0.baton-pack.json`,
    );
    const document = JSON.parse(exported.body);
    expect(document).toMatchObject({ format: 'baton.pack/1', key: 'shop', version: '1.0.0' });
    const lab = await get('admin', '/api/packs/lab/export?version=0.1.0&nameZh=%E5%AE%9E%E9%AA%8C%E5%AE%A4&nameEn=Lab');
    expect(JSON.parse(lab.body)).toMatchObject({ key: 'lab', version: '0.1.0', name: l('实验室', 'Lab') });
    expect(JSON.parse(lab.body).menus[0].items).toEqual([
      { key: 'sample', label: l('样品', 'Sample'), form: 'sample' },
    ]);
    expect((await get('admin', '/api/packs/nothing/export')).json()).toMatchObject({ code: 'PACK_NOT_INSTALLED' });
    expect((await get('admin', '/api/packs/x;drop/export')).statusCode).toBe(400);

    document.version = '1.1.0';
    document.forms[0].fields.push({ key: 'phone', label: l('电话', 'Phone'), type: 'text' });
    const text = JSON.stringify(document);
    const file = upload('shop.json', text);
    const before = await footprint();
    const preview = await post('admin', '/api/packs/preview', file);
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json();
    expect(body.issues).toEqual([]);
    expect(body.file).toMatchObject({ name: 'shop.json', bytes: Buffer.byteLength(text) });
    expect(body.diff).toMatchObject({ step: 'upgrade', installedVersion: '1.0.0', ok: true });
    expect(body.diff.forms[0]).toMatchObject({ key: 'customer', change: 'changed' });
    expect(body.diff.forms[0].steps).toContainEqual(expect.objectContaining({ action: 'add', column: 'phone' }));
    expect(await footprint()).toEqual(before);

    const imported = await post('admin', `/api/packs/import?expect=${body.diff.fingerprint}`, file);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().report).toMatchObject({ outcome: 'upgraded', previousVersion: '1.0.0', version: '1.1.0' });
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['action', 'ip', 'detail'])
      .where('action', '=', 'pack.upgrade')
      .executeTakeFirstOrThrow();
    expect(audit.ip).toBeTruthy();
    const detail = typeof audit.detail === 'string' ? audit.detail : JSON.stringify(audit.detail);
    expect(JSON.parse(detail)).toMatchObject({ source: 'upload', file: { name: 'shop.json' }, version: '1.1.0' });
    // The menus still work for the clerk after the upgrade.
    expect(entries(await menusOf('clerk'))).toEqual(['shop: customers newCustomer refund', 'shopReports: byName']);
    // The same confirmation again no longer matches what is installed.
    const stale = await post('admin', `/api/packs/import?expect=${body.diff.fingerprint}`, file);
    expect(stale.json()).toMatchObject({ status: 409, code: 'PACK_DIFF_CHANGED' });
  });

  it('refuses bad uploads with a coded error and changes nothing', async () => {
    const exported = JSON.parse((await get('admin', '/api/packs/shop/export')).body);
    const before = await footprint();
    const who = signed.admin as Signed;
    const json = await app.inject({
      method: 'POST',
      url: '/api/packs/import',
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify(exported),
    });
    expect(json.json()).toMatchObject({ status: 400, code: 'PACK_FILE_INVALID' });
    const refusals: [string, { payload: Buffer; contentType: string }, number, string][] = [
      ['a script', upload('shop.js', JSON.stringify(exported)), 400, 'PACK_FILE_INVALID'],
      ['not JSON', upload('shop.json', 'export default {}'), 400, 'PACK_FILE_INVALID'],
      [
        'a later format',
        upload('a.json', JSON.stringify({ ...exported, format: 'baton.pack/9' })),
        422,
        'PACK_FORMAT_UNSUPPORTED',
      ],
      ['huge', upload('a.json', Buffer.alloc(PackFileLimits.bytes + 10, 0x20)), 413, 'PACK_FILE_TOO_LARGE'],
      ['older', upload('a.json', JSON.stringify({ ...exported, version: '0.0.1' })), 409, 'PACK_DOWNGRADE'],
      [
        'a hostile form key',
        upload(
          'a.json',
          JSON.stringify({ ...exported, forms: [{ ...exported.forms[0], key: 'customer"; drop table x' }] }),
        ),
        422,
        'PACK_INVALID',
      ],
    ];
    for (const [what, file, status, code] of refusals) {
      const res = await post('admin', '/api/packs/import', file);
      expect([what, res.statusCode, res.json().code]).toEqual([what, status, code]);
    }
    const invalid = await post(
      'admin',
      '/api/packs/import',
      upload(
        'a.json',
        JSON.stringify({ ...exported, forms: [{ ...exported.forms[0], key: 'customer"; drop table x' }] }),
      ),
    );
    expect(invalid.json().fields.map((f: { path: string }) => f.path)).toContain('forms.0.key');
    // The preview of the same file reports the issues with their paths, and no diff.
    const preview = await post(
      'admin',
      '/api/packs/preview',
      upload(
        'a.json',
        JSON.stringify({
          ...exported,
          menus: [{ ...exported.menus[0], items: [{ key: 'x', label: l('x', 'x'), form: 'ghost' }] }],
        }),
      ),
    );
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      diff: null,
      issues: [{ path: ['menus', 0, 'items', 0, 'form'], code: 'unknown_form' }],
    });
    expect(await footprint()).toEqual(before);
  });
});
