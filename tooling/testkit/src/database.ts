import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, type Dialect, dbMigrations, type EngineMigrations, migrate, openDatabase } from '@baton/db';
import { type ChildRun, spawnChild, type TestDatabaseLocation } from './child.ts';

const testUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** The database tests run on: PostgreSQL when TEST_DATABASE_URL is a postgres:// URL, otherwise SQLite. */
export const testDialect: Dialect = testUrl && /^postgres(ql)?:\/\//i.test(testUrl) ? 'postgres' : 'sqlite';

// Several test files share one PostgreSQL server; small pools keep them under max_connections.
const POOL_MAX = 4;

export type TestDatabase = Database &
  TestDatabaseLocation & {
    /** Another independent Database on the same data (PG: a second pool). On SQLite it is a second
     * connection in this process: fine for sequential use, but for concurrent writers use spawnChild. */
    openSecond(): Database;
    /** Runs `script` (a module calling runChild) in another process against this database. */
    spawnChild<T>(script: string | URL, input?: unknown): Promise<ChildRun<T>>;
    /** Closes every connection and child and removes the data (SQLite directory or PG schema). */
    cleanup(): Promise<void>;
  };

/**
 * A fresh, migrated database private to the caller: a SQLite file in a new temp directory, or with
 * TEST_DATABASE_URL a new schema `t_<random>` in that database. Applies dbMigrations, then `migrations`.
 */
export async function createTestDatabase(options: { migrations?: EngineMigrations[] } = {}): Promise<TestDatabase> {
  let location: TestDatabaseLocation;
  let removeData: (database: Database) => Promise<void>;
  if (testDialect === 'postgres' && testUrl) {
    const pgSchema = `t_${randomBytes(6).toString('hex')}`;
    location = { url: testUrl, pgSchema };
    removeData = async (database) => {
      await database.db.schema.dropSchema(pgSchema).ifExists().cascade().execute();
    };
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'baton-test-'));
    location = { sqlitePath: join(dir, 'baton.db') };
    removeData = async () => {
      await rm(dir, { recursive: true, force: true });
    };
  }
  const open = () => openDatabase({ ...location, poolMax: POOL_MAX });
  const database = open();
  const seconds: Database[] = [];
  const children: ChildRun<unknown>[] = [];
  const sets = [dbMigrations, ...(options.migrations ?? []).filter((set) => set !== dbMigrations)];
  try {
    await migrate(database.db, sets);
  } catch (error) {
    await removeData(database).catch(() => undefined);
    await database.destroy();
    throw error;
  }
  let cleaned = false;
  return {
    ...database,
    ...location,
    openSecond() {
      const second = open();
      seconds.push(second);
      return second;
    },
    async spawnChild<T>(script: string | URL, input?: unknown) {
      const child = await spawnChild<T>(location, script, input);
      children.push(child as ChildRun<unknown>);
      return child;
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      for (const child of children) child.kill();
      await Promise.all(seconds.map((second) => second.destroy()));
      try {
        if (testDialect === 'postgres') await removeData(database);
      } finally {
        await database.destroy();
        if (testDialect === 'sqlite') await removeData(database);
      }
    },
  };
}
