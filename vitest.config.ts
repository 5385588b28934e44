import { defineConfig } from 'vitest/config';

// One run covers unit tests beside the code and integration tests in <package>/test.
// Database tests pick SQLite or PostgreSQL from TEST_DATABASE_URL (see tooling/testkit).
export default defineConfig({
  test: {
    include: [
      'kernel/*/src/**/*.test.ts',
      'kernel/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'tooling/**/*.test.ts',
      'packs/*/test/**/*.test.ts',
    ],
    // apps/web is built by Vite; only its pure logic (the form runtime) has tests, run here in Node.
    exclude: ['**/node_modules/**', 'apps/web/**/*.test.tsx', 'tooling/check/fixtures/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
