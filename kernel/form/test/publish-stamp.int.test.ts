import { isBatonError } from '@baton/core';
import { type Db, withTx } from '@baton/db';
import { createRecord, type FormDefinitionInput, listRecords, publishForm, updateRecord } from '@baton/form';
import { testDialect } from '@baton/testkit';
import { type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, openEnv } from './fixtures.ts';

const l = (text: string) => ({ zh: text, en: text });
const ref = { pack: 'demo', key: 'note' };
const v1: FormDefinitionInput = {
  ...ref,
  kind: 'archive',
  label: l('note'),
  fields: [
    { key: 'title', label: l('title'), type: 'text' },
    { key: 'qty', label: l('qty'), type: 'text' },
  ],
};
// v2 turns qty from text into a number: the values move to a new column, so a write made for v1 would put its qty
// where v2 no longer reads it.
const v2: FormDefinitionInput = {
  ...v1,
  fields: [
    { key: 'title', label: l('title'), type: 'text' },
    { key: 'qty', label: l('qty'), type: 'number', scale: 0 },
    { key: 'extra', label: l('extra'), type: 'text' },
  ],
};

let env: Env;
beforeAll(async () => {
  env = await openEnv();
  await publishForm(env.ctx, v1);
});
afterAll(async () => {
  await env?.database.cleanup();
});

const stampNow = async () =>
  (await sql<{ stamp: string }>`select stamp from baton_form_publish_stamp where id = 'forms'`.execute(env.ctx.db))
    .rows[0]?.stamp as string;

/** The ctx with a plugin that counts the statements naming the definition table. */
function counting(): { ctx: Env['ctx']; reads: () => number } {
  let reads = 0;
  const spy: KyselyPlugin = {
    transformQuery: (args) => {
      if (JSON.stringify(args.node).includes('"baton_form_definition"')) reads += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { ctx: { ...env.ctx, db: env.ctx.db.withPlugin(spy) as Db }, reads: () => reads };
}

describe(`the forms' publish stamp (${testDialect})`, () => {
  it('lets a caller holding the stamp write without reading the latest version again', async () => {
    const stamp = await stampNow();
    const { ctx, reads } = counting();
    await createRecord(ctx, { ...ref, values: { title: 'a' } }, { formStamp: stamp });
    const afterFirst = reads();
    const second = await createRecord(ctx, { ...ref, values: { title: 'b' } }, { formStamp: stamp });
    await updateRecord(
      ctx,
      { ...ref, id: second.id, version: second.version, values: { title: 'b2' } },
      { formStamp: stamp },
    );
    expect(afterFirst).toBeLessThanOrEqual(2);
    expect(reads()).toBe(afterFirst);
    // Without the stamp every write reads the latest version.
    await createRecord(ctx, { ...ref, values: { title: 'c' } });
    expect(reads()).toBe(afterFirst + 1);
  });

  it('refuses a write prepared for a version a publish has since replaced, and writes nothing', async () => {
    const old = await stampNow();
    const before = (await listRecords(env.ctx, { ...ref, limit: 200 })).records;
    const record = before.find((r) => r.values.title === 'a');
    await publishForm(env.ctx, v2);
    const stamp = await stampNow();
    expect(stamp).not.toBe(old);

    // The old stamp still finds v1 in this process's cache; the write's own statement sees the new stamp.
    const refused = await createRecord(
      env.ctx,
      { ...ref, values: { title: 'late', qty: '5' } },
      { formStamp: old },
    ).catch((error: unknown) => error);
    expect(isBatonError(refused) && refused.code).toBe('FORM_PUBLISHED_MEANWHILE');
    const updateRefused = await updateRecord(
      env.ctx,
      { ...ref, id: record?.id as string, version: record?.version as number, values: { qty: '5' } },
      { formStamp: old },
    ).catch((error: unknown) => error);
    expect(isBatonError(updateRefused) && updateRefused.code).toBe('FORM_PUBLISHED_MEANWHILE');
    const after = (await listRecords(env.ctx, { ...ref, limit: 200 })).records;
    expect(after.length).toBe(before.length);
    expect(after.find((r) => r.id === record?.id)?.values).toMatchObject({ title: 'a', qty: null, extra: null });

    // With the current stamp (or none) the write is made for v2.
    const fresh = await createRecord(
      env.ctx,
      { ...ref, values: { title: 'now', qty: 5, extra: 'x' } },
      { formStamp: stamp },
    );
    expect(fresh.values).toMatchObject({ title: 'now', qty: 5, extra: 'x' });
  });
});

const counted = { pack: 'demo', key: 'counted' };
const countedV1: FormDefinitionInput = {
  ...counted,
  kind: 'archive',
  label: l('counted'),
  fields: [{ key: 'qty', label: l('qty'), type: 'text' }],
};
const countedV2: FormDefinitionInput = {
  ...countedV1,
  fields: [{ key: 'qty', label: l('qty'), type: 'number', scale: 0 }],
};

describe.runIf(testDialect === 'postgres')('a publish and a record write at once (postgres)', () => {
  it('waits for the write holding the form table, then converts its value too', async () => {
    await publishForm(env.ctx, countedV1);
    await createRecord(env.ctx, { ...counted, values: { qty: '1' } });
    const second = env.database.openSecond();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let wrote = () => {};
    const written = new Promise<void>((resolve) => {
      wrote = resolve;
    });
    const writer = withTx({ ...env.ctx, db: second.db }, async (tx) => {
      await createRecord(tx, { ...counted, values: { qty: '7' } });
      wrote();
      await held;
    });
    await written;
    // The publish locks the main table before it reads the values to convert: it waits for the writer. Without
    // that lock it would read the values now, without the uncommitted 7, and leave 7 out of the new column.
    const publishing = publishForm(env.ctx, countedV2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await writer;
    await publishing;
    const values = (await listRecords(env.ctx, { ...counted, limit: 10 })).records.map((r) => r.values.qty);
    expect(values.sort()).toEqual([1, 7]);
  });
});
