import { approve, submit } from '@baton/flow';
import { createRecord, type FormDefinitionInput, getRecord, listRecords } from '@baton/form';
import { applyRules, listRuleRuns, MAX_RULE_DEPTH, publishRule } from '@baton/rule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, l, openEnv, publishForms, publishLine, rowsOf, taskOf } from './fixtures.ts';

let env: Env;

beforeAll(async () => {
  env = await openEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('startFlow', () => {
  const problem: FormDefinitionInput = {
    pack: 'it',
    key: 'problem',
    kind: 'flow',
    label: l('问题上报', 'Problem report'),
    fields: [
      { key: 'summary', label: l('问题', 'Problem'), type: 'text' },
      { key: 'needPurchase', label: l('需采购', 'Needs a purchase'), type: 'boolean' },
      { key: 'handler', label: l('处理人', 'Handler'), type: 'member' },
      { key: 'device', label: l('设备', 'Device'), type: 'text' },
      { key: 'quantity', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
    ],
  };
  const purchase: FormDefinitionInput = {
    pack: 'it',
    key: 'purchase',
    kind: 'flow',
    label: l('设备采购', 'Equipment purchase'),
    fields: [
      { key: 'item', label: l('物品', 'Item'), type: 'text', required: true },
      { key: 'quantity', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
      { key: 'problemId', label: l('来源问题', 'From problem'), type: 'text' },
    ],
  };

  it('an approved problem report files an equipment purchase for its handler, in the same transaction', async () => {
    await publishForms(env, problem, purchase);
    await publishLine(env, { pack: 'it', key: 'problemFlow' }, { pack: 'it', key: 'problem' }, [env.m.manager.id]);
    await publishLine(env, { pack: 'it', key: 'purchaseFlow' }, { pack: 'it', key: 'purchase' }, [env.m.cfo.id]);
    await publishRule(env.ctx, {
      pack: 'it',
      key: 'buyOnApproval',
      name: l('转采购', 'Start a purchase'),
      on: { flow: 'it.problemFlow', events: ['approved'] },
      when: 'needPurchase',
      actions: [
        {
          kind: 'startFlow',
          as: 'purchase',
          flow: 'it.purchaseFlow',
          initiator: 'handler',
          set: { item: 'device', quantity: 'quantity', problemId: '$record.id' },
          title: "CONCAT('采购：', device)",
        },
        // The request just started, handed on by name.
        {
          kind: 'callConnector',
          connector: 'it.tracker',
          body: { instance: '$actions.purchase.instanceId', record: '$actions.purchase.recordId' },
        },
      ],
    });
    const report = await submit(env.as(env.m.staff1.id), {
      flow: { pack: 'it', key: 'problemFlow' },
      values: { summary: '硬盘故障', needPurchase: true, handler: env.m.staff2.id, device: '硬盘 4TB', quantity: 2 },
    });
    await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, report.instanceId, env.m.manager.id) });
    const [run] = await listRuleRuns(env.ctx, { subjectId: report.instanceId });
    const childId = run?.effects[0]?.instanceId as string;
    const child = await env.database.db
      .selectFrom('baton_flow_instance')
      .selectAll()
      .where('id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(child).toMatchObject({
      flowKey: 'purchaseFlow',
      state: 'running',
      initiatorId: env.m.staff2.id,
      title: '采购：硬盘 4TB',
    });
    const record = await getRecord(env.ctx, { pack: 'it', key: 'purchase', id: child.recordId });
    expect(record.values).toMatchObject({ item: '硬盘 4TB', quantity: 2, problemId: report.recordId });
    expect(await taskOf(env, childId, env.m.cfo.id)).toBeTruthy();
    const tracked = await env.database.db
      .selectFrom('baton_db_outbox')
      .select('payload')
      .where('id', '=', run?.effects[1]?.outboxId as string)
      .executeTakeFirstOrThrow();
    const body = typeof tracked.payload === 'string' ? JSON.parse(tracked.payload) : tracked.payload;
    expect(body).toEqual({ connector: 'it.tracker', body: { instance: childId, record: child.recordId } });

    // The condition is false: nothing is started.
    const other = await submit(env.as(env.m.staff1.id), {
      flow: { pack: 'it', key: 'problemFlow' },
      values: { summary: '重启即可', needPurchase: false, handler: env.m.staff2.id },
    });
    await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, other.instanceId, env.m.manager.id) });
    expect(await listRuleRuns(env.ctx, { subjectId: other.instanceId })).toEqual([]);
  });
});

describe('grant', () => {
  const customer: FormDefinitionInput = {
    pack: 'crm',
    key: 'customer',
    kind: 'archive',
    label: l('客户档案', 'Customer archive'),
    fields: [{ key: 'name', label: l('客户名称', 'Name'), type: 'text', required: true }],
  };
  const borrow: FormDefinitionInput = {
    pack: 'crm',
    key: 'borrow',
    kind: 'flow',
    label: l('客户档案借阅', 'Archive borrowing'),
    fields: [
      {
        key: 'customerRef',
        label: l('客户', 'Customer'),
        type: 'reference',
        form: { pack: 'crm', key: 'customer' },
        display: 'name',
      },
      { key: 'reason', label: l('借阅原因', 'Reason'), type: 'text' },
      { key: 'grantTo', label: l('借阅至', 'Until'), type: 'date' },
    ],
  };

  it('an approved borrowing lets the applicant read the customer until the end of the day it names, then no more', async () => {
    await publishForms(env, customer, borrow);
    await publishLine(env, { pack: 'crm', key: 'borrowFlow' }, { pack: 'crm', key: 'borrow' }, [env.m.manager.id]);
    await publishRule(env.ctx, {
      pack: 'crm',
      key: 'lend',
      name: l('借阅授权', 'Lend the archive'),
      on: { flow: 'crm.borrowFlow', events: ['approved'] },
      actions: [
        {
          kind: 'grant',
          form: 'crm.customer',
          record: 'customerRef',
          member: '$initiator.memberId',
          until: 'grantTo',
          reason: 'reason',
        },
      ],
      compensate: { on: ['withdrawn'] },
    });
    const owned = await createRecord(
      env.ctx,
      { pack: 'crm', key: 'customer', values: { name: 'XX化妆品有限公司' } },
      { context: { memberId: env.m.staff2.id } },
    );
    const viewer = { memberId: env.m.staff1.id, scopes: ['own' as const], grants: true };
    const read = () => getRecord(env.ctx, { pack: 'crm', key: 'customer', id: owned.id }, { viewer });
    expect((await caught(read())).code).toBe('FORM_RECORD_NOT_FOUND');
    // 2026-11-30 09:00 China time; lent until the end of 2026-12-06.
    const { instanceId } = await submit(env.as(env.m.staff1.id), {
      flow: { pack: 'crm', key: 'borrowFlow' },
      values: { customerRef: owned.id, reason: '续约谈判', grantTo: '2026-12-06' },
    });
    await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, instanceId, env.m.manager.id) });
    expect((await read()).values).toMatchObject({ name: 'XX化妆品有限公司' });
    const grant = await env.database.db.selectFrom('baton_access_grant').selectAll().executeTakeFirstOrThrow();
    expect(grant).toMatchObject({
      memberId: env.m.staff1.id,
      resource: 'crm.customer',
      recordId: owned.id,
      grantedBy: 'system:rule:crm.lend',
      reason: '续约谈判',
    });
    expect(new Date(grant.expiresAt as string).toISOString()).toBe('2026-12-06T16:00:00.000Z');
    env.clock.set('2026-12-06T15:59:00.000Z');
    expect((await read()).id).toBe(owned.id);
    env.clock.set('2026-12-06T16:00:00.000Z');
    expect((await caught(read())).code).toBe('FORM_RECORD_NOT_FOUND');
    // Other members never saw it.
    const stranger = await caught(
      getRecord(
        env.ctx,
        { pack: 'crm', key: 'customer', id: owned.id },
        { viewer: { ...viewer, memberId: env.m.cfo.id } },
      ),
    );
    expect(stranger.code).toBe('FORM_RECORD_NOT_FOUND');
  });
});

describe('notify and callConnector', () => {
  const expense: FormDefinitionInput = {
    pack: 'fin',
    key: 'expense',
    kind: 'flow',
    label: l('报销单', 'Expense claim'),
    fields: [
      { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
      { key: 'cashier', label: l('出纳', 'Cashier'), type: 'member' },
    ],
  };

  it('queue a message.send and a connector.call in the outbox, delivered by the wiring after commit', async () => {
    await publishForms(env, expense);
    await publishLine(env, { pack: 'fin', key: 'expenseFlow' }, { pack: 'fin', key: 'expense' }, [env.m.manager.id]);
    await publishRule(env.ctx, {
      pack: 'fin',
      key: 'pay',
      name: l('付款', 'Pay'),
      on: { flow: 'fin.expenseFlow', events: ['approved'] },
      actions: [
        {
          kind: 'notify',
          to: 'cashier',
          title: { zh: '请付款 {amount} 元', en: 'Please pay {amount}' },
          params: { amount: 'amount' },
        },
        { kind: 'callConnector', connector: 'nc.voucher', body: { amount: 'amount', instance: '$event.instanceId' } },
      ],
    });
    const { instanceId } = await submit(env.as(env.m.staff1.id), {
      flow: { pack: 'fin', key: 'expenseFlow' },
      values: { amount: 9_645_300, cashier: env.m.cfo.id },
    });
    await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, instanceId, env.m.manager.id) });
    const [run] = await listRuleRuns(env.ctx, { subjectId: instanceId });
    const ids = run?.effects.map((effect) => effect.outboxId as string) ?? [];
    const rows = await env.database.db
      .selectFrom('baton_db_outbox')
      .selectAll()
      .where('id', 'in', ids)
      .orderBy('topic')
      .execute();
    expect(rows.map((row) => row.topic)).toEqual(['connector.call', 'message.send']);
    const payload = (row: (typeof rows)[number]) =>
      typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
    expect(payload(rows[0] as (typeof rows)[number])).toEqual({
      connector: 'nc.voucher',
      body: { amount: 9_645_300, instance: instanceId },
    });
    expect(payload(rows[1] as (typeof rows)[number])).toEqual({
      recipients: [env.m.cfo.id],
      kind: 'rule.fin.pay',
      title: { zh: '请付款 96,453.00 元', en: 'Please pay 96,453.00' },
      link: `/work/instances/${instanceId}`,
      dedupeKey: expect.stringMatching(/^rule:/),
    });
    expect(rows[1]?.key).toBe(`message.send:${payload(rows[1] as (typeof rows)[number]).dedupeKey}`);
  });
});

describe('record events, adjust with a floor, node events and cascades', () => {
  const stock: FormDefinitionInput = {
    pack: 'inv',
    key: 'stock',
    kind: 'archive',
    label: l('库存', 'Stock'),
    fields: [
      { key: 'sku', label: l('物料', 'SKU'), type: 'text', required: true },
      { key: 'quantity', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
    ],
    keys: [['sku']],
  };
  const issue: FormDefinitionInput = {
    pack: 'inv',
    key: 'issue',
    kind: 'archive',
    label: l('领用', 'Issue'),
    fields: [
      { key: 'sku', label: l('物料', 'SKU'), type: 'text', required: true },
      { key: 'quantity', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
    ],
  };

  it('an issue record takes stock; below the floor it is refused with its message and the record is not kept', async () => {
    await publishForms(env, stock, issue);
    await publishRule(env.ctx, {
      pack: 'inv',
      key: 'takeStock',
      name: l('出库', 'Take stock'),
      on: { form: 'inv.issue', events: ['created'] },
      actions: [
        {
          kind: 'adjust',
          form: 'inv.stock',
          match: { sku: 'sku' },
          field: 'quantity',
          by: '-quantity',
          floor: 0,
          message: { zh: '{sku} 库存仅剩 {left}', en: 'Only {left} of {sku} left' },
          params: { sku: 'sku', left: '$target.quantity' },
        },
      ],
      compensate: {},
    });
    await createRecord(env.ctx, { pack: 'inv', key: 'stock', values: { sku: 'DISK-4T', quantity: 5 } });
    const taken = await createRecord(env.ctx, { pack: 'inv', key: 'issue', values: { sku: 'DISK-4T', quantity: 3 } });
    const stockOf = async () => {
      const { records } = await listRecords(env.ctx, { pack: 'inv', key: 'stock' });
      return records[0]?.values.quantity;
    };
    expect(await stockOf()).toBe(2);
    const issues = await rowsOf(env, 'inv', 'issue');
    const refused = await caught(
      createRecord(env.ctx, { pack: 'inv', key: 'issue', values: { sku: 'DISK-4T', quantity: 3 } }),
    );
    expect(refused).toMatchObject({
      code: 'RULE_ADJUST_BELOW_FLOOR',
      zh: 'DISK-4T 库存仅剩 2',
      en: 'Only 2 of DISK-4T left',
    });
    expect(await rowsOf(env, 'inv', 'issue')).toEqual(issues);
    expect(await stockOf()).toBe(2);
    // Voiding the issue record compensates: the stock comes back.
    const { voidRecord } = await import('@baton/form');
    await voidRecord(env.ctx, { pack: 'inv', key: 'issue', id: taken.id, version: taken.version });
    expect(await stockOf()).toBe(5);
    const missing = await caught(
      createRecord(env.ctx, { pack: 'inv', key: 'issue', values: { sku: 'NONE', quantity: 1 } }),
    );
    expect(missing.code).toBe('RULE_TARGET_NOT_FOUND');
  });

  it('nodeEntered and nodeCompleted rules run for the nodes they name', async () => {
    const task: FormDefinitionInput = {
      pack: 'ops',
      key: 'ticket',
      kind: 'flow',
      label: l('工单', 'Ticket'),
      fields: [
        { key: 'summary', label: l('摘要', 'Summary'), type: 'text' },
        { key: 'trail', label: l('轨迹', 'Trail'), type: 'text' },
      ],
    };
    const log: FormDefinitionInput = {
      pack: 'ops',
      key: 'log',
      kind: 'archive',
      label: l('节点日志', 'Node log'),
      fields: [
        { key: 'node', label: l('节点', 'Node'), type: 'text' },
        { key: 'event', label: l('事件', 'Event'), type: 'text' },
        { key: 'ticket', label: l('工单', 'Ticket'), type: 'text' },
      ],
    };
    await publishForms(env, task, log);
    await publishLine(env, { pack: 'ops', key: 'ticketFlow' }, { pack: 'ops', key: 'ticket' }, [env.m.manager.id]);
    await publishRule(env.ctx, {
      pack: 'ops',
      key: 'trace',
      name: l('节点日志', 'Trace nodes'),
      on: { flow: 'ops.ticketFlow', events: ['nodeEntered', 'nodeCompleted'], nodes: ['approve'] },
      actions: [
        {
          kind: 'writeBack',
          form: 'ops.log',
          set: { node: '$event.nodeKey', event: '$event.type', ticket: '$record.id' },
        },
      ],
    });
    const { instanceId, recordId } = await submit(env.as(env.m.staff1.id), {
      flow: { pack: 'ops', key: 'ticketFlow' },
      values: { summary: '宕机' },
    });
    await approve(env.as(env.m.manager.id), { taskId: await taskOf(env, instanceId, env.m.manager.id) });
    const { records } = await listRecords(env.ctx, { pack: 'ops', key: 'log' });
    expect(records.map((record) => [record.values.node, record.values.event, record.values.ticket])).toEqual(
      expect.arrayContaining([
        ['approve', 'nodeEntered', recordId],
        ['approve', 'nodeCompleted', recordId],
      ]),
    );
    expect(records).toHaveLength(2);
  });

  it(`rules that set each other off stop at ${MAX_RULE_DEPTH} levels and roll back`, async () => {
    const ping: FormDefinitionInput = {
      pack: 'loop',
      key: 'ping',
      kind: 'archive',
      label: l('甲', 'Ping'),
      fields: [{ key: 'n', label: l('序号', 'N'), type: 'number', scale: 0 }],
    };
    const pong: FormDefinitionInput = { ...ping, key: 'pong', label: l('乙', 'Pong') };
    await publishForms(env, ping, pong);
    for (const [from, to] of [
      ['ping', 'pong'],
      ['pong', 'ping'],
    ] as const) {
      await publishRule(env.ctx, {
        pack: 'loop',
        key: `${from}To${to}`,
        name: l('循环', 'Loop'),
        on: { form: `loop.${from}`, events: ['created'] },
        actions: [{ kind: 'writeBack', form: `loop.${to}`, set: { n: 'n + 1' } }],
      });
    }
    const error = await caught(createRecord(env.ctx, { pack: 'loop', key: 'ping', values: { n: 0 } }));
    expect(error.code).toBe('RULE_CASCADE_TOO_DEEP');
    expect(await rowsOf(env, 'loop', 'ping')).toEqual([]);
    expect(await rowsOf(env, 'loop', 'pong')).toEqual([]);
  });

  it('ignores events rules do not listen to', async () => {
    const result = await applyRules(env.ctx, {
      flow: { type: 'taskCreated', instanceId: 'x', flow: 'ops.ticketFlow', at: new Date().toISOString() },
    });
    expect(result).toEqual({ applied: [], compensated: [] });
    const unpublished = await applyRules(env.ctx, {
      record: {
        type: 'created',
        pack: 'nobody',
        key: 'nothing',
        recordId: 'r',
        version: 1,
        at: '2026-12-01T00:00:00.000Z',
        actorId: 'system:test',
        flowInstanceId: null,
      },
    });
    expect(unpublished.applied).toEqual([]);
  });
});
