import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isBatonError } from '@baton/core';
import {
  assertAttachable,
  attachmentsOf,
  attachToRecord,
  createRecord,
  getAttachment,
  localBlobStore,
  publishForm,
  purgePendingAttachments,
  registerUpload,
  storeUpload,
  uploadRulesFor,
  validateForm,
} from '@baton/form';
import { testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, openEnv } from './fixtures.ts';

const l = (zh: string, en: string) => ({ zh, en });
const FORM = { pack: 'attKernel', key: 'leave' };
const target = { ...FORM, field: 'files' };
let env: Env;
let root: string;

beforeAll(async () => {
  env = await openEnv();
  root = mkdtempSync(path.join(tmpdir(), 'baton-att-kernel-'));
  await publishForm(env.ctx, {
    ...FORM,
    kind: 'archive',
    label: l('请假', 'Leave'),
    fields: [
      { key: 'reason', label: l('事由', 'Reason'), type: 'text' },
      { key: 'files', label: l('附件', 'Files'), type: 'attachments', maxCount: 2, accept: ['.PDF', 'txt'] },
      { key: 'sign', label: l('签名', 'Signature'), type: 'signature' },
    ],
    subtables: [
      {
        key: 'days',
        label: l('明细', 'Days'),
        columns: [{ key: 'proof', label: l('证明', 'Proof'), type: 'image' }],
      },
    ],
  });
});
afterAll(async () => {
  await env?.database.cleanup();
  rmSync(root, { recursive: true, force: true });
});

const as = (memberId: string) => testCtx(env.database.db, { clock: env.clock, actor: { kind: 'member', memberId } });

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; paths: string[] }> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return { code: error.code, paths: error.fields.map((f) => f.path.join('.')) };
    throw error;
  }
  throw new Error('expected an error');
}

async function uploaded(memberId: string, text: string, field = target) {
  const store = localBlobStore({ root });
  const rules = await uploadRulesFor(as(memberId), field);
  const stored = await storeUpload(store, Readable.from([Buffer.from(text)]), { fileName: 'note.txt', rules });
  return registerUpload(as(memberId), { ...field, ...stored });
}

describe('upload rules', () => {
  it('come from the field config, with image-only types for image and signature', async () => {
    expect(await uploadRulesFor(env.ctx, target)).toEqual({
      maxBytes: 20 * 1024 * 1024,
      maxCount: 2,
      accept: ['pdf', 'txt'],
      imagesOnly: false,
    });
    expect(await uploadRulesFor(env.ctx, { ...FORM, field: 'sign' })).toMatchObject({ maxCount: 1, imagesOnly: true });
    expect(await uploadRulesFor(env.ctx, { ...FORM, field: 'days.proof' })).toMatchObject({ imagesOnly: true });
    expect((await codeOf(uploadRulesFor(env.ctx, { ...FORM, field: 'reason' }))).code).toBe(
      'FORM_ATTACHMENT_FIELD_INVALID',
    );
  });

  it('refuses accept entries outside the allow-list', () => {
    const issues = validateForm({
      ...FORM,
      kind: 'archive',
      label: l('x', 'x'),
      fields: [
        { key: 'a', label: l('a', 'a'), type: 'attachments', accept: ['svg'] },
        { key: 'b', label: l('b', 'b'), type: 'image', accept: ['pdf'] },
      ],
    });
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['fields.0.accept.0', 'fields.1.accept.0']);
  });
});

describe('attaching', () => {
  it('lets a member attach only their own pending uploads of this form and field', async () => {
    const mine = await uploaded('m-a', 'mine');
    const theirs = await uploaded('m-b', 'theirs');
    const elsewhere = await uploaded('m-a', 'other field', { ...FORM, field: 'days.proof' }).catch(() => undefined);
    expect(elsewhere).toBeUndefined(); // a txt is no image
    await assertAttachable(as('m-a'), [mine.id], { ...target, uploader: 'm-a' });
    expect(
      await codeOf(assertAttachable(as('m-a'), [mine.id, theirs.id, 'nope'], { ...target, uploader: 'm-a' })),
    ).toEqual({
      code: 'FORM_ATTACHMENT_NOT_ATTACHABLE',
      paths: ['files.1', 'files.2'],
    });
    expect(
      (await codeOf(assertAttachable(as('m-a'), [mine.id], { ...FORM, field: 'sign', uploader: 'm-a' }))).code,
    ).toBe('FORM_ATTACHMENT_NOT_ATTACHABLE');

    const record = await createRecord(as('m-a'), { ...FORM, values: { reason: '病假', files: [mine.id] } });
    // createRecord bound the upload to the record in its own transaction
    expect(await getAttachment(env.ctx, mine.id)).toMatchObject({ state: 'attached', recordId: record.id });
    expect(await attachToRecord(as('m-a'), [mine.id], { ...target, recordId: record.id })).toBe(0);
    // once on the record, any writer of that record may keep it; other records may not take it
    await assertAttachable(as('m-c'), [mine.id], { ...target, uploader: 'm-c', recordId: record.id });
    expect(
      (await codeOf(assertAttachable(as('m-a'), [mine.id], { ...target, uploader: 'm-a', recordId: 'other' }))).code,
    ).toBe('FORM_ATTACHMENT_NOT_ATTACHABLE');
    expect((await attachmentsOf(env.ctx, { ...FORM, recordId: record.id })).map((a) => a.id)).toEqual([mine.id]);
    expect(await getAttachment(env.ctx, mine.id)).toMatchObject({ state: 'attached', recordId: record.id, size: 4 });
  });

  it('purges pending uploads left behind, and their blobs', async () => {
    const store = localBlobStore({ root });
    const stale = await uploaded('m-d', `abandoned ${Date.now()}`);
    expect(await store.has(stale.blobKey)).toBe(true);
    env.clock.advance(25 * 3_600_000);
    expect(await purgePendingAttachments(env.ctx, store, { olderThanMs: 24 * 3_600_000 })).toBeGreaterThanOrEqual(1);
    expect(await getAttachment(env.ctx, stale.id)).toBeUndefined();
    expect(await store.has(stale.blobKey)).toBe(false);
  });
});
