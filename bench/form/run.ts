// `npm run bench:form`: the form engine on SQLite and on PostgreSQL — create and read a record with 500
// subtable rows, list 1,000,000 archive records with filters and keyset pages — beside the physical limits
// measured in the same run. BENCH_QUICK=1 runs a small version (50,000 records) for CI smoke use. Writes
// bench/results/form.json.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dbMigrations, migrate, openDatabase } from '@baton/db';
import { formMigrations } from '@baton/form';
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
import { type FormRunFigure, type FormSize, type LatencyFigure, runFormScenario } from './scenario.ts';

const quick = process.env.BENCH_QUICK === '1';
const size: FormSize = quick
  ? { creates: 10, archiveRows: 50_000, lists: 100, pagesPerWalk: 20 }
  : { creates: 50, archiveRows: 1_000_000, lists: 500, pagesPerWalk: 50 };
const log = (line: string) => console.error(line);

/** A fresh SQLite file on the repository's disk (not tmpfs: commits must really fsync), removed afterwards. */
async function onSqlite(): Promise<FormRunFigure> {
  const root = benchTempRoot();
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, 'form-'));
  const database = openDatabase({ sqlitePath: join(directory, 'form.db') });
  try {
    await migrate(database.db, [dbMigrations, formMigrations]);
    return await runFormScenario(database.db, 'sqlite', size, log);
  } finally {
    await database.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A fresh PostgreSQL database created for this run and dropped afterwards. */
async function onPostgres(): Promise<FormRunFigure> {
  const admin = adminUrl();
  const name = `baton_bench_form_${process.pid}`;
  await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  await psql(admin, `CREATE DATABASE ${name}`);
  log(`postgres: database ${name} on ${redact(admin)}`);
  try {
    const database = openDatabase({ url: withDatabase(admin, name) });
    try {
      await migrate(database.db, [dbMigrations, formMigrations]);
      return await runFormScenario(database.db, 'postgres', size, log);
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

const cells = (f: LatencyFigure) => [int(f.count), ms(f.p50Ms), ms(f.p99Ms), ms(f.maxMs), int(f.perSecond)];

function printRun(run: FormRunFigure, baseline: Baseline): void {
  console.log(
    `\n═══ form on ${run.dialect} ═══\n` +
      `load  ${int(run.load.rows)} archive records in ${run.load.seconds.toFixed(1)} s ` +
      `(${int(run.load.rowsPerSecond)} rows/s, ${run.load.method})\n`,
  );
  console.log(
    table(
      ['operation (ms)', 'calls', 'p50', 'p99', 'max', 'calls/s'],
      [
        [`create, ${run.subtableRows} subtable rows (one tx)`, ...cells(run.create)],
        [`read, ${run.subtableRows} subtable rows`, ...cells(run.read)],
        ...run.lists.map((list) => [`list 50 of ${int(run.load.rows)}: ${list.name}`, ...cells(list.figure)]),
      ],
    ),
  );
  console.log('');
  printComparison(
    `form: create with ${run.subtableRows} rows (${run.dialect})`,
    {
      value: run.create.perSecond,
      unit: 'records/s',
      against: run.dialect === 'sqlite' ? 'sqlite' : 'pgbench',
      detail: `one transaction each; p50 ${ms(run.create.p50Ms)} ms · p99 ${ms(run.create.p99Ms)} ms`,
    },
    baseline,
  );
  const first = run.lists[0];
  if (first) {
    console.log('');
    printComparison(
      `form: list with a filter + keyset page (${run.dialect})`,
      {
        value: first.figure.perSecond,
        unit: 'pages/s',
        against: 'fastify',
        detail: `${first.query} over ${int(run.load.rows)} rows; p50 ${ms(first.figure.p50Ms)} ms · p99 ${ms(first.figure.p99Ms)} ms`,
      },
      baseline,
    );
  }
}

try {
  const baseline = await measureBaseline({
    log,
    ...(quick ? { sqliteSeconds: 1, pgbenchSeconds: envSeconds('BENCH_SECONDS', 3), httpSeconds: 1 } : {}),
  });
  log(`form: ${quick ? 'QUICK ' : ''}${size.archiveRows} archive records`);
  const sqlite = await onSqlite();
  const postgres = await onPostgres();
  console.log('');
  printBaseline(baseline);
  printRun(sqlite, baseline);
  printRun(postgres, baseline);
  console.log(`\nwritten to ${writeResult('form', { quick, size, baseline, sqlite, postgres })}`);
} catch (error) {
  if (!(error instanceof BenchUnavailableError)) throw error;
  // No silent skip: the figures on PostgreSQL are half of this benchmark.
  console.error(`\nbench:form cannot run: ${error.message}`);
  console.error(
    `It needs psql and pgbench on PATH and a PostgreSQL server at BENCH_DATABASE_URL (default ${DEFAULT_ADMIN_URL}).`,
  );
  process.exitCode = 2;
}
