import { approve, submit, withdraw } from '@baton/flow';
import { type FormDefinitionInput, getRecord, listRecords, updateRecord } from '@baton/form';
import { listRecordChanges, publishRule } from '@baton/rule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, l, openEnv, publishForms, publishLine, rowsOf, taskOf } from './fixtures.ts';

// F01 marketing plan → plan archive (营销计划档案): one archive row per plan item, matched on year, product line and
// month, so an approved change updates the row and the archive keeps every change with the request behind it.

const plan: FormDefinitionInput = {
  pack: 'mkt',
  key: 'plan',
  kind: 'flow',
  label: l('营销计划', 'Marketing plan'),
  fields: [
    { key: 'year', label: l('年度', 'Year'), type: 'number', scale: 0 },
    { key: 'productLine', label: l('产品线', 'Product line'), type: 'text' },
  ],
  subtables: [
    {
      key: 'items',
      label: l('计划明细', 'Items'),
      columns: [
        { key: 'month', label: l('月份', 'Month'), type: 'text' },
        { key: 'method', label: l('营销方式', 'Method'), type: 'text' },
        { key: 'amount', label: l('预算', 'Amount'), type: 'money' },
      ],
    },
  ],
};

const archive: FormDefinitionInput = {
  pack: 'mkt',
  key: 'planArchive',
  kind: 'archive',
  label: l('营销计划档案', 'Plan archive'),
  fields: [
    { key: 'year', label: l('年度', 'Year'), type: 'number', scale: 0, required: true },
    { key: 'productLine', label: l('产品线', 'Product line'), type: 'text', required: true },
    { key: 'month', label: l('月份', 'Month'), type: 'text', required: true },
    { key: 'method', label: l('营销方式', 'Method'), type: 'text' },
    { key: 'amount', label: l('预算', 'Amount'), type: 'money' },
    { key: 'planNo', label: l('来源计划', 'From plan'), type: 'text' },
    { key: 'status', label: l('状态', 'Status'), type: 'text' },
  ],
  keys: [['year', 'productLine', 'month']],
};

let env: Env;
const flow = { pack: 'mkt', key: 'planFlow' };
const archiveRef = { pack: 'mkt', key: 'planArchive' };

beforeAll(async () => {
  env = await openEnv();
  await publishForms(env, plan, archive);
  await publishLine(env, flow, { pack: 'mkt', key: 'plan' }, [env.m.manager.id]);
  await publishRule(env.ctx, {
    pack: 'mkt',
    key: 'archivePlan',
    name: l('计划归档', 'Archive the plan'),
    on: { flow: 'mkt.planFlow', events: ['approved'] },
    actions: [
      {
        kind: 'writeBack',
        forEachRow: 'items',
        when: 'amount > 0',
        form: 'mkt.planArchive',
        mode: 'upsert',
        match: { year: 'year', productLine: 'productLine', month: 'month' },
        set: { method: 'method', amount: 'amount', planNo: '$record.id', status: "'approved'" },
        changeLog: true,
      },
    ],
  });
});
afterAll(async () => {
  await env?.close();
});

async function fileAndApprove(values: Record<string, unknown>) {
  env.clock.advance(60_000);
  const { instanceId, recordId } = await submit(env.as(env.m.staff1.id), { flow, values });
  await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, instanceId, env.m.manager.id) });
  return { instanceId, recordId };
}

async function archived() {
  const { records } = await listRecords(env.ctx, { ...archiveRef, sort: [{ field: 'month' }] });
  return records.map((record) => record.values);
}

describe('writeBack', () => {
  it('inserts one archive record per subtable row, then updates the matched ones, keeping their history', async () => {
    const first = await fileAndApprove({
      year: 2026,
      productLine: 'cloud',
      items: [
        { month: '2026-01', method: '展会', amount: 500_000 },
        { month: '2026-02', method: '广告', amount: 300_000 },
        { month: '2026-03', method: '（不计）', amount: 0 },
      ],
    });
    expect(await archived()).toEqual([
      expect.objectContaining({
        month: '2026-01',
        method: '展会',
        amount: 500_000,
        planNo: first.recordId,
        status: 'approved',
      }),
      expect.objectContaining({ month: '2026-02', method: '广告', amount: 300_000 }),
    ]);
    const second = await fileAndApprove({
      year: 2026,
      productLine: 'cloud',
      items: [
        { month: '2026-02', method: '线上广告', amount: 350_000 },
        { month: '2026-04', method: '沙龙', amount: 100_000 },
      ],
    });
    const rows = await archived();
    expect(rows.map((row) => [row.month, row.method, row.amount])).toEqual([
      ['2026-01', '展会', 500_000],
      ['2026-02', '线上广告', 350_000],
      ['2026-04', '沙龙', 100_000],
    ]);
    const { records } = await listRecords(env.ctx, {
      ...archiveRef,
      filters: [{ field: 'month', op: 'eq', value: '2026-02' }],
    });
    const february = records[0]?.id as string;
    const { changes } = await listRecordChanges(env.ctx, { ...archiveRef, recordId: february });
    expect(changes.map((change) => [change.op, change.before, change.after, change.instance?.id])).toEqual([
      [
        'update',
        { method: '广告', amount: 300_000, planNo: first.recordId, status: 'approved' },
        { method: '线上广告', amount: 350_000, planNo: second.recordId, status: 'approved' },
        second.instanceId,
      ],
      [
        'insert',
        null,
        {
          year: 2026,
          productLine: 'cloud',
          month: '2026-02',
          method: '广告',
          amount: 300_000,
          planNo: first.recordId,
          status: 'approved',
        },
        first.instanceId,
      ],
    ]);
    expect(changes[0]?.instance).toMatchObject({ title: expect.stringContaining('赵一'), flow: 'mkt.planFlow' });
    expect(changes[0]?.source).toEqual({ pack: 'mkt', key: 'plan', recordId: second.recordId });
    // Outside the viewer's scopes the history is as invisible as the record.
    const hidden = await caught(
      listRecordChanges(
        env.ctx,
        { ...archiveRef, recordId: february },
        { viewer: { memberId: env.m.staff2.id, scopes: ['own'] } },
      ),
    );
    expect(hidden.code).toBe('FORM_RECORD_NOT_FOUND');
  });

  it('update refuses a missing target (RULE_TARGET_NOT_FOUND) and the submit rolls back', async () => {
    await publishRule(env.ctx, {
      pack: 'mkt',
      key: 'markSubmitted',
      name: l('标记已提交', 'Mark submitted'),
      on: { flow: 'mkt.planFlow', events: ['submitted'] },
      actions: [
        {
          kind: 'writeBack',
          forEachRow: 'items',
          form: 'mkt.planArchive',
          mode: 'update',
          match: { year: 'year', productLine: 'productLine', month: 'month' },
          set: { status: "'changing'" },
          changeLog: true,
        },
      ],
      compensate: { on: ['withdrawn'] },
    });
    const before = await rowsOf(env, 'mkt', 'planArchive');
    const error = await caught(
      submit(env.as(env.m.staff1.id), {
        flow,
        values: {
          year: 2026,
          productLine: 'cloud',
          items: [
            { month: '2026-01', amount: 1 },
            { month: '2026-09', amount: 1 },
          ],
        },
      }),
    );
    expect(error).toMatchObject({ code: 'RULE_TARGET_NOT_FOUND' });
    expect(error.en).toContain('mkt.planArchive');
    expect(await rowsOf(env, 'mkt', 'planArchive')).toEqual(before);

    // Matching rows are marked while the change runs and restored when it is withdrawn, except a field someone
    // changed since: compensation gives back only what still holds the rule's value.
    env.clock.advance(60_000);
    const { instanceId } = await submit(env.as(env.m.staff1.id), {
      flow,
      values: {
        year: 2026,
        productLine: 'cloud',
        items: [
          { month: '2026-01', amount: 1 },
          { month: '2026-02', amount: 1 },
        ],
      },
    });
    expect((await archived()).map((row) => row.status)).toEqual(['changing', 'changing', 'approved']);
    const { records } = await listRecords(env.ctx, {
      ...archiveRef,
      filters: [{ field: 'month', op: 'eq', value: '2026-02' }],
    });
    const february = await getRecord(env.ctx, { ...archiveRef, id: records[0]?.id as string });
    await updateRecord(env.ctx, {
      ...archiveRef,
      id: february.id,
      version: february.version,
      values: { status: 'manual' },
    });
    env.clock.advance(60_000);
    await withdraw(env.as(env.m.staff1.id), { instanceId });
    expect((await archived()).map((row) => row.status)).toEqual(['approved', 'manual', 'approved']);
    const { changes } = await listRecordChanges(env.ctx, { ...archiveRef, recordId: february.id, limit: 1 });
    expect(changes[0]).toMatchObject({ op: 'update', after: { status: 'changing' } });
    await publishRule(env.ctx, {
      pack: 'mkt',
      key: 'markSubmitted',
      name: l('标记已提交', 'Mark submitted'),
      enabled: false,
      on: { flow: 'mkt.planFlow', events: ['submitted'] },
      actions: [
        { kind: 'writeBack', form: 'mkt.planArchive', mode: 'update', match: { month: "'x'" }, set: { status: "'x'" } },
      ],
    });
  });

  it('compensation voids the records it inserted, edited since or not', async () => {
    await publishRule(env.ctx, {
      pack: 'mkt',
      key: 'draftArchive',
      name: l('预登记', 'Pre-register'),
      on: { flow: 'mkt.planFlow', events: ['submitted'] },
      actions: [
        {
          kind: 'writeBack',
          forEachRow: 'items',
          form: 'mkt.planArchive',
          mode: 'upsert',
          match: { year: 'year', productLine: "'pending'", month: 'month' },
          set: { amount: 'amount', status: "'pending'" },
        },
      ],
      compensate: {},
    });
    env.clock.advance(60_000);
    const { instanceId } = await submit(env.as(env.m.staff1.id), {
      flow,
      values: {
        year: 2027,
        productLine: 'cloud',
        items: [
          { month: '2027-01', amount: 9 },
          { month: '2027-02', amount: 8 },
        ],
      },
    });
    const pending = await listRecords(env.ctx, {
      ...archiveRef,
      filters: [{ field: 'productLine', op: 'eq', value: 'pending' }],
    });
    expect(pending.records).toHaveLength(2);
    const edited = pending.records[0];
    const current = await getRecord(env.ctx, { ...archiveRef, id: edited?.id as string });
    await updateRecord(env.ctx, {
      ...archiveRef,
      id: current.id,
      version: current.version,
      values: { method: '手工补录' },
    });
    env.clock.advance(60_000);
    await withdraw(env.as(env.m.staff1.id), { instanceId });
    const after = await listRecords(env.ctx, {
      ...archiveRef,
      filters: [{ field: 'productLine', op: 'eq', value: 'pending' }],
      includeVoided: true,
    });
    expect(after.records.map((record) => record.state)).toEqual(['voided', 'voided']);
  });

  it('records it inserts belong to the initiator and show the rule as their author', async () => {
    const { records } = await listRecords(env.ctx, {
      ...archiveRef,
      filters: [{ field: 'month', op: 'eq', value: '2026-04' }],
    });
    expect(records[0]?.ownerId).toBe(env.m.staff1.id);
    expect(records[0]?.createdBy).toBe('system:rule:mkt.archivePlan');
  });
});
