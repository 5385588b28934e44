import { approve, submit, withdraw } from '@baton/flow';
import { createRecord, type FormDefinitionInput, getRecord } from '@baton/form';
import { publishRule } from '@baton/rule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, l, openEnv, publishForms, publishLine, rowsOf, taskOf } from './fixtures.ts';

// P-55 (F34/F35): a purchase payment picks rows of the payment base table; a row already paid, or already in a
// running payment request, cannot be paid again. Submitting marks the rows, approval pays them, withdrawal frees them.

const paymentLedger: FormDefinitionInput = {
  pack: 'pay',
  key: 'ledger',
  kind: 'archive',
  label: l('采购付款情况底表', 'Purchase payment base table'),
  fields: [
    { key: 'assetName', label: l('资产名称', 'Asset'), type: 'text', required: true },
    { key: 'localAmount', label: l('本币金额', 'Amount'), type: 'money' },
    {
      key: 'paid',
      label: l('是否付款', 'Paid'),
      type: 'select',
      options: [
        { code: 'unpaid', label: l('未付款', 'Unpaid') },
        { code: 'paid', label: l('已付款', 'Paid') },
      ],
    },
    { key: 'paymentRef', label: l('付款申请', 'Payment request'), type: 'text' },
  ],
};

const payment: FormDefinitionInput = {
  pack: 'pay',
  key: 'payment',
  kind: 'flow',
  label: l('采购付款申请单', 'Purchase payment request'),
  fields: [{ key: 'reason', label: l('申请事由', 'Reason'), type: 'text' }],
  subtables: [
    {
      key: 'items',
      label: l('明细', 'Items'),
      columns: [
        {
          key: 'ledgerRowRef',
          label: l('来源行', 'Source row'),
          type: 'reference',
          form: { pack: 'pay', key: 'ledger' },
          display: 'assetName',
        },
        { key: 'localAmount', label: l('本币金额', 'Amount'), type: 'money' },
      ],
    },
  ],
};

let env: Env;
const flow = { pack: 'pay', key: 'paymentFlow' };
const rows: string[] = [];

beforeAll(async () => {
  env = await openEnv();
  await publishForms(env, paymentLedger, payment);
  await publishLine(env, flow, { pack: 'pay', key: 'payment' }, [env.m.cfo.id]);
  await publishRule(env.ctx, {
    pack: 'pay',
    key: 'noDoublePayment',
    name: l('防重复付款', 'No double payment'),
    on: { flow: 'pay.paymentFlow', events: ['submitted'] },
    actions: [
      {
        kind: 'guard',
        forEachRow: 'items',
        lookup: { form: 'pay.ledger', match: { id: 'ledgerRowRef' } },
        refuseWhen: "$target.paid = 'paid' OR NOT ISBLANK($target.paymentRef)",
        message: {
          zh: '第 {row} 行「{asset}」已付款或正在付款中，不能重复付款',
          en: 'Row {row} ({asset}) is paid or in a running payment request already',
        },
        params: { row: '$row', asset: '$target.assetName' },
      },
      {
        kind: 'writeBack',
        forEachRow: 'items',
        form: 'pay.ledger',
        mode: 'update',
        match: { id: 'ledgerRowRef' },
        set: { paymentRef: '$event.instanceId' },
      },
    ],
    compensate: { on: ['withdrawn', 'terminated', 'rejected', 'returnedToInitiator'] },
  });
  await publishRule(env.ctx, {
    pack: 'pay',
    key: 'markPaid',
    name: l('回写已付款', 'Mark paid'),
    on: { flow: 'pay.paymentFlow', events: ['approved'] },
    actions: [
      {
        kind: 'writeBack',
        forEachRow: 'items',
        form: 'pay.ledger',
        mode: 'update',
        match: { id: 'ledgerRowRef' },
        set: { paid: "'paid'" },
      },
    ],
  });
  for (const [assetName, localAmount] of [
    ['键盘', 335_000],
    ['笔记本', 750_000],
    ['鼠标', 8_700],
  ] as const) {
    const row = await createRecord(env.ctx, {
      pack: 'pay',
      key: 'ledger',
      values: { assetName, localAmount, paid: 'unpaid' },
    });
    rows.push(row.id);
  }
});
afterAll(async () => {
  await env?.close();
});

const pay = (...picked: number[]) =>
  submit(env.as(env.m.staff1.id), {
    flow,
    values: { reason: '付款', items: picked.map((i) => ({ ledgerRowRef: rows[i], localAmount: 1 })) },
  });

async function ledgerRow(i: number) {
  const record = await getRecord(env.ctx, { pack: 'pay', key: 'ledger', id: rows[i] as string });
  return { paid: record.values.paid, paymentRef: record.values.paymentRef };
}

describe('no double payment', () => {
  it('a row in a running request or already paid is refused, naming the row; withdrawal frees it', async () => {
    const first = await pay(0, 1);
    expect(await ledgerRow(1)).toEqual({ paid: 'unpaid', paymentRef: first.instanceId });
    const snapshot = await rowsOf(env, 'pay', 'ledger');
    env.clock.advance(60_000);
    const refused = await caught(pay(2, 1));
    expect(refused).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      zh: '第 2 行「笔记本」已付款或正在付款中，不能重复付款',
      paths: ['items.1'],
    });
    expect(await rowsOf(env, 'pay', 'ledger')).toEqual(snapshot);
    env.clock.advance(60_000);
    await withdraw(env.as(env.m.staff1.id), { instanceId: first.instanceId });
    expect(await ledgerRow(1)).toEqual({ paid: 'unpaid', paymentRef: null });
    env.clock.advance(60_000);
    const second = await pay(2, 1);
    await approve(env.as(env.m.cfo.id), { taskId: await taskOf(env, second.instanceId, env.m.cfo.id) });
    expect(await ledgerRow(1)).toEqual({ paid: 'paid', paymentRef: second.instanceId });
    expect(await ledgerRow(0)).toEqual({ paid: 'unpaid', paymentRef: null });
    env.clock.advance(60_000);
    const again = await caught(pay(1));
    expect(again).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      en: 'Row 1 (笔记本) is paid or in a running payment request already',
    });
  });
});
