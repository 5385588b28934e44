export { type Baseline, type BaselineOptions, measureBaseline } from './baseline.ts';
export { envSeconds } from './env.ts';
export { BenchUnavailableError } from './errors.ts';
export { type FastifyHelloFigure, type FastifyHelloOptions, measureFastifyHello } from './fastify-hello.ts';
export { type MachineFacts, machineFacts } from './machine.ts';
export {
  adminUrl,
  DEFAULT_ADMIN_URL,
  measurePgbench,
  type PgbenchFigure,
  type PgbenchOptions,
  parsePgbenchOutput,
  postgresServerVersion,
  psql,
  redact,
  withDatabase,
} from './pgbench.ts';
export {
  type Figure,
  formatBaseline,
  formatComparison,
  type LimitName,
  printBaseline,
  printComparison,
  writeResult,
} from './report.ts';
export { measureSqliteCommits, percentile, type SqliteCommitFigure } from './sqlite-commits.ts';
export { benchTempRoot } from './temp-dir.ts';
