import { publishForm } from '@baton/form';
import { assignRole, createRole } from '@baton/org';
import {
  deleteDashboard,
  getReport,
  listDashboards,
  listPins,
  listReports,
  pinReport,
  portalOf,
  publishReport,
  type ReportDefinitionInput,
  runReport,
  saveDashboard,
  unpinReport,
} from '@baton/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMember, contractForm, openEnv, seed, type World } from './fixtures.ts';

// Published definitions (versioned, unchanged republish is a no-op, validated against the published forms),
// running a published report by name, a definition that no longer fits its form, pins and role dashboards.

let world: World;
const l = (zh: string, en: string) => ({ zh, en });

const definition: ReportDefinitionInput = {
  pack: 'crm',
  key: 'byKind',
  label: l('按类型', 'By kind'),
  form: { pack: 'crm', key: 'contract' },
  params: [{ key: 'period', type: 'dateRange', label: l('期间', 'Period'), default: { preset: 'thisYear' } }],
  filters: [{ field: 'signDate', param: 'period' }],
  rows: [{ field: 'kind' }],
  measures: [{ key: 'amount', agg: 'sum', field: 'amount' }],
};

beforeAll(async () => {
  world = await seed(await openEnv());
});
afterAll(() => world?.env.database.cleanup());

describe('published reports', () => {
  it('publishes versions, skips an unchanged one and lists the latest', async () => {
    const ctx = asMember(world.env.ctx, world.members.mona);
    const first = await publishReport(ctx, definition);
    expect(first).toMatchObject({ pack: 'crm', key: 'byKind', version: 1, unchanged: false });
    expect(await publishReport(ctx, definition)).toMatchObject({ version: 1, unchanged: true, hash: first.hash });
    const second = await publishReport(ctx, { ...definition, totals: true });
    expect(second).toMatchObject({ version: 2, unchanged: false });
    expect((await getReport(ctx, { pack: 'crm', key: 'byKind' })).definition.totals).toBe(true);
    const old = await getReport(ctx, { pack: 'crm', key: 'byKind', version: 1 });
    expect(old).toMatchObject({ version: 1, publishedBy: world.members.mona });
    expect(Object.isFrozen(old.definition)).toBe(true);
    expect(await listReports(ctx)).toEqual([
      expect.objectContaining({
        pack: 'crm',
        key: 'byKind',
        version: 2,
        form: 'crm.contract',
        label: definition.label,
      }),
    ]);
    expect(await listReports(ctx, { form: 'crm.customer' })).toEqual([]);
    await expect(getReport(ctx, { pack: 'crm', key: 'nothing' })).rejects.toMatchObject({ code: 'REPORT_NOT_FOUND' });
  });

  it('refuses a definition that does not fit the published form, with every issue and its path', async () => {
    await expect(
      publishReport(world.env.ctx, {
        ...definition,
        rows: [{ field: 'colour' }],
        measures: [{ key: 'amount', agg: 'sum', field: 'title' }],
      }),
    ).rejects.toMatchObject({
      code: 'REPORT_DEFINITION_INVALID',
      fields: [
        expect.objectContaining({ path: ['rows', 0, 'field'], code: 'unknown_field' }),
        expect.objectContaining({ path: ['measures', 0, 'field'], code: 'aggregate_type' }),
      ],
    });
    await expect(publishReport(world.env.ctx, { ...definition, form: 'crm.nothing' })).rejects.toMatchObject({
      code: 'REPORT_DEFINITION_INVALID',
      fields: [expect.objectContaining({ path: ['form'], code: 'unknown_form' })],
    });
  });

  it('runs a published report by name with its defaults', async () => {
    const result = await runReport(world.env.ctx, {
      report: { pack: 'crm', key: 'byKind' },
      viewer: world.viewers.mona,
    });
    const thisYear = world.contracts.filter((c) => c.signDate >= '2026-01-01');
    expect(result.rows.at(-1)).toMatchObject({
      kind: 'total',
      values: { amount: thisYear.reduce((s, c) => s + c.amount, 0) },
    });
  });

  it('says REPORT_DEFINITION_STALE when a field the report reads leaves the form', async () => {
    await publishReport(world.env.ctx, { ...definition, key: 'byVip', rows: [{ field: 'vip' }] });
    const without = { ...contractForm, fields: contractForm.fields.filter((f) => f.key !== 'vip') };
    await publishForm(world.env.ctx, without);
    await expect(
      runReport(world.env.ctx, { report: { pack: 'crm', key: 'byVip' }, viewer: world.viewers.mona }),
    ).rejects.toMatchObject({
      code: 'REPORT_DEFINITION_STALE',
      status: 409,
      fields: [expect.objectContaining({ path: ['rows', 0, 'field'] })],
    });
    // Reports not reading it still run.
    await expect(
      runReport(world.env.ctx, { report: { pack: 'crm', key: 'byKind' }, viewer: world.viewers.mona }),
    ).resolves.toBeTruthy();
    await publishForm(world.env.ctx, contractForm);
  });
});

describe('pins and dashboards', () => {
  it('pins reports to a member’s portal with checked parameters', async () => {
    const memberId = world.members.alice;
    await pinReport(world.env.ctx, {
      memberId,
      pack: 'crm',
      key: 'byKind',
      params: { period: { preset: 'lastYear' } },
    });
    await pinReport(world.env.ctx, { memberId, pack: 'crm', key: 'byVip' });
    await expect(
      pinReport(world.env.ctx, { memberId, pack: 'crm', key: 'byKind', params: { period: { from: 'soon' } } }),
    ).rejects.toMatchObject({
      code: 'REPORT_PARAM_INVALID',
      fields: [expect.objectContaining({ path: ['params', 'period', 'from'] })],
    });
    await expect(pinReport(world.env.ctx, { memberId, pack: 'crm', key: 'nothing' })).rejects.toMatchObject({
      code: 'REPORT_NOT_FOUND',
    });
    const pins = await listPins(world.env.ctx, { memberId });
    expect(pins.map((p) => [p.key, p.params])).toEqual([
      ['byKind', { period: { preset: 'lastYear' } }],
      ['byVip', null],
    ]);
    // Pinning again replaces the parameters and keeps the place.
    await pinReport(world.env.ctx, { memberId, pack: 'crm', key: 'byKind' });
    expect((await listPins(world.env.ctx, { memberId })).map((p) => [p.key, p.sort, p.params])).toEqual([
      ['byKind', 1, null],
      ['byVip', 2, null],
    ]);
    expect(await unpinReport(world.env.ctx, { memberId, pack: 'crm', key: 'byVip' })).toBe(true);
    expect(await unpinReport(world.env.ctx, { memberId, pack: 'crm', key: 'byVip' })).toBe(false);
    expect(await listPins(world.env.ctx, { memberId: world.members.bob })).toEqual([]);
  });

  it('shows each member the dashboards of the roles they hold', async () => {
    await createRole(world.env.ctx, { code: 'salesDirector', name: '销售总监', kind: 'business' });
    await assignRole(world.env.ctx, { role: 'salesDirector', memberId: world.members.dora });
    const saved = await saveDashboard(world.env.ctx, {
      key: 'salesBoard',
      role: 'salesDirector',
      label: l('销售看板', 'Sales board'),
      items: [{ pack: 'crm', key: 'byKind', chart: 'bar', params: { period: { preset: 'thisQuarter' } } }],
    });
    expect(saved).toMatchObject({ version: 1, items: [{ pack: 'crm', key: 'byKind', chart: 'bar', span: 12 }] });
    await expect(
      saveDashboard(world.env.ctx, { key: 'salesBoard', role: 'salesDirector', label: l('x', 'x'), items: [] }),
    ).rejects.toMatchObject({ code: 'DB_VERSION_CONFLICT' });
    await expect(
      saveDashboard(world.env.ctx, {
        key: 'badBoard',
        role: 'salesDirector',
        label: l('x', 'x'),
        items: [{ pack: 'crm', key: 'byKind', params: { period: { preset: 'someday' } } }],
      }),
    ).rejects.toMatchObject({
      code: 'REPORT_PARAM_INVALID',
      fields: [expect.objectContaining({ path: ['items', 0, 'params', 'period', 'preset'] })],
    });
    const { key, role, items } = saved;
    const updated = await saveDashboard(world.env.ctx, {
      key,
      role,
      items,
      label: l('销售总览', 'Sales overview'),
      version: 1,
    });
    expect(updated).toMatchObject({ version: 2, label: { en: 'Sales overview' } });
    await expect(
      saveDashboard(world.env.ctx, { key, role, items, label: saved.label, version: 1 }),
    ).rejects.toMatchObject({
      code: 'DB_VERSION_CONFLICT',
    });

    const dora = await portalOf(world.env.ctx, { memberId: world.members.dora });
    expect(dora.dashboards.map((d) => d.key)).toEqual(['salesBoard']);
    expect((await portalOf(world.env.ctx, { memberId: world.members.bob })).dashboards).toEqual([]);
    expect(await listDashboards(world.env.ctx)).toHaveLength(1);
    await deleteDashboard(world.env.ctx, { key: 'salesBoard' });
    await expect(deleteDashboard(world.env.ctx, { key: 'salesBoard' })).rejects.toMatchObject({
      code: 'REPORT_DASHBOARD_NOT_FOUND',
    });
  });
});
