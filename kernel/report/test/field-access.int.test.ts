import { accessMigrations } from '@baton/access';
import { createFakeClock, isBatonError } from '@baton/core';
import { createRecord, defineForm, formMigrations, publishForm, type Viewer } from '@baton/form';
import { assignRole, createDepartment, createMember, createRole, createUnit, orgMigrations } from '@baton/org';
import { defineReport, drillReport, exportDrill, reportMigrations, runReport } from '@baton/report';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The forms' field permissions in reports: figures never rest on a field hidden from the viewer (the report is
// refused for them), and drill-through leaves the hidden column out. Both databases.

const l = (zh: string, en: string) => ({ zh, en });
const deal = defineForm({
  pack: 'sales',
  key: 'deal',
  kind: 'archive',
  label: l('商机', 'Deal'),
  fields: [
    { key: 'title', label: l('名称', 'Title'), type: 'text', required: true },
    {
      key: 'stage',
      label: l('阶段', 'Stage'),
      type: 'select',
      options: [
        { code: 'open', label: l('进行中', 'Open') },
        { code: 'won', label: l('赢单', 'Won') },
      ],
    },
    { key: 'margin', label: l('毛利', 'Margin'), type: 'money' },
  ],
  fieldAccess: [
    { field: 'margin', access: 'hidden' },
    { field: 'margin', access: 'read', role: 'director' },
  ],
});
const forms = [deal];
const base = { pack: 'sales', form: 'sales.deal', rows: [{ field: 'stage' }], totals: true } as const;
const byStage = defineReport(
  {
    ...base,
    key: 'byStage',
    label: l('按阶段', 'By stage'),
    measures: [{ key: 'deals', agg: 'count' }],
    drill: { columns: ['title', 'stage', 'margin'] },
  },
  { forms },
);
const marginByStage = defineReport(
  {
    ...base,
    key: 'marginByStage',
    label: l('毛利', 'Margin'),
    measures: [{ key: 'margin', agg: 'sum', field: 'margin' }],
  },
  { forms },
);
const rich = defineReport(
  {
    ...base,
    key: 'rich',
    label: l('高毛利', 'Rich deals'),
    where: 'margin > 1000',
    measures: [{ key: 'deals', agg: 'count' }],
  },
  { forms },
);

let database: TestDatabase;
let ctx: ReturnType<typeof testCtx>;
let staff: Viewer;
let director: Viewer;

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, reportMigrations],
  });
  ctx = testCtx(database.db, { clock: createFakeClock('2026-11-30T02:00:00.000Z') });
  const unit = await createUnit(ctx, { code: 'U1', name: '总部', kind: 'headquarters' });
  const department = await createDepartment(ctx, { unitId: unit.id, parentId: null, code: 'D1', name: '销售部' });
  const one = await createMember(ctx, { code: 'M1', name: '员工', login: 'staff1', mainDepartmentId: department.id });
  const two = await createMember(ctx, { code: 'M2', name: '总监', login: 'boss1', mainDepartmentId: department.id });
  await createRole(ctx, { code: 'director', name: '总监' });
  await assignRole(ctx, { role: 'director', memberId: two.id });
  staff = { memberId: one.id, scopes: ['all'] };
  director = { memberId: two.id, scopes: ['all'] };
  await publishForm(ctx, deal);
  for (const [title, stage, margin] of [
    ['甲', 'open', 500_00],
    ['乙', 'won', 2_000_00],
    ['丙', 'won', 3_000_00],
  ] as const) {
    await createRecord(ctx, { pack: 'sales', key: 'deal', values: { title, stage, margin } });
  }
});
afterAll(async () => {
  await database?.cleanup();
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return `${error.code} ${error.fields.map((f) => f.path.join('.')).join(',')}`;
    throw error;
  }
  return 'OK';
}

describe('field permissions in reports', () => {
  it('refuses a report whose figures or conditions read a hidden field, for that viewer only', async () => {
    expect(await code(runReport(ctx, { report: marginByStage, viewer: staff }))).toBe('REPORT_FIELD_HIDDEN margin');
    expect(await code(runReport(ctx, { report: rich, viewer: staff }))).toBe('REPORT_FIELD_HIDDEN margin');
    expect(await code(drillReport(ctx, { report: rich, viewer: staff, cell: { keys: {} } }))).toBe(
      'REPORT_FIELD_HIDDEN margin',
    );
    const total = (await runReport(ctx, { report: marginByStage, viewer: director })).rows.find(
      (row) => row.kind === 'total',
    );
    expect(total?.values.margin).toBe(5_500_00);
    const wins = await runReport(ctx, { report: rich, viewer: director });
    expect(wins.rows.find((row) => row.kind === 'total')?.values.deals).toBe(2);
  });

  it('drills without the hidden column, in the list and in the export', async () => {
    const hidden = await drillReport(ctx, { report: byStage, viewer: staff, cell: { keys: { stage: 'won' } } });
    expect(hidden.columns.map((column) => column.path)).toEqual(['title', 'stage']);
    expect(hidden.records).toHaveLength(2);
    expect(hidden.records.every((record) => !('margin' in record.values))).toBe(true);
    const sheet = await exportDrill(ctx, { report: byStage, viewer: staff, cell: { keys: { stage: 'won' } } });
    expect(sheet.columns.map((column) => column.header)).not.toContain('毛利');
    const shown = await drillReport(ctx, { report: byStage, viewer: director, cell: { keys: { stage: 'won' } } });
    expect(shown.columns.map((column) => column.path)).toEqual(['title', 'stage', 'margin']);
    expect(shown.records.map((record) => record.values.margin).sort()).toEqual([2_000_00, 3_000_00]);
  });
});
