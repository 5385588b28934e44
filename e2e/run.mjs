// Runs the browser journeys against a freshly started platform:
//   node e2e/run.mjs [name-filter ...]
// It builds nothing: `npm run build` first. E2E_STATIC=1 serves apps/web/dist with a tiny
// static server instead of `baton start` (no API), for work on the shell alone.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
const webRoot = path.join(repoRoot, 'apps/web/dist');
const cliBin = path.join(repoRoot, 'apps/cli/bin/baton.mjs');
const staticServer = path.join(import.meta.dirname, 'lib/static-server.mjs');
const journeysDir = path.join(import.meta.dirname, 'journeys');
const artifactsDir = path.join(import.meta.dirname, 'artifacts');
const useStatic = process.env.E2E_STATIC === '1';
const readyTimeoutMs = 60_000;
const journeyTimeoutMs = Number(process.env.E2E_JOURNEY_TIMEOUT_MS ?? 300_000);

function fail(message) {
  console.error(`e2e: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stops a detached child and everything it spawned: its whole process group. */
async function stopGroup(child, label) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!stopped) {
    console.error(`e2e: ${label} did not stop within 10 s, killing it`);
    signal('SIGKILL');
    await exited;
  }
}

async function waitUntilReady(url, server) {
  const deadline = Date.now() + readyTimeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`the server exited (${server.exitCode ?? server.signalCode}) before it was ready`);
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      const body = await response.json().catch(() => undefined);
      if (response.status === 200 && body?.status === 'ready') return;
      last = `HTTP ${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`the server was not ready within ${readyTimeoutMs / 1000} s (last: ${last})`);
}

let currentJourney;

function runJourney(file, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: repoRoot,
      env,
      stdio: 'inherit',
      detached: true,
    });
    currentJourney = child;
    const timer = setTimeout(() => {
      console.error(`e2e: ${path.basename(file)} exceeded ${journeyTimeoutMs / 1000} s`);
      void stopGroup(child, path.basename(file));
    }, journeyTimeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 && !signal);
    });
  });
}

if (!existsSync(path.join(webRoot, 'index.html'))) {
  fail('apps/web/dist is missing: run `npm run build` first (e2e builds nothing itself).');
}
if (!useStatic && !existsSync(cliBin)) {
  fail('apps/cli/bin/baton.mjs is missing: set E2E_STATIC=1 to run the journeys against the static web build.');
}

const filters = process.argv.slice(2);
// A journey that moves the server's clock forward (it imports lib/clock.ts) runs after the others, so every
// other journey sees the real date.
const movesClock = (name) => readFileSync(path.join(journeysDir, name), 'utf8').includes('/lib/clock.ts');
const journeys = readdirSync(journeysDir)
  .filter((name) => name.endsWith('.journey.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort((a, b) => Number(movesClock(a)) - Number(movesClock(b)) || a.localeCompare(b));
if (journeys.length === 0)
  fail(`no journeys matched in e2e/journeys${filters.length ? ` (${filters.join(', ')})` : ''}`);

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'baton-e2e-'));
// The journeys serve a copy of the web build: a `npm run build` started meanwhile (another checkout's work, a
// second run) replaces apps/web/dist file by file, and a page would load half of one build and half of another.
const servedWebRoot = await mkdtemp(path.join(os.tmpdir(), 'baton-e2e-web-'));
cpSync(webRoot, servedWebRoot, { recursive: true });
mkdirSync(artifactsDir, { recursive: true });
const serverLogFile = path.join(artifactsDir, 'server.log');
const serverLog = createWriteStream(serverLogFile);

const serverEnv = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  BATON_DATA_DIR: dataDir,
  BATON_WEB_ROOT: servedWebRoot,
  // The server's clock follows $BATON_DATA_DIR/test-clock.json, which lib/clock.ts moves (apps/cli test-clock.ts).
  BATON_TEST_CLOCK: '1',
};
const [command, args] = useStatic ? [staticServer, []] : [cliBin, ['start']];
console.log(`e2e: starting ${useStatic ? 'the static web server' : 'baton start'} on ${url} (data in ${dataDir})`);
// detached: the server gets its own process group, so stopping it also stops whatever it spawned.
const server = spawn(process.execPath, [command, ...args], {
  cwd: repoRoot,
  env: serverEnv,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
server.stdout.pipe(serverLog);
server.stderr.pipe(serverLog);

// The first start prints the administrator's generated password to stderr, in a box
// (`初始密码 Password:     <generated>`); journeys sign in with it (see lib/admin.ts).
let adminPassword;
let stderrTail = '';
server.stderr.setEncoding('utf8');
server.stderr.on('data', (chunk) => {
  if (adminPassword) return;
  stderrTail = (stderrTail + chunk).slice(-4_000);
  const match = /Password:[ \t]+(\S+)/.exec(stderrTail);
  if (match) adminPassword = match[1];
});

async function waitForAdminPassword(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!adminPassword && Date.now() < deadline) await sleep(100);
  return adminPassword;
}

let stopping;
async function shutdown() {
  stopping ??= (async () => {
    if (currentJourney) await stopGroup(currentJourney, 'the journey');
    await stopGroup(server, 'the server');
    serverLog.end();
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    await rm(servedWebRoot, { recursive: true, force: true }).catch(() => undefined);
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`e2e: ${signal}, stopping the server`);
    void shutdown().then(() => process.exit(130));
  });
}

let passed = 0;
let failed = 0;
try {
  await waitUntilReady(url, server);
  console.log(
    `e2e: ready; running ${journeys.length} journey(s); server log in ${path.relative(repoRoot, serverLogFile)}`,
  );
  const env = {
    ...process.env,
    BATON_URL: url,
    E2E_STATIC: useStatic ? '1' : '0',
    E2E_DATA_DIR: dataDir,
    // Servers a journey starts itself (lib/fresh-server.ts) serve the same copy.
    BATON_WEB_ROOT: servedWebRoot,
  };
  if (!useStatic) {
    const password = await waitForAdminPassword(5_000);
    if (password) env.E2E_ADMIN_PASSWORD = password;
    else console.error('e2e: the server printed no administrator password; sign-in journeys will fail');
  }
  for (const name of journeys) {
    const ok = await runJourney(path.join(journeysDir, name), env);
    if (ok) passed += 1;
    else failed += 1;
  }
} catch (error) {
  console.error(`e2e: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`e2e: see ${path.relative(repoRoot, serverLogFile)}`);
  failed += journeys.length - passed - failed;
} finally {
  await shutdown();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
