import { approve, type FlowEvent, onFlowEvent, returnTask, submit, terminate, withdraw } from '@baton/flow';
import { createRecord, type FormDefinitionInput, getRecord } from '@baton/form';
import { applyRules, listRecordChanges, listRuleRuns, publishRule, type RuleDefinitionInput } from '@baton/rule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, count, type Env, l, openEnv, publishForms, publishLine, rowsOf, taskOf } from './fixtures.ts';

// A budget ledger (预算台账) and a request for budgeted spend (F05): within budget on submit, reserved on submit,
// consumed on approval, given back when the request is withdrawn, terminated, rejected or returned to its initiator.

const ledger: FormDefinitionInput = {
  pack: 'bud',
  key: 'ledger',
  kind: 'archive',
  label: l('预算台账', 'Budget ledger'),
  fields: [
    { key: 'line', label: l('预算科目', 'Budget line'), type: 'text', required: true },
    { key: 'budget', label: l('预算', 'Budget'), type: 'money' },
    { key: 'reserved', label: l('已预占', 'Reserved'), type: 'money', default: 0 },
    { key: 'used', label: l('已使用', 'Used'), type: 'money', default: 0 },
    { key: 'remaining', label: l('剩余预算', 'Remaining'), type: 'money' },
  ],
  keys: [['line']],
};

const request: FormDefinitionInput = {
  pack: 'bud',
  key: 'request',
  kind: 'flow',
  label: l('市场活动申请', 'Activity request'),
  fields: [
    { key: 'activity', label: l('活动名称', 'Activity'), type: 'text' },
    {
      key: 'budgetRef',
      label: l('预算科目', 'Budget line'),
      type: 'reference',
      form: { pack: 'bud', key: 'ledger' },
      display: 'line',
    },
    { key: 'amount', label: l('申请金额', 'Amount'), type: 'money', required: true },
  ],
};

const flow = { pack: 'bud', key: 'requestFlow' };
const ledgerRef = { pack: 'bud', key: 'ledger' };

const withinBudget: RuleDefinitionInput = {
  pack: 'bud',
  key: 'withinBudget',
  name: l('预算内申请', 'Within budget'),
  order: -10,
  on: { flow: 'bud.requestFlow', events: ['submitted'] },
  actions: [
    {
      kind: 'guard',
      lookup: { form: 'bud.ledger', match: { id: 'budgetRef' } },
      refuseWhen: 'amount > $target.remaining',
      message: {
        zh: '申请金额 {amount} 元超出剩余预算 {remaining} 元',
        en: 'The requested {amount} exceeds the remaining budget of {remaining}',
      },
      params: { amount: 'amount', remaining: '$target.remaining' },
    },
  ],
};

const reserve: RuleDefinitionInput = {
  pack: 'bud',
  key: 'reserve',
  name: l('预占预算', 'Reserve the budget'),
  on: { flow: 'bud.requestFlow', events: ['submitted'] },
  actions: [
    {
      kind: 'adjust',
      form: 'bud.ledger',
      match: { id: 'budgetRef' },
      field: 'remaining',
      by: '-amount',
      floor: 0,
      changeLog: true,
    },
    {
      kind: 'adjust',
      form: 'bud.ledger',
      match: { id: 'budgetRef' },
      field: 'reserved',
      by: 'amount',
      changeLog: true,
    },
  ],
  compensate: { on: ['withdrawn', 'terminated', 'rejected', 'returnedToInitiator'] },
};

const consume: RuleDefinitionInput = {
  pack: 'bud',
  key: 'consume',
  name: l('核销预算', 'Consume the budget'),
  on: { flow: 'bud.requestFlow', events: ['approved'] },
  actions: [
    {
      kind: 'adjust',
      form: 'bud.ledger',
      match: { id: 'budgetRef' },
      field: 'reserved',
      by: '-amount',
      changeLog: true,
    },
    { kind: 'adjust', form: 'bud.ledger', match: { id: 'budgetRef' }, field: 'used', by: 'amount', changeLog: true },
  ],
};

let env: Env;
let lineId: string;
const events: FlowEvent[] = [];
let offEvents: () => void;

beforeAll(async () => {
  env = await openEnv();
  await publishForms(env, ledger, request);
  await publishLine(env, flow, { pack: 'bud', key: 'request' }, [env.m.manager.id], {
    administrators: [env.m.ceo.id],
  });
  for (const rule of [withinBudget, reserve, consume]) await publishRule(env.ctx, rule);
  const line = await createRecord(env.ctx, {
    ...ledgerRef,
    values: { line: 'MKT-2026-01', budget: 2_000_000, reserved: 0, used: 1_200_000, remaining: 800_000 },
  });
  lineId = line.id;
  offEvents = onFlowEvent((_ctx, event) => {
    events.push(event);
  });
});
afterAll(async () => {
  offEvents?.();
  await env?.close();
});

async function line() {
  const record = await getRecord(env.ctx, { ...ledgerRef, id: lineId });
  const { reserved, used, remaining } = record.values as Record<string, number>;
  return { reserved, used, remaining };
}

const file = (amount: number, activity = '展会') =>
  submit(env.as(env.m.staff1.id), { flow, values: { activity, budgetRef: lineId, amount } });

describe('budget ledger rules', () => {
  it('refuses a request over the remaining budget with the message built from the record, and changes nothing', async () => {
    const before = { ledger: await rowsOf(env, 'bud', 'ledger'), requests: await rowsOf(env, 'bud', 'request') };
    const counts = {
      runs: await count(env, 'baton_rule_run'),
      instances: await count(env, 'baton_flow_instance'),
      outbox: await count(env, 'baton_db_outbox'),
    };
    const error = await caught(file(1_200_000));
    expect(error).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      status: 422,
      zh: '申请金额 12,000.00 元超出剩余预算 8,000.00 元',
      en: 'The requested 12,000.00 exceeds the remaining budget of 8,000.00',
    });
    expect(await rowsOf(env, 'bud', 'ledger')).toEqual(before.ledger);
    expect(await rowsOf(env, 'bud', 'request')).toEqual(before.requests);
    expect(await count(env, 'baton_rule_run')).toBe(counts.runs);
    expect(await count(env, 'baton_flow_instance')).toBe(counts.instances);
    expect(await count(env, 'baton_db_outbox')).toBe(counts.outbox);
  });

  it('reserves on submit, consumes on approval, and keeps the ledger history with the request behind each change', async () => {
    env.clock.advance(60_000);
    const { instanceId } = await file(300_000, '春季展会');
    expect(await line()).toEqual({ reserved: 300_000, used: 1_200_000, remaining: 500_000 });
    env.clock.advance(60_000);
    const approved = await approve(env.as(env.m.manager.id), {
      taskId: await taskOf(env, instanceId, env.m.manager.id),
    });
    expect(approved.state).toBe('approved');
    expect(await line()).toEqual({ reserved: 0, used: 1_500_000, remaining: 500_000 });
    const runs = await listRuleRuns(env.ctx, { subjectId: instanceId });
    expect(runs.map((run) => [run.rule, run.eventType, run.state])).toEqual([
      ['bud.consume', 'approved', 'applied'],
      ['bud.reserve', 'submitted', 'applied'],
    ]);
    expect(runs[1]?.effects).toEqual([
      expect.objectContaining({ kind: 'adjust', recordId: lineId, field: 'remaining', delta: -300_000 }),
      expect.objectContaining({ kind: 'adjust', recordId: lineId, field: 'reserved', delta: 300_000 }),
    ]);
    const { changes } = await listRecordChanges(env.ctx, { ...ledgerRef, recordId: lineId });
    expect(changes.map((change) => [change.rule.key, change.op, change.before, change.after])).toEqual([
      ['consume', 'adjust', { used: 1_200_000 }, { used: 1_500_000 }],
      ['consume', 'adjust', { reserved: 300_000 }, { reserved: 0 }],
      ['reserve', 'adjust', { reserved: 0 }, { reserved: 300_000 }],
      ['reserve', 'adjust', { remaining: 800_000 }, { remaining: 500_000 }],
    ]);
    expect(changes[0]?.instance).toMatchObject({ id: instanceId, flow: 'bud.requestFlow', state: 'approved' });
    expect(changes[0]?.source).toMatchObject({ pack: 'bud', key: 'request' });
    const page = await listRecordChanges(env.ctx, { ...ledgerRef, recordId: lineId, limit: 3 });
    expect(page.changes).toHaveLength(3);
    const rest = await listRecordChanges(env.ctx, {
      ...ledgerRef,
      recordId: lineId,
      limit: 3,
      before: page.nextBefore as number,
    });
    expect(rest.changes.map((change) => change.after)).toEqual([{ remaining: 500_000 }]);
  });

  it('a retried event never applies twice', async () => {
    env.clock.advance(60_000);
    events.length = 0;
    const { instanceId } = await file(100_000);
    expect(await line()).toMatchObject({ reserved: 100_000, remaining: 400_000 });
    const submitted = events.find((event) => event.type === 'submitted' && event.instanceId === instanceId);
    expect(submitted).toBeDefined();
    const again = await applyRules(env.ctx, { flow: submitted as FlowEvent });
    expect(again.applied).toEqual([]);
    expect(await line()).toMatchObject({ reserved: 100_000, remaining: 400_000 });
    // Withdrawn: the reservation goes back, once, however often the event arrives.
    env.clock.advance(60_000);
    await withdraw(env.as(env.m.staff1.id), { instanceId });
    expect(await line()).toMatchObject({ reserved: 0, remaining: 500_000 });
    const withdrawn = events.find((event) => event.type === 'withdrawn' && event.instanceId === instanceId);
    const replay = await applyRules(env.ctx, { flow: withdrawn as FlowEvent });
    expect(replay.compensated).toEqual([]);
    expect(await line()).toMatchObject({ reserved: 0, remaining: 500_000 });
    const runs = await listRuleRuns(env.ctx, { subjectId: instanceId });
    expect(runs.map((run) => [run.rule, run.state])).toEqual([['bud.reserve', 'compensated']]);
    const { changes } = await listRecordChanges(env.ctx, { ...ledgerRef, recordId: lineId, limit: 2 });
    expect(changes.map((change) => [change.op, change.before, change.after])).toEqual([
      ['undo', { remaining: 400_000 }, { remaining: 500_000 }],
      ['undo', { reserved: 100_000 }, { reserved: 0 }],
    ]);
  });

  it('terminate and reject give the reservation back', async () => {
    env.clock.advance(60_000);
    const first = await file(200_000);
    expect(await line()).toMatchObject({ reserved: 200_000, remaining: 300_000 });
    await terminate(env.as(env.m.ceo.id), { instanceId: first.instanceId, opinion: '活动取消' });
    expect(await line()).toMatchObject({ reserved: 0, remaining: 500_000 });
    env.clock.advance(60_000);
    const second = await file(250_000);
    expect(await line()).toMatchObject({ reserved: 250_000, remaining: 250_000 });
    const { reject } = await import('@baton/flow');
    await reject(env.as(env.m.manager.id), { taskId: await taskOf(env, second.instanceId, env.m.manager.id) });
    expect(await line()).toMatchObject({ reserved: 0, used: 1_500_000, remaining: 500_000 });
  });

  it('a return to the initiator gives it back and the resubmit reserves again, once', async () => {
    env.clock.advance(60_000);
    const { instanceId } = await file(50_000);
    expect(await line()).toMatchObject({ reserved: 50_000, remaining: 450_000 });
    env.clock.advance(60_000);
    await returnTask(env.as(env.m.manager.id), {
      taskId: await taskOf(env, instanceId, env.m.manager.id),
      to: 'initiator',
    });
    expect(await line()).toMatchObject({ reserved: 0, remaining: 500_000 });
    env.clock.advance(60_000);
    await submit(env.as(env.m.staff1.id), { instanceId, values: { amount: 60_000 } });
    expect(await line()).toMatchObject({ reserved: 60_000, remaining: 440_000 });
    env.clock.advance(60_000);
    await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, instanceId, env.m.manager.id) });
    expect(await line()).toEqual({ reserved: 0, used: 1_560_000, remaining: 440_000 });
  });

  it('a failing rule action rolls the approval back: the task stays pending and the ledger untouched', async () => {
    env.clock.advance(60_000);
    const { instanceId } = await file(40_000);
    const broken: RuleDefinitionInput = {
      pack: 'bud',
      key: 'archiveBroken',
      name: l('归档（缺必填）', 'Archive (missing a required field)'),
      order: 10,
      on: { flow: 'bud.requestFlow', events: ['approved'] },
      // The ledger's `line` is required: the write-back fails validation after consume already ran.
      actions: [{ kind: 'writeBack', form: 'bud.ledger', set: { budget: 'amount' } }],
    };
    await publishRule(env.ctx, broken);
    const before = await rowsOf(env, 'bud', 'ledger');
    const runs = await count(env, 'baton_rule_run');
    const error = await caught(
      approve(env.as(env.m.manager.id), { taskId: await taskOf(env, instanceId, env.m.manager.id) }),
    );
    expect(error.code).toBe('FORM_VALIDATION_FAILED');
    expect(await rowsOf(env, 'bud', 'ledger')).toEqual(before);
    expect(await count(env, 'baton_rule_run')).toBe(runs);
    expect(await taskOf(env, instanceId, env.m.manager.id)).toBeTruthy();
    const instance = await env.database.db
      .selectFrom('baton_flow_instance')
      .select('state')
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(instance.state).toBe('running');
    // Switched off, the rule no longer runs and the approval goes through.
    await publishRule(env.ctx, { ...broken, enabled: false });
    await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, instanceId, env.m.manager.id) });
    expect(await line()).toMatchObject({ reserved: 60_000 - 60_000, used: 1_600_000 });
  });
});
