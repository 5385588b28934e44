import { fileURLToPath } from 'node:url';

/**
 * Scratch space for benchmark databases. Defaults to the repository's .tmp/ (gitignored) rather than the OS temp
 * dir, which is often tmpfs: an fsync on tmpfs costs nothing and would report a ceiling no real disk reaches.
 * BENCH_TMPDIR points it at the disk you actually want to measure.
 */
export function benchTempRoot(): string {
  return process.env.BENCH_TMPDIR || fileURLToPath(new URL('../../.tmp/bench/', import.meta.url));
}
