import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accessMigrations } from '@baton/access';
import { silentLogger } from '@baton/core';
import { flowMigrations } from '@baton/flow';
import { attachToRecord, createRecord, formMigrations, localBlobStore, publishForm, updateRecord } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGate, attachmentRoutes, type BatonServer, buildServer } from '../src/index.ts';
import {
  PASSWORD,
  type Part,
  PDF,
  postParts,
  seedCtx,
  seedDepartment,
  seedMembers,
  seedRoles,
  serverWith,
} from './fixtures.ts';
import { type Signed, signInAll } from './helpers.ts';

// Attachments over HTTP with real sign-ins (session cookie + CSRF), on SQLite or PostgreSQL: the attacks of
// issue 4 (double extensions, markup posing as images, traversal names, oversize, too many files, IDOR).

const FORM = { pack: 'attTest', key: 'expense' };
const l = (zh: string, en: string) => ({ zh, en });

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>');

let database: TestDatabase;
let app: BatonServer;
let root: string;
let members: Record<string, string> = {};
let signed: Record<string, Signed> = {};

beforeAll(async () => {
  // Flow tables too: an attachment on a request's record is also read through the request.
  database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, flowMigrations],
  });
  root = mkdtempSync(path.join(tmpdir(), 'baton-att-'));
  const ctx = seedCtx(database.db);
  await publishForm(ctx, {
    ...FORM,
    kind: 'archive',
    label: l('报销', 'Expense'),
    fields: [
      { key: 'title', label: l('事由', 'Purpose'), type: 'text' },
      { key: 'receipts', label: l('票据', 'Receipts'), type: 'attachments', maxCount: 3, maxSizeMb: 0.05 },
      { key: 'photo', label: l('照片', 'Photo'), type: 'image' },
    ],
  });
  const department = await seedDepartment(ctx, { name: '财务部', code: '10-00001' });
  await seedRoles(ctx, { archivist: ['form.attachment.readAll'] });
  members = await seedMembers(ctx, [
    ['alice', department.id],
    ['bob', department.id],
    ['carol', department.id, 'archivist'],
  ]);
  app = await serverWith(database.db, [
    attachmentRoutes({ db: database.db, store: localBlobStore({ root }), maxFilesPerRequest: 5 }),
  ]);
  signed = await signInAll(app, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

const target = (field = 'receipts'): Part[] => [
  { name: 'pack', value: FORM.pack },
  { name: 'key', value: FORM.key },
  { name: 'field', value: field },
];
const file = (filename: string, content: Buffer, type?: string): Part => ({
  name: 'file',
  filename,
  content,
  ...(type ? { type } : {}),
});

const upload = (as: string | null, parts: Part[]) =>
  postParts(app, as ? signed[as] : undefined, '/api/attachments', parts);

const download = (as: string, id: string) =>
  app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: { cookie: signed[as]?.cookie ?? '' } });

function filesOnDisk(): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function rowCount(): Promise<number> {
  const row = await database.db
    .selectFrom('baton_form_attachment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Runs a refused upload and checks that it left nothing on disk or in the table. */
async function refused(parts: Part[], status: number, code: string) {
  const disk = filesOnDisk();
  const rows = await rowCount();
  const res = await upload('alice', parts);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code).toBe(code);
  expect(filesOnDisk()).toEqual(disk);
  expect(await rowCount()).toBe(rows);
}

describe('uploading', () => {
  it('refuses anonymous uploads before reading the body', async () => {
    const res = await upload(null, [...target(), file('a.pdf', PDF)]);
    expect(res.statusCode).toBe(401);
  });

  it('stores a file by its hash and serves it back as a download with exact headers', async () => {
    const res = await upload('alice', [...target(), file('合同 (最终).pdf', PDF, 'text/html')]);
    expect(res.statusCode, res.body).toBe(201);
    const [item] = res.json().items;
    expect(item).toMatchObject({
      fileName: '合同 (最终).pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      state: 'pending',
      ...FORM,
      field: 'receipts',
    });
    expect(item).not.toHaveProperty('blobKey');
    expect(filesOnDisk().some((f) => /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f))).toBe(true);

    const got = await download('alice', item.id);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PDF)).toBe(true);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toBe(
      "attachment; filename*=UTF-8''%E5%90%88%E5%90%8C%20%28%E6%9C%80%E7%BB%88%29.pdf",
    );
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-security-policy']).toBe('sandbox');
    expect(got.headers['content-length']).toBe(String(PDF.length));
    expect(got.headers['cache-control']).toBe('private, no-store');
  });

  it('judges double extensions by the last one', async () => {
    await refused([...target(), file('invoice.pdf.exe', PDF)], 415, 'FORM_ATTACHMENT_TYPE_REFUSED');
    await refused([...target(), file('page.html', HTML)], 415, 'FORM_ATTACHMENT_TYPE_REFUSED');
    await refused([...target(), file('logo.svg', SVG)], 415, 'FORM_ATTACHMENT_TYPE_REFUSED');
  });

  it('refuses HTML or SVG with script posing as an image or a text', async () => {
    await refused([...target(), file('evil.png', HTML, 'image/png')], 415, 'FORM_ATTACHMENT_CONTENT_MISMATCH');
    await refused([...target(), file('evil.png', SVG, 'image/png')], 415, 'FORM_ATTACHMENT_CONTENT_MISMATCH');
    await refused([...target(), file('evil.txt', SVG, 'text/plain')], 415, 'FORM_ATTACHMENT_CONTENT_MISMATCH');
    await refused([...target('photo'), file('evil.png', HTML)], 415, 'FORM_ATTACHMENT_CONTENT_MISMATCH');
    await refused([...target('photo'), file('scan.pdf', PDF)], 415, 'FORM_ATTACHMENT_TYPE_REFUSED');
    const ok = await upload('alice', [...target('photo'), file('photo.png', PNG)]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().items[0].contentType).toBe('image/png');
  });

  it('reduces path-traversal names to a safe display name', async () => {
    const names = [
      '../../etc/passwd.txt',
      '..\\\\..\\\\x.txt',
      '%2e%2e%2fboot.txt',
      'nul\u0000byte.txt',
      '.hidden.txt. .',
    ];
    for (const [index, name] of names.entries()) {
      const res = await upload('alice', [...target(), file(name, Buffer.from(`note ${index}\n`))]);
      expect(res.statusCode, `${JSON.stringify(name)}: ${res.body}`).toBe(201);
      const stored = res.json().items[0].fileName as string;
      expect(stored).not.toMatch(/[/\\]|\.\.|^\./);
      expect(stored.includes('\u0000')).toBe(false);
      expect(stored.endsWith('.txt')).toBe(true);
    }
    await refused(
      [...target(), file('../../etc/passwd', Buffer.from('root:x:0:0'))],
      415,
      'FORM_ATTACHMENT_TYPE_REFUSED',
    );
    expect(filesOnDisk().every((f) => /^([0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64})$/.test(f))).toBe(true);
  });

  it('aborts an oversize file mid-stream and keeps nothing, also when an earlier file was fine', async () => {
    const big = Buffer.alloc(200 * 1024, 0x61);
    await refused([...target(), file('big.txt', big)], 413, 'FORM_ATTACHMENT_TOO_LARGE');
    await refused(
      [...target(), file('first-unique.txt', Buffer.from(`unique ${Date.now()}\n`)), file('big.txt', big)],
      413,
      'FORM_ATTACHMENT_TOO_LARGE',
    );
  });

  it('refuses more files than the field allows and keeps none of them', async () => {
    const four = [1, 2, 3, 4].map((i) => file(`r${i}.txt`, Buffer.from(`receipt ${i} ${Date.now()}\n`)));
    await refused([...target(), ...four], 400, 'FORM_ATTACHMENT_TOO_MANY');
  });

  it('refuses malformed requests: no target, a non-upload field, fields after files, no file', async () => {
    await refused([file('a.pdf', PDF)], 400, 'FORM_ATTACHMENT_UPLOAD_INVALID');
    await refused([...target('title'), file('a.pdf', PDF)], 400, 'FORM_ATTACHMENT_FIELD_INVALID');
    await refused(
      [...target().slice(0, 2), file('a.pdf', PDF), ...target().slice(2)],
      400,
      'FORM_ATTACHMENT_UPLOAD_INVALID',
    );
    await refused(target(), 400, 'FORM_ATTACHMENT_UPLOAD_INVALID');
    await refused(
      [...target(), { name: 'extra', value: 'x' }, file('a.pdf', PDF)],
      400,
      'FORM_ATTACHMENT_UPLOAD_INVALID',
    );
  });
});

describe('downloading', () => {
  it('serves a pending upload to its uploader only, then whoever reads the owning record', async () => {
    const res = await upload('alice', [...target(), file('receipt.pdf', PDF)]);
    const id = res.json().items[0].id as string;
    // IDOR: another member, and an archivist while the file is on no record yet
    expect((await download('bob', id)).statusCode).toBe(404);
    expect((await download('carol', id)).statusCode).toBe(404);
    expect((await download('bob', '0193a1b2-0000-7000-8000-000000000000')).json().code).toBe(
      'FORM_ATTACHMENT_NOT_FOUND',
    );

    const ctx = testCtx(database.db, {
      clock: { now: () => new Date() },
      actor: { kind: 'member', memberId: members.alice as string },
    });
    const record = await createRecord(
      ctx,
      { ...FORM, values: { title: '出差', receipts: [id] } },
      { context: { memberId: members.alice as string } },
    );
    // saving the record bound the upload to it; binding again changes nothing
    expect(await attachToRecord(ctx, [id], { ...FORM, field: 'receipts', recordId: record.id })).toBe(0);

    expect((await download('alice', id)).statusCode).toBe(200);
    expect((await download('bob', id)).statusCode).toBe(404);
    expect((await download('carol', id)).statusCode).toBe(200);

    // Removed from the record: nobody reads it through that record any more.
    await updateRecord(ctx, { ...FORM, id: record.id, version: record.version, values: { receipts: [] } });
    expect((await download('alice', id)).statusCode).toBe(404);
    expect((await download('carol', id)).statusCode).toBe(404);
  });
});

describe('server ceiling', () => {
  it('applies the per-file ceiling of the route options below a field limit, without stalling', async () => {
    const small = await buildServer({
      logger: silentLogger(),
      readiness: {},
      gate: accessGate(database.db),
      routes: [attachmentRoutes({ db: database.db, store: localBlobStore({ root }), maxFileBytes: 1000 })],
    });
    try {
      const disk = filesOnDisk();
      const res = await postParts(small, signed.alice, '/api/attachments', [
        ...target(),
        file('long.txt', Buffer.alloc(5000, 0x62)),
      ]);
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().code).toBe('FORM_ATTACHMENT_TOO_LARGE');
      expect(filesOnDisk()).toEqual(disk);
    } finally {
      await small.close();
    }
  });
});
