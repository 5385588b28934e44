// `npm run bench:report`: a grouped report with a date filter over 1,000,000 records of a form shaped like the
// crm pack's F10 opportunities, p50 and p99 on SQLite and on PostgreSQL, printed as a ratio to the same query
// written by hand and run in the same process. BENCH_QUICK=1 runs 50,000 records. Writes bench/results/report.json.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@baton/db';
import {
  adminUrl,
  BenchUnavailableError,
  benchTempRoot,
  DEFAULT_ADMIN_URL,
  machineFacts,
  postgresServerVersion,
  psql,
  redact,
  withDatabase,
  writeResult,
} from '../lib/index.ts';
import { type LatencyFigure, type ReportRunFigure, type ReportSize, runReportScenario } from './scenario.ts';

const quick = process.env.BENCH_QUICK === '1';
const size: ReportSize = quick ? { rows: 50_000, runs: 30 } : { rows: 1_000_000, runs: 40 };
const log = (line: string) => console.error(line);

async function onSqlite(): Promise<ReportRunFigure> {
  const root = benchTempRoot();
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, 'report-'));
  const database = openDatabase({ sqlitePath: join(directory, 'report.db') });
  try {
    return await runReportScenario(database.db, 'sqlite', size, log);
  } finally {
    await database.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function onPostgres(): Promise<ReportRunFigure> {
  const admin = adminUrl();
  const name = `baton_bench_report_${process.pid}`;
  await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  await psql(admin, `CREATE DATABASE ${name}`);
  log(`postgres: database ${name} on ${redact(admin)}`);
  try {
    const database = openDatabase({ url: withDatabase(admin, name) });
    try {
      return await runReportScenario(database.db, 'postgres', size, log);
    } finally {
      await database.destroy();
    }
  } finally {
    await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  }
}

const ms = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const cells = (f: LatencyFigure) => [ms(f.p50Ms), ms(f.p99Ms), ms(f.maxMs)];

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

function print(runs: ReportRunFigure[]): void {
  for (const run of runs) {
    const { before, after, index } = run;
    console.log(
      `\n═══ report on ${run.dialect} ═══\n` +
        `load     ${int(run.load.rows)} records in ${run.load.seconds.toFixed(1)} s (${run.load.method})\n` +
        `query    region × month of entry, count / sum / avg, entry date 2026-01-01…2026-06-30: ` +
        `${int(run.matched)} records in ${run.groups} groups\n` +
        `index    publishReport derived ${index.name ?? 'none'} (${index.columns.join(', ')}) covering ` +
        `(${index.include.join(', ')}); publishing with the build took ${index.publishSeconds.toFixed(1)} s\n`,
    );
    console.log(
      table(
        ['ms', 'runs', 'p50', 'p99', 'max'],
        [
          ['runReport, before publishing (no index)', String(before.report.count), ...cells(before.report)],
          ['the same SQL written by hand', String(before.handWritten.count), ...cells(before.handWritten)],
          ['ratio report / hand-written', '', `${before.ratioP50.toFixed(2)}×`, `${before.ratioP99.toFixed(2)}×`, ''],
          ['runReport, with the derived index', String(after.report.count), ...cells(after.report)],
          ['the same SQL written by hand', String(after.handWritten.count), ...cells(after.handWritten)],
          ['ratio report / hand-written', '', `${after.ratioP50.toFixed(2)}×`, `${after.ratioP99.toFixed(2)}×`, ''],
          [
            'with index / before (runReport)',
            '',
            `${(after.report.p50Ms / before.report.p50Ms).toFixed(2)}×`,
            `${(after.report.p99Ms / before.report.p99Ms).toFixed(2)}×`,
            '',
          ],
        ],
      ),
    );
  }
}

try {
  const postgresVersion = await postgresServerVersion(adminUrl());
  log(`report: ${quick ? 'QUICK ' : ''}${size.rows.toLocaleString('en-US')} records, ${size.runs} runs`);
  const sqlite = await onSqlite();
  const postgres = await onPostgres();
  const machine = machineFacts({ sqlite: 'better-sqlite3', postgres: postgresVersion });
  console.log(
    `\nmachine  ${machine.cpuCount} × ${machine.cpuModel} · ${machine.os} · Node ${machine.node} · PostgreSQL ${postgresVersion}`,
  );
  print([sqlite, postgres]);
  console.log(`\nwritten to ${writeResult('report', { quick, size, machine, sqlite, postgres })}`);
} catch (error) {
  if (!(error instanceof BenchUnavailableError)) throw error;
  console.error(`\nbench:report cannot run: ${error.message}`);
  console.error(`It needs psql on PATH and a PostgreSQL server at BENCH_DATABASE_URL (default ${DEFAULT_ADMIN_URL}).`);
  process.exitCode = 2;
}
