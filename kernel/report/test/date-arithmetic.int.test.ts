import { accessMigrations } from '@baton/access';
import { createFakeClock, isBatonError } from '@baton/core';
import { createRecord, defineForm, formMigrations, publishForm, type Viewer } from '@baton/form';
import { createDepartment, createMember, createUnit, orgMigrations } from '@baton/org';
import { defineReport, drillReport, type ReportResult, reportMigrations, runReport } from '@baton/report';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Date arithmetic in report conditions on both databases: `$today ± n`, `$today - $days` with a number
// parameter, and the per-record `COALESCE(MAX(sub.col), field)` — a lead with no follow-up for N days.
// Figures are worked out by hand from the rows below; the fake clock says what today is (Asia/Shanghai).

const l = (zh: string, en: string) => ({ zh, en });
const lead = defineForm({
  pack: 'sales',
  key: 'lead',
  kind: 'archive',
  label: l('线索', 'Lead'),
  fields: [
    { key: 'name', label: l('名称', 'Name'), type: 'text', required: true },
    { key: 'enteredAt', label: l('录入日期', 'Entered'), type: 'date' },
    { key: 'dueDate', label: l('约定日期', 'Due'), type: 'date' },
  ],
  subtables: [
    {
      key: 'followUps',
      label: l('跟进', 'Follow-ups'),
      columns: [{ key: 'date', label: l('日期', 'Date'), type: 'date', required: true }],
    },
  ],
});

// name, entered, due, follow-up dates
const rows: [string, string, string, string[]][] = [
  ['A', '2026-09-01', '2026-12-03', ['2026-11-20']],
  ['B', '2026-10-01', '2026-12-10', []],
  ['C', '2026-10-31', '2026-11-29', []],
  ['D', '2026-08-01', '2026-12-07', ['2026-10-15', '2026-09-01']],
];

const stale = defineReport(
  {
    pack: 'sales',
    key: 'staleLeads',
    label: l('久未跟进的线索', 'Leads without a follow-up'),
    form: 'sales.lead',
    params: [{ key: 'days', type: 'number', label: l('天数', 'Days'), default: 30, min: 1, max: 365 }],
    where: 'COALESCE(MAX(followUps.date), enteredAt) < $today - $days',
    rows: [{ field: 'name' }],
    measures: [
      { key: 'leads', agg: 'count' },
      { key: 'dueSoon', agg: 'count', where: 'dueDate >= $today AND dueDate <= $today + 7' },
    ],
    totals: true,
    drill: { columns: ['name', 'enteredAt'] },
  },
  { forms: [lead] },
);

let database: TestDatabase;
const clock = createFakeClock('2026-11-30T02:00:00.000Z');
let ctx: ReturnType<typeof testCtx>;
let viewer: Viewer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, reportMigrations],
  });
  ctx = testCtx(database.db, { clock });
  const unit = await createUnit(ctx, { code: 'U1', name: '总部', kind: 'headquarters' });
  const department = await createDepartment(ctx, { unitId: unit.id, parentId: null, code: 'D1', name: '销售部' });
  const member = await createMember(ctx, {
    code: 'M1',
    name: '销管',
    login: 'admin1',
    mainDepartmentId: department.id,
  });
  viewer = { memberId: member.id, scopes: ['all'] };
  await publishForm(ctx, lead);
  for (const [name, enteredAt, dueDate, dates] of rows) {
    const record = await createRecord(ctx, {
      pack: 'sales',
      key: 'lead',
      values: { name, enteredAt, dueDate, followUps: dates.map((date) => ({ date })) },
    });
    ids[name] = record.id;
  }
});
afterAll(async () => {
  await database?.cleanup();
});

const run = (params?: Record<string, unknown>) =>
  runReport(ctx, { report: stale, viewer, ...(params ? { params } : {}) });
const names = (result: ReportResult) =>
  result.rows
    .filter((row) => row.kind === 'detail')
    .map((row) => String(row.keys.name))
    .sort();
const totalOf = (result: ReportResult, measure: string) =>
  result.rows.find((row) => row.kind === 'total')?.values[measure];

describe('report conditions with date arithmetic', () => {
  it('counts records whose last follow-up (or entry) is more than N days back, N a parameter (default 30)', async () => {
    // Last activity: A 11-20 (10 days), B 10-01 (60), C 10-31 (30), D 10-15 (46; MAX, not the older 09-01).
    expect(names(await run())).toEqual(['B', 'D']);
    expect(names(await run({ days: 5 }))).toEqual(['A', 'B', 'C', 'D']);
    expect(names(await run({ days: 29 }))).toEqual(['B', 'C', 'D']);
    expect(names(await run({ days: '45' }))).toEqual(['B', 'D']);
    expect(names(await run({ days: 46 }))).toEqual(['B']);
    expect(totalOf(await run({ days: 5 }), 'leads')).toBe(4);
  });

  it('moves $today by constant days in a measure: due within the next seven days', async () => {
    // Among the stale at 5 days: due A 12-03 (in), B 12-10 (out), C 11-29 (past), D 12-07 (the 7th day, in).
    expect(totalOf(await run({ days: 5 }), 'dueSoon')).toBe(2);
  });

  it('drills into exactly the records behind the figure', async () => {
    const drilled = await drillReport(ctx, { report: stale, viewer, params: { days: 30 }, cell: { keys: {} } });
    expect(drilled.records.map((record) => record.id).sort()).toEqual([ids.B, ids.D].sort());
  });

  it('refuses a number outside the parameter’s range or not a whole number', async () => {
    for (const days of [0, 366, 1.5, 'abc', [3]]) {
      let code = '';
      try {
        await run({ days });
      } catch (error) {
        code = isBatonError(error) ? error.code : String(error);
      }
      expect(code).toBe('REPORT_PARAM_INVALID');
    }
  });
  // Last: the fake clock only moves forward.
  it('follows the clock: five days later C has passed 30 days and A’s week has begun', async () => {
    clock.set('2026-12-05T02:00:00.000Z');
    expect(names(await run())).toEqual(['B', 'C', 'D']);
    // Today 12-05 … 12-12: B 12-10 and D 12-07.
    expect(totalOf(await run(), 'dueSoon')).toBe(2);
  });
});
