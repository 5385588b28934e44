// `npm run bench:org`: the org engine on SQLite and on PostgreSQL — build a large org, resolution latency
// warm and cold, a month of reorganisation — beside the physical limits measured in the same run.
// BENCH_QUICK=1 runs a small version for CI smoke use. Writes bench/results/org.json.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dbMigrations, migrate, openDatabase } from '@baton/db';
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
import { type LatencyFigure, type OrgRunFigure, type OrgSize, runOrgScenario } from './scenario.ts';

const quick = process.env.BENCH_QUICK === '1';
const size: OrgSize = quick
  ? { departments: 200, depth: 6, members: 2_000, calls: 2_000, warmup: 200, coldCalls: 3, changes: 50 }
  : { departments: 1_000, depth: 6, members: 10_000, calls: 20_000, warmup: 2_000, coldCalls: 10, changes: 200 };
const log = (line: string) => console.error(line);

/** A fresh SQLite file on the repository's disk (not tmpfs: commits must really fsync), removed afterwards. */
async function onSqlite(): Promise<OrgRunFigure> {
  const root = benchTempRoot();
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, 'org-'));
  const database = openDatabase({ sqlitePath: join(directory, 'org.db') });
  try {
    await migrate(database.db, [dbMigrations, orgMigrations]);
    return await runOrgScenario(database.db, 'sqlite', size, log);
  } finally {
    await database.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A fresh PostgreSQL database created for this run and dropped afterwards. */
async function onPostgres(): Promise<OrgRunFigure> {
  const admin = adminUrl();
  const name = `baton_bench_org_${process.pid}`;
  await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  await psql(admin, `CREATE DATABASE ${name}`);
  log(`postgres: database ${name} on ${redact(admin)}`);
  try {
    const database = openDatabase({ url: withDatabase(admin, name) });
    try {
      await migrate(database.db, [dbMigrations, orgMigrations]);
      return await runOrgScenario(database.db, 'postgres', size, log);
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

const latencyCells = (f: LatencyFigure) => [ms(f.p50Ms), ms(f.p99Ms), ms(f.maxMs)];

function printRun(run: OrgRunFigure, baseline: Baseline): void {
  const c = run.build.summary;
  console.log(
    `\n═══ org on ${run.dialect} ═══\n` +
      `build  ${int(c.departments)} departments (max depth ${run.build.maxDepth}) · ${int(c.members)} members · ` +
      `${int(c.roleAssignments)} role assignments · ${int(c.concurrentPosts)} concurrent posts: ` +
      `${run.build.seconds.toFixed(2)} s\n`,
  );
  console.log(
    table(
      ['resolution (ms)', 'calls', 'calls/s', 'p50', 'p99', 'max', 'answered', 'cold p50', 'cold max'],
      run.rules.map((r) => [
        r.rule,
        int(r.warm.count),
        int(r.warm.perSecond),
        ...latencyCells(r.warm),
        `${(r.nonEmpty * 100).toFixed(0)} %`,
        ms(r.cold.p50Ms),
        ms(r.cold.maxMs),
      ]),
    ),
  );
  const reorg = run.reorg;
  console.log(
    `\nreorganisation: ${reorg.changes} changes in ${reorg.totalSeconds.toFixed(2)} s = ` +
      `${reorg.changesPerSecond.toFixed(1)} changes/s, one transaction each\n`,
  );
  console.log(
    table(
      ['change (ms)', 'count', 'p50', 'p99', 'max'],
      [
        ['all changes', int(reorg.perChange.count), ...latencyCells(reorg.perChange)],
        ...Object.entries(reorg.byKind).map(([kind, f]) => [`  ${kind}`, int(f.count), ...latencyCells(f)]),
        [
          'first resolution after a change (cold)',
          int(reorg.coldAfterChange.count),
          ...latencyCells(reorg.coldAfterChange),
        ],
      ],
    ),
  );
  console.log(
    `\nafter the changes, one resolution per rule (all non-empty, none threw):\n` +
      reorg.after.map((a) => `  ${a.rule}: ${a.results} member(s) in ${ms(a.ms)} ms`).join('\n'),
  );
  console.log('');
  printComparison(
    `org: reorganisation changes (${run.dialect})`,
    {
      value: reorg.changesPerSecond,
      unit: 'changes/s',
      against: run.dialect === 'sqlite' ? 'sqlite' : 'pgbench',
      detail: `${reorg.changes} mixed changes, each its own transaction; p50 ${ms(reorg.perChange.p50Ms)} ms · p99 ${ms(reorg.perChange.p99Ms)} ms`,
    },
    baseline,
  );
}

try {
  const baseline = await measureBaseline({
    log,
    ...(quick ? { sqliteSeconds: 1, pgbenchSeconds: envSeconds('BENCH_SECONDS', 3), httpSeconds: 1 } : {}),
  });
  log(`org: ${quick ? 'QUICK ' : ''}${size.departments} departments / ${size.members} members`);
  const sqlite = await onSqlite();
  const postgres = await onPostgres();
  console.log('');
  printBaseline(baseline);
  printRun(sqlite, baseline);
  printRun(postgres, baseline);
  console.log(`\nwritten to ${writeResult('org', { quick, size, baseline, sqlite, postgres })}`);
} catch (error) {
  if (!(error instanceof BenchUnavailableError)) throw error;
  // No silent skip: the org figures on PostgreSQL are half of this benchmark.
  console.error(`\nbench:org cannot run: ${error.message}`);
  console.error(
    `It needs psql and pgbench on PATH and a PostgreSQL server at BENCH_DATABASE_URL (default ${DEFAULT_ADMIN_URL}).`,
  );
  process.exitCode = 2;
}
