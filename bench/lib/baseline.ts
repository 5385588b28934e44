import { envSeconds } from './env.ts';
import { type FastifyHelloFigure, measureFastifyHello } from './fastify-hello.ts';
import { type MachineFacts, machineFacts } from './machine.ts';
import { adminUrl, measurePgbench, type PgbenchFigure, postgresServerVersion } from './pgbench.ts';
import { measureSqliteCommits, type SqliteCommitFigure } from './sqlite-commits.ts';

/** The physical limits of this machine, measured in the same run as the benchmark printed beside them. */
export interface Baseline {
  measuredAt: string;
  machine: MachineFacts;
  sqlite: SqliteCommitFigure;
  pgbench: PgbenchFigure;
  fastify: FastifyHelloFigure;
}

export interface BaselineOptions {
  /** Default 3. */
  sqliteSeconds?: number;
  /** Default BENCH_SECONDS or 10. */
  pgbenchSeconds?: number;
  /** Default 5. */
  httpSeconds?: number;
  /** Progress lines, e.g. console.error; silent by default. */
  log?: (line: string) => void;
}

/**
 * Measures every limit one after the other (never in parallel: they would compete for the same CPUs and disk).
 * Throws BenchUnavailableError when PostgreSQL or pgbench is missing, before spending time on the others.
 */
export async function measureBaseline(options: BaselineOptions = {}): Promise<Baseline> {
  const log = options.log ?? (() => {});
  // Read before anything runs, so a malformed BENCH_SECONDS fails at once rather than after the SQLite run.
  const pgbenchSeconds = options.pgbenchSeconds ?? envSeconds('BENCH_SECONDS', 10);
  const postgres = await postgresServerVersion(adminUrl());

  log(`baseline: SQLite commits for ${options.sqliteSeconds ?? 3} s …`);
  const sqlite = measureSqliteCommits({ seconds: options.sqliteSeconds ?? 3 });

  log(`baseline: pgbench -i -s 10, then -c 4 -j 2 -T ${pgbenchSeconds} …`);
  const pgbench = await measurePgbench({ seconds: pgbenchSeconds });

  log(`baseline: Fastify hello-world, 50 connections for ${options.httpSeconds ?? 5} s …`);
  const fastify = await measureFastifyHello({ seconds: options.httpSeconds ?? 5 });

  return {
    measuredAt: new Date().toISOString(),
    machine: machineFacts({ sqlite: sqlite.sqliteVersion, postgres }),
    sqlite,
    pgbench,
    fastify,
  };
}
