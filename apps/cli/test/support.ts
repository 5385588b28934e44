import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDialect } from '@baton/testkit';

// What the process-level tests (backup, crash, multi-node) share: real `baton` child processes, a database of
// their own (a SQLite file in a temp data directory, or a fresh PostgreSQL database on the TEST_DATABASE_URL
// server, since `baton` has no schema setting), and HTTP clients holding a real session cookie.

export const bin = path.resolve(import.meta.dirname, '../bin/baton.mjs');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pgBase = testDialect === 'postgres' ? new URL(String(process.env.TEST_DATABASE_URL)) : undefined;

export function psql(database: string, command: string): string {
  const base = pgBase as URL;
  const result = spawnSync('psql', ['-X', '-q', '-tA', '-d', database, '-c', command], {
    env: {
      ...process.env,
      PGHOST: base.hostname,
      PGPORT: base.port || '5432',
      PGUSER: decodeURIComponent(base.username || 'postgres'),
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export type Installation = {
  env: NodeJS.ProcessEnv;
  /** Where kernel code in the test process opens the same database. */
  location: { url: string } | { sqlitePath: string };
  /** Drops the PostgreSQL database (SQLite data stays in the temp directory). */
  drop(): void;
};

/** An empty installation: its own data directory and, on PostgreSQL, its own database. */
export function newInstallation(extra: NodeJS.ProcessEnv = {}): Installation {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-proc-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    LANG: 'en_US.UTF-8',
    BATON_DATA_DIR: dataDir,
    BATON_DEMO: 'false',
    BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')),
    ...extra,
  };
  delete env.DATABASE_URL;
  delete env.PORT;
  if (!pgBase) return { env, location: { sqlitePath: path.join(dataDir, 'baton.db') }, drop() {} };
  const name = `baton_p_${randomBytes(5).toString('hex')}`;
  psql('postgres', `create database ${name}`);
  const url = new URL(pgBase.toString());
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  return {
    env,
    location: { url: env.DATABASE_URL },
    drop: () => psql('postgres', `drop database if exists ${name} with (force)`),
  };
}

/** Runs a `baton` command to its end. */
export function runBaton(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running `baton start | server | worker` child; `ready()` waits for /readyz when it serves HTTP. */
export class BatonProcess {
  child?: ChildProcess;
  stderr = '';
  constructor(
    readonly command: 'start' | 'server' | 'worker',
    readonly env: NodeJS.ProcessEnv,
    readonly port?: number,
  ) {}
  get base() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const env = { ...this.env, ...(this.port ? { PORT: String(this.port), HOST: '127.0.0.1' } : {}) };
    const child = spawn(process.execPath, [bin, this.command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.stderr = '';
    child.stderr?.on('data', (d) => (this.stderr += d));
    this.child = child;
    if (!this.port) return;
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null) throw new Error(`baton ${this.command} exited: ${this.stderr}`);
      if (
        await fetch(`${this.base}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await sleep(100);
    }
    throw new Error(`baton ${this.command} did not become ready: ${this.stderr}`);
  }
  /** Stops the process: SIGKILL for crash tests, SIGTERM for an orderly stop. */
  stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    return new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/** A member's browser: the session cookie and CSRF token from a real sign-in. */
export class Member {
  cookie = '';
  csrf = '';
  constructor(
    readonly login: string,
    readonly memberId: string,
  ) {}
  async signIn(base: string, password: string): Promise<void> {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: this.login, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in ${this.login}: ${res.status} ${await res.text()}`);
    for (const c of res.headers.getSetCookie()) {
      const [name, value] = (c.split(';')[0] as string).split('=');
      if (name === 'baton_session') this.cookie = `baton_session=${value}`;
      if (name === 'baton_csrf') this.csrf = String(value);
    }
  }
  request(base: string, method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${base}${url}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}
