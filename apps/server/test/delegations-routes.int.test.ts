import { accessMigrations } from '@baton/access';
import { flowMigrations, publishFlow, submit } from '@baton/flow';
import { formMigrations, publishForm } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, delegationsRoutes } from '../src/index.ts';
import { PASSWORD, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// 委托 over HTTP with real sign-ins: a member hands their tasks to a colleague for a period and takes
// it back; a flow administrator may do it for someone else; nobody else may see, make or end them;
// every change is audited.

const l = (zh: string, en: string) => ({ zh, en });
const flow = { pack: 'hrDeleg', key: 'leave' };
let database: TestDatabase;
let app: BatonServer;
const members: Record<string, string> = {};
const signed: Record<string, Signed> = {};
const ctx = () => seedCtx(database.db);

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, flowMigrations],
  });
  const office = await seedDepartment(ctx(), { name: '综合部', code: '10-00001' });
  await seedRoles(ctx(), { flowAdmin: ['flow.admin'] });
  Object.assign(
    members,
    await seedMembers(ctx(), [
      ['alice', office.id],
      ['bob', office.id],
      ['carol', office.id],
      ['mallory', office.id],
      ['admin', office.id, 'flowAdmin'],
    ]),
  );
  await publishForm(ctx(), {
    ...flow,
    kind: 'flow',
    label: l('请假单', 'Leave request'),
    fields: [{ key: 'reason', label: l('事由', 'Reason'), type: 'text' }],
  });
  await publishFlow(ctx(), {
    ...flow,
    name: l('请假审批', 'Leave approval'),
    form: flow,
    administrators: [members.admin as string],
    nodes: [
      { key: 'start', kind: 'start' },
      { key: 'boss', kind: 'approval', assignees: [{ source: 'members', ids: [members.bob as string] }] },
      { key: 'end', kind: 'end' },
    ],
    edges: [
      { from: 'start', to: 'boss' },
      { from: 'boss', to: 'end' },
    ],
  });
  app = await serverWith(database.db, [delegationsRoutes({ db: database.db })]);
  Object.assign(signed, await signInAll(app, Object.keys(members), PASSWORD));
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const call = (as: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload);

const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const assigneeOfNewRequest = async () => {
  const alice = testCtx(database.db, {
    clock: { now: () => new Date() },
    actor: { kind: 'member', memberId: members.alice as string },
  });
  const started = await submit(alice, {
    flow,
    values: { reason: '探亲' },
  });
  return database.db
    .selectFrom('baton_flow_task')
    .select(['assigneeId', 'delegatedFrom'])
    .where('instanceId', '=', started.instanceId)
    .executeTakeFirstOrThrow();
};
const audits = (action: string) =>
  database.db.selectFrom('baton_access_audit').select(['actorId', 'targetId']).where('action', '=', action).execute();

describe('delegations API', () => {
  it('routes new tasks to the delegate while in force, audited, and back after revocation', async () => {
    const created = await call('bob', 'POST', '/api/delegations', {
      toMemberId: members.carol,
      startsAt: hours(-1),
      endsAt: hours(48),
    });
    expect(created.statusCode, created.body).toBe(201);
    const delegation = created.json();
    expect(delegation).toMatchObject({ fromMemberId: members.bob, toMemberId: members.carol, revokedAt: null });

    expect(await assigneeOfNewRequest()).toEqual({ assigneeId: members.carol, delegatedFrom: members.bob });
    for (const who of ['bob', 'carol']) {
      const mine = await call(who, 'GET', '/api/delegations');
      expect(mine.json().items.map((d: { id: string }) => d.id)).toEqual([delegation.id]);
    }
    expect((await call('alice', 'GET', '/api/delegations')).json().items).toEqual([]);

    // Nobody else may see, end or impersonate it; someone else's delegation answers 404 like a missing one.
    expect((await call('mallory', 'GET', `/api/delegations?memberId=${members.bob}`)).statusCode).toBe(403);
    const foreign = await call('mallory', 'DELETE', `/api/delegations/${delegation.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('FLOW_DELEGATION_NOT_FOUND');
    const impersonate = await call('mallory', 'POST', '/api/delegations', {
      fromMemberId: members.bob,
      toMemberId: members.mallory,
      startsAt: hours(0),
      endsAt: hours(1),
    });
    expect(impersonate.statusCode).toBe(403);

    const revoked = await call('bob', 'DELETE', `/api/delegations/${delegation.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect(await assigneeOfNewRequest()).toEqual({ assigneeId: members.bob, delegatedFrom: null });
    expect((await call('bob', 'GET', '/api/delegations')).json().items).toEqual([]);
    expect((await call('bob', 'GET', '/api/delegations?includeEnded=true')).json().items).toHaveLength(1);

    expect(await audits('flow.delegation.create')).toEqual([{ actorId: members.bob, targetId: delegation.id }]);
    expect(await audits('flow.delegation.revoke')).toEqual([{ actorId: members.bob, targetId: delegation.id }]);
  });

  it('lets a flow administrator set one up for an absent member and list it', async () => {
    const created = await call('admin', 'POST', '/api/delegations', {
      fromMemberId: members.bob,
      toMemberId: members.carol,
      startsAt: hours(24),
      endsAt: hours(72),
      flow,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ fromMemberId: members.bob, createdBy: members.admin, flow });
    const listed = await call('admin', 'GET', `/api/delegations?memberId=${members.bob}`);
    expect(listed.json().items.map((d: { id: string }) => d.id)).toContain(created.json().id);
    // Not in force yet: today's request still goes to bob.
    expect((await assigneeOfNewRequest()).assigneeId).toBe(members.bob);
  });

  it('refuses bad requests with coded errors and stores nothing', async () => {
    const before = await database.db.selectFrom('baton_flow_delegation').select('id').execute();
    const cases: [unknown, string][] = [
      [{ toMemberId: members.bob, startsAt: hours(0), endsAt: hours(1) }, 'FLOW_INPUT_INVALID'],
      [{ toMemberId: members.carol, startsAt: hours(2), endsAt: hours(1) }, 'FLOW_INPUT_INVALID'],
      [{ toMemberId: 'no-such-member', startsAt: hours(0), endsAt: hours(1) }, 'FLOW_INPUT_INVALID'],
      [{ toMemberId: members.carol, startsAt: hours(0), endsAt: hours(1), revokedAt: null }, 'CORE_VALIDATION_FAILED'],
      [{ toMemberId: members.carol, startsAt: 'tomorrow', endsAt: hours(1) }, 'CORE_VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const res = await call('bob', 'POST', '/api/delegations', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code, JSON.stringify(body)).toBe(code);
    }
    expect(await database.db.selectFrom('baton_flow_delegation').select('id').execute()).toEqual(before);
  });
});
