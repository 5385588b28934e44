import { accessMigrations, grantPermissions } from '@baton/access';
import { formMigrations } from '@baton/form';
import { createDepartment, orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, declareFormPermissions, formsRoutes, formViewsRoutes, rightsFrom } from '../src/index.ts';
import { PASSWORD, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// The forms API with real sign-ins (session cookie + CSRF) on SQLite or PostgreSQL: designers publish,
// members reach records only through their per-form rights (own / department / all), 404 outside them.

const PACK = 'crmTest';
const KEY = 'deal';
const base = `/api/forms/${PACK}/${KEY}`;
const l = (zh: string, en: string) => ({ zh, en });
const definition = {
  pack: PACK,
  key: KEY,
  kind: 'archive',
  label: l('商机', 'Deal'),
  fields: [
    { key: 'title', label: l('名称', 'Title'), type: 'text', required: true },
    {
      key: 'amount',
      label: l('金额', 'Amount'),
      type: 'money',
      validation: {
        expr: 'ISBLANK(amount) OR amount >= 0',
        message: l('金额不能为负', 'The amount cannot be negative'),
      },
    },
    { key: 'tax', label: l('税额', 'Tax'), type: 'formula', expr: 'amount * 0.13', resultType: 'money' },
  ],
};

let database: TestDatabase;
let app: BatonServer;
let members: Record<string, string> = {};
let signed: Record<string, Signed> = {};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations, formMigrations] });
  const ctx = seedCtx(database.db);
  const sales = await seedDepartment(ctx, { name: '销售部', code: '10-00001' });
  const finance = await createDepartment(ctx, { unitId: sales.unitId, name: '财务部', code: '10-00002' });
  declareFormPermissions(PACK, KEY);
  const p = `form.${PACK}.${KEY}`;
  await seedRoles(ctx, {
    designer: ['form.design'],
    filler: [`${p}.create`],
    lead: [`${p}.create`, `${p}.write.department`],
    auditor: [`${p}.read.all`],
  });
  members = await seedMembers(ctx, [
    ['designer', finance.id, 'designer'],
    ['alice', sales.id, 'filler'],
    ['bob', sales.id, 'filler'],
    ['dave', sales.id, 'lead'],
    ['erin', finance.id, 'auditor'],
    ['mallory', finance.id],
  ]);
  app = await serverWith(database.db, [formsRoutes({ db: database.db }), formViewsRoutes({ db: database.db })]);
  signed = await signInAll(app, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const call = (as: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload);

const create = (as: string, values: Record<string, unknown>) => call(as, 'POST', `${base}/records`, { values });
const titles = async (as: string) => {
  const res = await call(as, 'POST', `${base}/records/query`, { sorts: [{ field: 'title', dir: 'asc' }] });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().records.map((r: { values: { title: string } }) => r.values.title);
};

describe('forms API', () => {
  it('reads rights from held permissions', () => {
    const p = 'form.a.b';
    expect(rightsFrom(new Set([`${p}.create`, `${p}.read.unit`]), 'a', 'b')).toEqual({
      design: false,
      create: true,
      read: ['own', 'assigned', 'unit'],
      write: ['own', 'assigned'],
    });
    expect(rightsFrom(new Set([`${p}.write.all`, 'form.a.c.create']), 'a', 'b').read).toEqual(['all']);
  });

  it('lets only form.design preview and publish, and audits the publish', async () => {
    const refused = await call('mallory', 'POST', '/api/forms', definition);
    expect(refused.statusCode).toBe(403);
    expect((await call('alice', 'POST', '/api/forms/preview', definition)).statusCode).toBe(403);

    const preview = await call('designer', 'POST', '/api/forms/preview', definition);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ pack: PACK, key: KEY, version: 1, ok: true });
    expect(preview.json().steps.some((s: { action: string }) => s.action === 'createTable')).toBe(true);

    const published = await call('designer', 'POST', '/api/forms', definition);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ version: 1, ok: true });
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['action', 'targetId'])
      .where('action', '=', 'form.definition.publish')
      .execute();
    expect(audit).toEqual([{ action: 'form.definition.publish', targetId: `${PACK}.${KEY}` }]);

    const v2 = {
      ...definition,
      fields: [...definition.fields, { key: 'note', label: l('备注', 'Note'), type: 'text' }],
    };
    expect((await call('designer', 'POST', '/api/forms', v2)).json().version).toBe(2);

    const bad = await call('designer', 'POST', '/api/forms', { ...definition, fields: [{ key: 'x' }] });
    expect(bad.statusCode).toBe(400);
  });

  it('lists and shows forms only to those who may use them', async () => {
    const listed = (await call('alice', 'GET', '/api/forms')).json();
    expect(listed.forms).toEqual([{ pack: PACK, key: KEY, version: 2, kind: 'archive', name: l('商机', 'Deal') }]);
    expect((await call('designer', 'GET', '/api/forms')).json().forms).toHaveLength(1);
    expect((await call('mallory', 'GET', '/api/forms')).json().forms).toEqual([]);

    const detail = await call('alice', 'GET', `${base}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ version: 2, rights: { create: true, read: ['own', 'assigned'] } });
    expect(detail.json().definition.fields).toHaveLength(4);
    const old = await call('alice', 'GET', `${base}?version=1`);
    expect(old.json().definition.fields).toHaveLength(3);
    expect((await call('mallory', 'GET', `${base}`)).statusCode).toBe(404);
    expect((await call('alice', 'GET', '/api/forms/crmTest/nothing')).statusCode).toBe(404);

    const versions = (await call('erin', 'GET', `${base}/versions`)).json().versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('creates records, recomputes formulas and rejects unknown keys with paths', async () => {
    const res = await create('alice', { title: 'A1', amount: 10000, tax: 999999 });
    expect(res.statusCode, res.body).toBe(201);
    const record = res.json();
    expect(record.values).toMatchObject({ title: 'A1', amount: 10000, tax: 1300 });
    expect(record.ownerId).toBe(members.alice);

    const unknown = await create('alice', { title: 'A2', colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('FORM_UNKNOWN_FIELD');
    expect(unknown.json().fields).toEqual([expect.objectContaining({ path: 'colour' })]);

    const missing = await create('alice', { amount: 1 });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json().fields)).toContain('title');

    // A value the field type refuses is worded from the form engine's catalogue, in the caller's language.
    const notMoney = await requestAs(
      app,
      signed.alice as Signed,
      'POST',
      `${base}/records`,
      { values: { title: 'A3', amount: 12.5 } },
      'zh-CN',
    );
    expect(notMoney.statusCode).toBe(400);
    expect(notMoney.json().fields).toEqual([{ path: 'amount', code: 'not_fen', message: '金额须为以分计的整数' }]);
    // A form's own validation rule is worded as its author wrote it, in the caller's language.
    const negative = { values: { title: 'A4', amount: -100 } };
    const zh = await requestAs(app, signed.alice as Signed, 'POST', `${base}/records`, negative, 'zh-CN');
    expect(zh.json().fields).toEqual([{ path: 'amount', code: 'validation', message: '金额不能为负' }]);
    const en = await create('alice', negative.values);
    expect(en.json().fields).toEqual([
      { path: 'amount', code: 'validation', message: 'The amount cannot be negative' },
    ]);

    expect((await create('erin', { title: 'E1' })).statusCode).toBe(403);
    expect((await create('mallory', { title: 'M1' })).statusCode).toBe(404);
    expect((await create('designer', { title: 'D1' })).statusCode).toBe(403);
  });

  it('gives each member the rows of their scope (own, department, all)', async () => {
    expect((await create('bob', { title: 'B1', amount: 200 })).statusCode).toBe(201);
    expect((await create('dave', { title: 'D1' })).statusCode).toBe(201);
    expect(await titles('alice')).toEqual(['A1']);
    expect(await titles('bob')).toEqual(['B1']);
    expect(await titles('dave')).toEqual(['A1', 'B1', 'D1']);
    expect(await titles('erin')).toEqual(['A1', 'B1', 'D1']);
    expect(await titles('mallory')).toEqual([]);

    const page = await call('dave', 'POST', `${base}/records/query`, { sorts: [{ field: 'title' }], limit: 2 });
    expect(page.json().records).toHaveLength(2);
    const next = await call('dave', 'POST', `${base}/records/query`, {
      sorts: [{ field: 'title' }],
      limit: 2,
      cursor: page.json().nextCursor,
    });
    expect(next.json().records.map((r: { values: { title: string } }) => r.values.title)).toEqual(['D1']);
    expect(next.json().nextCursor).toBeNull();

    const filtered = await call('erin', 'POST', `${base}/records/query`, {
      filters: [{ field: 'amount', op: 'gte', value: 1000 }],
    });
    expect(filtered.json().records.map((r: { values: { title: string } }) => r.values.title)).toEqual(['A1']);
    const bad = await call('erin', 'POST', `${base}/records/query`, { filters: [{ field: 'ownerId', op: 'eq' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('FORM_QUERY_INVALID');
  });

  it('reads, updates and voids within scope; 404 outside it (IDOR), 409 on a stale version', async () => {
    const mine = (await create('alice', { title: 'A3', amount: 100 })).json();
    const url = `${base}/records/${mine.id}`;
    const writable = async (as: string) => {
      const res = await call(as, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().writable;
    };
    expect(await writable('alice')).toBe(true);
    expect((await call('bob', 'GET', url)).statusCode).toBe(404);
    expect((await call('mallory', 'GET', url)).statusCode).toBe(404);
    // The auditor reads it and is told he may not change it (his PATCH below is refused); the lead may.
    expect(await writable('erin')).toBe(false);
    expect(await writable('dave')).toBe(true);
    expect((await call('bob', 'PATCH', url, { version: 1, values: { title: 'hacked' } })).statusCode).toBe(404);
    expect((await call('erin', 'PATCH', url, { version: 1, values: { title: 'audited' } })).statusCode).toBe(404);

    const updated = await call('alice', 'PATCH', url, { version: 1, values: { amount: 200, tax: 1 } });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ version: 2, values: { title: 'A3', amount: 200, tax: 26 } });
    const stale = await call('alice', 'PATCH', url, { version: 1, values: { amount: 300 } });
    expect(stale.statusCode).toBe(409);
    expect((await call('alice', 'PATCH', url, { version: 2, values: { nope: 1 } })).statusCode).toBe(400);

    const byLead = await call('dave', 'PATCH', url, { version: 2, values: { title: 'A3 checked' } });
    expect(byLead.statusCode, byLead.body).toBe(200);

    expect((await call('bob', 'POST', `${url}/void`, { version: 3 })).statusCode).toBe(404);
    expect((await call('alice', 'POST', `${url}/void`, { version: 2 })).statusCode).toBe(409);
    const voided = await call('alice', 'POST', `${url}/void`, { version: 3, reason: 'duplicate' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toEqual({ id: mine.id, version: 4 });
    expect(await writable('alice')).toBe(false);
    expect(await titles('alice')).toEqual(['A1']);
    expect((await call('alice', 'PATCH', url, { version: 4, values: { amount: 1 } })).statusCode).toBe(409);
  });

  it('offers reference candidates within the caller’s scopes on the target form and fills mapped fields', async () => {
    const visit = {
      pack: PACK,
      key: 'visit',
      kind: 'archive',
      label: l('拜访', 'Visit'),
      fields: [
        {
          key: 'deal',
          label: l('商机', 'Deal'),
          type: 'reference',
          form: { pack: PACK, key: KEY },
          display: 'title',
          fill: { dealAmount: 'amount' },
        },
        { key: 'dealAmount', label: l('商机金额', 'Deal amount'), type: 'money' },
      ],
    };
    expect((await call('designer', 'POST', '/api/forms', visit)).statusCode).toBe(200);
    declareFormPermissions(PACK, 'visit');
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    await grantPermissions(ctx, { role: 'filler', permissions: [`form.${PACK}.visit.create`] });

    const picker = `/api/forms/${PACK}/visit/references/deal`;
    const mine = await call('alice', 'GET', picker);
    expect(mine.statusCode, mine.body).toBe(200);
    // alice reads only her own deals: bob's B1 is not offered
    expect(mine.json().options.map((o: { display: string }) => o.display)).toEqual(['A1']);
    const [a1] = mine.json().options as { id: string; fill: Record<string, unknown> }[];
    expect((await call('alice', 'GET', `${picker}?q=B`)).json().options).toEqual([]);
    expect((await call('mallory', 'GET', picker)).statusCode).toBe(404);
    expect((await call('alice', 'GET', `/api/forms/${PACK}/visit/references/dealAmount`)).statusCode).toBe(400);

    const created = await call('alice', 'POST', `/api/forms/${PACK}/visit/records`, {
      values: { deal: a1?.id, dealAmount: 1 },
    });
    expect(created.statusCode, created.body).toBe(201);
    // the fill mapping is applied on the server; the client's 1 is overwritten
    expect(created.json().values.dealAmount).toBe(a1?.fill.dealAmount);
    expect(created.json().values.dealAmount).not.toBe(1);
  });

  it('keeps exports inside the caller’s read scopes', async () => {
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    await grantPermissions(ctx, { role: 'filler', permissions: ['form.record.export'] });
    const own = await call('alice', 'GET', `${base}/records/export?format=csv`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.body).toContain('A1');
    expect(own.body).not.toContain('B1');
    expect(own.body).not.toContain('D1');
  });

  it('applies the form’s field permissions on every read and write (hidden, read, edit per role)', async () => {
    const secretForm = {
      ...definition,
      key: 'secretDeal',
      fields: [
        ...definition.fields,
        { key: 'note', label: l('批示', 'Note'), type: 'text' },
        { key: 'margin', label: l('毛利', 'Margin'), type: 'money' },
      ],
      fieldAccess: [
        { field: 'note', access: 'read' },
        { field: 'note', access: 'edit', role: 'lead' },
        { field: 'margin', access: 'hidden' },
        { field: 'margin', access: 'edit', role: 'lead' },
      ],
    };
    expect((await call('designer', 'POST', '/api/forms', secretForm)).statusCode).toBe(200);
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    const p = `form.${PACK}.secretDeal`;
    declareFormPermissions(PACK, 'secretDeal');
    await grantPermissions(ctx, { role: 'filler', permissions: [`${p}.create`] });
    await grantPermissions(ctx, { role: 'lead', permissions: [`${p}.create`, `${p}.write.department`] });
    const url = `/api/forms/${PACK}/secretDeal`;
    const detail = await call('alice', 'GET', url);
    expect(detail.json().fieldAccess).toEqual({
      title: 'edit',
      amount: 'edit',
      tax: 'edit',
      note: 'read',
      margin: 'hidden',
    });
    expect((await call('dave', 'GET', url)).json().fieldAccess).toMatchObject({ note: 'edit', margin: 'edit' });

    const refused = await call('alice', 'POST', `${url}/records`, { values: { title: '私改', margin: 100 } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'ACCESS_FIELD_NOT_WRITABLE', fields: [{ path: 'margin' }] });
    const count = async (as: string) => (await call(as, 'POST', `${url}/records/query`, {})).json().records.length;
    expect(await count('dave')).toBe(0);

    const created = await call('alice', 'POST', `${url}/records`, { values: { title: 'S1', note: null } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().values).not.toHaveProperty('margin');
    const id = created.json().id as string;
    const led = await call('dave', 'PATCH', `${url}/records/${id}`, {
      version: 1,
      values: { note: '重点跟进', margin: 30_000 },
    });
    expect(led.statusCode, led.body).toBe(200);
    const seen = await call('alice', 'GET', `${url}/records/${id}`);
    expect(seen.json().values).toMatchObject({ title: 'S1', note: '重点跟进' });
    expect(seen.json().values).not.toHaveProperty('margin');
    const listed = await call('alice', 'POST', `${url}/records/query`, {});
    expect(listed.json().records[0].values).not.toHaveProperty('margin');
    const filtered = await call('alice', 'POST', `${url}/records/query`, {
      filters: [{ field: 'margin', op: 'gt', value: 1 }],
    });
    expect(filtered.statusCode).toBe(400);
    // Read-only: an echo passes, a change is refused and nothing changes.
    const echo = await call('alice', 'PATCH', `${url}/records/${id}`, {
      version: 2,
      values: { ...seen.json().values, amount: 500 },
    });
    expect(echo.statusCode, echo.body).toBe(200);
    const changed = await call('alice', 'PATCH', `${url}/records/${id}`, { version: 3, values: { note: '我批的' } });
    expect(changed.statusCode).toBe(403);
    expect((await call('dave', 'GET', `${url}/records/${id}`)).json()).toMatchObject({
      version: 3,
      values: { note: '重点跟进', margin: 30_000, amount: 500 },
    });
    // Exports leave the hidden column out altogether.
    await grantPermissions(ctx, { role: 'filler', permissions: ['form.record.export'] });
    const sheet = await call('alice', 'GET', `${url}/records/export?format=csv`);
    expect(sheet.statusCode, sheet.body).toBe(200);
    expect(sheet.body).toContain('Note');
    expect(sheet.body).not.toContain('Margin');
    expect(sheet.body).not.toContain('300');
  });

  it('documents the routes under the forms tag', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of [
      '/api/forms/',
      '/api/forms/preview',
      '/api/forms/{pack}/{key}',
      '/api/forms/{pack}/{key}/versions',
      '/api/forms/{pack}/{key}/records',
      '/api/forms/{pack}/{key}/records/query',
      '/api/forms/{pack}/{key}/records/{id}',
      '/api/forms/{pack}/{key}/records/{id}/void',
      '/api/forms/{pack}/{key}/references/{field}',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(doc.paths['/api/forms/{pack}/{key}/records/{id}'].patch.tags).toEqual(['forms']);
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('forms');
  });

  it('hands a record to another owner (转交) within write scope; its scopes follow; audited', async () => {
    const record = (await create('alice', { title: 'R1', amount: 100 })).json();
    const url = `${base}/records/${record.id}`;
    const to = (version: number, ownerId: unknown) => ({ version, ownerId });
    // alice may only write her own (a create right), not hand it on; bob and mallory do not see it at all.
    expect((await call('bob', 'POST', `${url}/reassign`, to(1, members.bob))).statusCode).toBe(404);
    expect((await call('mallory', 'POST', `${url}/reassign`, to(1, members.mallory))).statusCode).toBe(404);
    const badOwner = await call('dave', 'POST', `${url}/reassign`, to(1, 'nobody'));
    expect(badOwner.statusCode).toBe(400);
    expect(badOwner.json().code).toBe('FORM_VALIDATION_FAILED');
    expect((await call('dave', 'POST', `${url}/reassign`, to(9, members.bob))).statusCode).toBe(409);

    const moved = await call('dave', 'POST', `${url}/reassign`, to(1, members.bob));
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ version: 2, from: members.alice, to: members.bob });
    expect((await call('alice', 'GET', url)).statusCode).toBe(404);
    expect((await call('bob', 'GET', url)).json()).toMatchObject({ ownerId: members.bob, values: { title: 'R1' } });
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['actorId', 'targetId'])
      .where('action', '=', 'form.record.reassign')
      .execute();
    expect(audit).toEqual([{ actorId: members.dave, targetId: record.id }]);
  });

  it('keeps saved views per member, only on forms the member may see', async () => {
    const url = `/api/form-views/${PACK}/${KEY}`;
    const spec = { filters: [{ field: 'amount', op: 'gte', value: 100000 }], sort: [], columns: ['title', 'amount'] };
    const saved = await call('alice', 'PUT', url, { name: '大额', spec });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ name: '大额', spec });
    expect((await call('alice', 'GET', url)).json().items.map((v: { name: string }) => v.name)).toEqual(['大额']);
    expect((await call('bob', 'GET', url)).json().items).toEqual([]);
    // Someone who may not see the form learns nothing about it, not even that it exists.
    const outsider = await call('mallory', 'GET', url);
    expect(outsider.statusCode).toBe(404);
    expect(outsider.json().code).toBe('FORM_NOT_PUBLISHED');
    expect((await call('mallory', 'PUT', url, { name: 'x', spec: {} })).statusCode).toBe(404);
    const bad = await call('alice', 'PUT', url, {
      name: '坏',
      spec: { filters: [{ field: 'title; drop table x', op: 'eq', value: 1 }], columns: ['__proto__'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('FORM_VIEW_INVALID');
    expect(bad.json().fields.map((f: { path: string }) => f.path)).toEqual(['spec.filters.0.field', 'spec.columns.0']);
    expect((await call('bob', 'DELETE', `${url}/${saved.json().id}`)).statusCode).toBe(404);
    expect((await call('alice', 'DELETE', `${url}/${saved.json().id}`)).statusCode).toBe(204);
    expect((await call('alice', 'GET', url)).json().items).toEqual([]);
  });
});
