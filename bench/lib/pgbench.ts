import { BenchUnavailableError } from './errors.ts';
import { runCommand } from './process.ts';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The maintenance database benchmarks connect to in order to create and drop their own databases. */
export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL || DEFAULT_ADMIN_URL;
}

export interface PgbenchOptions {
  seconds?: number;
  clients?: number;
  threads?: number;
  scale?: number;
  adminUrl?: string;
}

export interface PgbenchFigure {
  /** TPC-B-like transactions per second (pgbench default script), excluding connection set-up. */
  tps: number;
  latencyAverageMs: number | null;
  transactions: number | null;
  seconds: number;
  clients: number;
  threads: number;
  scale: number;
}

/** psql against a database URL, with errors that say which server could not be reached. */
export async function psql(url: string, sql: string): Promise<string> {
  const result = await runCommand('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);
  if (result.code !== 0) {
    throw new BenchUnavailableError(`psql failed on ${redact(url)}: ${result.stderr.trim() || `exit ${result.code}`}`);
  }
  return result.stdout.trim();
}

export async function postgresServerVersion(url = adminUrl()): Promise<string> {
  return psql(url, 'SHOW server_version');
}

/**
 * The ceiling for a PostgreSQL write path: pgbench's TPC-B transaction (three UPDATEs, a SELECT and an INSERT)
 * on a fresh database, so every Baton figure on Postgres can be read against what the server does bare.
 */
export async function measurePgbench(options: PgbenchOptions = {}): Promise<PgbenchFigure> {
  const seconds = options.seconds ?? 10;
  const clients = options.clients ?? 4;
  const threads = options.threads ?? 2;
  const scale = options.scale ?? 10;
  const admin = options.adminUrl ?? adminUrl();

  // Fail before creating anything if the tool is missing.
  const version = await runCommand('pgbench', ['--version']);
  if (version.code !== 0) throw new BenchUnavailableError(`pgbench --version failed: ${version.stderr.trim()}`);

  const dbName = `baton_bench_${process.pid}`;
  const dbUrl = withDatabase(admin, dbName);
  await psql(admin, `DROP DATABASE IF EXISTS ${dbName}`);
  await psql(admin, `CREATE DATABASE ${dbName}`);
  try {
    const init = await runCommand('pgbench', ['-i', '-q', '-s', String(scale), dbUrl]);
    if (init.code !== 0) throw new Error(`pgbench -i failed: ${init.stderr.trim()}`);
    const run = await runCommand('pgbench', [
      '-c',
      String(clients),
      '-j',
      String(threads),
      '-T',
      String(seconds),
      '-n', // the init step just vacuumed
      dbUrl,
    ]);
    if (run.code !== 0) throw new Error(`pgbench failed: ${run.stderr.trim()}`);
    return { ...parsePgbenchOutput(run.stdout), seconds, clients, threads, scale };
  } finally {
    await psql(admin, `DROP DATABASE IF EXISTS ${dbName}`);
  }
}

/** Reads tps, average latency and the transaction count from pgbench's report (PostgreSQL 13+ and older). */
export function parsePgbenchOutput(stdout: string): Pick<PgbenchFigure, 'tps' | 'latencyAverageMs' | 'transactions'> {
  const tpsLines = [...stdout.matchAll(/^tps = ([\d.]+) \(([^)]*)\)/gm)];
  // Older pgbench prints two lines; the one without connection set-up is the server's throughput.
  const best = tpsLines.find((m) => /without|excluding/.test(m[2] ?? '')) ?? tpsLines[0];
  if (!best?.[1]) throw new Error(`no 'tps = …' line in pgbench output:\n${stdout}`);
  const latency = /^latency average = ([\d.]+) ms/m.exec(stdout);
  const transactions = /^number of transactions actually processed: (\d+)/m.exec(stdout);
  return {
    tps: Number(best[1]),
    latencyAverageMs: latency?.[1] ? Number(latency[1]) : null,
    transactions: transactions?.[1] ? Number(transactions[1]) : null,
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A URL fit for printing: no password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable database URL)';
  }
}
