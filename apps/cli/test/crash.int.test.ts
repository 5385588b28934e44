import { grantPermissions, setPassword } from '@baton/access';
import { newId } from '@baton/core';
import { migrate, openDatabase } from '@baton/db';
import { publishFlow } from '@baton/flow';
import { createRecord, publishForm } from '@baton/form';
import { assignRole, createDepartment, createMember, createRole, createUnit } from '@baton/org';
import { publishRule } from '@baton/rule';
import { declareFlowPermissions } from '@baton/server';
import { testCtx, testDialect } from '@baton/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { platformMigrations } from '../src/platform.ts';
import { BatonProcess, freePort, type Installation, Member, newInstallation, sleep } from './support.ts';

// The crash test: the real `baton start` process serves N clients filing and approving requests and is
// killed with SIGKILL at random moments, several times, and restarted each time. Clients retry every action
// whose answer they never got with the same client action id. Afterwards: every acknowledged action is
// there, none is applied twice, and no instance is half-moved (a running one has a pending task, a finished
// one has none, every approval step has exactly one approval), and a ledger that a rule adjusts inside each
// final approval equals the sum of the approved requests.
// CI runs a short mode; CRASH_FULL=1 runs 50 clients and 6 kills (figures go in the closing note).

const FULL = process.env.CRASH_FULL === '1';
const CLIENTS = FULL ? 50 : 16;
const KILLS = FULL ? 6 : 3;
const RUN_MS: [number, number] = FULL ? [3000, 8000] : [1500, 3500];
const PASSWORD = 'Correct-Horse-42';
const PACK = 'crash';
const l = (zh: string, en: string) => ({ zh, en });

let installation: Installation | undefined;
let platform: BatonProcess | undefined;
afterAll(async () => {
  // A failing run must not leave a server behind.
  await platform?.stop('SIGKILL');
  installation?.drop();
});

type Ack = { kind: 'file' | 'approve'; actor: string; clientActionId: string };

class Client extends Member {
  /** Actions sent whose answer never came: retried with the same id once the server is back. */
  inDoubt: { url: string; body: Record<string, unknown>; ack: Ack }[] = [];
  /** Sends an action; returns the ack when the server answered 2xx, null on a clean refusal, throws when cut off. */
  async act(base: string, url: string, body: Record<string, unknown>, ack: Ack): Promise<Ack | null> {
    let res: Response;
    try {
      res = await this.request(base, 'POST', url, body);
    } catch (error) {
      this.inDoubt.push({ url, body, ack });
      throw error;
    }
    const text = await res.text();
    if (res.status >= 500) throw new Error(`server error ${res.status} on ${url}: ${text}`);
    if (res.status >= 200 && res.status < 300) return ack;
    // A refusal must be a coded conflict-type answer (the task moved on, someone else acted …).
    const code = JSON.parse(text).code as string;
    if (!/^(FLOW|DB)_/.test(code)) throw new Error(`unexpected refusal ${res.status} ${code} on ${url}`);
    return null;
  }
}

describe(`crash test (${testDialect}, ${FULL ? 'full' : 'short'} mode)`, () => {
  it(
    'loses no acknowledged action and half-applies none across repeated SIGKILLs',
    async () => {
      installation = newInstallation({ LOG_LEVEL: 'fatal' });
      const { env, location } = installation;
      // The installation: members with passwords, a form and a two-step flow whose approvers the filer names.
      const database = openDatabase(location);
      await migrate(database.db, [...platformMigrations]);
      const ctx = testCtx(database.db, { clock: { now: () => new Date() } });
      await publishForm(ctx, {
        pack: PACK,
        key: 'expense',
        kind: 'flow',
        label: l('费用申请', 'Expense request'),
        fields: [
          { key: 'amount', label: l('金额', 'Amount'), type: 'money', required: true },
          { key: 'first', label: l('初审', 'First'), type: 'member', required: true },
          { key: 'second', label: l('复审', 'Second'), type: 'member', required: true },
        ],
      });
      await publishFlow(ctx, {
        pack: PACK,
        key: 'expense',
        name: l('费用审批', 'Expense approval'),
        form: { pack: PACK, key: 'expense' },
        nodes: [
          { key: 'start', kind: 'start' },
          { key: 'first', kind: 'approval', assignees: [{ source: 'memberField', field: 'first' }] },
          { key: 'second', kind: 'approval', assignees: [{ source: 'memberField', field: 'second' }] },
          { key: 'end', kind: 'end' },
        ],
        edges: [
          { from: 'start', to: 'first' },
          { from: 'first', to: 'second' },
          { from: 'second', to: 'end' },
        ],
      });
      // The ledger: one record a rule adds every approved amount to, in the approval's own transaction.
      await publishForm(ctx, {
        pack: PACK,
        key: 'ledger',
        kind: 'archive',
        label: l('费用台账', 'Expense ledger'),
        fields: [
          { key: 'code', label: l('编码', 'Code'), type: 'text', required: true },
          { key: 'spent', label: l('已支出', 'Spent'), type: 'money' },
        ],
        keys: [['code']],
      });
      const ledger = await createRecord(ctx, { pack: PACK, key: 'ledger', values: { code: 'main', spent: 0 } });
      await publishRule(ctx, {
        pack: PACK,
        key: 'spend',
        name: l('审批通过计入台账', 'Book approved expenses'),
        on: { flow: `${PACK}.expense`, events: ['approved'] },
        actions: [{ kind: 'adjust', form: `${PACK}.ledger`, match: { code: "'main'" }, field: 'spent', by: 'amount' }],
      });
      const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
      const office = await createDepartment(ctx, { unitId: unit.id, name: '综合部', code: '10-00001' });
      await createRole(ctx, { code: 'filer', name: 'filer', kind: 'business' });
      const server = new BatonProcess('start', env, await freePort());
      platform = server;
      const base = server.base;
      const clients: Client[] = [];
      for (let i = 0; i < CLIENTS; i++) {
        const login = `c${i}`;
        const member = await createMember(ctx, { code: `C${i}`, name: login, login, mainDepartmentId: office.id });
        await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
        await assignRole(ctx, { role: 'filer', memberId: member.id });
        clients.push(new Client(login, member.id));
      }
      // Permissions of a flow exist once declared (the server declares them at start; this process grants).
      declareFlowPermissions(PACK, 'expense');
      await grantPermissions(ctx, { role: 'filer', permissions: [`flow.${PACK}.expense.start`] });
      await database.destroy();
      await server.start();
      let up = true;
      for (const client of clients) await client.signIn(base, PASSWORD);

      const acked: Ack[] = [];
      let stop = false;
      let refused = 0;
      let cutOff = 0;
      const loop = async (client: Client, index: number) => {
        while (!stop) {
          if (!up) {
            await sleep(50);
            continue;
          }
          try {
            const pending = await client.request(base, 'GET', '/api/tasks?box=pending&limit=5');
            if (pending.status !== 200) throw new Error(`pending list ${pending.status}`);
            const items = ((await pending.json()) as { items: { taskId: string }[] }).items;
            const task = items[Math.floor(Math.random() * items.length)];
            const id = newId();
            const ack = task
              ? await client.act(
                  base,
                  `/api/tasks/${task.taskId}/approve`,
                  { clientActionId: id, opinion: '同意' },
                  { kind: 'approve', actor: client.memberId, clientActionId: id },
                )
              : await client.act(
                  base,
                  `/api/flows/${PACK}/expense/instances`,
                  {
                    clientActionId: id,
                    values: {
                      amount: 100 + index,
                      first: (clients[(index + 1) % CLIENTS] as Client).memberId,
                      second: (clients[(index + 2) % CLIENTS] as Client).memberId,
                    },
                  },
                  { kind: 'file', actor: client.memberId, clientActionId: id },
                );
            if (ack) acked.push(ack);
            else refused += 1;
          } catch (error) {
            if (up && !/fetch failed|ECONNRE|socket|other side closed/i.test(String(error))) throw error;
            cutOff += 1;
            await sleep(50);
          }
        }
      };

      const runners = clients.map((client, index) => loop(client, index));
      for (let k = 0; k < KILLS; k++) {
        await sleep(RUN_MS[0] + Math.random() * (RUN_MS[1] - RUN_MS[0]));
        up = false;
        await server.stop('SIGKILL');
        await sleep(200);
        await server.start();
        up = true;
      }
      await sleep(RUN_MS[0]);
      stop = true;
      await Promise.all(runners);

      // Retry every action whose answer was lost, with its original client action id.
      let retried = 0;
      for (const client of clients) {
        for (const doubt of client.inDoubt.splice(0)) {
          retried += 1;
          const ack = await client.act(base, doubt.url, doubt.body, doubt.ack);
          if (ack) acked.push(ack);
        }
      }
      await server.stop('SIGKILL');

      const check = openDatabase(location);
      try {
        const actions = await check.db
          .selectFrom('baton_flow_action')
          .select(['instanceId', 'actorId', 'clientActionId', 'action', 'nodeKey'])
          .execute();
        const byClientId = new Map<string, number>();
        for (const a of actions) {
          if (!a.clientActionId) continue;
          const key = `${a.actorId}:${a.clientActionId}`;
          byClientId.set(key, (byClientId.get(key) ?? 0) + 1);
        }
        // No client action id applied twice.
        expect([...byClientId.values()].filter((n) => n > 1)).toEqual([]);
        // Every acknowledged action is there.
        const missing = acked.filter((a) => !byClientId.has(`${a.actor}:${a.clientActionId}`));
        expect(missing).toEqual([]);

        const instances = await check.db.selectFrom('baton_flow_instance').select(['id', 'state']).execute();
        const tasks = await check.db.selectFrom('baton_flow_task').select(['instanceId', 'state', 'nodeKey']).execute();
        const records = await check.db
          .selectFrom(`f_${PACK}_expense` as never)
          .select('id' as never)
          .execute();
        expect(records.length).toBe(instances.length);
        const problems: string[] = [];
        for (const instance of instances) {
          const pending = tasks.filter((t) => t.instanceId === instance.id && t.state === 'pending');
          const approvals = actions.filter((a) => a.instanceId === instance.id && a.action === 'approve');
          const perNode = (node: string) => approvals.filter((a) => a.nodeKey === node).length;
          if (instance.state === 'running' && pending.length !== 1)
            problems.push(`${instance.id} running, ${pending.length} pending`);
          if (instance.state === 'approved' && pending.length !== 0)
            problems.push(`${instance.id} approved with pending`);
          if (instance.state === 'approved' && (perNode('first') !== 1 || perNode('second') !== 1)) {
            problems.push(`${instance.id} approved after ${perNode('first')}+${perNode('second')} approvals`);
          }
          if (!['running', 'approved'].includes(String(instance.state)))
            problems.push(`${instance.id} ${instance.state}`);
        }
        expect(problems).toEqual([]);
        const approved = instances.filter((i) => i.state === 'approved').length;
        // The ledger equals the sum of its causes: every approved request counted once, nothing else.
        const amounts = (await check.db
          .selectFrom(`f_${PACK}_expense` as never)
          .select(['flowInstanceId', 'amount'] as never)
          .execute()) as unknown as { flowInstanceId: string; amount: number | string }[];
        const approvedIds = new Set(instances.filter((i) => i.state === 'approved').map((i) => i.id));
        const expected = amounts
          .filter((row) => approvedIds.has(row.flowInstanceId))
          .reduce((sum, row) => sum + Number(row.amount), 0);
        const booked = (await check.db
          .selectFrom(`f_${PACK}_ledger` as never)
          .select(['spent'] as never)
          .where('id' as never, '=', ledger.id as never)
          .executeTakeFirstOrThrow()) as unknown as { spent: number | string };
        expect(Number(booked.spent)).toBe(expected);
        // The run did real work across the kills, and some of it was cut off mid-flight.
        expect(acked.length).toBeGreaterThan(CLIENTS);
        expect(approved).toBeGreaterThan(0);
        process.stdout.write(
          `crash test ${testDialect}: ${KILLS} kills, ${CLIENTS} clients, ${acked.length} acknowledged actions, ` +
            `${instances.length} instances (${approved} approved; ledger ${expected} fen = their sum), ${cutOff} cut off, ` +
            `${retried} retried, ${refused} refused\n`,
        );
      } finally {
        await check.destroy();
      }
    },
    FULL ? 900_000 : 240_000,
  );
});
