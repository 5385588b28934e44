import {
  asMember,
  buildDemoOrg,
  createResolver,
  defineForm,
  definePack,
  type FormDefinition,
  installPack,
  isBatonError,
  packPlatformMigrations,
  type ReportResult,
  wireRules,
} from '@baton/pack';
import { createTestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm } from '../pack.ts';
import { openScenario, type Scenario } from './setup.ts';

// The stale-opportunities report (P-64) against figures worked out by hand from demo/opportunities.ts, on the
// fake clock (2026-11-30 10:00 China time; every demo opportunity was entered that day, follow-ups are days
// before it). Last activity per open opportunity (won o04 and lost o05 never count):
//   o01 −4 d · o02 −9 d · o03 −45 d · o06 −2 d · o07 −11 d · o08 no follow-up, entered today (0 d)
// Also: 领导批示 written only by directors and sales management, and the pack upgrading in place.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const refId = (ref: string) => s.demo.refs[ref] as string;
const admin = () => s.as('staff:销售管理部:0');
const total = (result: ReportResult, measure: string) => result.rows.find((r) => r.kind === 'total')?.values[measure];
const byManager = (result: ReportResult) =>
  Object.fromEntries(
    result.rows.filter((r) => r.kind === 'detail').map((r) => [String(r.keys.salesManagerA), r.values.opportunities]),
  );

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  return 'OK';
}

describe('stale opportunities (no follow-up in N days, N a parameter)', () => {
  it('lists, by sales manager A, the open opportunities past N days; 30 by default', async () => {
    const view = await admin();
    const keyAccounts = await s.memberId('staff:大客户小组:0');
    const byDefault = await view.report('staleOpportunities');
    expect(byManager(byDefault)).toEqual({ [keyAccounts]: 1 });
    expect(total(byDefault, 'amount')).toBe(30_000_000);
    expect(total(await view.report('staleOpportunities', { days: 10 }), 'opportunities')).toBe(2); // o03 o07
    expect(total(await view.report('staleOpportunities', { days: 5 }), 'opportunities')).toBe(3); // + o02
    expect(total(await view.report('staleOpportunities', { days: 3 }), 'opportunities')).toBe(4); // + o01
    const one = await view.report('staleOpportunities', { days: 1 }); // + o06; o08 (0 days) never
    expect(total(one, 'opportunities')).toBe(5);
    expect(total(one, 'amount')).toBe(38_000_000 + 12_000_000 + 30_000_000 + 3_000_000 + 9_000_000);
    expect(await code(view.report('staleOpportunities', { days: 0 }))).toBe('REPORT_PARAM_INVALID');
  });

  it('a salesperson’s own view only counts what they reach', async () => {
    const mine = await (await s.as('staff:大客户小组:0')).report('staleOpportunities');
    expect(total(mine, 'opportunities')).toBe(1);
    const none = await (await s.as('staff:北京销售一组:0')).report('staleOpportunities');
    expect(total(none, 'opportunities') ?? 0).toBe(0);
  });

  it('sales management reassigns the stale one; a follow-up by the new manager takes it off the list', async () => {
    const view = await admin();
    const o03 = await view.get('opportunity', refId('o03'));
    const newOwner = await s.memberId('staff:北京销售一组:1');
    await view.reassign('opportunity', o03.id, o03.version, newOwner);
    const moved = await s.as('staff:北京销售一组:1');
    const after = await moved.get('opportunity', o03.id);
    expect(after.values.salesManagerA).toBe(newOwner);
    expect(byManager(await view.report('staleOpportunities'))).toEqual({ [newOwner]: 1 });
    const followUps = [
      ...(after.values.followUps as Record<string, unknown>[]).map(({ id: _id, rowNo: _rowNo, ...row }) => row),
      { date: '2026-11-30', stage: 'qualified', note: '接手后首次回访。', nextStep: '约见' },
    ];
    await moved.update('opportunity', o03.id, after.version, { followUps });
    expect(total(await view.report('staleOpportunities'), 'opportunities') ?? 0).toBe(0);
  });

  it('follows the fake clock: twenty days on, o07 (last follow-up 31 days back) joins', async () => {
    s.ctx.clock.advance(20 * 86_400_000);
    // o03 was followed up today (20 days ago now); o07: 11 + 20 = 31 > 30; o02: 29; o01: 24; o06: 22; o08: 20.
    const result = await (await admin()).report('staleOpportunities');
    expect(byManager(result)).toEqual({ [await s.memberId('staff:华东销售部:2')]: 1 });
  });
});

describe('领导批示: written by directors and sales management only (field permissions)', () => {
  it('a salesperson reads it and cannot change it; the director and sales management can', async () => {
    const mine = await s.as('staff:北京销售一组:0');
    const c02 = await mine.get('customerArchive', refId('c02'));
    expect(await code(mine.update('customerArchive', c02.id, c02.version, { leaderComment: '自己批' }))).toBe(
      'ACCESS_FIELD_NOT_WRITABLE',
    );
    expect(await code(mine.create('customerArchive', { companyName: '新客户有限公司', leaderComment: '批示' }))).toBe(
      'ACCESS_FIELD_NOT_WRITABLE',
    );
    // The echo of a whole record, as the form editor sends it, is fine.
    const saved = await mine.update('customerArchive', c02.id, c02.version, { ...c02.values, postcode: '100001' });
    expect(saved.values.postcode).toBe('100001');
    const director = await s.as('head:华北销售部');
    const commented = await director.update('customerArchive', c02.id, saved.version, { leaderComment: '尽快回访' });
    expect(commented.values.leaderComment).toBe('尽快回访');
    const adminView = await admin();
    const last = await adminView.update('customerArchive', c02.id, commented.version, { leaderComment: '已阅' });
    expect((await mine.get('customerArchive', c02.id)).values.leaderComment).toBe('已阅');
    expect(last.version).toBe(commented.version + 1);
  });
});

describe('the pack upgrades in place', () => {
  it('an installation of 1.2.0 with its demo data becomes 1.3.0: data kept, the report and the new reach work', async () => {
    // 1.2.0 as it was: no stale report, opportunities reach their owner only, no field permissions.
    const strip = (form: FormDefinition, key: 'assignedTo' | 'fieldAccess'): FormDefinition => {
      const { hash: _hash, [key]: _dropped, ...rest } = form;
      return defineForm(rest);
    };
    const { hash: _hash, ...current } = crm;
    const previous = definePack({
      ...current,
      version: '1.2.0',
      forms: crm.forms.map((form) =>
        form.key === 'opportunity'
          ? strip(form, 'assignedTo')
          : form.key === 'customerArchive'
            ? strip(form, 'fieldAccess')
            : form,
      ),
      reports: crm.reports.filter((report) => report.key !== 'staleOpportunities'),
      menus: crm.menus.map((menu) => ({ ...menu, items: menu.items.filter((item) => item.key !== 'stale') })),
    });
    const unwire = wireRules();
    const database = await createTestDatabase({ migrations: [...packPlatformMigrations] });
    try {
      const ctx = testCtx(database.db);
      ctx.clock.set('2026-11-30T02:00:00.000Z');
      await buildDemoOrg(ctx);
      expect((await installPack(ctx, previous, { demo: true })).outcome).toBe('installed');
      const resolver = createResolver(ctx, 'crm');
      const head = asMember(ctx, 'crm', await resolver.member('head:北京销售一组'));
      expect(await head.list('opportunity')).toHaveLength(0);

      const upgraded = await installPack(ctx, crm, { demo: true });
      expect(upgraded).toMatchObject({ outcome: 'upgraded', previousVersion: '1.2.0', version: '1.3.0' });
      expect(upgraded.reports.find((report) => report.key === 'staleOpportunities')).toBeDefined();
      const salesAdmin = asMember(ctx, 'crm', await resolver.member('staff:销售管理部:0'));
      expect(await salesAdmin.list('opportunity')).toHaveLength(8);
      expect(total(await salesAdmin.report('staleOpportunities'), 'opportunities')).toBe(1);
      expect(await head.list('opportunity')).toHaveLength(3);
      expect((await installPack(ctx, crm)).outcome).toBe('unchanged');
    } finally {
      unwire();
      await database.cleanup();
    }
  }, 120_000);
});
