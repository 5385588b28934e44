import { isBatonError } from '@baton/core';
import {
  createRecord,
  getRecord,
  onRecordEvent,
  publishForm,
  type RecordEvent,
  tableName,
  updateRecord,
  voidRecord,
} from '@baton/form';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customerArchive, type Env, openEnv } from './fixtures.ts';

let env: Env;
beforeAll(async () => {
  env = await openEnv();
  await publishForm(env.ctx, customerArchive);
});
afterAll(async () => {
  await env?.database.cleanup();
});

const ref = { pack: 'customerArchive', key: 'customerArchive' };
let off: (() => void) | undefined;
afterEach(() => {
  off?.();
  off = undefined;
});

describe('record events', () => {
  it('are emitted by create, update and void inside their transaction, with the values before an update', async () => {
    const events: RecordEvent[] = [];
    off = onRecordEvent(async (ctx, event) => {
      // The listener sees the write it is told about: it runs in the same transaction.
      const seen = await getRecord(ctx, { ...ref, id: event.recordId });
      expect(seen.version).toBe(event.version);
      events.push(event);
    });
    const created = await createRecord(env.ctx, { ...ref, values: { companyName: '甲公司' } });
    const updated = await updateRecord(env.ctx, {
      ...ref,
      id: created.id,
      version: created.version,
      values: { companyName: '乙公司' },
    });
    const voided = await voidRecord(env.ctx, { ...ref, id: created.id, version: updated.version });
    expect(events.map((event) => [event.type, event.version])).toEqual([
      ['created', 1],
      ['updated', 2],
      ['voided', voided.version],
    ]);
    expect(events[0]).toMatchObject({ ...ref, recordId: created.id, actorId: 'system:test', flowInstanceId: null });
    expect(events[1]?.before).toMatchObject({ companyName: '甲公司' });
    expect(events[0]?.before).toBeUndefined();
  });

  it('a throwing listener rolls the write back', async () => {
    const created = await createRecord(env.ctx, { ...ref, values: { companyName: '丙公司' } });
    off = onRecordEvent((_ctx, event) => {
      if (event.type === 'updated') throw new Error('refused by a listener');
    });
    await expect(
      updateRecord(env.ctx, { ...ref, id: created.id, version: 1, values: { companyName: '丁公司' } }),
    ).rejects.toThrow('refused by a listener');
    const after = await getRecord(env.ctx, { ...ref, id: created.id });
    expect(after).toMatchObject({ version: 1, values: { companyName: '丙公司' } });
    off();
    off = onRecordEvent((_ctx, event) => {
      if (event.type === 'created') throw new Error('no');
    });
    const error = await createRecord(env.ctx, { ...ref, values: { companyName: '戊公司' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isBatonError(error)).toBe(false);
    // biome-ignore lint/suspicious/noExplicitAny: the form table is named at run time
    const rows = await (env.database.db as any)
      .selectFrom(tableName(ref.pack, ref.key))
      .select('id')
      .where('company_name', '=', '戊公司')
      .execute();
    expect(rows).toHaveLength(0);
  });
});
