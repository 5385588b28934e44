import { accessMigrations } from '@baton/access';
import { createRecord, formMigrations, publishForm } from '@baton/form';
import { createDepartment, orgMigrations, setHead } from '@baton/org';
import { reportMigrations } from '@baton/report';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, declareFormPermissions, reportsRoutes } from '../src/index.ts';
import { PASSWORD, type Person, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// The reports API with real sign-ins on SQLite or PostgreSQL: report.design publishes; a member runs a report
// over the records their rights on its form reach (own / managed departments / all: three answers), drills into
// a figure, exports it (formula injection neutralised), pins it; report.dashboard.manage sets role dashboards.

const l = (zh: string, en: string) => ({ zh, en });
const form = {
  pack: 'sales',
  key: 'deal',
  kind: 'archive' as const,
  label: l('商机', 'Deal'),
  fields: [
    { key: 'title', label: l('名称', 'Title'), type: 'text', required: true },
    { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
    {
      key: 'stage',
      label: l('阶段', 'Stage'),
      type: 'select',
      options: [
        { code: 'lead', label: l('线索', 'Lead') },
        { code: 'won', label: l('赢单', 'Won') },
      ],
    },
  ],
};
const report = {
  pack: 'sales',
  key: 'byStage',
  label: l('按阶段', 'By stage'),
  form: 'sales.deal',
  params: [{ key: 'stages', type: 'options', label: l('阶段', 'Stage'), field: 'stage' }],
  filters: [{ field: 'stage', param: 'stages' }],
  rows: [{ field: 'stage' }],
  measures: [
    { key: 'count', agg: 'count' },
    { key: 'amount', agg: 'sum', field: 'amount' },
  ],
  totals: true,
};
const base = '/api/reports/sales/byStage';

let database: TestDatabase;
let app: BatonServer;
let members: Record<string, string> = {};
let signed: Record<string, Signed> = {};
// Deals by owner: title, amount (fen), stage.
const deals: Record<string, [string, number, string][]> = {
  alice: [
    ['A1', 10_000, 'lead'],
    ['=HYPERLINK("http://evil.example","x")', 20_000, 'won'],
  ],
  bob: [['B1', 40_000, 'won']],
  dora: [['D1', 80_000, 'lead']],
  erin: [['E1', 160_000, 'won']],
};

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, reportMigrations],
  });
  const ctx = seedCtx(database.db);
  const sales = await seedDepartment(ctx, { name: '销售部', code: 'S' });
  const unit = { id: sales.unitId };
  const north = await createDepartment(ctx, { unitId: unit.id, parentId: sales.id, name: '华北', code: 'SN' });
  const finance = await createDepartment(ctx, { unitId: unit.id, name: '财务部', code: 'F' });
  await publishForm(ctx, form);
  declareFormPermissions('sales', 'deal');
  const p = 'form.sales.deal';
  await seedRoles(ctx, {
    designer: ['report.design'],
    seller: [`${p}.create`],
    director: [`${p}.create`, `${p}.read.managedDepartments`],
    management: [`${p}.read.all`, 'report.dashboard.manage'],
    analyst: ['report.design', `${p}.read.department`],
  });
  const people: Person[] = [
    ['designer', finance.id, 'designer'],
    ['alice', north.id, 'seller'],
    ['bob', north.id, 'seller'],
    ['dora', sales.id, 'director'],
    ['erin', finance.id, 'seller'],
    ['mona', finance.id, 'management'],
    ['mallory', finance.id, null],
    ['analyst', north.id, 'analyst'],
  ];
  members = await seedMembers(ctx, people);
  for (const [login, departmentId] of people) {
    const memberId = members[login] as string;
    for (const [title, amount, stage] of deals[login] ?? []) {
      await createRecord(
        { ...ctx, actor: { kind: 'member', memberId } },
        { pack: 'sales', key: 'deal', values: { title, amount, stage } },
        { context: { memberId, departmentId, unitId: unit.id } },
      );
    }
  }
  await setHead(ctx, { departmentId: sales.id, memberId: members.dora as string });
  app = await serverWith(database.db, [reportsRoutes({ db: database.db })]);
  signed = await signInAll(app, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const call = (as: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload);

const owned = (...logins: string[]) => logins.flatMap((login) => deals[login] ?? []);
const total = (...logins: string[]) => ({
  count: owned(...logins).length,
  amount: owned(...logins).reduce((s, d) => s + d[1], 0),
});

describe('reports API', () => {
  it('lets only report.design publish, with every problem and its path', async () => {
    expect((await call('mallory', 'POST', '/api/reports', report)).statusCode).toBe(403);
    expect((await call('alice', 'POST', '/api/reports', report)).statusCode).toBe(403);
    const bad = await call('designer', 'POST', '/api/reports', { ...report, rows: [{ field: 'nothing' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'REPORT_DEFINITION_INVALID',
      fields: [expect.objectContaining({ path: 'rows.0.field' })],
    });
    const published = await call('designer', 'POST', '/api/reports', report);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ version: 1, unchanged: false });
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['action', 'targetId'])
      .where('action', '=', 'report.definition.publish')
      .execute();
    expect(audit).toEqual([{ action: 'report.definition.publish', targetId: 'sales.byStage' }]);
  });

  it('lists and shows a report only to those who may read its form (404 otherwise)', async () => {
    expect((await call('alice', 'GET', '/api/reports')).json().reports).toEqual([
      expect.objectContaining({ pack: 'sales', key: 'byStage', version: 1, form: 'sales.deal' }),
    ]);
    expect((await call('mallory', 'GET', '/api/reports')).json().reports).toEqual([]);
    expect((await call('alice', 'GET', base)).json()).toMatchObject({ version: 1, definition: { key: 'byStage' } });
    expect((await call('mallory', 'GET', base)).statusCode).toBe(404);
    expect((await call('mallory', 'POST', `${base}/run`, {})).statusCode).toBe(404);
    expect((await call('alice', 'GET', '/api/reports/sales/nothing')).statusCode).toBe(404);
  });

  it('runs one report for three viewers with three different right answers', async () => {
    const answers: Record<string, unknown> = {};
    for (const who of ['alice', 'dora', 'mona']) {
      const res = await call(who, 'POST', `${base}/run`, {});
      expect(res.statusCode, res.body).toBe(200);
      answers[who] = res.json().rows.at(-1).values;
    }
    expect(answers).toEqual({
      alice: total('alice'),
      dora: total('alice', 'bob', 'dora'),
      mona: total('alice', 'bob', 'dora', 'erin'),
    });
    const won = await call('mona', 'POST', `${base}/run`, { params: { stages: ['won'] } });
    expect(
      won
        .json()
        .rows.map((r: { keys: { stage?: string }; labels: { stage?: string } }) => [r.keys.stage, r.labels.stage]),
    ).toEqual([
      ['won', 'Won'],
      [undefined, undefined],
    ]);
  });

  it('refuses SQL in parameters, sorts and cells with coded errors and paths', async () => {
    const injected = "won' OR '1'='1";
    const params = await call('mona', 'POST', `${base}/run`, { params: { stages: [injected] } });
    expect(params.statusCode).toBe(400);
    expect(params.json()).toMatchObject({
      code: 'REPORT_PARAM_INVALID',
      fields: [expect.objectContaining({ path: 'params.stages.0' })],
    });
    const sort = await call('mona', 'POST', `${base}/run`, { sort: [{ by: 'amount; drop table f_sales_deal' }] });
    expect(sort.statusCode).toBe(400);
    const cell = await call('mona', 'POST', `${base}/drill`, { cell: { keys: { stage: injected } } });
    expect(cell.statusCode).toBe(200);
    expect(cell.json().records).toEqual([]);
    expect((await call('mona', 'POST', `${base}/run`, {})).json().rows.at(-1).values.count).toBe(
      owned('alice', 'bob', 'dora', 'erin').length,
    );
  });

  it('drills into a figure within the caller’s scopes, paged by cursor', async () => {
    const first = await call('dora', 'POST', `${base}/drill`, { cell: { keys: { stage: 'won' } }, limit: 1 });
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json();
    expect(page.records).toHaveLength(1);
    const second = await call('dora', 'POST', `${base}/drill`, {
      cell: { keys: { stage: 'won' } },
      limit: 1,
      cursor: page.nextCursor,
    });
    const titles = [...page.records, ...second.json().records]
      .map((r: { values: { title: string } }) => r.values.title)
      .sort();
    expect(titles).toEqual(
      owned('alice', 'bob', 'dora')
        .filter((d) => d[2] === 'won')
        .map((d) => d[0])
        .sort(),
    );
    expect(second.json().nextCursor).toBeNull();
  });

  it('exports a result and a drill list with formula injection neutralised', async () => {
    const csv = await call(
      'alice',
      'GET',
      `${base}/drill/export?format=csv&cell=${encodeURIComponent(JSON.stringify({ keys: { stage: 'won' } }))}`,
    );
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv.body).not.toContain('B1');
    expect(csv.body).not.toMatch(/(^|,)=HYPERLINK/m);
    // The rows were counted before the stream started (for the client's progress bar): header and body agree.
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(csv.headers['x-total-count']).toBe(String(lines.length - 1));
    const xlsx = await call(
      'mona',
      'GET',
      `${base}/export?format=xlsx&params=${encodeURIComponent(JSON.stringify({ stages: ['won'] }))}`,
    );
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const run = await call('mona', 'POST', `${base}/run`, { params: { stages: ['won'] } });
    expect(xlsx.headers['x-total-count']).toBe(String(run.json().rows.length));
    const badJson = await call('mona', 'GET', `${base}/export?params=${encodeURIComponent('{oops')}`);
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toMatchObject({
      code: 'REPORT_PARAM_INVALID',
      fields: [expect.objectContaining({ path: 'params' })],
    });
  });

  it('pins reports to the portal and shows role dashboards to role holders', async () => {
    const pin = await call('alice', 'PUT', `/api/reports/pins/sales/byStage`, { params: { stages: ['won'] } });
    expect(pin.statusCode, pin.body).toBe(200);
    expect((await call('mallory', 'PUT', `/api/reports/pins/sales/byStage`, {})).statusCode).toBe(404);
    const board = {
      role: 'seller',
      label: l('销售看板', 'Sales board'),
      items: [{ pack: 'sales', key: 'byStage', chart: 'pie' }],
    };
    expect((await call('alice', 'PUT', '/api/reports/dashboards/salesBoard', board)).statusCode).toBe(403);
    const saved = await call('mona', 'PUT', '/api/reports/dashboards/salesBoard', board);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, items: [{ chart: 'pie', span: 12 }] });
    const portal = (await call('alice', 'GET', '/api/reports/portal')).json();
    expect(portal.pins).toEqual([expect.objectContaining({ key: 'byStage', params: { stages: ['won'] } })]);
    expect(portal.dashboards.map((d: { key: string }) => d.key)).toEqual(['salesBoard']);
    expect((await call('dora', 'GET', '/api/reports/portal')).json().dashboards).toEqual([]);
    expect((await call('mona', 'GET', '/api/reports/dashboards')).json().dashboards).toHaveLength(1);
    expect((await call('alice', 'DELETE', '/api/reports/pins/sales/byStage')).json()).toEqual({ removed: true });
    expect((await call('mona', 'DELETE', '/api/reports/dashboards/salesBoard')).json()).toEqual({ removed: true });
    expect((await call('mona', 'DELETE', '/api/reports/dashboards/salesBoard')).statusCode).toBe(404);
  });

  it('checks a draft for the report editor: every issue with its path and the fields its source offers', async () => {
    const draft = { ...report, key: 'draft', rows: [{ field: 'stage' }, { field: 'createdAt', bucket: 'week' }] };
    expect((await call('mona', 'POST', '/api/reports/validate', draft)).statusCode).toBe(403);
    const bad = await call('designer', 'POST', '/api/reports/validate', {
      ...draft,
      measures: [{ key: 'amount', agg: 'sum', field: 'title' }],
    });
    expect(bad.statusCode, bad.body).toBe(200);
    expect(bad.json().issues.map((issue: { path: unknown[] }) => issue.path.join('.'))).toEqual(['measures.0.field']);
    const ok = (await call('designer', 'POST', '/api/reports/validate', draft)).json();
    expect(ok.issues).toEqual([]);
    expect(ok.forms).toEqual({ 'sales.deal': 1 });
    const field = (path: string) => ok.fields.find((f: { path: string }) => f.path === path);
    expect(field('amount')).toMatchObject({ numeric: true, groupable: true, date: false, exprType: 'money' });
    expect(field('stage').options.map((o: { code: string }) => o.code)).toEqual(['lead', 'won']);
    expect(field('createdAt')).toMatchObject({ system: true, date: true });
    // The source alone is enough for the pickers while the rest is unfinished.
    const partial = (await call('designer', 'POST', '/api/reports/validate', { form: 'sales.deal' })).json();
    expect(partial.issues.length).toBeGreaterThan(0);
    expect(partial.fields.map((f: { path: string }) => f.path)).toContain('title');
    expect((await call('designer', 'GET', '/api/reports/sales/draft')).statusCode).toBe(404);
  });

  it('previews an unpublished report on live data within the designer’s own scopes', async () => {
    const draft = { ...report, key: 'preview', totals: true };
    const res = await call('analyst', 'POST', '/api/reports/preview', { definition: draft, params: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().definition).toMatchObject({ key: 'preview', form: { pack: 'sales', key: 'deal' } });
    expect(res.json().result.rows.at(-1).values).toEqual(total('alice', 'bob'));
    const won = await call('analyst', 'POST', '/api/reports/preview', {
      definition: draft,
      params: { stages: ['won'] },
    });
    const wonDeals = owned('alice', 'bob').filter((deal) => deal[2] === 'won');
    expect(won.json().result.rows.at(-1).values).toEqual({
      count: wonDeals.length,
      amount: wonDeals.reduce((sum, deal) => sum + deal[1], 0),
    });
    // report.design alone reads no record: the form is not there for it.
    expect((await call('designer', 'POST', '/api/reports/preview', { definition: draft })).statusCode).toBe(404);
    expect((await call('mona', 'POST', '/api/reports/preview', { definition: draft })).statusCode).toBe(403);
    const invalid = await call('analyst', 'POST', '/api/reports/preview', {
      definition: { ...draft, rows: [{ field: 'nothing' }] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      code: 'REPORT_DEFINITION_INVALID',
      fields: [expect.objectContaining({ path: 'rows.0.field' })],
    });
    expect((await call('analyst', 'GET', '/api/reports/sales/preview')).statusCode).toBe(404);
  });

  it('lists every published report and every version of one for designers', async () => {
    const second = await call('designer', 'POST', '/api/reports', {
      ...report,
      label: l('按阶段统计', 'Deals by stage'),
    });
    expect(second.json()).toMatchObject({ version: 2, unchanged: false });
    const listed = await call('designer', 'GET', '/api/reports/definitions');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().reports).toEqual([expect.objectContaining({ pack: 'sales', key: 'byStage', version: 2 })]);
    expect((await call('alice', 'GET', '/api/reports/definitions')).statusCode).toBe(403);
    const versions = await call('designer', 'GET', `${base}/versions`);
    expect(versions.statusCode, versions.body).toBe(200);
    expect(
      versions
        .json()
        .versions.map((v: { version: number; definition: { label: { en: string } } }) => [
          v.version,
          v.definition.label.en,
        ]),
    ).toEqual([
      [2, 'Deals by stage'],
      [1, 'By stage'],
    ]);
    expect((await call('designer', 'GET', '/api/reports/sales/nothing/versions')).statusCode).toBe(404);
  });

  it('declares a policy on every route and documents them under the reports tag', async () => {
    const routes = app.listRoutes().filter((r) => r.url.startsWith('/api/reports'));
    expect(
      routes
        .map((r) => `${r.method} ${r.url} ${r.policy}`)
        .filter((r) => !r.startsWith('HEAD'))
        .sort(),
    ).toEqual([
      'DELETE /api/reports/dashboards/:key report.dashboard.manage',
      'DELETE /api/reports/pins/:pack/:key authenticated',
      'GET /api/reports authenticated',
      'GET /api/reports/:pack/:key authenticated',
      'GET /api/reports/:pack/:key/drill/export authenticated',
      'GET /api/reports/:pack/:key/export authenticated',
      'GET /api/reports/:pack/:key/versions report.design',
      'GET /api/reports/dashboards report.dashboard.manage',
      'GET /api/reports/definitions report.design',
      'GET /api/reports/portal authenticated',
      'POST /api/reports report.design',
      'POST /api/reports/:pack/:key/drill authenticated',
      'POST /api/reports/:pack/:key/run authenticated',
      'POST /api/reports/preview report.design',
      'POST /api/reports/validate report.design',
      'PUT /api/reports/dashboards/:key report.dashboard.manage',
      'PUT /api/reports/pins/:pack/:key authenticated',
    ]);
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(Object.keys(doc.paths)).toContain('/api/reports/{pack}/{key}/run');
  });
});
