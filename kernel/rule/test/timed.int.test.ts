import { createRecord, type FormDefinitionInput, getRecord, updateRecord, voidRecord } from '@baton/form';
import { listRules, publishRule, ruleTimerHandlers, scheduleKeyOf } from '@baton/rule';
import { getSchedule, listTimers, timerJob } from '@baton/schedule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, l, openEnv, publishForms, publishLine } from './fixtures.ts';

// Timed rules: on the 1st of each month at 09:00 start the abnormal-attendance flow for each member with
// anomalies (F26); three days before a collection date remind the salesperson (F14). Durable timers, exactly once
// per occurrence across workers, caught up after downtime.

const anomalies: FormDefinitionInput = {
  pack: 'att',
  key: 'anomaly',
  kind: 'archive',
  label: l('考勤异常汇总', 'Attendance anomalies'),
  fields: [
    { key: 'member', label: l('员工', 'Member'), type: 'member', required: true },
    { key: 'count', label: l('异常次数', 'Anomalies'), type: 'number', scale: 0 },
  ],
};
const exception: FormDefinitionInput = {
  pack: 'att',
  key: 'exception',
  kind: 'flow',
  label: l('异常考勤审批单', 'Abnormal attendance'),
  fields: [
    { key: 'count', label: l('异常次数', 'Anomalies'), type: 'number', scale: 0 },
    { key: 'month', label: l('月份', 'Month'), type: 'text' },
  ],
};
const collection: FormDefinitionInput = {
  pack: 'con',
  key: 'collection',
  kind: 'archive',
  label: l('收款计划', 'Collection plan'),
  fields: [
    { key: 'contract', label: l('合同', 'Contract'), type: 'text', required: true },
    { key: 'dueDate', label: l('计划收款日期', 'Due date'), type: 'date' },
    { key: 'amount', label: l('计划收款金额', 'Amount'), type: 'money' },
    { key: 'salesperson', label: l('销售', 'Salesperson'), type: 'member' },
    { key: 'received', label: l('已收款', 'Received'), type: 'boolean' },
  ],
};

let env: Env;
const shanghai = (local: string) => new Date(`${local}+08:00`).toISOString();

beforeAll(async () => {
  env = await openEnv();
  await publishForms(env, anomalies, exception, collection);
  await publishLine(env, { pack: 'att', key: 'exceptionFlow' }, { pack: 'att', key: 'exception' }, [env.m.manager.id]);
});
afterAll(async () => {
  await env?.close();
});

/** One worker tick: materialise due schedules, then run due timers (this test's handlers only). */
const tick = (owner = 'worker-a') => timerJob(ruleTimerHandlers, { owner }).run(env.ctx);

async function startedFlows() {
  const rows = await env.database.db
    .selectFrom('baton_flow_instance')
    .select(['initiatorId', 'recordId', 'state'])
    .where('flowKey', '=', 'exceptionFlow')
    .orderBy('createdAt')
    .execute();
  return rows;
}

describe('cron schedules', () => {
  it('start a flow for each record that passes when, once per occurrence across workers, and catch up after downtime', async () => {
    const { staff1, staff2, cfo } = env.m;
    for (const [member, count] of [
      [staff1.id, 2],
      [staff2.id, 0],
      [cfo.id, 1],
    ] as const) {
      await createRecord(env.ctx, { pack: 'att', key: 'anomaly', values: { member, count } });
    }
    await publishRule(env.ctx, {
      pack: 'att',
      key: 'monthlyExceptions',
      name: l('每月发起异常考勤审批', 'Monthly abnormal-attendance requests'),
      on: { form: 'att.anomaly', schedule: { cron: '0 9 1 * *' } },
      when: 'count > 0',
      actions: [
        {
          kind: 'startFlow',
          flow: 'att.exceptionFlow',
          initiator: 'member',
          set: { count: 'count', month: "TEXT($event.at, 'yyyy-MM')" },
        },
      ],
    });
    const schedule = await getSchedule(env.ctx, { key: scheduleKeyOf({ pack: 'att', key: 'monthlyExceptions' }) });
    expect(schedule?.nextDueAt).toBe(shanghai('2026-12-01T09:00:00'));
    expect((await listRules(env.ctx, { form: 'att.anomaly' })).map((rule) => rule.key)).toEqual(['monthlyExceptions']);

    await tick();
    expect(await startedFlows()).toEqual([]);
    env.clock.set(shanghai('2026-12-01T09:00:00'));
    // Two workers compete for the occurrence and for each record's timer: every flow starts once.
    for (let i = 0; i < 3; i += 1) await Promise.all([tick('worker-a'), tick('worker-b')]);
    const first = await startedFlows();
    expect(first.map((row) => row.initiatorId).sort()).toEqual([staff1.id, cfo.id].sort());
    expect(first.every((row) => row.state === 'running')).toBe(true);
    const record = await getRecord(env.ctx, { pack: 'att', key: 'exception', id: first[0]?.recordId as string });
    expect(record.values.month).toBe('2026-12');

    // Down from 2 December to 1 February 10:00: January's and February's occurrences collapse into one run.
    env.clock.set(shanghai('2027-02-01T10:00:00'));
    for (let i = 0; i < 3; i += 1) await tick();
    expect(await startedFlows()).toHaveLength(4);
    expect(
      (await getSchedule(env.ctx, { key: scheduleKeyOf({ pack: 'att', key: 'monthlyExceptions' }) }))?.nextDueAt,
    ).toBe(shanghai('2027-03-01T09:00:00'));

    // Switched off, the schedule stops.
    await publishRule(env.ctx, {
      pack: 'att',
      key: 'monthlyExceptions',
      name: l('每月发起异常考勤审批', 'Monthly abnormal-attendance requests'),
      enabled: false,
      on: { form: 'att.anomaly', schedule: { cron: '0 9 1 * *' } },
      actions: [{ kind: 'startFlow', flow: 'att.exceptionFlow', initiator: 'member' }],
    });
    env.clock.set(shanghai('2027-03-01T09:00:00'));
    for (let i = 0; i < 3; i += 1) await tick();
    expect(await startedFlows()).toHaveLength(4);
  });

  it('refuses a bad cron expression, events on a timed rule and a date trigger on a field that is no date', async () => {
    const error = await caught(
      publishRule(env.ctx, {
        pack: 'att',
        key: 'bad',
        name: l('错', 'Bad'),
        on: { form: 'att.anomaly', schedule: { cron: '61 * * * *' } },
        actions: [{ kind: 'notify', to: 'member', title: l('t', 't') }],
      }),
    );
    expect(error).toMatchObject({ code: 'RULE_DEFINITION_INVALID', paths: ['on.schedule.cron'] });
    const more = await caught(
      publishRule(env.ctx, {
        pack: 'att',
        key: 'bad',
        name: l('错', 'Bad'),
        on: { form: 'att.anomaly', date: { field: 'count' }, events: ['created'] } as never,
        actions: [{ kind: 'notify', to: 'member', title: l('t', 't') }],
        compensate: {},
      }),
    );
    expect(more.paths).toEqual(['on.events', 'compensate', 'on.date.field']);
  });
});

describe('date reminders', () => {
  const remind = {
    pack: 'con',
    key: 'collectionReminder',
    name: l('收款提醒', 'Collection reminder'),
    on: { form: 'con.collection', date: { field: 'dueDate', days: -3, at: '09:00' } },
    when: 'NOT received',
    actions: [
      {
        kind: 'notify',
        to: 'salesperson',
        title: { zh: '{contract} 将于 {date} 收款 {amount} 元', en: '{contract}: {amount} due on {date}' },
        params: { contract: 'contract', date: 'dueDate', amount: 'amount' },
      },
    ],
  };

  async function notices() {
    const rows = await env.database.db
      .selectFrom('baton_db_outbox')
      .select(['payload', 'key'])
      .where('topic', '=', 'message.send')
      .orderBy('createdAt')
      .execute();
    return rows
      .map((row) => (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload))
      .filter((payload) => payload.kind === 'rule.con.collectionReminder')
      .map((payload) => payload.title.zh as string);
  }

  it('fire N days before the date, follow date changes, skip received and voided records, and fire once', async () => {
    env.clock.set(shanghai('2027-03-02T08:00:00'));
    const c = (contract: string, dueDate: string, extra: Record<string, unknown> = {}) =>
      createRecord(env.ctx, {
        pack: 'con',
        key: 'collection',
        values: { contract, dueDate, amount: 5_000_000, salesperson: env.m.staff1.id, received: false, ...extra },
      });
    // Written before the rule exists: armed when it is published (a date already past is not).
    const before = await c('HT-1', '2027-03-10');
    await c('HT-0', '2027-03-01');
    await publishRule(env.ctx, remind);
    const timers = await listTimers(env.ctx, { topic: 'rule.date' });
    expect(timers.map((timer) => [timer.key.split('#')[1], timer.dueAt])).toEqual([
      [before.id, shanghai('2027-03-07T09:00:00')],
    ]);

    const moved = await c('HT-2', '2027-03-12');
    const received = await c('HT-3', '2027-03-10');
    const voided = await c('HT-4', '2027-03-10');
    await updateRecord(env.ctx, {
      pack: 'con',
      key: 'collection',
      id: moved.id,
      version: 1,
      values: { dueDate: '2027-03-15' },
    });
    await updateRecord(env.ctx, {
      pack: 'con',
      key: 'collection',
      id: received.id,
      version: 1,
      values: { received: true },
    });
    await voidRecord(env.ctx, { pack: 'con', key: 'collection', id: voided.id, version: 1 });
    expect(
      (await listTimers(env.ctx, { topic: 'rule.date', state: 'pending' })).map((timer) => timer.dueAt).sort(),
    ).toEqual([shanghai('2027-03-07T09:00:00'), shanghai('2027-03-07T09:00:00'), shanghai('2027-03-12T09:00:00')]);

    env.clock.set(shanghai('2027-03-07T09:00:00'));
    await tick();
    await tick('worker-b');
    expect(await notices()).toEqual(['HT-1 将于 2027-03-10 收款 50,000.00 元']);
    env.clock.set(shanghai('2027-03-12T09:30:00'));
    await tick();
    await tick();
    expect(await notices()).toEqual([
      'HT-1 将于 2027-03-10 收款 50,000.00 元',
      'HT-2 将于 2027-03-15 收款 50,000.00 元',
    ]);

    // A date moved after its reminder fired re-arms it for the new date; a date moved into the past does not.
    const current = await getRecord(env.ctx, { pack: 'con', key: 'collection', id: before.id });
    await updateRecord(env.ctx, {
      pack: 'con',
      key: 'collection',
      id: before.id,
      version: current.version,
      values: { dueDate: '2027-03-20' },
    });
    env.clock.set(shanghai('2027-03-17T09:00:00'));
    await tick();
    expect((await notices()).at(-1)).toBe('HT-1 将于 2027-03-20 收款 50,000.00 元');
    expect(await notices()).toHaveLength(3);
  });
});
