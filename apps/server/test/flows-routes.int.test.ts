import { accessMigrations } from '@baton/access';
import { flowMigrations } from '@baton/flow';
import { type FormDefinitionInput, formMigrations, publishForm } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, canStart, declareFlowPermissions, flowsRoutes } from '../src/index.ts';
import { PASSWORD, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// The flows API with real sign-ins (session cookie + CSRF) on SQLite or PostgreSQL: a designer publishes a
// two-step flow, a member files, the approvers act from their pending lists (client action ids replay),
// and anyone outside the request gets 404 on it and on its tasks.

const PACK = 'hrTest';
const KEY = 'leave';
const l = (zh: string, en: string) => ({ zh, en });
const form: FormDefinitionInput = {
  pack: PACK,
  key: KEY,
  kind: 'flow',
  label: l('请假单', 'Leave request'),
  fields: [
    { key: 'days', label: l('天数', 'Days'), type: 'money', required: true },
    { key: 'reason', label: l('事由', 'Reason'), type: 'text' },
  ],
};

let database: TestDatabase;
let app: BatonServer;
let members: Record<string, string> = {};
let signed: Record<string, Signed> = {};

const flowDefinition = () => ({
  pack: PACK,
  key: KEY,
  name: l('请假审批', 'Leave approval'),
  form: { pack: PACK, key: KEY },
  administrators: [members.admin],
  nodes: [
    { key: 'start', kind: 'start' },
    {
      key: 'first',
      kind: 'approval',
      assignees: [{ source: 'members', ids: [members.bob] }],
      fieldAccess: { reason: 'hidden' },
    },
    { key: 'second', kind: 'approval', assignees: [{ source: 'members', ids: [members.carol] }] },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'first' },
    { from: 'first', to: 'second' },
    { from: 'second', to: 'end' },
  ],
});

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, flowMigrations],
  });
  const ctx = seedCtx(database.db);
  await publishForm(ctx, form);
  const office = await seedDepartment(ctx, { name: '综合部', code: '10-00001' });
  declareFlowPermissions(PACK, KEY);
  await seedRoles(ctx, { designer: ['flow.design'], filer: [`flow.${PACK}.${KEY}.start`], flowAdmin: ['flow.admin'] });
  members = await seedMembers(ctx, [
    ['designer', office.id, 'designer'],
    ['alice', office.id, 'filer'],
    ['bob', office.id],
    ['carol', office.id],
    ['admin', office.id, 'flowAdmin'],
    ['mallory', office.id],
  ]);
  app = await serverWith(database.db, flowsRoutes({ db: database.db }));
  signed = await signInAll(app, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const call = (as: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload);

const file = (as: string, body: Record<string, unknown>) =>
  call(as, 'POST', `/api/flows/${PACK}/${KEY}/instances`, body);
const pending = async (as: string) => {
  const res = await call(as, 'GET', '/api/tasks?box=pending');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { taskId: string; instanceId: string; nodeKey: string }[];
};
const actions = (instanceId: string) =>
  database.db.selectFrom('baton_flow_action').select('action').where('instanceId', '=', instanceId).execute();

describe('flows API', () => {
  it('reads the start right from held permissions', () => {
    expect(canStart(new Set([`flow.${PACK}.${KEY}.start`]), PACK, KEY)).toBe(true);
    expect(canStart(new Set(['flow.design']), 'any', 'flow')).toBe(true);
    expect(canStart(new Set([`flow.${PACK}.other.start`, 'flow.admin']), PACK, KEY)).toBe(false);
  });

  it('lets only flow.design publish, and audits the publish', async () => {
    expect((await call('mallory', 'POST', '/api/flows', flowDefinition())).statusCode).toBe(403);
    expect((await call('alice', 'POST', '/api/flows', flowDefinition())).statusCode).toBe(403);

    const published = await call('designer', 'POST', '/api/flows', flowDefinition());
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ pack: PACK, key: KEY, version: 1, unchanged: false });
    const again = await call('designer', 'POST', '/api/flows', flowDefinition());
    expect(again.json()).toMatchObject({ version: 1, unchanged: true });
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['action', 'targetId'])
      .where('action', '=', 'flow.definition.publish')
      .execute();
    expect(audit[0]).toEqual({ action: 'flow.definition.publish', targetId: `${PACK}.${KEY}` });

    const bad = await call('designer', 'POST', '/api/flows', { ...flowDefinition(), edges: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('FLOW_DEFINITION_INVALID');
  });

  it('validates a definition for the designer without publishing: every issue with its path', async () => {
    const broken = {
      ...flowDefinition(),
      key: 'draftOnly',
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'first', kind: 'approval', assignees: [] },
        { key: 'route', kind: 'condition' },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'first' },
        { from: 'first', to: 'route' },
        { from: 'route', to: 'end', condition: 'nosuch > 3' },
        { from: 'route', to: 'end', else: true },
      ],
    };
    expect((await call('alice', 'POST', '/api/flows/validate', broken)).statusCode).toBe(403);
    const res = await call('designer', 'POST', '/api/flows/validate', broken);
    expect(res.statusCode, res.body).toBe(200);
    const paths = (res.json().issues as { path: (string | number)[] }[]).map((issue) => issue.path.join('.'));
    expect(paths).toContain('nodes.1.assignees');
    expect(paths.some((path) => path.startsWith('edges.2.condition'))).toBe(true);
    expect(res.json().formVersion).toBe(1);
    const stored = await database.db
      .selectFrom('baton_flow_definition')
      .select('key')
      .where('key', '=', 'draftOnly')
      .execute();
    expect(stored).toEqual([]);

    const fine = await call('designer', 'POST', '/api/flows/validate', flowDefinition());
    expect(fine.json()).toEqual({ issues: [], formVersion: 1 });
    const noForm = await call('designer', 'POST', '/api/flows/validate', {
      ...flowDefinition(),
      form: { pack: 'x', key: 'y' },
    });
    expect(noForm.json().issues[0]).toMatchObject({ path: ['form'], code: 'form_not_published' });

    const registries = await call('designer', 'GET', '/api/flows/registries');
    expect(registries.statusCode, registries.body).toBe(200);
    expect(registries.json().nodeKinds).toEqual(expect.arrayContaining(['approval', 'condition', 'parallel', 'join']));
    expect(registries.json().assigneeSources).toContainEqual({ source: 'chosenByInitiator', chosenBy: 'initiator' });
    expect(registries.json().assigneeSources).toContainEqual({ source: 'role', chosenBy: null });
    expect((await call('alice', 'GET', '/api/flows/registries')).statusCode).toBe(403);

    const versions = await call('designer', 'GET', `/api/flows/${PACK}/${KEY}/versions`);
    expect(versions.statusCode, versions.body).toBe(200);
    expect(versions.json().versions[0]).toMatchObject({ version: 1, formVersion: 1, publishedBy: members.designer });
    expect(versions.json().versions[0].definition.nodes).toHaveLength(4);
    expect((await call('alice', 'GET', `/api/flows/${PACK}/${KEY}/versions`)).statusCode).toBe(403);
  });

  it('lists and shows flows only to those who may file them', async () => {
    const listed = (await call('alice', 'GET', '/api/flows')).json();
    expect(listed.flows).toEqual([
      {
        pack: PACK,
        key: KEY,
        version: 1,
        name: l('请假审批', 'Leave approval'),
        category: null,
        form: { pack: PACK, key: KEY },
      },
    ]);
    expect((await call('designer', 'GET', '/api/flows')).json().flows).toHaveLength(1);
    expect((await call('mallory', 'GET', '/api/flows')).json().flows).toEqual([]);

    const detail = await call('alice', 'GET', `/api/flows/${PACK}/${KEY}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ version: 1, definition: { key: KEY } });
    expect((await call('mallory', 'GET', `/api/flows/${PACK}/${KEY}`)).statusCode).toBe(404);
    expect((await call('alice', 'GET', `/api/flows/${PACK}/nothing`)).statusCode).toBe(404);
  });

  it('runs a request: submit, approve (replayed), reject; outsiders get 404', async () => {
    expect((await file('mallory', { values: { days: 1 }, clientActionId: 'm1' })).statusCode).toBe(404);

    const filed = await file('alice', { values: { days: 3, reason: 'family' }, clientActionId: 'c-submit-1' });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ state: 'running', currentNodes: ['first'] });
    const instanceId = filed.json().instanceId as string;

    const bobs = await pending('bob');
    expect(bobs).toEqual([expect.objectContaining({ instanceId, nodeKey: 'first' })]);
    const taskId = bobs[0]?.taskId as string;
    expect((await call('bob', 'GET', '/api/tasks/counts')).json()).toMatchObject({ pending: 1 });

    // Outsiders: the request and its task do not exist for them; the initiator is not the assignee.
    expect((await call('mallory', 'GET', `/api/instances/${instanceId}`)).statusCode).toBe(404);
    const stolen = await call('mallory', 'POST', `/api/tasks/${taskId}/approve`, { clientActionId: 'x' });
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json().code).toBe('FLOW_TASK_NOT_FOUND');
    expect((await call('carol', 'POST', `/api/tasks/${taskId}/reject`, {})).statusCode).toBe(404);
    const byInitiator = await call('alice', 'POST', `/api/tasks/${taskId}/approve`, {});
    expect(byInitiator.statusCode).toBe(403);
    expect(byInitiator.json().code).toBe('FLOW_NOT_ASSIGNEE');
    expect((await call('mallory', 'POST', `/api/instances/${instanceId}/comment`, { opinion: 'hi' })).statusCode).toBe(
      404,
    );

    const approved = await call('bob', 'POST', `/api/tasks/${taskId}/approve`, {
      opinion: 'ok',
      clientActionId: 'c-approve-1',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ instanceId, state: 'running', currentNodes: ['second'] });
    const before = (await actions(instanceId)).length;
    const retry = await call('bob', 'POST', `/api/tasks/${taskId}/approve`, {
      opinion: 'ok',
      clientActionId: 'c-approve-1',
    });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toEqual(approved.json());
    expect(await actions(instanceId)).toHaveLength(before);
    // Someone else's client action id is refused, never replayed as if they had acted.
    const borrowed = await call('alice', 'POST', `/api/tasks/${taskId}/approve`, { clientActionId: 'c-approve-1' });
    expect(borrowed.statusCode).toBe(403);
    expect(borrowed.json().code).toBe('FLOW_ACTION_NOT_ALLOWED');
    const again = await call('bob', 'POST', `/api/tasks/${taskId}/approve`, { clientActionId: 'c-approve-2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('FLOW_TASK_NOT_PENDING');
    expect(await pending('bob')).toEqual([]);

    const carols = await pending('carol');
    expect(carols).toHaveLength(1);
    const rejected = await call('carol', 'POST', `/api/tasks/${carols[0]?.taskId}/reject`, {
      opinion: 'no',
      clientActionId: 'c-reject-1',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ state: 'rejected', currentNodes: [] });

    const done = (await call('bob', 'GET', '/api/tasks?box=done')).json();
    expect(done.items).toEqual([expect.objectContaining({ taskId, outcome: 'approved', instanceState: 'rejected' })]);
    expect(done.nextCursor).toBeNull();
    const sent = (await call('alice', 'GET', '/api/instances?box=sent')).json();
    expect(sent.items).toEqual([expect.objectContaining({ instanceId, state: 'rejected' })]);
    expect((await call('bob', 'GET', '/api/instances?box=tracked')).json().items).toHaveLength(1);

    // Readers: the initiator, each participant and flow.admin see the record, history and graph.
    for (const who of ['alice', 'bob', 'carol', 'admin']) {
      const detail = await call(who, 'GET', `/api/instances/${instanceId}`);
      expect(detail.statusCode, `${who}: ${detail.body}`).toBe(200);
    }
    const detail = (await call('alice', 'GET', `/api/instances/${instanceId}`)).json();
    expect(detail.instance).toMatchObject({ instanceId, state: 'rejected', initiatorId: members.alice });
    expect(detail.record.values).toMatchObject({ days: 3, reason: 'family' });
    // Each participant sees the record through their node's field rules.
    const asBob = (await call('bob', 'GET', `/api/instances/${instanceId}`)).json();
    expect(asBob.record.values).toMatchObject({ days: 3 });
    expect(asBob.record.values).not.toHaveProperty('reason');
    const asCarol = (await call('carol', 'GET', `/api/instances/${instanceId}`)).json();
    expect(asCarol.record.values).toMatchObject({ reason: 'family' });
    expect(detail.history.actions.map((a: { action: string }) => a.action)).toEqual(['submit', 'approve', 'reject']);
    expect(detail.history.tasks.map((t: { outcome: string }) => t.outcome)).toEqual(['approved', 'rejected']);
    expect(detail.graph.nodes.map((node: { key: string; state: string }) => [node.key, node.state])).toEqual([
      ['start', 'completed'],
      ['first', 'completed'],
      ['second', 'completed'],
      ['end', 'notReached'],
    ]);
  });

  it('saves drafts, submits them, and lets flow.admin jump (audited)', async () => {
    const draft = await file('alice', { values: { days: 1 }, draft: true, clientActionId: 'c-draft-1' });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json().state).toBe('draft');
    const instanceId = draft.json().instanceId as string;
    const drafts = (await call('alice', 'GET', '/api/instances?box=drafts')).json().items;
    expect(drafts.map((item: { instanceId: string }) => item.instanceId)).toEqual([instanceId]);
    expect((await call('mallory', 'POST', `/api/instances/${instanceId}/submit`, {})).statusCode).toBe(404);

    const submitted = await call('alice', 'POST', `/api/instances/${instanceId}/submit`, {
      values: { days: 2 },
      clientActionId: 'c-submit-2',
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ state: 'running', currentNodes: ['first'] });

    const refused = await call('bob', 'POST', `/api/instances/${instanceId}/jump`, { to: 'second' });
    expect(refused.statusCode).toBe(403);
    const jumped = await call('admin', 'POST', `/api/instances/${instanceId}/jump`, {
      to: 'second',
      opinion: 'urgent',
    });
    expect(jumped.statusCode, jumped.body).toBe(200);
    expect(jumped.json().currentNodes).toEqual(['second']);
    const audit = await database.db
      .selectFrom('baton_access_audit')
      .select(['action', 'targetId'])
      .where('action', '=', 'flow.instance.jump')
      .execute();
    expect(audit).toEqual([{ action: 'flow.instance.jump', targetId: instanceId }]);

    const urged = await call('alice', 'POST', `/api/instances/${instanceId}/urge`, {});
    expect(urged.statusCode, urged.body).toBe(200);
    const tooSoon = await call('alice', 'POST', `/api/instances/${instanceId}/urge`, {});
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json().code).toBe('FLOW_URGE_TOO_SOON');

    const withdrawn = await call('alice', 'POST', `/api/instances/${instanceId}/withdraw`, {});
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().state).toBe('withdrawn');
  });

  it('returns, resubmits, transfers, adds and removes signers, comments and terminates', async () => {
    const filed = await file('alice', { values: { days: 5 } });
    expect(filed.statusCode, filed.body).toBe(201);
    const instanceId = filed.json().instanceId as string;
    const taskOf = async (who: string) => (await pending(who)).find((t) => t.instanceId === instanceId)?.taskId;

    const returned = await call('bob', 'POST', `/api/tasks/${await taskOf('bob')}/return`, {
      to: 'initiator',
      opinion: 'add a reason',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().state).toBe('draft');
    const resubmitted = await call('alice', 'POST', `/api/instances/${instanceId}/submit`, {
      values: { reason: 'moving house' },
      jumpBack: true,
    });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    expect(resubmitted.json()).toMatchObject({ state: 'running', currentNodes: ['first'] });

    const transferred = await call('bob', 'POST', `/api/tasks/${await taskOf('bob')}/transfer`, { to: members.carol });
    expect(transferred.statusCode, transferred.body).toBe(200);
    const carolTask = await taskOf('carol');
    expect(carolTask).toBeDefined();

    const added = await call('carol', 'POST', `/api/tasks/${carolTask}/add-signer`, {
      members: [members.designer],
      position: 'parallel',
    });
    expect(added.statusCode, added.body).toBe(200);
    const designerTask = await taskOf('designer');
    expect(designerTask).toBeDefined();
    expect((await call('bob', 'POST', `/api/tasks/${designerTask}/remove-signer`, {})).statusCode).toBe(403);
    const removed = await call('carol', 'POST', `/api/tasks/${designerTask}/remove-signer`, {});
    expect(removed.statusCode, removed.body).toBe(200);
    expect(await taskOf('designer')).toBeUndefined();
    expect((await call('designer', 'GET', `/api/instances/${instanceId}`)).statusCode).toBe(200);

    const read = await call('carol', 'POST', `/api/tasks/${carolTask}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().taskId).toBe(carolTask);
    expect((await call('mallory', 'POST', `/api/tasks/${carolTask}/read`)).statusCode).toBe(404);

    const commented = await call('bob', 'POST', `/api/instances/${instanceId}/comment`, { opinion: 'fine by me' });
    expect(commented.statusCode, commented.body).toBe(200);

    const byApprover = await call('bob', 'POST', `/api/instances/${instanceId}/terminate`, {});
    expect(byApprover.statusCode).toBe(403);
    expect(byApprover.json().code).toBe('FLOW_ACTION_NOT_ALLOWED');
    const terminated = await call('admin', 'POST', `/api/instances/${instanceId}/terminate`, { opinion: 'cancelled' });
    expect(terminated.statusCode, terminated.body).toBe(200);
    expect(terminated.json().state).toBe('terminated');
    const history = (await call('alice', 'GET', `/api/instances/${instanceId}`)).json().history.actions;
    expect(history.map((a: { action: string }) => a.action)).toEqual([
      'submit',
      'return',
      'submit',
      'transfer',
      'addSigner',
      'removeSigner',
      'comment',
      'terminate',
    ]);
  });

  it('documents the routes under the flows tag', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of [
      '/api/flows/',
      '/api/flows/{pack}/{key}',
      '/api/flows/{pack}/{key}/instances',
      '/api/flows/validate',
      '/api/flows/registries',
      '/api/flows/{pack}/{key}/versions',
      '/api/instances/',
      '/api/instances/{id}',
      '/api/instances/{id}/submit',
      '/api/instances/{id}/withdraw',
      '/api/instances/{id}/terminate',
      '/api/instances/{id}/urge',
      '/api/instances/{id}/comment',
      '/api/instances/{id}/jump',
      '/api/tasks/',
      '/api/tasks/counts',
      '/api/tasks/{id}/approve',
      '/api/tasks/{id}/reject',
      '/api/tasks/{id}/return',
      '/api/tasks/{id}/transfer',
      '/api/tasks/{id}/add-signer',
      '/api/tasks/{id}/remove-signer',
      '/api/tasks/{id}/read',
      '/api/tasks/approve-batch',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(doc.paths['/api/tasks/{id}/approve'].post.tags).toEqual(['flows']);
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('flows');
  });
});

describe('the approval workspace', () => {
  it('serves the form with the flow and the request, so filers and approvers need no form rights', async () => {
    const detail = (await call('alice', 'GET', `/api/flows/${PACK}/${KEY}`)).json();
    expect(detail.form).toMatchObject({ version: 1, definition: { pack: PACK, key: KEY } });
    expect(detail.choose).toEqual([]);

    const filed = await file('alice', { values: { days: 2, reason: 'dentist' } });
    const instanceId = filed.json().instanceId as string;
    const task = (await pending('bob')).find((t) => t.instanceId === instanceId);
    const asBob = await call('bob', 'GET', `/api/instances/${instanceId}?task=${task?.taskId}`);
    expect(asBob.statusCode, asBob.body).toBe(200);
    const view = asBob.json();
    expect(view.form.definition.fields.map((f: { key: string }) => f.key)).toEqual(['days', 'reason']);
    expect(view.caller).toEqual({
      as: 'assignee',
      node: {
        key: 'first',
        kind: 'approval',
        name: null,
        taskId: task?.taskId,
        fieldAccess: { reason: 'hidden' },
        defaultAccess: 'read',
        opinionField: null,
        choose: [],
      },
      actions: {
        submit: false,
        approve: true,
        reject: true,
        returnTo: ['initiator'],
        transfer: true,
        addSigner: true,
        urge: false,
        withdraw: false,
        terminate: false,
        comment: true,
        jump: false,
      },
    });
    const asAlice = (await call('alice', 'GET', `/api/instances/${instanceId}`)).json();
    expect(asAlice.caller).toMatchObject({ as: 'initiator', node: null, actions: { withdraw: true, urge: true } });
    // The query names the caller's task only; a stranger's task id changes nothing.
    const odd = await call('alice', 'GET', `/api/instances/${instanceId}?task=${task?.taskId}`);
    expect(odd.json().caller.actions.approve).toBe(false);
  });

  it('lists deadlines and urges, counts every box, and approves a batch with a result per task', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await file('alice', { values: { days: i + 1 } })).json().instanceId);
    const urged = await call('alice', 'POST', `/api/instances/${ids[0]}/urge`, {});
    expect(urged.statusCode, urged.body).toBe(200);
    const list = (await call('bob', 'GET', '/api/tasks?box=pending')).json().items as Record<string, unknown>[];
    const mine = ids.map((id) => list.find((item) => item.instanceId === id));
    expect(mine[0]).toMatchObject({
      urgent: true,
      overdue: false,
      dueAt: null,
      overdueAt: null,
      flowName: l('请假审批', 'Leave approval'),
    });
    const sent = (await call('alice', 'GET', '/api/instances?box=sent&limit=1')).json().items;
    expect(sent[0].flowName).toEqual(l('请假审批', 'Leave approval'));
    expect(mine[0]?.urgedAt).toEqual(expect.any(String));
    expect(mine[1]).toMatchObject({ urgent: false, urgedAt: null });
    const before = (await call('bob', 'GET', '/api/tasks/counts')).json();
    expect(before).toMatchObject({ urgent: 1, overdue: 0 });
    expect(Object.keys(before).sort()).toEqual(
      ['done', 'drafts', 'notify', 'notifyUnread', 'overdue', 'pending', 'sent', 'tracked', 'urgent'].sort(),
    );

    // A task bob can see but is not his: carol's, on a request bob approved before.
    const seen = (await file('alice', { values: { days: 9 } })).json().instanceId as string;
    const bobsOwn = (await pending('bob')).find((t) => t.instanceId === seen)?.taskId;
    expect((await call('bob', 'POST', `/api/tasks/${bobsOwn}/approve`, {})).statusCode).toBe(200);
    const carols = (await pending('carol')).find((t) => t.instanceId === seen)?.taskId;
    const batch = await call('bob', 'POST', '/api/tasks/approve-batch', {
      opinion: '同意',
      tasks: [
        { taskId: mine[0]?.taskId, clientActionId: 'batch-1' },
        { taskId: mine[1]?.taskId, clientActionId: 'batch-2' },
        { taskId: 'no-such-task', clientActionId: 'batch-3' },
        { taskId: carols, clientActionId: 'batch-4' },
        { taskId: mine[2]?.taskId, clientActionId: 'batch-5' },
      ],
    });
    expect(batch.statusCode, batch.body).toBe(200);
    const results = batch.json().results as { taskId: string; ok: boolean; result?: unknown; problem?: unknown }[];
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false, true]);
    expect(results[0]?.result).toMatchObject({ instanceId: ids[0], currentNodes: ['second'] });
    expect(results[2]?.problem).toMatchObject({ status: 404, code: 'FLOW_TASK_NOT_FOUND' });
    expect(results[3]?.problem).toMatchObject({
      status: 403,
      code: 'FLOW_NOT_ASSIGNEE',
      detail: expect.stringMatching(/[a-z]/),
    });
    // Replayed: the same client action ids apply nothing twice.
    const retry = await call('bob', 'POST', '/api/tasks/approve-batch', {
      tasks: [{ taskId: mine[0]?.taskId, clientActionId: 'batch-1' }],
    });
    expect(retry.json().results[0]).toMatchObject({ ok: true, result: results[0]?.result });
    const after = (await call('bob', 'GET', '/api/tasks/counts')).json();
    expect(after).toMatchObject({ pending: before.pending - 3, urgent: 0, done: before.done + 4 });
    expect(after.tracked).toBe(before.tracked + 4);
    const opinions = await database.db
      .selectFrom('baton_flow_task')
      .select('opinion')
      .where('id', 'in', [mine[0]?.taskId as string, mine[1]?.taskId as string])
      .execute();
    expect(opinions.map((row) => row.opinion)).toEqual(['同意', '同意']);
    expect((await call('bob', 'POST', '/api/tasks/approve-batch', { tasks: [] })).statusCode).toBe(400);
  });
});
