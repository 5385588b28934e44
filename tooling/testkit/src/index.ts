export { type ChildRun, runChild, spawnChild, type TestDatabaseLocation } from './child.ts';
export { testCtx } from './ctx.ts';
export { createTestDatabase, type TestDatabase, testDialect } from './database.ts';
export { expectWordedIssues, unreachedCodes } from './issues.ts';
