import { type DbCtx, withTx } from '@baton/db';
import { defineReport, drillReport, type ReportDefinition, runReport } from '@baton/report';
import { testDialect } from '@baton/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forms, openEnv, seed, type World } from './fixtures.ts';

// Nothing from a request reaches the SQL as text: SQL in parameters, sorts, cells and cursors is refused or
// bound as a value and changes nothing. No report hangs the server: PostgreSQL cancels it at the statement
// timeout; SQLite refuses to read more than its row cap; both refuse too many result rows.

let world: World;
let report: ReportDefinition;
const l = (zh: string, en: string) => ({ zh, en });
// biome-ignore lint/suspicious/noExplicitAny: the form table is not typed
const raw = () => world.env.database.db as unknown as Kysely<any>;
const count = async () =>
  Number(
    (
      await raw()
        .selectFrom('f_crm_contract')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n,
  );

beforeAll(async () => {
  world = await seed(await openEnv());
  report = defineReport(
    {
      pack: 'crm',
      key: 'safety',
      label: l('安全', 'Safety'),
      form: 'crm.contract',
      params: [
        { key: 'period', type: 'dateRange', label: l('期间', 'Period') },
        { key: 'team', type: 'department', label: l('部门', 'Team') },
        { key: 'owner', type: 'member', label: l('人员', 'Owner') },
        { key: 'statuses', type: 'options', label: l('状态', 'Status'), field: 'status' },
      ],
      filters: [
        { field: 'signDate', param: 'period' },
        { field: 'departmentId', param: 'team' },
        { field: 'ownerId', param: 'owner' },
        { field: 'status', param: 'statuses' },
      ],
      rows: [{ field: 'title' }, { field: 'signDate', bucket: 'month', key: 'month' }],
      measures: [{ key: 'amount', agg: 'sum', field: 'amount' }],
    },
    { forms },
  );
});
afterAll(() => world?.env.database.cleanup());

const run = (input: { params?: unknown; sort?: unknown }, ctx: DbCtx = world.env.ctx) =>
  runReport(ctx, { report, viewer: world.viewers.mona, ...input });

describe('SQL in request values does nothing', () => {
  const payloads = [
    "x' OR '1'='1",
    "'); DROP TABLE f_crm_contract; --",
    '1; DELETE FROM f_crm_contract',
    '" OR ""="',
    'paid\u0000',
  ];

  it('refuses it in every parameter with the path of the value', async () => {
    for (const payload of payloads) {
      const cases: [Record<string, unknown>, (string | number)[]][] = [
        [{ statuses: [payload] }, ['params', 'statuses', 0]],
        [{ team: payload }, ['params', 'team']],
        [{ owner: [world.members.alice, payload] }, ['params', 'owner', 1]],
        [{ period: { from: payload } }, ['params', 'period', 'from']],
        [{ period: { preset: payload } }, ['params', 'period', 'preset']],
        [{ [payload]: 1 }, ['params', payload]],
      ];
      for (const [params, path] of cases) {
        await expect(run({ params }), JSON.stringify(params)).rejects.toMatchObject({
          code: 'REPORT_PARAM_INVALID',
          fields: [expect.objectContaining({ path })],
        });
      }
    }
    expect(await count()).toBe(world.contracts.length);
  });

  it('refuses it in sorts', async () => {
    for (const payload of payloads) {
      await expect(run({ sort: [{ by: payload }] })).rejects.toMatchObject({
        code: 'REPORT_PARAM_INVALID',
        fields: [expect.objectContaining({ path: ['sort', 0, 'by'] })],
      });
      await expect(run({ sort: [{ by: 'amount', dir: payload }] })).rejects.toMatchObject({
        code: 'REPORT_PARAM_INVALID',
        fields: [expect.objectContaining({ path: ['sort', 0, 'dir'] })],
      });
    }
    // A sort among the report's own columns is fine.
    const sorted = await run({ sort: [{ by: 'amount', dir: 'desc' }] });
    const amounts = sorted.rows.map((r) => r.values.amount as number);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  });

  it('binds it as a value in a drill cell (matching nothing) and refuses it in cursors', async () => {
    await expect(
      drillReport(world.env.ctx, { report, viewer: world.viewers.mona, cell: { keys: { title: 'paid\u0000' } } }),
    ).rejects.toMatchObject({
      code: 'REPORT_PARAM_INVALID',
      fields: [expect.objectContaining({ path: ['cell', 'keys', 'title'] })],
    });
    for (const payload of payloads.filter((p) => !p.includes('\u0000'))) {
      const page = await drillReport(world.env.ctx, {
        report,
        viewer: world.viewers.mona,
        cell: { keys: { title: payload } },
      });
      expect(page.records).toEqual([]);
      await expect(
        drillReport(world.env.ctx, { report, viewer: world.viewers.mona, cursor: payload }),
      ).rejects.toMatchObject({
        code: 'REPORT_PARAM_INVALID',
        fields: [expect.objectContaining({ path: ['cursor'] })],
      });
      await expect(
        drillReport(world.env.ctx, { report, viewer: world.viewers.mona, cell: { keys: { month: payload } } }),
      ).rejects.toMatchObject({ code: 'REPORT_PARAM_INVALID' });
      await expect(
        drillReport(world.env.ctx, { report, viewer: world.viewers.mona, cell: { measure: payload } }),
      ).rejects.toMatchObject({
        code: 'REPORT_PARAM_INVALID',
        fields: [expect.objectContaining({ path: ['cell', 'measure'] })],
      });
    }
    // A real title finds its record.
    const title = await drillReport(world.env.ctx, {
      report,
      viewer: world.viewers.mona,
      cell: { keys: { title: '合同3' } },
    });
    expect(title.records.map((r) => r.id)).toEqual([world.contracts[3]?.id]);
    expect(await count()).toBe(world.contracts.length);
  });
});

describe('limits', () => {
  it('refuses more result rows than the cap (both databases)', async () => {
    await expect(
      runReport(world.env.ctx, { report, viewer: world.viewers.mona }, { limits: { maxRows: 5 } }),
    ).rejects.toMatchObject({
      code: 'REPORT_TOO_MANY_ROWS',
      params: { limit: 5 },
    });
    const fits = await runReport(
      world.env.ctx,
      { report, viewer: world.viewers.mona },
      { limits: { maxRows: world.contracts.length } },
    );
    expect(fits.rows).toHaveLength(world.contracts.length);
  });

  it.runIf(testDialect === 'sqlite')('SQLite: refuses to read more source rows than the cap', async () => {
    await expect(
      runReport(world.env.ctx, { report, viewer: world.viewers.mona }, { limits: { maxScannedRows: 10 } }),
    ).rejects.toMatchObject({ code: 'REPORT_TOO_MUCH_DATA', params: { limit: 10 } });
    // Exactly at the cap is allowed.
    const exact = await runReport(
      world.env.ctx,
      { report, viewer: world.viewers.mona },
      { limits: { maxScannedRows: world.contracts.length } },
    );
    expect(exact.rows).toHaveLength(world.contracts.length);
  });

  it.runIf(testDialect === 'postgres')('PostgreSQL: cancels a report at the statement timeout', async () => {
    // A slow source: 400,000 extra rows.
    await sql`
      insert into f_crm_contract (id, version, created_by, created_at, updated_by, updated_at, state, owner_id,
        title, amount, sign_date)
      select 'zz' || g, 1, 'test', now(), 'test', now(), 'active', 'nobody', 'bulk ' || g, g, date '2026-01-01' + (g % 300)
      from generate_series(1, 400000) as g`.execute(raw());
    const slow = runReport(
      world.env.ctx,
      { report, viewer: world.viewers.mona },
      { limits: { timeoutMs: 5, maxRows: 1_000_000 } },
    );
    await expect(slow).rejects.toMatchObject({ code: 'REPORT_TIMEOUT', status: 503 });
    // Inside a caller's transaction the previous timeout is put back after a report.
    const setting = await withTx(world.env.ctx, async (tx) => {
      await sql`set local statement_timeout = '7s'`.execute(tx.db);
      await runReport(tx, { report: forTeam(), viewer: world.viewers.alice });
      return (await sql<{ v: string }>`select current_setting('statement_timeout') as v`.execute(tx.db)).rows[0]?.v;
    });
    expect(setting).toBe('7s');
    await sql`delete from f_crm_contract where id like 'zz%'`.execute(raw());
  });
});

function forTeam() {
  return defineReport(
    {
      pack: 'crm',
      key: 'small',
      label: l('小', 'Small'),
      form: 'crm.contract',
      measures: [{ key: 'n', agg: 'count' }],
    },
    { forms },
  );
}
