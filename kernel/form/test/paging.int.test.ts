import { isBatonError } from '@baton/core';
import { createRecord, type FormRecord, listRecords, publishForm, voidRecord } from '@baton/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, openEnv } from './fixtures.ts';

const l = (text: string) => ({ zh: text, en: text });
const form = { pack: 'demo', key: 'paged' };
let env: Env;
const created: FormRecord[] = [];

// Few distinct values and many NULLs, so that every sort has ties and blanks to page across.
const texts = ['b', 'a', null, 'c', 'a'];
const numbers = [1.5, null, -2, 1.5, 0];
const dates = ['2026-01-02', null, '2025-12-31', '2026-01-02'];
const times = ['2026-11-28T01:00:00.000Z', '2026-11-28T09:00:00+08:00', null];
const flags = [true, false, null];

beforeAll(async () => {
  env = await openEnv();
  await publishForm(env.ctx, {
    ...form,
    kind: 'archive',
    label: l('Paged'),
    fields: [
      { key: 'title', label: l('Title'), type: 'text' },
      { key: 'size', label: l('Size'), type: 'number', scale: 2 },
      { key: 'amount', label: l('Amount'), type: 'money' },
      { key: 'day', label: l('Day'), type: 'date' },
      { key: 'at', label: l('At'), type: 'datetime' },
      { key: 'done', label: l('Done'), type: 'boolean' },
      {
        key: 'grade',
        label: l('Grade'),
        type: 'select',
        options: [
          { code: 'x', label: l('X') },
          { code: 'y', label: l('Y') },
        ],
      },
      { key: 'month', label: l('Month'), type: 'month' },
      { key: 'people', label: l('People'), type: 'members' },
    ],
  });
  for (let i = 0; i < 23; i++) {
    const record = await createRecord(env.ctx, {
      ...form,
      values: {
        title: texts[i % texts.length],
        size: numbers[i % numbers.length],
        amount: i % 4 === 0 ? null : (i % 3) * 100,
        day: dates[i % dates.length],
        at: times[i % times.length],
        done: flags[i % flags.length],
        grade: i % 3 === 0 ? null : i % 2 === 0 ? 'x' : 'y',
        month: i % 5 === 0 ? null : `2026-0${(i % 3) + 1}`,
      },
    });
    created.push(record);
  }
  // A voided record is left out of lists by default.
  const voided = await createRecord(env.ctx, { ...form, values: { title: 'voided' } });
  await voidRecord(env.ctx, { ...form, id: voided.id, version: 1 });
});
afterAll(async () => {
  await env?.database.cleanup();
});

/** The order listRecords promises: NULL last ascending and first descending, ties broken by id ascending. */
function expected(field: string, dir: 'asc' | 'desc'): string[] {
  const key = (r: FormRecord) => {
    const v = r.values[field];
    return typeof v === 'boolean' ? Number(v) : (v as string | number | null);
  };
  const cmp = (a: FormRecord, b: FormRecord) => {
    const [x, y] = [key(a), key(b)];
    let order = 0;
    if (x === null && y !== null) order = 1;
    else if (x !== null && y === null) order = -1;
    else if (x !== null && y !== null) order = x < y ? -1 : x > y ? 1 : 0;
    if (dir === 'desc') order = -order;
    return order !== 0 ? order : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return [...created].sort(cmp).map((r) => r.id);
}

async function pages(field: string | undefined, dir: 'asc' | 'desc', limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let guard = 0;
  do {
    const page = await listRecords(env.ctx, {
      ...form,
      sort: field ? [{ field, dir }] : [],
      limit,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.records.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
    if (++guard > 50) throw new Error('paging does not end');
  } while (cursor);
  return ids;
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('keyset paging', () => {
  it.each(['title', 'size', 'amount', 'day', 'at', 'done', 'grade', 'month'])(
    'pages through %s in both directions, stable with ties and blanks',
    async (field) => {
      for (const dir of ['asc', 'desc'] as const) {
        expect(await pages(field, dir, 4), `${field} ${dir}`).toEqual(expected(field, dir));
      }
    },
  );

  it('pages by id without a sort, and with two sort keys', async () => {
    expect(await pages(undefined, 'asc', 5)).toEqual(created.map((r) => r.id).sort());
    const two: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRecords(env.ctx, {
        ...form,
        sort: [
          { field: 'title', dir: 'desc' },
          { field: 'size', dir: 'asc' },
        ],
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      two.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(two).size).toBe(created.length);
    expect(two).toHaveLength(created.length);
  });

  it('refuses tampered cursors and cursors of another query with FORM_QUERY_INVALID', async () => {
    const first = await listRecords(env.ctx, { ...form, sort: [{ field: 'size', dir: 'asc' }], limit: 2 });
    const cursor = first.nextCursor as string;
    const data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forge = (patch: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ ...data, ...patch })).toString('base64url');
    const list = (c: string, sort: { field: string; dir: 'asc' | 'desc' }[] = [{ field: 'size', dir: 'asc' }]) =>
      code(listRecords(env.ctx, { ...form, sort, limit: 2, cursor: c }));
    expect(await list(cursor)).toBe('no error');
    expect(await list(`${cursor}x`)).toBe('FORM_QUERY_INVALID');
    expect(await list('not a cursor!')).toBe('FORM_QUERY_INVALID');
    expect(await list(forge({ v: ['1; drop table x'] }))).toBe('FORM_QUERY_INVALID');
    expect(await list(forge({ v: [1, 2] }))).toBe('FORM_QUERY_INVALID');
    expect(await list(forge({ i: "' or 1=1 --" }))).toBe('FORM_QUERY_INVALID');
    expect(await list(forge({ f: 'other' }))).toBe('FORM_QUERY_INVALID');
    expect(await list(Buffer.from('12').toString('base64url'))).toBe('FORM_QUERY_INVALID');
    expect(await list(cursor, [{ field: 'size', dir: 'desc' }])).toBe('FORM_QUERY_INVALID');
    expect(await list(cursor, [{ field: 'title', dir: 'asc' }])).toBe('FORM_QUERY_INVALID');
  });

  it('refuses sorting on list-valued fields and leaves voided records out unless asked', async () => {
    expect(await code(listRecords(env.ctx, { ...form, sort: [{ field: 'people', dir: 'asc' }] }))).toBe(
      'FORM_QUERY_INVALID',
    );
    const all = await listRecords(env.ctx, { ...form, limit: 200 });
    expect(all.records).toHaveLength(created.length);
    expect(all.nextCursor).toBeNull();
    const withVoided = await listRecords(env.ctx, { ...form, limit: 200, includeVoided: true });
    expect(withVoided.records).toHaveLength(created.length + 1);
  });

  it('matches contains case-insensitively with wildcards taken literally', async () => {
    await createRecord(env.ctx, { ...form, values: { title: 'Price 100%_OFF' } });
    const found = async (value: string) =>
      (await listRecords(env.ctx, { ...form, filters: [{ field: 'title', op: 'contains', value }] })).records.map(
        (r) => r.values.title,
      );
    expect(await found('%_off')).toEqual(['Price 100%_OFF']);
    expect(await found('price')).toEqual(['Price 100%_OFF']);
    expect(await found('0_')).toEqual([]);
  });
});
