import { isBatonError } from '@baton/core';
import {
  createRecord,
  type FieldDefinition,
  type FormDefinitionInput,
  getRecord,
  listRecords,
  previewPublish,
  publishForm,
} from '@baton/form';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, openEnv } from './fixtures.ts';

const l = (text: string) => ({ zh: text, en: text });
const f = (key: string, type: string, more: Record<string, unknown> = {}): FieldDefinition => ({
  key,
  label: l(key),
  type,
  ...more,
});
const ref = { pack: 'demo', key: 'asset' };

const v1: FormDefinitionInput = {
  ...ref,
  kind: 'archive',
  label: l('asset'),
  fields: [f('title', 'text'), f('qty', 'text'), f('code', 'text'), f('note', 'longtext')],
  subtables: [{ key: 'lines', label: l('lines'), columns: [f('price', 'money'), f('memo', 'text')] }],
};

// v2: add `extra`, hide `note`, rename title → name, qty text → number (every value converts),
// lines.memo hidden, lines.qty added.
const v2: FormDefinitionInput = {
  ...v1,
  fields: [
    f('name', 'text', { renamedFrom: 'title' }),
    f('qty', 'number', { scale: 0 }),
    f('code', 'text'),
    f('extra', 'number'),
  ],
  subtables: [{ key: 'lines', label: l('lines'), columns: [f('price', 'money'), f('count', 'number', { scale: 0 })] }],
};

// v3: `note` comes back with its data; code text → number is refused while a value does not convert.
const v3Refused: FormDefinitionInput = {
  ...v2,
  fields: [...v2.fields.filter((x) => x.key !== 'code'), f('code', 'number'), f('note', 'longtext')],
};
const v3: FormDefinitionInput = { ...v2, fields: [...v2.fields, f('note', 'longtext')] };

let env: Env;
const ids: string[] = [];
beforeAll(async () => {
  env = await openEnv();
});
afterAll(async () => {
  await env?.database.cleanup();
});

describe('publishing new versions migrates without losing data', () => {
  it('v1 creates the tables', async () => {
    const result = await publishForm(env.ctx, v1);
    expect(result).toMatchObject({ version: 1, ok: true, unchanged: false });
    expect(result.steps.filter((s) => s.action === 'createTable').map((s) => s.table)).toEqual([
      'f_demo_asset',
      'f_demo_asset__lines',
    ]);
    for (const [title, qty, code] of [
      ['一号', '12', 'A1'],
      ['二号', '7', '42'],
      ['三号', null, null],
    ]) {
      const record = await createRecord(env.ctx, {
        ...ref,
        values: { title, qty, code, note: `note ${title}`, lines: [{ price: 100, memo: 'm' }] },
      });
      ids.push(record.id);
    }
    expect((await publishForm(env.ctx, v1)).unchanged).toBe(true);
  });

  it('v2 previews, then adds, hides, renames and converts', async () => {
    const plan = await previewPublish(env.ctx, v2);
    const steps = Object.fromEntries(plan.steps.map((s) => [s.path, s.action]));
    expect(plan).toMatchObject({ version: 2, ok: true });
    expect(steps).toEqual({
      name: 'keep',
      qty: 'convert',
      code: 'keep',
      extra: 'add',
      note: 'hidden',
      'lines.price': 'keep',
      'lines.count': 'add',
      'lines.memo': 'hidden',
    });
    expect(plan.steps.find((s) => s.path === 'name')).toMatchObject({ renamedFrom: 'title', column: 'title' });
    // The preview changed nothing.
    expect((await getRecord(env.ctx, { ...ref, id: ids[0] as string })).values.title).toBe('一号');

    await publishForm(env.ctx, v2);
    const first = await getRecord(env.ctx, { ...ref, id: ids[0] as string });
    expect(first.values).toMatchObject({ name: '一号', qty: 12, code: 'A1', extra: null });
    expect(first.values).not.toHaveProperty('note');
    expect(first.values.lines).toMatchObject([{ price: 100, count: null }]);
    expect((await getRecord(env.ctx, { ...ref, id: ids[2] as string })).values.qty).toBe(null);
    // The hidden and the old columns are still there with their data.
    const raw = await sql<{
      note: string;
      qty: string;
    }>`select note, qty from f_demo_asset where id = ${ids[0]}`.execute(env.ctx.db);
    expect(raw.rows[0]).toMatchObject({ note: 'note 一号', qty: '12' });
    // New records use the new shape; filters on the converted field are numeric.
    await createRecord(env.ctx, { ...ref, values: { name: '四号', qty: 100, code: 'B' } });
    const big = await listRecords(env.ctx, {
      ...ref,
      filters: [{ field: 'qty', op: 'gt', value: 10 }],
      sort: [{ field: 'qty', dir: 'asc' }],
    });
    expect(big.records.map((r) => r.values.name)).toEqual(['一号', '四号']);
  });

  it('refuses a type change that does not convert, listing the rows', async () => {
    const plan = await previewPublish(env.ctx, v3Refused);
    expect(plan.ok).toBe(false);
    const refused = plan.steps.find((s) => s.action === 'refused');
    expect(refused).toMatchObject({ path: 'code', from: 'text', to: 'number' });
    expect(refused?.rows?.sort()).toEqual([ids[0], expect.any(String)].sort());
    expect(refused?.rows).toContain(ids[0]);
    expect(refused?.rows).not.toContain(ids[1]); // '42' converts
    let error: unknown;
    try {
      await publishForm(env.ctx, v3Refused);
    } catch (caught) {
      error = caught;
    }
    expect(isBatonError(error) && error.code).toBe('FORM_MIGRATION_UNSAFE');
    expect(isBatonError(error) && error.message).toContain(ids[0] as string);
    const versions = await env.ctx.db
      .selectFrom('baton_form_definition')
      .select('version')
      .where('key', '=', 'asset')
      .execute();
    expect(versions.map((v) => Number(v.version)).sort()).toEqual([1, 2]);
  });

  it('v3 brings a hidden field back with its data', async () => {
    const plan = await publishForm(env.ctx, v3);
    expect(plan.version).toBe(3);
    expect(plan.steps.find((s) => s.path === 'note')).toMatchObject({ action: 'keep', column: 'note' });
    const first = await getRecord(env.ctx, { ...ref, id: ids[0] as string });
    expect(first.values).toMatchObject({ name: '一号', qty: 12, code: 'A1', note: 'note 一号' });
    expect(first.version).toBe(1);
  });
});
