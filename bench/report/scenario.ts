// The report benchmark on one database: a form shaped like the crm pack's F10 opportunity form, bulk-loaded,
// and a report grouped by region and month of entry with a date filter, timed beside the same query written
// by hand in SQL and run in the same process on the same connection pool.
import { performance } from 'node:perf_hooks';
import { accessMigrations } from '@baton/access';
import { silentLogger, systemActor, systemClock } from '@baton/core';
import { type Db, type DbCtx, dbMigrations, dialectOf, migrate } from '@baton/db';
import { type FormDefinitionInput, formMigrations, publishForm, tableName } from '@baton/form';
import { createDepartment, createMember, createUnit, orgMigrations } from '@baton/org';
import {
  defineReport,
  listReportIndexes,
  publishReport,
  type ReportResult,
  reportMigrations,
  runReport,
} from '@baton/report';
import { type Kysely, sql } from 'kysely';
import { percentile } from '../lib/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyDb = Kysely<any>;

export interface ReportSize {
  rows: number;
  /** Timed runs of each query (after warm-up). */
  runs: number;
}

export interface LatencyFigure {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface PhaseFigure {
  report: LatencyFigure;
  handWritten: LatencyFigure;
  ratioP50: number;
  ratioP99: number;
}

export interface ReportRunFigure {
  dialect: string;
  load: { rows: number; seconds: number; method: string };
  matched: number;
  groups: number;
  /** Before the report is published: no index beyond what publishing the form creates. */
  before: PhaseFigure;
  /** The index publishReport derived and built (inside its transaction), and how long publishing took. */
  index: { name: string | null; columns: string[]; include: string[]; publishSeconds: number };
  /** The same runs after publishing. */
  after: PhaseFigure;
}

export function latency(samples: readonly number[]): LatencyFigure {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    meanMs: sorted.length ? total / sorted.length : Number.NaN,
  };
}

const l = (zh: string, en: string) => ({ zh, en });
const opt = (code: string, zh: string, en: string) => ({ code, label: l(zh, en) });
const regions = ['north', 'east', 'south', 'central', 'southwest', 'northwest', 'northeast'];
const stages = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];

/** The fields of F10 客户商机录入 (packs/crm) that a sales report reads, with the same keys and types. */
export const opportunity: FormDefinitionInput = {
  pack: 'crm',
  key: 'opportunity',
  kind: 'archive',
  label: l('客户商机', 'Opportunity'),
  fields: [
    { key: 'customerName', label: l('客户名称', 'Customer name'), type: 'text', required: true },
    {
      key: 'businessType',
      label: l('业务类型', 'Business type'),
      type: 'select',
      options: [
        opt('newDeal', '新签', 'New business'),
        opt('renewal', '续约', 'Renewal'),
        opt('upsell', '增购', 'Upsell'),
      ],
    },
    { key: 'enteredBy', label: l('录入人员', 'Entered by'), type: 'member' },
    { key: 'enteredAt', label: l('录入日期', 'Entry date'), type: 'date' },
    { key: 'region', label: l('所在区域', 'Region'), type: 'select', options: regions.map((r) => opt(r, r, r)) },
    { key: 'userCount', label: l('使用人数', 'Number of users'), type: 'number', scale: 0, min: 0 },
    { key: 'stage', label: l('销售阶段', 'Sales stage'), type: 'select', options: stages.map((s) => opt(s, s, s)) },
    { key: 'expectedAmount', label: l('预计金额', 'Expected amount'), type: 'money', min: 0 },
  ],
};

const FROM = '2026-01-01';
const TO = '2026-06-30';

const report = defineReport(
  {
    pack: 'crm',
    key: 'opportunitiesByRegionMonth',
    label: l('各区域每月商机', 'Opportunities by region and month'),
    form: 'crm.opportunity',
    params: [{ key: 'period', type: 'dateRange', label: l('录入日期', 'Entry date') }],
    filters: [{ field: 'enteredAt', param: 'period' }],
    rows: [{ field: 'region' }, { field: 'enteredAt', bucket: 'month', key: 'month' }],
    measures: [
      { key: 'count', agg: 'count' },
      { key: 'amount', agg: 'sum', field: 'expectedAmount' },
      { key: 'users', agg: 'avg', field: 'userCount' },
    ],
  },
  { forms: [opportunity] },
);

/** The same query by hand: what an engineer would write for this report on each database. */
function handWritten(db: AnyDb) {
  const table = sql.table(tableName('crm', 'opportunity'));
  const month =
    dialectOf(db) === 'postgres'
      ? sql`to_char(date_trunc('month', cast(entered_at as timestamp)), 'YYYY-MM-DD')`
      : sql`date(entered_at, 'start of month')`;
  return sql<{ region: string | null; month: string; n: number; amount: number | null; users: number | null }>`
    select region, ${month} as month, count(*) as n, sum(expected_amount) as amount, avg(user_count) as users
    from ${table}
    where voided_at is null and entered_at >= ${FROM} and entered_at <= ${TO}
    group by region, ${month}
    order by region asc nulls last, month asc nulls last`;
}

/** Bulk load outside the engine: generate_series on PostgreSQL, multi-row INSERTs in one transaction on SQLite. */
async function load(
  db: AnyDb,
  rows: number,
  owner: { memberId: string; departmentId: string; unitId: string },
  log: (line: string) => void,
) {
  const raw = db.withoutPlugins();
  const table = tableName('crm', 'opportunity');
  const now = new Date().toISOString();
  const t0 = performance.now();
  let method: string;
  if (dialectOf(db) === 'postgres') {
    method = 'one INSERT … SELECT FROM generate_series';
    await sql`
      insert into ${sql.table(table)} (id, version, created_by, created_at, updated_by, updated_at, state,
        owner_id, department_id, unit_id, customer_name, business_type, entered_by, entered_at, region, user_count,
        stage, expected_amount)
      select '0190' || lpad(to_hex(g), 28, '0'), 1, 'bench', ${now}::timestamptz, 'bench', ${now}::timestamptz, 'active',
        ${owner.memberId}, ${owner.departmentId}, ${owner.unitId}, '客户 ' || g,
        (array['newDeal','renewal','upsell'])[1 + g % 3], ${owner.memberId}, date '2025-01-01' + (g % 730),
        (array[${sql.join(regions)}])[1 + (g * 3) % ${sql.lit(regions.length)}], (g % 500) + 1,
        (array[${sql.join(stages)}])[1 + (g * 13) % ${sql.lit(stages.length)}], (g % 100000) * 100
      from generate_series(1, ${sql.lit(rows)}) as g`.execute(raw);
    // VACUUM too: what autovacuum does after a bulk insert (it sets the visibility map index-only scans need).
    await sql`vacuum analyze ${sql.table(table)}`.execute(raw);
  } else {
    method = 'multi-row INSERTs of 1,000 rows in one transaction';
    await raw.transaction().execute(async (trx) => {
      const chunk = 1_000;
      for (let start = 1; start <= rows; start += chunk) {
        const values = [];
        for (let g = start; g < Math.min(start + chunk, rows + 1); g++) {
          values.push({
            id: `0190${g.toString(16).padStart(28, '0')}`,
            version: 1,
            created_by: 'bench',
            created_at: now,
            updated_by: 'bench',
            updated_at: now,
            state: 'active',
            owner_id: owner.memberId,
            department_id: owner.departmentId,
            unit_id: owner.unitId,
            customer_name: `客户 ${g}`,
            business_type: ['newDeal', 'renewal', 'upsell'][g % 3],
            entered_by: owner.memberId,
            entered_at: new Date(Date.UTC(2025, 0, 1 + (g % 730))).toISOString().slice(0, 10),
            region: regions[(g * 3) % regions.length],
            user_count: (g % 500) + 1,
            stage: stages[(g * 13) % stages.length],
            expected_amount: (g % 100_000) * 100,
          });
        }
        await trx.insertInto(table).values(values).execute();
        if ((start - 1) % 250_000 === 0 && start > 1) log(`  … ${start - 1} rows`);
      }
    });
    await sql`analyze`.execute(raw);
  }
  return { rows, seconds: (performance.now() - t0) / 1000, method };
}

async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await call();
  samples.push(performance.now() - t0);
  return result;
}

/** Both queries must give the same figures, or the timing compares different work. */
function check(result: ReportResult, hand: Awaited<ReturnType<ReturnType<typeof handWritten>['execute']>>['rows']) {
  const mine = result.rows.map((r) => [r.keys.region, r.keys.month, r.values.count, r.values.amount]);
  const theirs = hand.map((r) => [r.region, r.month, Number(r.n), r.amount === null ? null : Number(r.amount)]);
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
    throw new Error(
      `bench/report: the report and the hand-written SQL disagree\n${JSON.stringify(mine.slice(0, 3))}\n${JSON.stringify(theirs.slice(0, 3))}`,
    );
  }
}

export async function runReportScenario(
  db: Db,
  dialect: string,
  size: ReportSize,
  log: (line: string) => void,
): Promise<ReportRunFigure> {
  await migrate(db, [dbMigrations, orgMigrations, accessMigrations, formMigrations, reportMigrations]);
  const ctx: DbCtx = { db, actor: systemActor('bench-report'), clock: systemClock, log: silentLogger() };
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const department = await createDepartment(ctx, { unitId: unit.id, code: 'S', name: '销售管理部' });
  const member = await createMember(ctx, { code: 'B1', name: '销管', login: 'bench', mainDepartmentId: department.id });
  await publishForm(ctx, opportunity);
  log(`${dialect}: loading ${size.rows.toLocaleString('en-US')} opportunities …`);
  const loaded = await load(
    db as unknown as AnyDb,
    size.rows,
    { memberId: member.id, departmentId: department.id, unitId: unit.id },
    log,
  );
  log(`${dialect}: loaded in ${loaded.seconds.toFixed(1)} s; ${size.runs} timed runs of each query …`);

  // Sales management sees every record (scope `all`), so both queries read the same rows.
  const viewer = { memberId: member.id, scopes: ['all' as const] };
  const params = { period: { from: FROM, to: TO } };
  const runOnce = () => runReport(ctx, { report, params, viewer });
  const handOnce = async () => (await handWritten(db as unknown as AnyDb).execute(db)).rows;
  check(await runOnce(), await handOnce());

  let result: ReportResult | undefined;
  const phase = async (): Promise<PhaseFigure> => {
    const mine: number[] = [];
    const theirs: number[] = [];
    // Alternate the two so that both see the same cache and machine state; 3 warm-up rounds.
    for (let i = 0; i < size.runs + 3; i++) {
      const warm = i < 3;
      result = await timed(warm ? [] : mine, runOnce);
      await timed(warm ? [] : theirs, handOnce);
    }
    const report = latency(mine);
    const handWritten = latency(theirs);
    return {
      report,
      handWritten,
      ratioP50: report.p50Ms / handWritten.p50Ms,
      ratioP99: report.p99Ms / handWritten.p99Ms,
    };
  };
  const before = await phase();
  log(`${dialect}: publishing the report (derives and builds its index) …`);
  const t0 = performance.now();
  const published = await publishReport(ctx, report);
  const publishSeconds = (performance.now() - t0) / 1000;
  const derived = (await listReportIndexes(ctx)).find((index) => index.name === published.index);
  check(await runOnce(), await handOnce());
  log(`${dialect}: index ${published.index} in ${publishSeconds.toFixed(1)} s; ${size.runs} timed runs again …`);
  const after = await phase();
  const matched = (result?.rows ?? []).reduce((sum, row) => sum + Number(row.values.count ?? 0), 0);
  return {
    dialect,
    load: loaded,
    matched,
    groups: result?.rows.length ?? 0,
    before,
    index: {
      name: published.index,
      columns: derived?.columns ?? [],
      include: derived?.include ?? [],
      publishSeconds,
    },
    after,
  };
}
