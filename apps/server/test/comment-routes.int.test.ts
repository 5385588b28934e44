import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accessMigrations } from '@baton/access';
import { flowMigrations } from '@baton/flow';
import { formMigrations, localBlobStore, publishForm } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentRoutes, type BatonServer, declareFlowPermissions, flowsRoutes } from '../src/index.ts';
import { PASSWORD, PDF, postParts, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// 评论 over HTTP: every member who may read a request comments on it with files uploaded for it (the file is
// bound to the request's record in the comment's transaction and served to the request's readers only); others
// get 404 for the request, its uploads and its files.

const PACK = 'cmtTest';
const KEY = 'trip';
const l = (zh: string, en: string) => ({ zh, en });

let database: TestDatabase;
let app: BatonServer;
let root: string;
let members: Record<string, string> = {};
let signed: Record<string, Signed> = {};

beforeAll(async () => {
  database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, flowMigrations],
  });
  root = mkdtempSync(path.join(tmpdir(), 'baton-comment-'));
  const ctx = seedCtx(database.db);
  await publishForm(ctx, {
    pack: PACK,
    key: KEY,
    kind: 'flow',
    label: l('出差申请', 'Business trip'),
    fields: [
      { key: 'city', label: l('城市', 'City'), type: 'text', required: true },
      { key: 'plan', label: l('行程', 'Plan'), type: 'attachments' },
      { key: 'payslip', label: l('工资单', 'Payslip'), type: 'attachments' },
    ],
  });
  const office = await seedDepartment(ctx, { name: '综合部', code: '10-00001' });
  declareFlowPermissions(PACK, KEY);
  await seedRoles(ctx, { designer: ['flow.design'], filer: [`flow.${PACK}.${KEY}.start`], auditor: ['flow.admin'] });
  members = await seedMembers(
    ctx,
    [
      ['designer', office.id, 'designer'],
      ['alice', office.id, 'filer'],
      ['bob', office.id],
      ['auditor', office.id, 'auditor'],
      ['mallory', office.id],
    ],
    'C',
  );
  app = await serverWith(database.db, [
    ...flowsRoutes({ db: database.db }),
    attachmentRoutes({ db: database.db, store: localBlobStore({ root }) }),
  ]);
  signed = await signInAll(app, Object.keys(members), PASSWORD);
  const published = await call('designer', 'POST', '/api/flows', {
    pack: PACK,
    key: KEY,
    name: l('出差审批', 'Trip approval'),
    form: { pack: PACK, key: KEY },
    nodes: [
      { key: 'start', kind: 'start' },
      {
        key: 'head',
        kind: 'approval',
        assignees: [{ source: 'members', ids: [members.bob] }],
        fieldAccess: { payslip: 'hidden' },
      },
      { key: 'end', kind: 'end' },
    ],
    edges: [
      { from: 'start', to: 'head' },
      { from: 'head', to: 'end' },
    ],
  });
  expect(published.statusCode, published.body).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

const call = (as: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload);

function upload(as: string, instance: string | { field: string }, name = 'itinerary.pdf') {
  const target = typeof instance === 'string' ? { instance } : { pack: PACK, key: KEY, field: instance.field };
  return postParts(app, signed[as], '/api/attachments', [
    ...Object.entries(target).map(([part, value]) => ({ name: part, value })),
    { name: 'file', filename: name, content: PDF, type: 'application/pdf' },
  ]);
}

async function fileTrip(): Promise<string> {
  const res = await call('alice', 'POST', `/api/flows/${PACK}/${KEY}/instances`, { values: { city: '杭州' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().instanceId;
}

describe('a request’s attachments', () => {
  it('are downloaded by whoever may read the request, except a field hidden at their node', async () => {
    const plan = (await upload('alice', { field: 'plan' }, 'plan.pdf')).json().items[0];
    const payslip = (await upload('alice', { field: 'payslip' }, 'payslip.pdf')).json().items[0];
    const filed = await call('alice', 'POST', `/api/flows/${PACK}/${KEY}/instances`, {
      values: { city: '成都', plan: [plan.id], payslip: [payslip.id] },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const status = async (as: string, id: string) => (await call(as, 'GET', `/api/attachments/${id}`)).statusCode;
    expect(await status('alice', plan.id)).toBe(200);
    expect(await status('bob', plan.id)).toBe(200);
    expect(await status('bob', payslip.id)).toBe(404);
    expect(await status('auditor', payslip.id)).toBe(200);
    expect(await status('mallory', plan.id)).toBe(404);
    // The request page names the files its reader sees, not the hidden one.
    const seen = (await call('bob', 'GET', `/api/instances/${filed.json().instanceId}`)).json();
    expect(seen.files.map((f: { fileName: string }) => f.fileName)).toEqual(['plan.pdf']);
  });
});

describe('comments with files', () => {
  it('lets a reader who is no participant comment with a file that the request’s readers download', async () => {
    const instanceId = await fileTrip();
    const detail = await call('auditor', 'GET', `/api/instances/${instanceId}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().caller.actions.comment).toBe(true);

    const uploaded = await upload('auditor', instanceId);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const [file] = uploaded.json().items;
    expect(file).toMatchObject({ fileName: 'itinerary.pdf', state: 'pending', field: '$comment', pack: PACK });
    const commented = await call('auditor', 'POST', `/api/instances/${instanceId}/comment`, {
      opinion: '行程单已核对',
      attachments: [file.id],
    });
    expect(commented.statusCode, commented.body).toBe(200);

    const seen = (await call('bob', 'GET', `/api/instances/${instanceId}`)).json();
    const last = seen.history.actions.at(-1);
    expect(last).toMatchObject({ action: 'comment', actorId: members.auditor, opinion: '行程单已核对' });
    expect(last.attachments).toEqual([file.id]);
    expect(seen.files).toEqual([
      { id: file.id, fileName: 'itinerary.pdf', contentType: 'application/pdf', size: PDF.length },
    ]);
    for (const reader of ['alice', 'bob', 'auditor']) {
      const got = await call(reader, 'GET', `/api/attachments/${file.id}`);
      expect(got.statusCode, `${reader}: ${got.body}`).toBe(200);
      expect(got.rawPayload.equals(PDF)).toBe(true);
    }
    expect((await call('mallory', 'GET', `/api/attachments/${file.id}`)).statusCode).toBe(404);
  });

  it('refuses an outsider at every step and a file that is not the commenter’s own upload, recording nothing', async () => {
    const instanceId = await fileTrip();
    expect((await upload('mallory', instanceId)).statusCode).toBe(404);
    expect(
      (await call('mallory', 'POST', `/api/instances/${instanceId}/comment`, { opinion: '我也看看' })).statusCode,
    ).toBe(404);
    const alices = (await upload('alice', instanceId, 'budget.pdf')).json().items[0];
    const stolen = await call('bob', 'POST', `/api/instances/${instanceId}/comment`, {
      opinion: '附上预算',
      attachments: [alices.id],
    });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().code).toBe('FORM_ATTACHMENT_NOT_ATTACHABLE');
    const history = (await call('alice', 'GET', `/api/instances/${instanceId}`)).json().history.actions;
    expect(history.map((a: { action: string }) => a.action)).toEqual(['submit']);
    // Still alice's pending upload: she may use it on her own comment.
    const own = await call('alice', 'POST', `/api/instances/${instanceId}/comment`, {
      opinion: '附上预算',
      attachments: [alices.id],
    });
    expect(own.statusCode, own.body).toBe(200);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/attachments',
      payload: Buffer.from(
        '--b\r\nContent-Disposition: form-data; name="instance"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name="pack"\r\n\r\ncmtTest\r\n--b--\r\n',
      ),
      headers: {
        'content-type': 'multipart/form-data; boundary=b',
        cookie: signed.alice?.cookie ?? '',
        'x-csrf-token': signed.alice?.csrf ?? '',
      },
    });
    expect(bad.statusCode).toBe(400);
  });
});
