// `npm run bench:load`: 200 members at once against the real `baton start` process over loopback, on SQLite
// and on PostgreSQL: each member's loop opens the pending list, opens a request from it and approves it, or
// files a new request for a colleague when nothing is pending. Prints p50/p99 per request kind beside the
// bare-Fastify baseline measured in the same run, and fails (exit 1) on any error or 5xx: under load Baton
// may be slow, never wrong. BENCH_QUICK=1: 10 s per database (CI); default 60 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { grantPermissions, setPassword, signIn } from '@baton/access';
import { platformMigrations } from '@baton/cli';
import { type Ctx, newId, silentLogger, systemActor, systemClock } from '@baton/core';
import { migrate, openDatabase } from '@baton/db';
import { publishFlow } from '@baton/flow';
import { publishForm } from '@baton/form';
import { assignRole, createDepartment, createMember, createRole, createUnit } from '@baton/org';
import { declareFlowPermissions } from '@baton/server';
import {
  adminUrl,
  type Baseline,
  benchTempRoot,
  type FastifyHelloFigure,
  measureBaseline,
  measureFastifyHello,
  percentile,
  printBaseline,
  printComparison,
  psql,
  withDatabase,
  writeResult,
} from '../lib/index.ts';

const quick = process.env.BENCH_QUICK === '1';
const MEMBERS = 200;
const SECONDS = quick ? 10 : 60;
const PASSWORD = 'Load-Test-Pass-42';
const PACK = 'load';
const bin = path.resolve(import.meta.dirname, '../../apps/cli/bin/baton.mjs');
const log = (line: string) => console.error(line);
const l = (zh: string, en: string) => ({ zh, en });

type Kind = 'pending list' | 'open request' | 'approve' | 'file';
type Run = {
  dialect: 'sqlite' | 'postgres';
  seconds: number;
  latencies: Record<Kind, number[]>;
  errors: string[];
  refused: number;
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Members, a form and a one-step flow whose approver the filer names; returns each member's session. */
async function prepare(location: { url?: string; sqlitePath?: string }) {
  const database = openDatabase(location);
  const ctx: Ctx<typeof database.db> = {
    db: database.db,
    clock: systemClock,
    log: silentLogger(),
    actor: systemActor('bench-load'),
  };
  try {
    await migrate(database.db, [...platformMigrations]);
    await publishForm(ctx, {
      pack: PACK,
      key: 'request',
      kind: 'flow',
      label: l('事项申请', 'Request'),
      fields: [
        { key: 'subject', label: l('事由', 'Subject'), type: 'text', required: true },
        { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
        { key: 'approver', label: l('审批人', 'Approver'), type: 'member', required: true },
      ],
    });
    await publishFlow(ctx, {
      pack: PACK,
      key: 'request',
      name: l('事项审批', 'Request approval'),
      form: { pack: PACK, key: 'request' },
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'review', kind: 'approval', assignees: [{ source: 'memberField', field: 'approver' }] },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'review' },
        { from: 'review', to: 'end' },
      ],
    });
    const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
    const department = await createDepartment(ctx, { unitId: unit.id, name: '运营部', code: '10-00001' });
    await createRole(ctx, { code: 'staff', name: 'staff', kind: 'business' });
    declareFlowPermissions(PACK, 'request');
    await grantPermissions(ctx, { role: 'staff', permissions: [`flow.${PACK}.request.start`] });
    const sessions: { memberId: string; cookie: string; csrf: string }[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const login = `m${i}`;
      const member = await createMember(ctx, {
        code: `L${i}`,
        name: `成员${i}`,
        login,
        mainDepartmentId: department.id,
      });
      await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
      await assignRole(ctx, { role: 'staff', memberId: member.id });
      // Sessions are opened here (no client address) rather than through /api/auth/login, whose per-address
      // throttle rightly stops 200 sign-ins from one address.
      const session = await signIn(ctx, { login, password: PASSWORD });
      sessions.push({ memberId: member.id, cookie: `baton_session=${session.sessionToken}`, csrf: session.csrfToken });
    }
    return sessions;
  } finally {
    await database.destroy();
  }
}

async function startServer(env: NodeJS.ProcessEnv, base: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('baton start exited');
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('baton start did not become ready');
}

async function drive(dialect: Run['dialect'], location: { url?: string; sqlitePath?: string }, dataDir: string) {
  log(`load: preparing ${MEMBERS} members on ${dialect}`);
  const sessions = await prepare(location);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'error',
    BATON_DATA_DIR: dataDir,
    BATON_DEMO: 'false',
    PORT: String(port),
    HOST: '127.0.0.1',
    BATON_WEB_ROOT: mkdtempSync(path.join(dataDir, 'web-')),
  };
  delete env.DATABASE_URL;
  if (location.url) env.DATABASE_URL = location.url;
  const server = await startServer(env, base);
  const run: Run = {
    dialect,
    seconds: SECONDS,
    latencies: { 'pending list': [], 'open request': [], approve: [], file: [] },
    errors: [],
    refused: 0,
  };
  const timed = async (kind: Kind, who: (typeof sessions)[number], method: string, url: string, body?: unknown) => {
    const started = performance.now();
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie: who.cookie,
        'x-csrf-token': who.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    run.latencies[kind].push(performance.now() - started);
    if (res.status >= 500 || (res.status >= 400 && !/"code":"FLOW_/.test(text))) {
      run.errors.push(`${method} ${url} → ${res.status} ${text.slice(0, 200)}`);
      return undefined;
    }
    if (res.status >= 400) {
      // Two approvers never share a task here, so a refusal means a stale list: counted, not an error.
      run.refused += 1;
      return undefined;
    }
    return JSON.parse(text);
  };
  const until = performance.now() + SECONDS * 1000;
  try {
    log(`load: ${MEMBERS} members for ${SECONDS} s on ${dialect}`);
    await Promise.all(
      sessions.map(async (who, i) => {
        while (performance.now() < until) {
          try {
            const list = await timed('pending list', who, 'GET', '/api/tasks?box=pending&limit=20');
            const task = list?.items?.[0] as { taskId: string; instanceId: string } | undefined;
            if (task) {
              await timed('open request', who, 'GET', `/api/instances/${task.instanceId}`);
              await timed('approve', who, 'POST', `/api/tasks/${task.taskId}/approve`, {
                clientActionId: newId(),
                opinion: '同意',
              });
            } else {
              const approver = sessions[(i + 1) % MEMBERS] as (typeof sessions)[number];
              await timed('file', who, 'POST', `/api/flows/${PACK}/request/instances`, {
                clientActionId: newId(),
                values: { subject: `采购申请 ${i}`, amount: 120_000, approver: approver.memberId },
              });
            }
          } catch (error) {
            run.errors.push(String(error));
          }
        }
      }),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  return run;
}

async function onSqlite() {
  const root = benchTempRoot();
  mkdirSync(root, { recursive: true });
  const dataDir = mkdtempSync(path.join(root, 'load-'));
  try {
    return await drive('sqlite', { sqlitePath: path.join(dataDir, 'baton.db') }, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres() {
  const admin = adminUrl();
  const name = `baton_bench_load_${process.pid}`;
  await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  await psql(admin, `CREATE DATABASE ${name}`);
  const root = benchTempRoot();
  mkdirSync(root, { recursive: true });
  const dataDir = mkdtempSync(path.join(root, 'load-'));
  try {
    return await drive('postgres', { url: withDatabase(admin, name) }, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await psql(admin, `DROP DATABASE IF EXISTS ${name}`);
  }
}

const ms = (n: number) => n.toFixed(1);

function summarise(run: Run) {
  const kinds = Object.entries(run.latencies) as [Kind, number[]][];
  const all = kinds.flatMap(([, values]) => values).sort((a, b) => a - b);
  const rows = kinds.map(([kind, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { kind, count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  });
  return {
    requests: all.length,
    perSecond: all.length / run.seconds,
    p50: percentile(all, 0.5),
    p99: percentile(all, 0.99),
    rows,
  };
}

function printRun(run: Run, baseline: Baseline, hello: FastifyHelloFigure) {
  const s = summarise(run);
  console.log(`\n═══ load on ${run.dialect}: ${MEMBERS} members, ${run.seconds} s ═══`);
  for (const row of s.rows) {
    console.log(
      `${row.kind.padEnd(14)} ${String(row.count).padStart(7)} requests  p50 ${ms(row.p50)} ms  p99 ${ms(row.p99)} ms`,
    );
  }
  console.log(
    `all            ${String(s.requests).padStart(7)} requests  p50 ${ms(s.p50)} ms  p99 ${ms(s.p99)} ms  ` +
      `errors ${run.errors.length}  stale-list refusals ${run.refused}`,
  );
  console.log(
    `bare Fastify   p50 ${ms(hello.p50Ms)} ms  p99 ${ms(hello.p99Ms)} ms  ${Math.round(hello.requestsPerSecond)} req/s ` +
      `(hello world, ${hello.connections} connections, same run)`,
  );
  printComparison(
    `load: ${MEMBERS} members browsing and approving (${run.dialect})`,
    { value: s.perSecond, unit: 'req/s', against: 'fastify', detail: `p99 ${ms(s.p99)} ms over all requests` },
    baseline,
  );
  return s;
}

const baseline = await measureBaseline({
  log,
  ...(quick ? { sqliteSeconds: 1, pgbenchSeconds: 3, httpSeconds: 2 } : {}),
});
// The floor for this load: a route that does nothing, at the same concurrency.
log(`load: bare Fastify with ${MEMBERS} connections …`);
const hello = await measureFastifyHello({ seconds: quick ? 3 : 10, connections: MEMBERS });
const sqlite = await onSqlite();
const postgres = await onPostgres();
console.log('');
printBaseline(baseline);
const figures = { sqlite: printRun(sqlite, baseline, hello), postgres: printRun(postgres, baseline, hello) };
console.log(
  `\nwritten to ${writeResult('load', { quick, members: MEMBERS, seconds: SECONDS, baseline, hello, figures })}`,
);
const errors = [...sqlite.errors, ...postgres.errors];
if (errors.length > 0) {
  console.error(`\nload: ${errors.length} errors — the first ones:\n${errors.slice(0, 10).join('\n')}`);
  process.exitCode = 1;
}
