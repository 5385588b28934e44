import http from 'node:http';
import { grantPermissions, setPassword } from '@baton/access';
import { newId } from '@baton/core';
import { migrate, openDatabase } from '@baton/db';
import { publishFlow } from '@baton/flow';
import { publishForm } from '@baton/form';
import { assignRole, createDepartment, createMember, createRole, createUnit } from '@baton/org';
import { declareFlowPermissions } from '@baton/server';
import { testCtx, testDialect } from '@baton/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { platformMigrations } from '../src/platform.ts';
import { BatonProcess, freePort, type Installation, Member, newInstallation, sleep } from './support.ts';

// Production shape on one PostgreSQL (and Redis): two `baton server` processes behind no balancer (each
// member alternates between them request by request) and two `baton worker` processes sharing the timers.
// Requests are filed and approved through both servers; half of the first-step tasks are left to expire, so
// the workers' deadline timers approve them. Afterwards every request is approved exactly once per step and
// every timer fired exactly once, whichever worker claimed it, and a member's unread count is pushed live from
// the other server through Redis. PostgreSQL only: SQLite is one process by design.

const PASSWORD = 'Correct-Horse-42';
const PACK = 'nodes';
const MEMBERS = 8;
const REQUESTS = 40;
const l = (zh: string, en: string) => ({ zh, en });

let installation: Installation | undefined;
const processes: BatonProcess[] = [];
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  installation?.drop();
});

describe.runIf(testDialect === 'postgres')('two servers and two workers on one PostgreSQL', () => {
  it('acts through either server and fires every deadline timer exactly once', async () => {
    installation = newInstallation({ REDIS_URL: 'redis://127.0.0.1:6379', BATON_WORKER_POLL_MS: '100' });
    const { env, location } = installation;
    const database = openDatabase(location);
    const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
    await migrate(database.db, [...platformMigrations]);
    await publishForm(ctx, {
      pack: PACK,
      key: 'purchase',
      kind: 'flow',
      label: l('采购申请', 'Purchase request'),
      fields: [
        { key: 'amount', label: l('金额', 'Amount'), type: 'money', required: true },
        { key: 'reviewer', label: l('初审', 'Reviewer'), type: 'member', required: true },
        { key: 'approver', label: l('审批', 'Approver'), type: 'member', required: true },
      ],
    });
    await publishFlow(ctx, {
      pack: PACK,
      key: 'purchase',
      name: l('采购审批', 'Purchase approval'),
      form: { pack: PACK, key: 'purchase' },
      nodes: [
        { key: 'start', kind: 'start' },
        {
          key: 'review',
          kind: 'approval',
          assignees: [{ source: 'memberField', field: 'reviewer' }],
          // Three seconds of wall-clock time, then the system approves: the workers race for each timer.
          deadline: { after: { minutes: 0.05 }, calendar: 'natural', overdue: 'autoApprove' },
        },
        { key: 'approve', kind: 'approval', assignees: [{ source: 'memberField', field: 'approver' }] },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'review' },
        { from: 'review', to: 'approve' },
        { from: 'approve', to: 'end' },
      ],
    });
    const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
    const office = await createDepartment(ctx, { unitId: unit.id, name: '采购部', code: '10-00001' });
    await createRole(ctx, { code: 'buyer', name: 'buyer', kind: 'business' });
    declareFlowPermissions(PACK, 'purchase');
    await grantPermissions(ctx, { role: 'buyer', permissions: [`flow.${PACK}.purchase.start`] });
    const members: Member[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const member = await createMember(ctx, {
        code: `N${i}`,
        name: `n${i}`,
        login: `n${i}`,
        mainDepartmentId: office.id,
      });
      await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
      await assignRole(ctx, { role: 'buyer', memberId: member.id });
      members.push(new Member(`n${i}`, member.id));
    }

    const servers = [
      new BatonProcess('server', env, await freePort()),
      new BatonProcess('server', env, await freePort()),
    ];
    const workers = [new BatonProcess('worker', env), new BatonProcess('worker', env)];
    processes.push(...servers, ...workers);
    await Promise.all([...servers, ...workers].map((p) => p.start()));
    // Signed in on one server, the session works on the other: sessions live in the database.
    for (const [i, member] of members.entries()) await member.signIn((servers[i % 2] as BatonProcess).base, PASSWORD);
    let turn = 0;
    const anyServer = () => (servers[turn++ % 2] as BatonProcess).base;

    // The first reviewer watches the unread count on server B while requests are filed through both servers:
    // the notices are written by whichever worker delivers them and reach B through Redis.
    const watcher = members[1] as Member;
    const counts: number[] = [];
    const stream = http.get(`${(servers[1] as BatonProcess).base}/api/messages/stream`, {
      headers: { cookie: watcher.cookie, accept: 'text/event-stream' },
    });
    stream.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const match of chunk.matchAll(/event: unread\ndata: (\{[^\n]*\})/g))
          counts.push(JSON.parse(match[1] as string).unread);
      });
    });

    const ok = async (res: Promise<Response>) => {
      const r = await res;
      const text = await r.text();
      expect(r.status, text).toBeLessThan(300);
      return JSON.parse(text);
    };
    const instanceIds: string[] = [];
    for (let n = 0; n < REQUESTS; n++) {
      const filer = members[n % MEMBERS] as Member;
      const filed = await ok(
        filer.request(anyServer(), 'POST', `/api/flows/${PACK}/purchase/instances`, {
          clientActionId: newId(),
          values: {
            amount: 10_000 + n,
            reviewer: (members[(n + 1) % MEMBERS] as Member).memberId,
            approver: (members[(n + 2) % MEMBERS] as Member).memberId,
          },
        }),
      );
      instanceIds.push(filed.instanceId);
    }
    // Reviewers approve the even-numbered requests at once; the odd ones wait for their deadline. On a slow
    // machine a deadline (3 s) can pass first: then the worker's auto-approval wins and the reviewer's action
    // is a clean conflict — either way the review happens exactly once, which is what is checked below.
    for (const [n, instanceId] of instanceIds.entries()) {
      if (n % 2 === 1) continue;
      const reviewer = members[(n + 1) % MEMBERS] as Member;
      const tasks = await ok(reviewer.request(anyServer(), 'GET', '/api/tasks?box=pending&limit=100'));
      const task = (tasks.items as { taskId: string; instanceId: string }[]).find((t) => t.instanceId === instanceId);
      if (!task) continue;
      const res = await reviewer.request(anyServer(), 'POST', `/api/tasks/${task.taskId}/approve`, {
        clientActionId: newId(),
        opinion: '同意',
      });
      if (res.status === 409) {
        const problem = (await res.json()) as { code: string };
        expect(['DB_VERSION_CONFLICT', 'FLOW_TASK_NOT_PENDING']).toContain(problem.code);
      } else await ok(Promise.resolve(res));
    }
    // Then every second step, through alternating servers, as the timers approve the rest.
    const deadline = Date.now() + 60_000;
    const done = new Set<string>();
    while (done.size < REQUESTS && Date.now() < deadline) {
      for (const [n, instanceId] of instanceIds.entries()) {
        if (done.has(instanceId)) continue;
        const approver = members[(n + 2) % MEMBERS] as Member;
        const tasks = await ok(approver.request(anyServer(), 'GET', '/api/tasks?box=pending&limit=100'));
        const task = (tasks.items as { taskId: string; instanceId: string }[]).find((t) => t.instanceId === instanceId);
        if (!task) continue;
        await ok(
          approver.request(anyServer(), 'POST', `/api/tasks/${task.taskId}/approve`, { clientActionId: newId() }),
        );
        done.add(instanceId);
      }
      if (done.size < REQUESTS) await sleep(250);
    }
    expect(done.size).toBe(REQUESTS);

    const instances = await database.db
      .selectFrom('baton_flow_instance')
      .select(['id', 'state'])
      .where('id', 'in', instanceIds)
      .execute();
    expect(instances.every((i) => i.state === 'approved')).toBe(true);
    const approvals = await database.db
      .selectFrom('baton_flow_action')
      .select(['instanceId', 'nodeKey', 'actorId', 'opinion'])
      .where('action', '=', 'approve')
      .execute();
    for (const [n, instanceId] of instanceIds.entries()) {
      const mine = approvals.filter((a) => a.instanceId === instanceId);
      expect(
        mine.filter((a) => a.nodeKey === 'review'),
        `review of request ${n}`,
      ).toHaveLength(1);
      expect(
        mine.filter((a) => a.nodeKey === 'approve'),
        `approval of request ${n}`,
      ).toHaveLength(1);
      const review = mine.find((a) => a.nodeKey === 'review');
      if (n % 2 === 1) expect(review?.opinion, `request ${n} approved by its deadline`).toBe('超时自动通过');
    }
    // Unread counts were pushed to the stream on server B as the workers delivered notices.
    for (let i = 0; i < 50 && Math.max(0, ...counts) === 0; i++) await sleep(100);
    stream.destroy();
    expect(counts[0]).toBe(0);
    expect(Math.max(...counts)).toBeGreaterThan(0);

    const timers = await database.db.selectFrom('baton_schedule_timer').select(['key', 'state']).execute();
    const fired = timers.filter((t) => t.state === 'done');
    expect(new Set(fired.map((t) => t.key)).size).toBe(fired.length);
    expect(fired.length).toBeGreaterThanOrEqual(REQUESTS / 2);
    // Both workers stayed up, and neither logged a failure.
    for (const worker of workers) {
      expect(worker.child?.exitCode).toBeNull();
      expect(worker.stderr).not.toMatch(/"level":(50|60)/);
    }
    await database.destroy();
  }, 180_000);
});
