import { approve, type FlowEvent, onFlowEvent, submit, withdraw } from '@baton/flow';
import { type FormDefinitionInput, getRecord, listRecords, updateRecord } from '@baton/form';
import {
  applyRules,
  checkRule,
  listRecordChanges,
  listRuleRuns,
  publishRule,
  type RuleActionInput,
  type RuleDefinitionInput,
} from '@baton/rule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, count, type Env, l, openEnv, publishForms, publishLine, taskOf } from './fixtures.ts';

// A goods request, once approved, becomes a ledger record WITH its lines (subtable rows mapped from the request's
// items) and one plan line per item that points at the ledger record just written ($actions.ledger.*). A request
// filed to extend a ledger appends (or replaces) its lines on submit; a withdrawal takes them out again.

const request: FormDefinitionInput = {
  pack: 'led',
  key: 'request',
  kind: 'flow',
  label: l('领用申请', 'Goods request'),
  fields: [
    { key: 'purpose', label: l('用途', 'Purpose'), type: 'text' },
    { key: 'supplier', label: l('供应商', 'Supplier'), type: 'text' },
    { key: 'batch', label: l('批次', 'Batch'), type: 'text' },
  ],
  subtables: [
    {
      key: 'items',
      label: l('明细', 'Items'),
      columns: [
        { key: 'name', label: l('品名', 'Name'), type: 'text' },
        { key: 'qty', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
        { key: 'price', label: l('单价', 'Price'), type: 'money' },
        { key: 'skip', label: l('不入账', 'Skip'), type: 'boolean' },
      ],
    },
  ],
};

const ledger: FormDefinitionInput = {
  pack: 'led',
  key: 'ledger',
  kind: 'archive',
  label: l('台账', 'Ledger'),
  fields: [
    { key: 'ledgerNo', label: l('编号', 'No.'), type: 'serial', pattern: 'LD{seq:4}', reset: 'never' },
    { key: 'supplier', label: l('供应商', 'Supplier'), type: 'text', required: true },
    { key: 'batch', label: l('批次', 'Batch'), type: 'text' },
    { key: 'requestId', label: l('来源申请', 'Request'), type: 'text' },
  ],
  keys: [['batch']],
  subtables: [
    {
      key: 'lines',
      label: l('行', 'Lines'),
      totals: ['amount'],
      columns: [
        { key: 'name', label: l('品名', 'Name'), type: 'text', required: true },
        { key: 'qty', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
        { key: 'price', label: l('单价', 'Price'), type: 'money' },
        { key: 'amount', label: l('金额', 'Amount'), type: 'formula', expr: 'qty * price', resultType: 'money' },
        { key: 'origin', label: l('来源', 'Origin'), type: 'text' },
      ],
    },
  ],
};

const planLine: FormDefinitionInput = {
  pack: 'led',
  key: 'planLine',
  kind: 'archive',
  label: l('计划行', 'Plan line'),
  fields: [
    { key: 'ledgerId', label: l('台账', 'Ledger'), type: 'text', required: true },
    { key: 'ledgerNo', label: l('台账编号', 'Ledger no.'), type: 'text' },
    { key: 'name', label: l('品名', 'Name'), type: 'text', required: true },
    { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
  ],
};

const flow = { pack: 'led', key: 'requestFlow' };
const ledgerRef = { pack: 'led', key: 'ledger' };
const planRef = { pack: 'led', key: 'planLine' };

const book: RuleDefinitionInput = {
  pack: 'led',
  key: 'book',
  name: l('入账', 'Book'),
  on: { flow: 'led.requestFlow', events: ['approved'] },
  when: "purpose = 'new'",
  actions: [
    {
      kind: 'writeBack',
      as: 'ledger',
      form: 'led.ledger',
      set: { supplier: 'supplier', batch: 'batch', requestId: '$record.id' },
      subtables: {
        lines: {
          from: 'items',
          when: 'NOT skip',
          set: { name: 'name', qty: 'qty', price: 'price', origin: "batch & '/' & TEXT($row)" },
        },
      },
    },
    {
      kind: 'writeBack',
      forEachRow: 'items',
      when: 'NOT skip',
      form: 'led.planLine',
      set: {
        ledgerId: '$actions.ledger.id',
        ledgerNo: '$actions.ledger.ledgerNo',
        name: 'name',
        amount: 'price * qty',
      },
    },
  ],
};

const extend: RuleDefinitionInput = {
  pack: 'led',
  key: 'extend',
  name: l('追加', 'Extend'),
  on: { flow: 'led.requestFlow', events: ['submitted'] },
  when: "purpose IN ['append', 'replace']",
  actions: ['append', 'replace'].map((onUpdate) => ({
    kind: 'writeBack',
    when: `purpose = '${onUpdate}'`,
    form: 'led.ledger',
    mode: 'update',
    match: { batch: 'batch' },
    changeLog: true,
    subtables: {
      lines: { from: 'items', onUpdate, set: { name: 'name', qty: 'qty', price: 'price', origin: "'extend'" } },
    },
  })),
  compensate: {},
};

let env: Env;
const events: FlowEvent[] = [];
let offEvents: () => void;

beforeAll(async () => {
  env = await openEnv();
  await publishForms(env, request, ledger, planLine);
  await publishLine(env, flow, { pack: 'led', key: 'request' }, [env.m.manager.id]);
  await publishRule(env.ctx, book);
  await publishRule(env.ctx, extend);
  offEvents = onFlowEvent((_ctx, event) => {
    events.push(event);
  });
});
afterAll(async () => {
  offEvents?.();
  await env?.close();
});

async function file(values: Record<string, unknown>) {
  env.clock.advance(60_000);
  return submit(env.as(env.m.staff1.id), { flow, values });
}

async function fileAndApprove(values: Record<string, unknown>) {
  const filed = await file(values);
  await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, filed.instanceId, env.m.manager.id) });
  return filed;
}

async function ledgerOf(batch: string) {
  const { records } = await listRecords(env.ctx, {
    ...ledgerRef,
    filters: [{ field: 'batch', op: 'eq', value: batch }],
  });
  const hit = records[0];
  return hit ? getRecord(env.ctx, { ...ledgerRef, id: hit.id }) : undefined;
}

const lines = (record: { values: Record<string, unknown> } | undefined) =>
  ((record?.values.lines as Record<string, unknown>[] | undefined) ?? []).map(
    ({ name, qty, price, amount, origin }) => ({
      name,
      qty,
      price,
      amount,
      origin,
    }),
  );

describe('writeBack with subtable rows and named outputs', () => {
  it('writes the ledger record with its lines, then plan lines that point at it', async () => {
    const { instanceId, recordId } = await fileAndApprove({
      purpose: 'new',
      supplier: '得力',
      batch: 'B1',
      items: [
        { name: '签字笔', qty: 10, price: 250, skip: false },
        { name: '（样品）', qty: 1, price: 0, skip: true },
        { name: '打印纸', qty: 2, price: 3_000, skip: false },
      ],
    });
    const record = await ledgerOf('B1');
    expect(record?.values).toMatchObject({ ledgerNo: 'LD0001', supplier: '得力', requestId: recordId });
    // Formula columns and totals come from the form engine, as for a member's write.
    expect(lines(record)).toEqual([
      { name: '签字笔', qty: 10, price: 250, amount: 2_500, origin: 'B1/1' },
      { name: '打印纸', qty: 2, price: 3_000, amount: 6_000, origin: 'B1/3' },
    ]);
    expect(record?.totals).toEqual({ lines: { amount: 8_500 } });
    const { records } = await listRecords(env.ctx, { ...planRef, sort: [{ field: 'name' }] });
    expect(records.map((plan) => plan.values)).toEqual([
      expect.objectContaining({ ledgerId: record?.id, ledgerNo: 'LD0001', name: '打印纸', amount: 6_000 }),
      expect.objectContaining({ ledgerId: record?.id, ledgerNo: 'LD0001', name: '签字笔', amount: 2_500 }),
    ]);
    const [run] = await listRuleRuns(env.ctx, { subjectId: instanceId });
    expect(run?.effects[0]).toMatchObject({ kind: 'writeBack', op: 'insert', recordId: record?.id, as: 'ledger' });
    expect(run?.effects).toHaveLength(3);

    // A retried event applies nothing twice.
    const approved = events.find((event) => event.type === 'approved' && event.instanceId === instanceId);
    expect((await applyRules(env.ctx, { flow: approved as FlowEvent })).applied).toEqual([]);
    expect((await listRecords(env.ctx, planRef)).records).toHaveLength(2);
    expect((await listRecords(env.ctx, ledgerRef)).records).toHaveLength(1);
  });

  it('refuses a row the target subtable refuses, with its path, and gives the serial number back', async () => {
    const planRuns = await count(env, 'baton_rule_run');
    const filed = await file({
      purpose: 'new',
      supplier: '晨光',
      batch: 'B2',
      items: [
        { name: '文件夹', qty: 5, price: 800, skip: false },
        { name: '', qty: 1, price: 100, skip: false },
      ],
    });
    const taskId = await taskOf(env, filed.instanceId, env.m.manager.id);
    const error = await caught(approve(env.as(env.m.manager.id), { taskId }));
    expect(error).toMatchObject({ code: 'FORM_VALIDATION_FAILED', paths: ['lines.1.name'] });
    expect(await ledgerOf('B2')).toBeUndefined();
    expect((await listRecords(env.ctx, planRef)).records).toHaveLength(2);
    expect(await count(env, 'baton_rule_run')).toBe(planRuns);
    expect(await taskOf(env, filed.instanceId, env.m.manager.id)).toBe(taskId);
    // The refused write gave its serial number back.
    await fileAndApprove({
      purpose: 'new',
      supplier: '晨光',
      batch: 'B3',
      items: [{ name: '文件夹', qty: 5, price: 800, skip: false }],
    });
    expect((await ledgerOf('B3'))?.values.ledgerNo).toBe('LD0002');
  });

  it('all or nothing: a ledger written by the first action is rolled back when the second refuses', async () => {
    // Lines without a name are skipped by the ledger mapping but not by the plan lines, whose name is required.
    const [ledgerAction, planAction] = book.actions as [RuleActionInput, RuleActionInput];
    const rows = { from: 'items', when: "NOT skip AND name != ''", set: { name: 'name', qty: 'qty', price: 'price' } };
    await publishRule(env.ctx, { ...book, actions: [{ ...ledgerAction, subtables: { lines: rows } }, planAction] });
    const filed = await file({
      purpose: 'new',
      supplier: '齐心',
      batch: 'B4',
      items: [
        { name: '订书机', qty: 1, price: 2_000, skip: false },
        { name: '', qty: 1, price: 100, skip: false },
      ],
    });
    const error = await caught(
      approve(env.as(env.m.manager.id), { taskId: await taskOf(env, filed.instanceId, env.m.manager.id) }),
    );
    expect(error).toMatchObject({ code: 'FORM_VALIDATION_FAILED', paths: ['name'] });
    expect(await ledgerOf('B4')).toBeUndefined();
    expect((await listRecords(env.ctx, planRef)).records).toHaveLength(3);
    await publishRule(env.ctx, book);
  });

  it('appends rows on submit and takes them out on withdrawal, keeping a row added since', async () => {
    const before = await ledgerOf('B1');
    const { instanceId } = await file({
      purpose: 'append',
      batch: 'B1',
      items: [{ name: '胶水', qty: 3, price: 500 }],
    });
    const appended = await ledgerOf('B1');
    expect(lines(appended).map((line) => [line.name, line.amount, line.origin])).toEqual([
      ['签字笔', 2_500, 'B1/1'],
      ['打印纸', 6_000, 'B1/3'],
      ['胶水', 1_500, 'extend'],
    ]);
    expect(appended?.totals).toEqual({ lines: { amount: 10_000 } });
    const { changes } = await listRecordChanges(env.ctx, { ...ledgerRef, recordId: before?.id as string });
    expect(changes[0]).toMatchObject({
      op: 'update',
      after: {
        lines: [{ name: '签字笔' }, { name: '打印纸' }, { name: '胶水', qty: 3, price: 500, origin: 'extend' }],
      },
    });
    // Someone adds a row of their own after the rule's.
    await updateRecord(env.as(env.m.cfo.id), {
      ...ledgerRef,
      id: appended?.id as string,
      version: appended?.version as number,
      values: { lines: [...((appended?.values.lines as object[]) ?? []), { name: '手工', qty: 1, price: 100 }] },
    });
    env.clock.advance(60_000);
    await withdraw(env.as(env.m.staff1.id), { instanceId });
    expect(lines(await ledgerOf('B1')).map((line) => line.name)).toEqual(['签字笔', '打印纸', '手工']);
  });

  it('replaces rows on submit and puts the old ones back on withdrawal', async () => {
    const { instanceId } = await file({
      purpose: 'replace',
      batch: 'B1',
      items: [
        { name: '白板', qty: 1, price: 20_000 },
        { name: '白板笔', qty: 4, price: 300 },
      ],
    });
    const replaced = await ledgerOf('B1');
    expect(lines(replaced).map((line) => [line.name, line.amount])).toEqual([
      ['白板', 20_000],
      ['白板笔', 1_200],
    ]);
    expect(replaced?.totals).toEqual({ lines: { amount: 21_200 } });
    env.clock.advance(60_000);
    await withdraw(env.as(env.m.staff1.id), { instanceId });
    const back = await ledgerOf('B1');
    expect(lines(back)).toEqual([
      { name: '签字笔', qty: 10, price: 250, amount: 2_500, origin: 'B1/1' },
      { name: '打印纸', qty: 2, price: 3_000, amount: 6_000, origin: 'B1/3' },
      { name: '手工', qty: 1, price: 100, amount: 100, origin: null },
    ]);
    const { changes } = await listRecordChanges(env.ctx, { ...ledgerRef, recordId: back?.id as string, limit: 1 });
    expect(changes[0]?.op).toBe('undo');
  });

  it('refuses at definition time, with paths: unknown subtables and columns, types, action names', async () => {
    const broken: RuleDefinitionInput = {
      pack: 'led',
      key: 'broken',
      name: l('错', 'Broken'),
      on: { flow: 'led.requestFlow', events: ['approved'] },
      when: 'NOT ISBLANK($actions.ledger.id)',
      actions: [
        {
          kind: 'writeBack',
          as: 'ledger',
          form: 'led.ledger',
          set: { supplier: 'supplier' },
          subtables: { nope: { set: { name: "'x'" } }, lines: { from: 'things', set: { name: 'name' } } },
        },
        {
          kind: 'writeBack',
          form: 'led.ledger',
          set: { supplier: '$actions.later.id', batch: '$actions.ledger.supplier' },
          subtables: {
            lines: {
              from: 'items',
              when: 'qty',
              set: { name: 'qty', nope: 'name', amount: 'price', price: '$actions.ledger.nope' },
            },
          },
        },
        {
          kind: 'writeBack',
          as: 'later',
          forEachRow: 'items',
          form: 'led.planLine',
          set: { name: '$actions.ghost.id' },
        },
        {
          kind: 'writeBack',
          forEachRow: 'items',
          form: 'led.ledger',
          set: { supplier: 'name' },
          subtables: { lines: { from: 'items', set: { name: 'name' } } },
        },
        { kind: 'notify', as: 'told', to: '$initiator.memberId', title: l('好', 'OK') },
        { kind: 'writeBack', as: 'ledger', form: 'led.planLine', set: { name: "'x'", ledgerId: "'y'" } },
      ],
    };
    const { issues } = await checkRule(env.ctx, broken);
    expect(issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['when', 'action_not_yet_run'],
      ['actions.5.as', 'duplicate_name'],
      ['actions.0.subtables.nope', 'unknown_subtable'],
      ['actions.0.subtables.lines.from', 'unknown_subtable'],
      ['actions.1.set.supplier', 'action_not_yet_run'],
      ['actions.1.subtables.lines.when', 'EXPR_RESULT_TYPE'],
      ['actions.1.subtables.lines.set.name', 'EXPR_RESULT_TYPE'],
      ['actions.1.subtables.lines.set.nope', 'unknown_column'],
      ['actions.1.subtables.lines.set.amount', 'not_writable'],
      ['actions.1.subtables.lines.set.price', 'EXPR_UNKNOWN_CONTEXT'],
      ['actions.2.set.name', 'unknown_action'],
      ['actions.2.as', 'named_per_row'],
      ['actions.3.subtables.lines.from', 'from_in_row'],
      ['actions.4.as', 'no_output'],
    ]);
    const refused = await caught(publishRule(env.ctx, broken));
    expect(refused.code).toBe('RULE_DEFINITION_INVALID');
  });
});
