import { listRolePermissions, permissionsOf } from '@baton/access';
import { createFakeClock, type FakeClock, isBatonError } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { listRecords, publishForm } from '@baton/form';
import { listRoles } from '@baton/org';
import {
  asMember,
  buildDemoOrg,
  createResolver,
  definePack,
  exportPack,
  installPack,
  listInstalledPacks,
  type PackInput,
  packMenus,
  packPlatformMigrations,
  validatePack,
  wireRules,
} from '@baton/pack';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPack } from './fixtures.ts';

let database: TestDatabase;
let ctx: DbCtx & { clock: FakeClock };
const unwire = wireRules();

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  ctx = testCtx(database.db, { clock: createFakeClock('2026-11-30T02:00:00.000Z') });
  await buildDemoOrg(ctx);
});
afterAll(async () => {
  unwire();
  await database?.cleanup();
});

async function caught(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

/** What an install can touch, counted: a failed install must leave every figure as it was. */
async function footprint(pack: string) {
  const count = async (table: 'baton_form_definition' | 'baton_flow_definition') =>
    (await ctx.db.selectFrom(table).select('key').where('pack', '=', pack).execute()).length;
  const tables = await ctx.db.introspection.getTables();
  return {
    forms: await count('baton_form_definition'),
    flows: await count('baton_flow_definition'),
    tables: tables.filter((t) => t.name.startsWith(`f_${pack}_`)).length,
    installs: (await ctx.db.selectFrom('baton_pack_install').select('key').where('key', '=', pack).execute()).length,
    roles: (await listRoles(ctx)).length,
    audit: Number((await ctx.db.selectFrom('baton_access_audit_head').select('seq').executeTakeFirst())?.seq ?? 0),
  };
}

describe('installPack', () => {
  it('installs forms, flows, roles with their permissions and the demo data, in one go', async () => {
    const report = await installPack(ctx, definePack(tinyPack()), { demo: true });
    expect(report).toMatchObject({
      key: 'tiny',
      version: '1.0.0',
      outcome: 'installed',
      previousVersion: null,
      forms: [
        { key: 'ledger', version: 1, unchanged: false },
        { key: 'request', version: 1, unchanged: false },
      ],
      flows: [{ key: 'requestApproval', version: 1, unchanged: false }],
      rules: [{ key: 'lendLedger', version: 1, unchanged: false }],
      reports: [{ key: 'ledgerByKeeper', version: 1, unchanged: false }],
      rolesCreated: ['tinyClerk', 'tinyReviewer'],
    });
    expect(report.demo).toMatchObject({ assignments: 3, records: 2, filings: 2 });
    expect(await listRolePermissions(ctx, { role: 'tinyClerk' })).toEqual([
      'flow.tiny.requestApproval.start',
      'form.tiny.ledger.create',
    ]);
    // The demo records were filed by the members named, under their departments.
    const resolver = createResolver(ctx, 'tiny');
    const north = await resolver.member('staff:北京销售一组:0');
    const reviewer = await resolver.member('head:销售管理部');
    const all = await listRecords(ctx, { pack: 'tiny', key: 'ledger' });
    expect(all.records.map((r) => [r.values.title, r.ownerId])).toEqual(expect.arrayContaining([['北京台账', north]]));
    const northRecord = all.records.find((r) => r.values.title === '北京台账');
    expect(northRecord?.values).toMatchObject({ amount: 1_250_000, keeper: north, opened: '2026-11-20' });
    // The approved filing went through the flow: the reviewer's opinion sits in its slot.
    const requests = await asMember(ctx, 'tiny', reviewer).list('request');
    expect(requests.map((r) => [r.values.subject, r.state]).sort()).toEqual([
      ['待审', 'running'],
      ['查阅北京台账', 'approved'],
    ]);
    const approved = requests.find((r) => r.state === 'approved');
    expect(approved?.values.reviewOpinion).toMatchObject({ text: '同意', memberId: reviewer });
    expect(approved?.values.ledgerAmount).toBe(1_250_000);
    expect((await asMember(ctx, 'tiny', reviewer).pending()).map((t) => t.title)).toHaveLength(1);
    expect(await listInstalledPacks(ctx)).toMatchObject([{ key: 'tiny', version: '1.0.0' }]);
    expect((await packMenus(ctx))[0]?.menus[0]?.items.map((i) => i.key)).toEqual(['ledgers', 'newRequest', 'byKeeper']);
  });

  it('scopes records through the roles it granted: own for a clerk, all for a reviewer, nothing for others', async () => {
    const resolver = createResolver(ctx, 'tiny');
    const north = asMember(ctx, 'tiny', await resolver.member('staff:北京销售一组:0'));
    const east = asMember(ctx, 'tiny', await resolver.member('staff:华东销售部:0'));
    const reviewer = asMember(ctx, 'tiny', await resolver.member('head:销售管理部'));
    const outsider = asMember(ctx, 'tiny', await resolver.member('staff:会计核算部:0'));
    const titles = async (view: typeof north) => (await view.list('ledger')).map((r) => r.values.title).sort();
    expect(await titles(north)).toEqual(['北京台账']);
    // The demo's approved request lent 北京台账 to its filer for 7 days (the pack's rule, through a grant).
    expect(await titles(east)).toEqual(['北京台账', '华东台账']);
    expect(await titles(reviewer)).toEqual(['北京台账', '华东台账']);
    expect(await titles(outsider)).toEqual([]);
    // Reports run with the same scopes: a clerk counts their own ledger, the reviewer both.
    const figures = async (view: typeof north) =>
      (await view.report('ledgerByKeeper')).rows
        .filter((row) => row.kind === 'detail')
        .map((row) => Number(row.values.amount))
        .sort((a, b) => a - b);
    expect(await figures(north)).toEqual([1_250_000]);
    expect(await figures(reviewer)).toEqual([300_000, 1_250_000]);
    expect(await caught(outsider.create('ledger', { title: 'x' }))).toBe('ACCESS_FORBIDDEN');
    expect(await caught(outsider.submit('requestApproval', { subject: 'x' }))).toBe('ACCESS_FORBIDDEN');
    const eastRecord = (await reviewer.list('ledger')).find((r) => r.values.title === '华东台账');
    expect(await caught(north.get('ledger', eastRecord?.id as string))).toBe('FORM_RECORD_NOT_FOUND');
    expect(await caught(north.update('ledger', eastRecord?.id as string, 1, { title: 'mine' }))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
    // A read grant does not let the borrower change the record; at expiry it ends.
    const lent = (await east.list('ledger')).find((r) => r.values.title === '北京台账');
    expect(await caught(east.update('ledger', lent?.id as string, lent?.version as number, { title: 'x' }))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
    ctx.clock.advance(7 * 86_400_000 + 1);
    expect(await titles(east)).toEqual(['华东台账']);
  });

  it('is a no-op for the same content: nothing written, not even an audit row', async () => {
    const before = await footprint('tiny');
    const report = await installPack(ctx, definePack(tinyPack()), { demo: true });
    expect(report.outcome).toBe('unchanged');
    expect(report.demo).toBeNull();
    expect(await footprint('tiny')).toEqual(before);
  });

  it('upgrades a new version in place: new form and flow versions, data kept, dropped grants revoked, no second demo', async () => {
    const v1 = tinyPack();
    const [ledger, request] = v1.forms;
    const v2: PackInput = {
      ...v1,
      version: '1.1.0',
      forms: [
        {
          ...(ledger as NonNullable<typeof ledger>),
          fields: [...(ledger?.fields ?? []), { key: 'category', label: { zh: '类别', en: 'Category' }, type: 'text' }],
        },
        request as NonNullable<typeof request>,
      ],
      roles: v1.roles.map((role) =>
        role.code === 'tinyReviewer' ? { ...role, permissions: [{ form: 'ledger', read: ['all'] }] } : role,
      ),
    };
    const report = await installPack(ctx, definePack(v2), { demo: true });
    expect(report).toMatchObject({
      outcome: 'upgraded',
      previousVersion: '1.0.0',
      forms: [
        { key: 'ledger', version: 2, unchanged: false },
        { key: 'request', version: 1, unchanged: true },
      ],
      rolesCreated: [],
      revoked: 1,
      demo: null,
    });
    // The flow's form did not change, so neither did the flow.
    expect(report.flows).toEqual([{ key: 'requestApproval', version: 1, unchanged: true }]);
    const records = await listRecords(ctx, { pack: 'tiny', key: 'ledger' });
    expect(records.records).toHaveLength(2);
    expect(records.records.find((r) => r.values.title === '北京台账')?.values).toMatchObject({
      amount: 1_250_000,
      category: null,
    });
    expect(await listRolePermissions(ctx, { role: 'tinyReviewer' })).toEqual(['form.tiny.ledger.read.all']);
    const reviewer = await createResolver(ctx, 'tiny').member('head:销售管理部');
    expect((await permissionsOf(ctx, reviewer)).has('form.tiny.request.read.all')).toBe(false);
    expect(await listInstalledPacks(ctx)).toMatchObject([{ key: 'tiny', version: '1.1.0' }]);
  });

  it('refuses to replace an installed version with an older one', async () => {
    expect(await caught(installPack(ctx, definePack(tinyPack({ version: '1.0.9' }))))).toBe('PACK_DOWNGRADE');
  });

  it('changes nothing when any part of the install fails (one transaction)', async () => {
    const base = tinyPack();
    const broken = definePack({
      ...base,
      key: 'broken',
      forms: [{ ...(base.forms[0] as PackInput['forms'][number]), pack: 'broken' }],
      flows: [],
      rules: [],
      reports: [],
      menus: [],
      roles: [
        {
          code: 'brokenClerk',
          name: { zh: '坏记账员', en: 'Broken clerk' },
          permissions: [{ form: 'ledger', create: true }],
        },
      ],
      demo: {
        assignments: [{ role: 'brokenClerk', members: ['staff:北京销售一组:0'] }],
        records: [
          { form: 'ledger', by: 'staff:北京销售一组:0', values: { title: '好的' } },
          // the last step fails: money is integer fen
          { form: 'ledger', by: 'staff:北京销售一组:0', values: { title: '坏的', amount: 'a lot' } },
        ],
      },
    } as PackInput);
    const before = await footprint('broken');
    expect(before).toMatchObject({ forms: 0, tables: 0, installs: 0 });
    expect(await caught(installPack(ctx, broken, { demo: true }))).toBe('FORM_VALIDATION_FAILED');
    expect(await footprint('broken')).toEqual(before);
  });

  it('exports the installed pack with the latest definitions, and the export validates as a pack', async () => {
    // A designer changes a form of the pack after the install: the export carries that version.
    const current = await exportPack(ctx, { key: 'tiny' });
    const ledger = current.forms.find((f) => f.key === 'ledger');
    const { hash: _hash, ...edited } = { ...(ledger as NonNullable<typeof ledger>) };
    await publishForm(ctx, {
      ...edited,
      fields: [...edited.fields, { key: 'remark', label: { zh: '备注', en: 'Remark' }, type: 'longtext' }],
    } as never);
    const exported = await exportPack(ctx, { key: 'tiny' });
    expect(exported).toMatchObject({ format: 'baton.pack/1', key: 'tiny', version: '1.1.0', demo: {} });
    expect(exported.forms.map((f) => f.key)).toEqual(['ledger', 'request']);
    expect(exported.reports.map((r) => r.key)).toEqual(['ledgerByKeeper']);
    expect(exported.rules.map((r) => r.key)).toEqual(['lendLedger']);
    expect(exported.forms[0]?.fields.map((f) => f.key)).toContain('remark');
    expect(validatePack(JSON.parse(JSON.stringify(exported)))).toEqual([]);
    expect((await exportPack(ctx, { key: 'tiny', includeDemo: true })).demo.records).toHaveLength(2);
    expect(await caught(exportPack(ctx, { key: 'nothing' }))).toBe('PACK_NOT_INSTALLED');
  });

  // SQLite serialises writers with BEGIN IMMEDIATE (one connection per process); PostgreSQL needs the placeholder row.
  it.runIf(testDialect === 'postgres')(
    'two processes installing the same new pack at once: one installs, one finds it installed',
    async () => {
      const second = database.openSecond();
      const base = tinyPack();
      const twin = definePack({
        ...base,
        key: 'twin',
        forms: [{ ...(base.forms[0] as PackInput['forms'][number]), pack: 'twin' }],
        flows: [],
        rules: [],
        reports: [],
        menus: [],
        roles: [
          { code: 'twinClerk', name: { zh: '记账员', en: 'Clerk' }, permissions: [{ form: 'ledger', create: true }] },
        ],
        demo: {},
      } as PackInput);
      const outcomes = await Promise.all([
        installPack(ctx, twin),
        installPack(testCtx(second.db, { clock: ctx.clock }), twin),
      ]);
      expect(outcomes.map((r) => r.outcome).sort()).toEqual(['installed', 'unchanged']);
      expect((await footprint('twin')).forms).toBe(1);
    },
  );
});
