import { accessMigrations } from '@baton/access';
import { flowMigrations } from '@baton/flow';
import { createRecord, formMigrations, onRecordEvent, publishForm } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { applyRules, ruleMigrations } from '@baton/rule';
import { scheduleMigrations } from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, declareFormPermissions, rulesRoutes } from '../src/index.ts';
import { PASSWORD, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// The rules API with real sign-ins: rule.design publishes (every problem with its path, audited) and lists; a
// member who may read an archive record reads its change history, others get 404.

const l = (zh: string, en: string) => ({ zh, en });

let database: TestDatabase;
let app: BatonServer;
let off: () => void;
let signed: Record<string, Signed> = {};

const stock = {
  pack: 'inv',
  key: 'stock',
  kind: 'archive' as const,
  label: l('库存', 'Stock'),
  fields: [
    { key: 'sku', label: l('物料', 'SKU'), type: 'text', required: true },
    { key: 'quantity', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
  ],
  keys: [['sku']],
};
const inbound = { ...stock, key: 'inbound', label: l('入库', 'Inbound'), keys: [] };
const rule = {
  pack: 'inv',
  key: 'receive',
  name: l('入库加库存', 'Receive stock'),
  on: { form: 'inv.inbound', events: ['created'] },
  actions: [
    {
      kind: 'writeBack',
      form: 'inv.stock',
      mode: 'upsert',
      match: { sku: 'sku' },
      set: { quantity: 'COALESCE($target.quantity, 0) + quantity' },
      changeLog: true,
    },
  ],
};

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [scheduleMigrations, orgMigrations, accessMigrations, formMigrations, flowMigrations, ruleMigrations],
  });
  off = onRecordEvent((tx, event) => applyRules(tx, { record: event }).then(() => undefined));
  const ctx = seedCtx(database.db);
  const dept = await seedDepartment(ctx, { name: '仓储部', code: 'W' });
  await publishForm(ctx, stock);
  await publishForm(ctx, inbound);
  declareFormPermissions('inv', 'stock');
  await seedRoles(ctx, { designer: ['rule.design'], keeper: ['form.inv.stock.read.all'] });
  const members = await seedMembers(ctx, [
    ['designer', dept.id, 'designer'],
    ['keeper', dept.id, 'keeper'],
    ['mallory', dept.id],
  ]);
  app = await serverWith(database.db, [rulesRoutes({ db: database.db })]);
  signed = await signInAll(app, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  off?.();
  await app?.close();
  await database?.cleanup();
});

const call = (as: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload, 'zh-CN');

describe('rules API', () => {
  it('lets only rule.design publish, answers every problem with its path, and audits the publication', async () => {
    expect((await call('mallory', 'POST', '/api/rules', rule)).statusCode).toBe(403);
    const bad = await call('designer', 'POST', '/api/rules', {
      ...rule,
      actions: [{ kind: 'writeBack', form: 'inv.stock', set: { nothing: '1', quantity: "'x'" } }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'RULE_DEFINITION_INVALID' });
    expect(bad.json().fields.map((f: { path: string }) => f.path)).toEqual([
      'actions.0.set.nothing',
      'actions.0.set.quantity',
    ]);
    const ok = await call('designer', 'POST', '/api/rules', rule);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 1, unchanged: false });
    const listed = await call('designer', 'GET', '/api/rules?form=inv.inbound');
    expect(listed.json().rules.map((r: { key: string }) => r.key)).toEqual(['receive']);
    const one = await call('designer', 'GET', '/api/rules/inv/receive');
    expect(one.json()).toMatchObject({ version: 1, definition: { key: 'receive' } });
    expect((await call('designer', 'GET', '/api/rules/inv/none')).statusCode).toBe(404);
    expect((await call('keeper', 'GET', '/api/rules')).statusCode).toBe(403);
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['action', 'targetId'])
      .where('action', '=', 'rule.definition.publish')
      .execute();
    expect(audit).toEqual([{ action: 'rule.definition.publish', targetId: 'inv.receive' }]);
  });

  it('shows a record’s change history to members who may read the record, 404 to others', async () => {
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    const first = await createRecord(ctx, { pack: 'inv', key: 'inbound', values: { sku: 'DISK', quantity: 3 } });
    await createRecord(ctx, { pack: 'inv', key: 'inbound', values: { sku: 'DISK', quantity: 2 } });
    const stockRow = await database.db
      // biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
      .selectFrom('f_inv_stock' as any)
      .select('id')
      .executeTakeFirstOrThrow();
    const url = `/api/rules/changes/inv/stock/${(stockRow as { id: string }).id}`;
    const seen = await call('keeper', 'GET', url);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().changes.map((c: { op: string; after: unknown }) => [c.op, c.after])).toEqual([
      ['update', { quantity: 5 }],
      ['insert', { sku: 'DISK', quantity: 3 }],
    ]);
    expect(seen.json().changes[1].source).toEqual({ pack: 'inv', key: 'inbound', recordId: first.id });
    expect((await call('mallory', 'GET', url)).statusCode).toBe(404);
    const runs = await call('designer', 'GET', `/api/rules/runs/${first.id}`);
    expect(runs.json().runs).toHaveLength(1);
    // The rule's own latest runs, newest first, each naming the record it ran for.
    const recent = await call('designer', 'GET', '/api/rules/inv/receive/runs?limit=5');
    expect(recent.statusCode, recent.body).toBe(200);
    expect(recent.json().runs).toHaveLength(2);
    expect(recent.json().runs[1]).toMatchObject({
      rule: 'inv.receive',
      eventType: 'created',
      state: 'applied',
      record: { pack: 'inv', key: 'inbound', id: first.id },
    });
    expect((await call('keeper', 'GET', '/api/rules/inv/receive/runs')).statusCode).toBe(403);
  });

  it('checks a draft for the rule editor with every issue and its path, storing nothing', async () => {
    const draft = {
      ...rule,
      key: 'draft',
      when: 'quantity >',
      actions: [{ kind: 'writeBack', form: 'inv.stock', mode: 'update', set: { nothing: '1' } }],
    };
    expect((await call('keeper', 'POST', '/api/rules/validate', draft)).statusCode).toBe(403);
    const checked = await call('designer', 'POST', '/api/rules/validate', draft);
    expect(checked.statusCode, checked.body).toBe(200);
    const body = checked.json();
    expect(body.issues.map((issue: { path: unknown[] }) => issue.path.join('.'))).toEqual([
      'when',
      'actions.0.match',
      'actions.0.set.nothing',
    ]);
    expect(body.issues.every((issue: { message: string }) => issue.message.length > 0)).toBe(true);
    expect(body.forms).toEqual({ 'inv.inbound': 1, 'inv.stock': 1 });
    expect((await call('designer', 'GET', '/api/rules/inv/draft')).statusCode).toBe(404);
    const clean = await call('designer', 'POST', '/api/rules/validate', rule);
    expect(clean.json().issues).toEqual([]);
  });

  it('describes the action registry with each kind’s settings schema, the events and the $-context', async () => {
    expect((await call('keeper', 'GET', '/api/rules/registry')).statusCode).toBe(403);
    const res = await call('designer', 'GET', '/api/rules/registry');
    expect(res.statusCode, res.body).toBe(200);
    const registry = res.json();
    const writeBack = registry.actions.find((a: { kind: string }) => a.kind === 'writeBack');
    expect(writeBack.undoable).toBe(true);
    expect(writeBack.settings.properties.set['x-widget']).toBe('set');
    expect(writeBack.settings.properties.mode.enum).toEqual(['insert', 'update', 'upsert']);
    expect(writeBack.settings.properties.subtables['x-widget']).toBe('rows');
    expect(writeBack.output).toEqual({ values: { id: 'text' }, fieldsOf: 'form' });
    expect(registry.events.flow).toContain('approved');
    expect(registry.events.form).toEqual(['created', 'updated', 'voided']);
    expect(registry.context['initiator.memberId']).toBe('member');
  });

  it('lists every version of a rule, newest first, switched off by publishing it disabled', async () => {
    const off = await call('designer', 'POST', '/api/rules', { ...rule, enabled: false });
    expect(off.statusCode, off.body).toBe(200);
    const res = await call('designer', 'GET', '/api/rules/inv/receive/versions');
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .versions.map((v: { version: number; enabled: boolean; definition: { key: string } }) => [
          v.version,
          v.enabled,
          v.definition.key,
        ]),
    ).toEqual([
      [2, false, 'receive'],
      [1, true, 'receive'],
    ]);
    expect((await call('designer', 'GET', '/api/rules/inv/none/versions')).statusCode).toBe(404);
    expect((await call('keeper', 'GET', '/api/rules/inv/receive/versions')).statusCode).toBe(403);
  });
});
