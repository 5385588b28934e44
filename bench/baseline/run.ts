// `npm run bench:baseline`: the physical limits of this machine, printed and written to bench/results/baseline.json.
import { BenchUnavailableError, DEFAULT_ADMIN_URL, measureBaseline, printBaseline, writeResult } from '../lib/index.ts';

try {
  const baseline = await measureBaseline({ log: (line) => console.error(line) });
  console.log('');
  printBaseline(baseline);
  console.log(`\nwritten to ${writeResult('baseline', baseline)}`);
} catch (error) {
  if (!(error instanceof BenchUnavailableError)) throw error;
  // No silent skip: a baseline without PostgreSQL is not a baseline.
  console.error(`\nbench:baseline cannot run: ${error.message}`);
  console.error(
    `It needs psql and pgbench on PATH and a PostgreSQL server at BENCH_DATABASE_URL (default ${DEFAULT_ADMIN_URL}).`,
  );
  process.exitCode = 2;
}
