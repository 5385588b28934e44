import { tableIndexes } from '@baton/db';
import { publishForm } from '@baton/form';
import {
  defineReport,
  explainReport,
  listReportIndexes,
  publishReport,
  type ReportDefinitionInput,
  runReport,
} from '@baton/report';
import { testDialect } from '@baton/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMember, forms, openEnv, seed, type World } from './fixtures.ts';

// Covering indexes derived from report definitions: published with the report (inside its transaction), shared
// by reports that derive the same one, an equivalent index already there is used instead, dropped when no
// report needs it any more; never over a column whose values are unbounded; the record-scope columns (owner,
// department, unit, assignedTo member fields, id) always covered. EXPLAIN shows the report's own
// statement reading the index alone on both databases, for a viewer who sees everything and for a director whose
// scopes and grants are in the WHERE, and the figures are the same with and without it.

let world: World;
const l = (zh: string, en: string) => ({ zh, en });
// biome-ignore lint/suspicious/noExplicitAny: form tables are not typed
const raw = () => world.env.database.db.withoutPlugins() as unknown as Kysely<any>;
const indexNames = async (table = 'f_crm_contract') => (await tableIndexes(raw(), table)).map((index) => index.name);

const byKindMonth: ReportDefinitionInput = {
  pack: 'crm',
  key: 'paidByKindMonth',
  label: l('按类型和月份', 'By kind and month'),
  form: { pack: 'crm', key: 'contract' },
  params: [{ key: 'period', type: 'dateRange', label: l('期间', 'Period') }],
  filters: [{ field: 'signDate', param: 'period' }],
  rows: [{ field: 'kind' }, { field: 'signDate', bucket: 'month', key: 'month' }],
  measures: [
    { key: 'count', agg: 'count' },
    { key: 'amount', agg: 'sum', field: 'amount' },
    { key: 'paid', agg: 'sum', field: 'amount', where: "status = 'paid'" },
  ],
  totals: true,
};
const period = { period: { from: '2026-01-01', to: '2026-01-31' } };

/** Rows like the seeded contracts, written straight into the table so the planners have something to choose on. */
async function bulk(rows: number) {
  const { members, departments } = world;
  const hq = (await raw().selectFrom('baton_org_unit').select('id').executeTakeFirstOrThrow()).id as string;
  const now = '2026-04-15T02:00:00.000Z';
  const owners = [
    [members.alice, departments.north],
    [members.bob, departments.south],
    [members.erin, departments.finance],
  ] as const;
  for (let start = 0; start < rows; start += 500) {
    const values = [];
    for (let g = start; g < Math.min(start + 500, rows); g++) {
      const [owner, department] = owners[g % owners.length] as readonly [string, string];
      values.push({
        id: `bulk${String(g).padStart(28, '0')}`,
        version: 1,
        created_by: 'test',
        created_at: now,
        updated_by: 'test',
        updated_at: now,
        state: 'active',
        owner_id: owner,
        department_id: department,
        unit_id: hq,
        title: `批量${g}`,
        kind: g % 3 === 0 ? 'product' : 'service',
        status: g % 2 === 0 ? 'paid' : 'open',
        sign_date: new Date(Date.UTC(2023, 0, 1 + (g % 1200))).toISOString().slice(0, 10),
        amount: 1_000 * (g % 97),
      });
    }
    await raw().insertInto('f_crm_contract').values(values).execute();
  }
  if (testDialect === 'postgres') await sql`vacuum analyze f_crm_contract`.execute(raw());
  else await sql`analyze`.execute(raw());
}

beforeAll(async () => {
  world = await seed(await openEnv());
  await bulk(6_000);
});
afterAll(() => world?.env.database.cleanup());

describe('indexes derived from report definitions', () => {
  it('publishes the index with the report: the range, the grouped columns, everything else the statement reads covered', async () => {
    const ctx = asMember(world.env.ctx, world.members.mona);
    const report = defineReport(byKindMonth, { forms });
    const before = await runReport(ctx, { report, params: period, viewer: world.viewers.mona });
    const published = await publishReport(ctx, byKindMonth);
    expect(published.index).toMatch(/^rx_[0-9a-f]{20}$/);
    expect(await listReportIndexes(ctx)).toEqual([
      {
        name: published.index,
        table: 'f_crm_contract',
        columns: ['sign_date', 'kind'],
        include: ['status', 'amount', 'voided_at', 'owner_id', 'department_id', 'unit_id', 'id'],
        reports: ['crm.paidByKindMonth'],
      },
    ]);
    const found = (await tableIndexes(raw(), 'f_crm_contract')).find((index) => index.name === published.index);
    const covered = ['status', 'amount', 'voided_at', 'owner_id', 'department_id', 'unit_id', 'id'];
    expect(found).toMatchObject(
      testDialect === 'postgres'
        ? { columns: ['sign_date', 'kind'], include: covered }
        : { columns: ['sign_date', 'kind', ...covered], include: [] },
    );
    // The same figures through the index.
    const after = await runReport(ctx, { report, params: period, viewer: world.viewers.mona });
    expect(after.rows).toEqual(before.rows);
    expect(after.rows.at(-1)?.values.count).toBeGreaterThan(100);
  });

  it('is what the report’s statement reads, for every viewer (EXPLAIN on both databases)', async () => {
    const ctx = world.env.ctx;
    const name = (await listReportIndexes(ctx))[0]?.name ?? 'none';
    const viewers = [world.viewers.mona, { ...world.viewers.dora, grants: true }];
    for (const viewer of viewers) {
      const plan = (
        await explainReport(ctx, { report: { pack: 'crm', key: 'paidByKindMonth' }, params: period, viewer })
      ).join('\n');
      if (testDialect === 'postgres') expect(plan).toMatch(new RegExp(`Index Only Scan using ${name}`));
      else expect(plan).toMatch(new RegExp(`USING COVERING INDEX ${name}`));
    }
  });

  it('shares an index between reports, keeps it while one needs it and drops it after the last', async () => {
    const ctx = asMember(world.env.ctx, world.members.mona);
    const name = (await listReportIndexes(ctx))[0]?.name ?? 'none';
    const twin = await publishReport(ctx, { ...byKindMonth, key: 'twin', label: l('同上', 'Twin') });
    expect(twin.index).toBe(name);
    expect(twin).toMatchObject({ unchanged: false });
    expect((await listReportIndexes(ctx))[0]?.reports).toEqual(['crm.paidByKindMonth', 'crm.twin']);

    // A whole-table report needs no index: the first one stops needing it, the twin still does.
    const whole = { ...byKindMonth, params: [], filters: [] };
    expect(await publishReport(ctx, whole)).toMatchObject({ version: 2, index: null });
    expect(await indexNames()).toContain(name);
    expect(await publishReport(ctx, { ...whole, key: 'twin', label: l('同上', 'Twin') })).toMatchObject({
      index: null,
    });
    expect(await indexNames()).not.toContain(name);
    expect(await listReportIndexes(ctx)).toEqual([]);

    // Publishing the filtered version again (its content is new again: version 3) brings the index back.
    expect(await publishReport(ctx, byKindMonth)).toMatchObject({ version: 3, index: name });
    expect(await indexNames()).toContain(name);
  });

  it('uses an equivalent index that is already there instead of creating one, and never drops it', async () => {
    const ctx = asMember(world.env.ctx, world.members.mona);
    // (status, sign_date, …) with every column a by-status report reads, made by hand.
    const columns = [
      'status',
      'sign_date',
      'kind',
      'amount',
      'voided_at',
      'owner_id',
      'department_id',
      'unit_id',
      'id',
    ];
    await raw().schema.createIndex('contract_status_by_hand').on('f_crm_contract').columns(columns).execute();
    const byStatus: ReportDefinitionInput = {
      ...byKindMonth,
      key: 'openByKind',
      where: "status = 'open'",
      measures: [{ key: 'amount', agg: 'sum', field: 'amount' }],
    };
    const before = await indexNames();
    const published = await publishReport(ctx, byStatus);
    expect(published.index).toBe('contract_status_by_hand');
    expect(await indexNames()).toEqual(before);
    await publishReport(ctx, { ...byStatus, where: undefined, params: [], filters: [] });
    expect(await indexNames()).toContain('contract_status_by_hand');
  });

  it('derives nothing over a column whose values are unbounded, nor for a report that reads the whole table', async () => {
    const ctx = asMember(world.env.ctx, world.members.mona);
    await publishForm(ctx, {
      pack: 'crm',
      key: 'note',
      kind: 'archive',
      label: l('备注', 'Note'),
      fields: [
        { key: 'day', label: l('日期', 'Day'), type: 'date' },
        { key: 'body', label: l('正文', 'Body'), type: 'longtext' },
        { key: 'topic', label: l('主题', 'Topic'), type: 'text', maxLength: 40 },
        { key: 'reviewer', label: l('审阅人', 'Reviewer'), type: 'member' },
      ],
      assignedTo: { fields: ['reviewer'] },
    });
    const base = {
      pack: 'crm',
      label: l('备注', 'Notes'),
      form: 'crm.note',
      params: [{ key: 'period', type: 'dateRange' as const, label: l('期间', 'Period') }],
      filters: [{ field: 'day', param: 'period' }],
      measures: [{ key: 'count', agg: 'count' as const }],
    };
    const before = await indexNames('f_crm_note');
    expect(await publishReport(ctx, { ...base, key: 'notesByBody', rows: [{ field: 'body' }] })).toMatchObject({
      index: null,
    });
    expect(
      await publishReport(ctx, { ...base, key: 'notesAll', params: [], filters: [], rows: [{ field: 'topic' }] }),
    ).toMatchObject({ index: null });
    expect(await indexNames('f_crm_note')).toEqual(before);
    const byTopic = await publishReport(ctx, { ...base, key: 'notesByTopic', rows: [{ field: 'topic' }] });
    expect(byTopic.index).toMatch(/^rx_/);
    expect(await indexNames('f_crm_note')).toContain(byTopic.index);
    // Viewers reached through the assignedTo field read through the index too: it covers that column.
    expect((await listReportIndexes(ctx)).find((index) => index.name === byTopic.index)).toMatchObject({
      columns: ['day', 'topic'],
      include: ['reviewer', 'voided_at', 'owner_id', 'department_id', 'unit_id', 'id'],
    });
  });
});
