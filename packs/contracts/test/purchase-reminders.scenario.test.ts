import { queuedNotices, runDueRules } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { who } from './purchase-helpers.ts';
import { openScenario, type Scenario } from './setup.ts';

// Payment-due reminders on the fake clock (the demo loads on 2026-11-30, 10:00 China time). Due lines of the demo:
// pc1's second instalment (¥60,200, due +45 days: 2027-01-14), pc2's second (¥180,000, due 2027-01-29), pc3's second
// and third (2027-02-28, 2027-05-29); pc3's first was due today, so its reminder day has passed and none is sent.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

describe('payment-due reminders', () => {
  it('tells the buyer at 09:00 three days before an unpaid instalment falls due, once', async () => {
    s.ctx.clock.set('2027-01-11T00:59:00.000Z');
    await runDueRules(s.ctx);
    expect(await queuedNotices(s.ctx, 'contracts.paymentDue')).toEqual([]);
    s.ctx.clock.set('2027-01-11T01:00:00.000Z');
    await runDueRules(s.ctx);
    await runDueRules(s.ctx);
    const notices = await queuedNotices(s.ctx, 'contracts.paymentDue');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipients: [await s.memberId(who.buyer)],
      title: {
        zh: '「外包测试服务 第 2 期」将于 2027-01-14 到期，未付 60,200.00 元',
        en: '"外包测试服务 第 2 期" falls due on 2027-01-14: 60,200.00 unpaid',
      },
    });
  });

  it('says nothing of a line paid before its day', async () => {
    // pc2's second instalment (due 2027-01-29) is paid in full on 2027-01-20.
    s.ctx.clock.set('2027-01-20T02:00:00.000Z');
    const finance = await s.as(who.financeHead);
    const [line] = await finance.list('purchasePaymentLedger', {
      filters: [
        { field: 'purchaseContractRef', op: 'eq', value: s.demo.refs.pc2 },
        { field: 'period', op: 'eq', value: 2 },
      ],
    });
    const accountant = await s.as(who.accountant);
    await accountant.update('purchasePaymentLedger', line?.id as string, line?.version as number, {
      paid: 'paid',
      paidAmount: 18_000_000,
    });
    s.ctx.clock.set('2027-01-26T01:00:00.000Z');
    await runDueRules(s.ctx);
    expect(await queuedNotices(s.ctx, 'contracts.paymentDue')).toHaveLength(1);
  });
});
