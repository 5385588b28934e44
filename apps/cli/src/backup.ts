import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { defineError } from '@baton/core';
import SqliteDatabase from 'better-sqlite3';
import { type Config, sqlitePathOf } from './config.ts';

// `baton backup` and `baton restore`. A backup is a folder: the database (a SQLite online-backup copy, or a
// pg_dump custom-format archive), the uploaded files (content-addressed, so copying them after the database
// snapshot can only add files no record points at yet, never miss one a record points at), and a manifest
// with a SHA-256 of every file, checked before a restore touches anything.

export const BackupErrors = {
  targetExists: defineError('CLI_BACKUP_TARGET_EXISTS', {
    status: 409,
    zh: '备份目录 {path} 已存在且不为空',
    en: 'The backup folder {path} exists and is not empty',
  }),
  notABackup: defineError('CLI_BACKUP_INVALID', {
    status: 400,
    zh: '{path} 不是有效的 Baton 备份：{reason}',
    en: '{path} is not a valid Baton backup: {reason}',
  }),
  dialectMismatch: defineError('CLI_BACKUP_DIALECT_MISMATCH', {
    status: 400,
    zh: '备份来自 {from}，不能恢复到 {to}',
    en: 'The backup was taken from {from} and cannot be restored into {to}',
  }),
  targetNotEmpty: defineError('CLI_RESTORE_TARGET_NOT_EMPTY', {
    status: 409,
    zh: '目标数据库已有数据；确认覆盖请加 --force（SQLite 旧文件会被改名保留）',
    en: 'The target database already holds data; add --force to replace it (an old SQLite file is kept, renamed)',
  }),
  toolFailed: defineError('CLI_BACKUP_TOOL_FAILED', {
    status: 500,
    zh: '{tool} 执行失败：{reason}',
    en: '{tool} failed: {reason}',
  }),
};

const FORMAT = 'baton-backup/1';
const SQLITE_FILE = 'database.sqlite';
const PG_FILE = 'database.pgdump';

type Manifest = {
  format: typeof FORMAT;
  dialect: 'sqlite' | 'postgres';
  takenAt: string;
  migrations: number;
  files: Record<string, string>;
};

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function filesUnder(root: string, prefix = ''): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(path.join(root, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** libpq tools take the password from the URL but must not print it; PG* variables keep it off argv. */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(tool, args, { env, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const reason = (result.error?.message ?? result.stderr ?? '').trim().split('\n').slice(-3).join(' ');
    throw BackupErrors.toolFailed.create({ tool, reason: reason || `exit ${result.status}` });
  }
  return result.stdout;
}

function pgMigrationCount(env: NodeJS.ProcessEnv): number {
  const out = run(
    'psql',
    ['-X', '-q', '-tA', '-c', "select count(*) from information_schema.tables where table_name = 'baton_db_migration'"],
    env,
  ).trim();
  if (out === '0') return 0;
  return Number(run('psql', ['-X', '-q', '-tA', '-c', 'select count(*) from baton_db_migration'], env).trim());
}

function sqliteMigrationCount(file: string): number {
  if (!existsSync(file) || statSync(file).size === 0) return 0;
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("select name from sqlite_master where type = 'table' and name = 'baton_db_migration'")
      .get();
    if (!table) return 0;
    return (db.prepare('select count(*) as n from baton_db_migration').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export type BackupResult = { folder: string; dialect: Manifest['dialect']; files: number; migrations: number };

/** Writes a backup of the configured database and uploads into `folder` (created; must be new or empty). */
export async function backup(config: Config, folder: string, now: Date = new Date()): Promise<BackupResult> {
  const out = path.resolve(folder);
  if (existsSync(out) && readdirSync(out).length > 0) throw BackupErrors.targetExists.create({ path: out });
  mkdirSync(out, { recursive: true });
  let dialect: Manifest['dialect'];
  let migrations: number;
  if (config.databaseUrl) {
    dialect = 'postgres';
    const env = pgEnv(config.databaseUrl);
    migrations = pgMigrationCount(env);
    // Custom format: compressed, and pg_restore can restore it into an empty database in one transaction.
    run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(out, PG_FILE)}`], env);
  } else {
    dialect = 'sqlite';
    const source = sqlitePathOf(config);
    if (!existsSync(source)) throw BackupErrors.notABackup.create({ path: source, reason: 'no database file' });
    // The online backup API copies a consistent snapshot while the server keeps writing (WAL).
    const db = new SqliteDatabase(source, { fileMustExist: true });
    try {
      await db.backup(path.join(out, SQLITE_FILE));
    } finally {
      db.close();
    }
    const copy = new SqliteDatabase(path.join(out, SQLITE_FILE), { readonly: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw BackupErrors.toolFailed.create({ tool: 'sqlite backup', reason: String(check) });
    } finally {
      copy.close();
    }
    migrations = sqliteMigrationCount(path.join(out, SQLITE_FILE));
  }
  const blobs = path.join(config.dataDir, 'blobs');
  if (existsSync(blobs)) cpSync(blobs, path.join(out, 'blobs'), { recursive: true });
  const files: Record<string, string> = {};
  for (const rel of filesUnder(out)) files[rel] = sha256(path.join(out, rel));
  const manifest: Manifest = { format: FORMAT, dialect, takenAt: now.toISOString(), migrations, files };
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return { folder: out, dialect, files: Object.keys(files).length, migrations };
}

function readManifest(folder: string): Manifest {
  const file = path.join(folder, 'manifest.json');
  if (!existsSync(file)) throw BackupErrors.notABackup.create({ path: folder, reason: 'manifest.json missing' });
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    throw BackupErrors.notABackup.create({ path: folder, reason: 'manifest.json unreadable' });
  }
  if (manifest.format !== FORMAT || (manifest.dialect !== 'sqlite' && manifest.dialect !== 'postgres')) {
    throw BackupErrors.notABackup.create({ path: folder, reason: `unknown format ${String(manifest.format)}` });
  }
  const listed = Object.keys(manifest.files ?? {});
  for (const rel of listed) {
    // A manifest names files inside the backup only: no absolute paths, no climbing out.
    const full = path.resolve(folder, rel);
    if (!full.startsWith(`${path.resolve(folder)}${path.sep}`)) {
      throw BackupErrors.notABackup.create({ path: folder, reason: `bad entry ${rel}` });
    }
    if (!existsSync(full) || sha256(full) !== manifest.files[rel]) {
      throw BackupErrors.notABackup.create({ path: folder, reason: `${rel} is missing or changed` });
    }
  }
  const extra = filesUnder(folder).filter((rel) => rel !== 'manifest.json' && !(rel in manifest.files));
  if (extra.length) throw BackupErrors.notABackup.create({ path: folder, reason: `unlisted file ${extra[0]}` });
  return manifest;
}

export type RestoreResult = { dialect: Manifest['dialect']; migrations: number; files: number; keptAside?: string };

/**
 * Restores `folder` into the configured database and data directory, after checking every file's hash.
 * Refuses a database that already holds Baton data unless `force`. Stop servers and workers first.
 */
export async function restore(config: Config, folder: string, options: { force?: boolean; now?: Date } = {}) {
  const from = path.resolve(folder);
  const manifest = readManifest(from);
  const target = config.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.dialect !== target) throw BackupErrors.dialectMismatch.create({ from: manifest.dialect, to: target });
  const result: RestoreResult = { dialect: target, migrations: manifest.migrations, files: 0 };
  if (config.databaseUrl) {
    const env = pgEnv(config.databaseUrl);
    if (pgMigrationCount(env) > 0 && !options.force) throw BackupErrors.targetNotEmpty.create({});
    run(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--clean',
        '--if-exists',
        '--single-transaction',
        `--dbname=${env.PGDATABASE}`,
        path.join(from, PG_FILE),
      ],
      env,
    );
  } else {
    const dest = sqlitePathOf(config);
    if (sqliteMigrationCount(dest) > 0 && !options.force) throw BackupErrors.targetNotEmpty.create({});
    mkdirSync(path.dirname(dest), { recursive: true });
    if (existsSync(dest)) {
      const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
      result.keptAside = `${dest}.before-restore-${stamp}`;
      renameSync(dest, result.keptAside);
    }
    // A stale WAL beside the restored file would be replayed onto it.
    for (const suffix of ['-wal', '-shm']) rmSync(`${dest}${suffix}`, { force: true });
    cpSync(path.join(from, SQLITE_FILE), dest);
  }
  const blobs = path.join(from, 'blobs');
  if (existsSync(blobs)) {
    // Blobs are named by their hash: copying over existing ones cannot change their content.
    cpSync(blobs, path.join(config.dataDir, 'blobs'), { recursive: true });
    result.files = filesUnder(blobs).length;
  }
  return result;
}
