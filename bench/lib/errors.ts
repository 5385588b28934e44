/**
 * A physical limit could not be measured because a tool or service is missing. Benchmarks stop on it rather
 * than print a figure with no baseline beside it.
 */
export class BenchUnavailableError extends Error {
  override name = 'BenchUnavailableError';
}
