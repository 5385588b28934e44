// `npm run bench:flow`: the flow engine on SQLite and on PostgreSQL — completed "submit + 3 sequential
// approvals" instances per second with 8 concurrent clients, the pending list of a member with 2,000 pending
// tasks among 1,000,000, one countersign node with 100 assignees — beside the physical limits measured in the
// same run. BENCH_QUICK=1 runs a small version (50,000 tasks) for CI smoke use. Writes bench/results/flow.json.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dbMigrations, migrate, openDatabase } from '@baton/db';
import { flowMigrations } from '@baton/flow';
import { formMigrations } from '@baton/form';
import { orgMigrations } from '@baton/org';
import {
  adminUrl,
  type Baseline,
  BenchUnavailableError,
  benchTempRoot,
  DEFAULT_ADMIN_URL,
  envSeconds,
  measureBaseline,
  printBaseline,
  printComparison,
  psql,
  redact,
  withDatabase,
  writeResult,
} from '../lib/index.ts';
import { type FlowRunFigure, type FlowSize, type LatencyFigure, runFlowScenario } from './scenario.ts';

const quick = process.env.BENCH_QUICK === '1';
const size: FlowSize = quick
  ? {
      clients: 8,
      throughputSeconds: 5,
      bulkTasks: 50_000,
      pendingTasks: 2_000,
      listCalls: 200,
      listWarmup: 20,
      countersignAssignees: 100,
      countersignRounds: 1,
    }
  : {
      clients: 8,
      throughputSeconds: 20,
      bulkTasks: 1_000_000,
      pendingTasks: 2_000,
      listCalls: 200,
      listWarmup: 50,
      countersignAssignees: 100,
      countersignRounds: 3,
    };
const log = (line: string) => console.error(line);
const migrations = [dbMigrations, orgMigrations, formMigrations, flowMigrations];

/** A fresh SQLite file on the repository's disk (not tmpfs: commits must really fsync), removed afterwards. */
async function onSqlite(): Promise<FlowRunFigure> {
  const root = benchTempRoot();
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, 'flow-'));
  const database = openDatabase({ sqlitePath: join(directory, 'flow.db') });
  try {
    await migrate(database.db, migrations);
    return await runFlowScenario(database.db, 'sqlite', size, log);
  } finally {
    await database.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A fresh PostgreSQL database created for this run and dropped afterwards. */
async function onPostgres(): Promise<FlowRunFigure> {
  const admin = adminUrl();
  const name = `baton_bench_flow_${process.pid}`;
  await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  await psql(admin, `CREATE DATABASE ${name}`);
  log(`postgres: database ${name} on ${redact(admin)}`);
  try {
    // The default pool (10) serves the 8 client loops without queueing on connections.
    const database = openDatabase({ url: withDatabase(admin, name) });
    try {
      await migrate(database.db, migrations);
      return await runFlowScenario(database.db, 'postgres', size, log);
    } finally {
      await database.destroy();
    }
  } finally {
    await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  }
}

const ms = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const cells = (f: LatencyFigure) => [int(f.count), ms(f.p50Ms), ms(f.p99Ms), ms(f.maxMs)];

function printRun(run: FlowRunFigure, baseline: Baseline): void {
  const t = run.throughput;
  const c = run.countersign;
  const p = run.pending;
  const sqlite = run.dialect === 'sqlite';
  console.log(
    `\n═══ flow on ${run.dialect} ═══\n` +
      `throughput  ${t.clients} client loops in one process for ${t.seconds.toFixed(1)} s: ${int(t.instances)} instances ` +
      `approved = ${t.instancesPerSecond.toFixed(1)} instances/s = ${t.actionsPerSecond.toFixed(1)} actions/s ` +
      `(${t.actionsPerInstance} actions each); Node process CPU ${t.nodeCpuPercent.toFixed(0)} % of one core` +
      `\n            CPU per action: Node ${ms(t.cpuPerActionMs.node)} ms` +
      (t.cpuPerActionMs.database === null ? '' : `, PostgreSQL backends ${ms(t.cpuPerActionMs.database)} ms`) +
      (sqlite
        ? '\n            SQLite has one connection: the loops interleave but their transactions run one at a time'
        : '') +
      `\ncountersign ${c.assignees} assignees: submit p50 ${ms(c.submit.p50Ms)} ms; all ${c.assignees} approvals ` +
      c.allApprovalsSeconds.map((s) => `${s.toFixed(2)} s`).join(' / ') +
      `\nload        ${int(p.load.tasks)} tasks + ${int(p.load.instances)} instances in ${p.load.seconds.toFixed(1)} s ` +
      `(${int(p.load.rowsPerSecond)} rows/s, ${p.load.method})\n`,
  );
  console.log(
    table(
      ['operation (ms)', 'calls', 'p50', 'p99', 'max'],
      [
        ['submit + 3 approvals, one instance (wall, under load)', ...cells(t.perInstance)],
        ['  submit (under load)', ...cells(t.submit)],
        ['  approve (under load)', ...cells(t.approve)],
        [`countersign: submit creating ${c.assignees} tasks`, ...cells(c.submit)],
        [`countersign: one approval of ${c.assignees}`, ...cells(c.approve)],
        [`pending list, first 50 of ${int(p.pendingOfMember)} among ${int(p.load.tasks)} tasks`, ...cells(p.firstPage)],
      ],
    ),
  );
  console.log('');
  printComparison(
    `flow: submit + 3 sequential approvals (${run.dialect})`,
    {
      value: t.actionsPerSecond,
      unit: 'actions/s',
      against: sqlite ? 'sqlite' : 'pgbench',
      detail:
        `${t.instancesPerSecond.toFixed(1)} completed instances/s · ${t.clients} concurrent clients · ` +
        `each action one transaction${sqlite ? ', serialised on the one connection' : ''}`,
    },
    baseline,
  );
  console.log('');
  printComparison(
    `flow: pending list (${run.dialect})`,
    {
      value: p.firstPage.perSecond,
      unit: 'lists/s',
      against: 'fastify',
      detail: `first page of 50 over ${int(p.load.tasks)} tasks; p50 ${ms(p.firstPage.p50Ms)} ms · p99 ${ms(p.firstPage.p99Ms)} ms`,
    },
    baseline,
  );
}

try {
  const baseline = await measureBaseline({
    log,
    ...(quick ? { sqliteSeconds: 1, pgbenchSeconds: envSeconds('BENCH_SECONDS', 3), httpSeconds: 1 } : {}),
  });
  log(`flow: ${quick ? 'QUICK ' : ''}${size.bulkTasks} stored tasks`);
  const sqlite = await onSqlite();
  const postgres = await onPostgres();
  console.log('');
  printBaseline(baseline);
  printRun(sqlite, baseline);
  printRun(postgres, baseline);
  console.log(`\nwritten to ${writeResult('flow', { quick, size, baseline, sqlite, postgres })}`);
} catch (error) {
  if (!(error instanceof BenchUnavailableError)) throw error;
  // No silent skip: the figures on PostgreSQL are half of this benchmark.
  console.error(`\nbench:flow cannot run: ${error.message}`);
  console.error(
    `It needs psql and pgbench on PATH and a PostgreSQL server at BENCH_DATABASE_URL (default ${DEFAULT_ADMIN_URL}).`,
  );
  process.exitCode = 2;
}
