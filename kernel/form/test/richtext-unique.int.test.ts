import { isBatonError } from '@baton/core';
import { createRecord, getRecord, publishForm, updateRecord } from '@baton/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerArchive, type Env, openEnv } from './fixtures.ts';

const l = (text: string) => ({ zh: text, en: text });
const notes = { pack: 'demo', key: 'notes' };
const ca = { pack: 'customerArchive', key: 'customerArchive' };
let env: Env;

beforeAll(async () => {
  env = await openEnv();
  await publishForm(env.ctx, customerArchive);
  await publishForm(env.ctx, {
    ...notes,
    kind: 'archive',
    label: l('Notes'),
    fields: [{ key: 'body', label: l('Body'), type: 'richtext' }],
    subtables: [{ key: 'parts', label: l('Parts'), columns: [{ key: 'html', label: l('HTML'), type: 'richtext' }] }],
  });
});
afterAll(async () => {
  await env?.database.cleanup();
});

describe('richtext on writes', () => {
  it('stores only sanitised HTML, in fields and subtable columns, on create and update', async () => {
    const record = await createRecord(env.ctx, {
      ...notes,
      values: {
        body: '<p onclick="x()">hi<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">l</a></p>',
        parts: [{ html: '<svg onload=alert(1)></svg><b>bold</b><img src="/api/attachments/f-1">' }],
      },
    });
    expect(record.values.body).toBe('<p>hi<a>l</a></p>');
    expect((record.values.parts as { html: string }[])[0]?.html).toBe('<b>bold</b><img src="/api/attachments/f-1" />');
    const updated = await updateRecord(env.ctx, {
      ...notes,
      id: record.id,
      version: 1,
      values: { body: '<a href="https://baton.example" onmouseover="x()">ok</a><style>*{}</style>' },
    });
    expect(updated.values.body).toBe('<a href="https://baton.example" rel="noopener noreferrer">ok</a>');
    expect((await getRecord(env.ctx, { ...notes, id: record.id })).values.body).toBe(updated.values.body);
  });
});

describe('declared unique keys under concurrency', () => {
  it('lets exactly one of 20 parallel creates with the same key through; the others get FORM_DUPLICATE_KEY', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => createRecord(env.ctx, { ...ca, values: { companyName: '同名公司' } })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const codes = results.flatMap((r) =>
      r.status === 'rejected' ? [isBatonError(r.reason) ? r.reason.code : String(r.reason)] : [],
    );
    expect(ok).toHaveLength(1);
    expect(new Set(codes)).toEqual(new Set(['FORM_DUPLICATE_KEY']));
  });
});
