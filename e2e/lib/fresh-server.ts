// A second platform on a fresh SQLite data directory (its own demo organisation, nothing designed), for journeys
// that move something from one installation to another: a pack exported from the server under test and imported
// there. The journey starts it and must stop it (stop() in a finally), which also deletes its data.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { submitLogin } from './admin.ts';
import { artifactsRoot, viewports } from './browser.ts';
import { expectVisible } from './expect.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const NEW_PASSWORD = 'Baton-E2e-Fresh-2026!';

export type FreshServer = {
  url: string;
  dataDir: string;
  /** Demo members of this organisation by the roles written beside them (`buyer`, `head:admin` …). */
  credentials(): Promise<string[][]>;
  /** A desktop page of this server, signed in as its administrator (the first-start password changed). */
  adminPage(browser: Browser): Promise<Page>;
  /** A desktop page of this server, not signed in. */
  page(browser: Browser): Promise<Page>;
  stop(): Promise<void>;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFreshServer(name: string): Promise<FreshServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'baton-e2e-fresh-'));
  await mkdir(artifactsRoot, { recursive: true });
  const log = createWriteStream(path.join(artifactsRoot, `${name}-fresh-server.log`));
  // SQLite in its own directory even when the server under test runs on PostgreSQL: a fresh database.
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/cli/bin/baton.mjs'), 'start'], {
    cwd: repoRoot,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      BATON_DATA_DIR: dataDir,
      BATON_WEB_ROOT: process.env.BATON_WEB_ROOT ?? path.join(repoRoot, 'apps/web/dist'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log);
  let password = '';
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    log.write(chunk);
    if (password) return;
    tail = (tail + chunk).slice(-4_000);
    const match = /Password:[ \t]+(\S+)/.exec(tail);
    if (match?.[1]) password = match[1];
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        await exited;
      }
    }
    log.end();
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  };

  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the fresh server exited (${child.exitCode}) before it was ready`);
      const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })
        .then(async (response) => response.ok && ((await response.json()) as { status?: string }).status === 'ready')
        .catch(() => false);
      if (ready && password) break;
      if (Date.now() > deadline) throw new Error('the fresh server was not ready within 120 s');
      await sleep(250);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const page = async (browser: Browser) => {
    const context = await browser.newContext({ ...viewports.desktop, baseURL: url });
    const opened = await context.newPage();
    opened.setDefaultTimeout(10_000);
    opened.setDefaultNavigationTimeout(20_000);
    return opened;
  };
  let current = password;
  return {
    url,
    dataDir,
    credentials: async () =>
      (await readFile(path.join(dataDir, 'demo-credentials.txt'), 'utf8'))
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split('\t')),
    page,
    adminPage: async (browser) => {
      const opened = await page(browser);
      await opened.goto('/');
      const session = await submitLogin(opened, 'admin', current);
      if (session.mustChangePassword) {
        await expectVisible(opened.locator('.password-form'));
        await opened.locator('#oldPassword').fill(current);
        await opened.locator('#newPassword').fill(NEW_PASSWORD);
        await opened.locator('#confirm').fill(NEW_PASSWORD);
        await opened.locator('.password-form button[type="submit"]').click();
        await opened.waitForURL((next) => next.pathname !== '/change-password', { waitUntil: 'commit' });
        current = NEW_PASSWORD;
      }
      return opened;
    },
    stop,
  };
}
