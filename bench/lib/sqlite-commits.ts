import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { benchTempRoot } from './temp-dir.ts';

export interface SqliteCommitFigure {
  /** Single-row write transactions committed per second, each fsynced (WAL, synchronous=FULL). */
  commitsPerSecond: number;
  commits: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  sqliteVersion: string;
  /** Where the database file lived: the figure is a property of that disk. */
  directory: string;
}

/**
 * The ceiling for any SQLite write path in embedded mode: one INSERT per BEGIN IMMEDIATE … COMMIT, with the
 * pragmas Baton runs with (ARCHITECTURE.md §4). No Baton action can commit faster than this.
 */
export function measureSqliteCommits(options: { seconds?: number } = {}): SqliteCommitFigure {
  const seconds = options.seconds ?? 3;
  const root = benchTempRoot();
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, 'sqlite-'));
  const db = new Database(join(directory, 'commits.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE commits (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, created_at TEXT NOT NULL)');
    const begin = db.prepare('BEGIN IMMEDIATE');
    const insert = db.prepare('INSERT INTO commits (payload, created_at) VALUES (?, ?)');
    const commit = db.prepare('COMMIT');
    const payload = 'x'.repeat(200);
    const latencies: number[] = [];
    const start = performance.now();
    const end = start + seconds * 1000;
    let now = start;
    while (now < end) {
      const t0 = now;
      begin.run();
      insert.run(payload, new Date().toISOString());
      commit.run();
      now = performance.now();
      latencies.push(now - t0);
    }
    const elapsed = (now - start) / 1000;
    latencies.sort((a, b) => a - b);
    const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    return {
      commitsPerSecond: latencies.length / elapsed,
      commits: latencies.length,
      seconds: elapsed,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      sqliteVersion,
      directory: root,
    };
  } finally {
    db.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** p-th percentile of an ascending array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}
