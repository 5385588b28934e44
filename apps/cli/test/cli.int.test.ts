import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDialect } from '@baton/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, freePort, runBaton as run } from './support.ts';

const cleanEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', LANG: 'en_US.UTF-8' };
  delete env.DATABASE_URL;
  delete env.PORT;
  return env;
};

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

describe('baton command', () => {
  it('migrates an empty SQLite database, then reports it up to date', async () => {
    const env: NodeJS.ProcessEnv = { ...cleanEnv(), BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-cli-')) };
    const first = await run(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+: db\/0001/);
    const second = await run(['migrate'], env);
    expect(second.stdout.trim()).toBe('up to date');
  });

  it('doctor reports the database and masks secrets', async () => {
    const env: NodeJS.ProcessEnv = { ...cleanEnv(), BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-cli-')) };
    if (testDialect === 'postgres') env.DATABASE_URL = String(process.env.TEST_DATABASE_URL);
    const result = await run(['doctor'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`dialect        ${testDialect}`);
    expect(result.stdout).toContain('reachable      yes');
  });

  it('doctor fails, without printing the password, when PostgreSQL is unreachable', async () => {
    const port = await freePort();
    const env = { ...cleanEnv(), DATABASE_URL: `postgres://baton:t0psecret@127.0.0.1:${port}/nowhere` };
    const result = await run(['doctor'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('reachable      NO');
    expect(result.stdout).toContain('postgres://baton:****@127.0.0.1');
    expect(result.stdout + result.stderr).not.toContain('t0psecret');
  });

  it('stops at start with one line per bad setting', async () => {
    const result = await run(['start'], { ...cleanEnv(), PORT: '70000', LOG_LEVEL: 'chatty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT (environment): expected an integer from 1 to 65535, got "70000"');
    expect(result.stderr).toContain('LOG_LEVEL (environment)');
  });

  it('refuses an unknown command', async () => {
    const result = await run(['launch'], cleanEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown command: launch');
  });

  async function startAndWait(env: NodeJS.ProcessEnv, port: number, seconds: number) {
    const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    running.push(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let body: { status?: string } = {};
    for (let i = 0; i < seconds * 10 && body.status !== 'ready'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.json() as Promise<{ status?: string }>)
        .catch(() => ({}));
    }
    return { child, body, stderr: () => stderr };
  }

  it('start serves /readyz on an empty data directory, prints a generated administrator password once, and stops on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      ...cleanEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      BATON_DEMO: 'false',
      BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-cli-')),
      BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')),
    };
    const { child, body, stderr } = await startAndWait(env, port, 30);
    expect(body.status).toBe('ready');
    const password = /Password:\s+(\S+)/.exec(stderr())?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // a second start finds the administrator and prints no password
    const again = await startAndWait(env, port, 30);
    expect(again.body.status).toBe('ready');
    expect(again.stderr()).not.toContain('Password:');
    again.child.kill('SIGTERM');
  });

  it('start loads the demo organisation into an empty database, with a password file only the owner reads', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-cli-'));
    const env = {
      ...cleanEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      BATON_DATA_DIR: dataDir,
      BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')),
    };
    const { body, stderr } = await startAndWait(env, port, 90);
    expect(body.status).toBe('ready');
    expect(stderr()).toContain('200 members');
    const file = path.join(dataDir, 'demo-credentials.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('\t'));
    expect(rows.length).toBe(200);
    const [login, , password] = rows[0] ?? [];
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    expect(res.status).toBe(200);
  }, 120_000);
});
