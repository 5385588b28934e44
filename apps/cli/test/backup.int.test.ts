import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDialect } from '@baton/testkit';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type Installation, newInstallation, psql, runBaton as run } from './support.ts';

// `baton backup` and `baton restore` as an operator runs them, on the database CI runs (SQLite, or fresh
// PostgreSQL databases on the TEST_DATABASE_URL server): what comes back equals what was saved, uploads
// included, a tampered backup is refused before anything is touched, and a database with data is not
// overwritten without --force.

const installations: Installation[] = [];
function installation(): NodeJS.ProcessEnv {
  const made = newInstallation();
  installations.push(made);
  return made.env;
}
afterAll(() => {
  for (const made of installations) made.drop();
});

function query(env: NodeJS.ProcessEnv, sql: string): string {
  if (env.DATABASE_URL) return psql(new URL(env.DATABASE_URL).pathname.slice(1), sql);
  const db = new SqliteDatabase(path.join(String(env.BATON_DATA_DIR), 'baton.db'), { readonly: true });
  try {
    return String(Object.values(db.prepare(sql).get() as Record<string, unknown>)[0]);
  } finally {
    db.close();
  }
}

const fingerprint = (env: NodeJS.ProcessEnv) =>
  [
    'select count(*) from baton_db_migration',
    'select count(*) from baton_org_member',
    'select count(*) from baton_access_audit',
    "select login from baton_org_member where login = 'admin'",
  ].map((sql) => query(env, sql));

describe(`baton backup and restore (${testDialect})`, () => {
  it('round-trips the database and uploads, refuses tampering and overwriting', async () => {
    const source = installation();
    const migrated = await run(['migrate'], source);
    expect(migrated.code, migrated.stderr).toBe(0);
    // An uploaded file as the blob store keeps it: named by its hash, under the data directory.
    const blobDir = path.join(String(source.BATON_DATA_DIR), 'blobs', 'ab', 'cd');
    mkdirSync(blobDir, { recursive: true });
    writeFileSync(path.join(blobDir, `abcd${'0'.repeat(60)}`), '合同扫描件');

    const folder = path.join(mkdtempSync(path.join(tmpdir(), 'baton-backups-')), 'nightly');
    const taken = await run(['backup', folder], source);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toContain(`backup of ${testDialect}`);
    const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'baton-backup/1', dialect: testDialect });
    expect(Object.keys(manifest.files)).toContain(`blobs/ab/cd/abcd${'0'.repeat(60)}`);
    // A second backup into the same folder is refused rather than mixed in.
    const again = await run(['backup', folder], source);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists and is not empty');

    const target = installation();
    const restored = await run(['restore', folder], target);
    expect(restored.code, restored.stderr).toBe(0);
    expect(fingerprint(target)).toEqual(fingerprint(source));
    expect(fingerprint(target)[3]).toBe('admin');
    expect(
      readFileSync(path.join(String(target.BATON_DATA_DIR), 'blobs', 'ab', 'cd', `abcd${'0'.repeat(60)}`), 'utf8'),
    ).toBe('合同扫描件');
    // The restored installation is usable: migrations are all applied, so `migrate` has nothing to do.
    const upToDate = await run(['migrate'], target);
    expect(upToDate.code, upToDate.stderr).toBe(0);
    expect(upToDate.stdout).toContain('up to date');

    const overwrite = await run(['restore', folder], target);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain('--force');
    const forced = await run(['restore', folder, '--force'], target);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fingerprint(target)).toEqual(fingerprint(source));

    // One changed byte anywhere in the backup: refused before the target is touched.
    const fresh = installation();
    writeFileSync(path.join(folder, 'blobs', 'ab', 'cd', `abcd${'0'.repeat(60)}`), '篡改');
    const tampered = await run(['restore', folder], fresh);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('is missing or changed');
    expect(existsSync(path.join(String(fresh.BATON_DATA_DIR), 'blobs'))).toBe(false);
    if (fresh.DATABASE_URL)
      expect(query(fresh, "select count(*) from pg_tables where schemaname = 'public'")).toBe('0');
    else expect(existsSync(path.join(String(fresh.BATON_DATA_DIR), 'baton.db'))).toBe(false);
    // Seven CLI processes, each starting Node and tsx: on a busy 2-CPU machine that alone passed 30 s.
  }, 120_000);
});
