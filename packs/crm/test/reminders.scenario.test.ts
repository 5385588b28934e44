import { queuedNotices, runDueRules } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenario, type Scenario } from './setup.ts';

// The pack's timed rules on the fake clock (the demo loads on Monday 2026-11-30, 10:00 China time): the day-before
// reminder of an approved borrowing (demo g01 ends 2026-12-07; g02 is still pending, g03 was rejected) and the
// Monday reminder of opportunities without a follow-up for 30 days (demo o03: last follow-up 2026-10-16).

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

describe('CRM reminders', () => {
  it('tells the applicant of an approved borrowing at 09:00 the day before it ends, once', async () => {
    s.ctx.clock.set('2026-12-06T00:59:00.000Z');
    await runDueRules(s.ctx);
    expect(await queuedNotices(s.ctx, 'crm.grantExpiry')).toEqual([]);

    s.ctx.clock.set('2026-12-06T01:00:00.000Z');
    await runDueRules(s.ctx);
    await runDueRules(s.ctx);
    const notices = await queuedNotices(s.ctx, 'crm.grantExpiry');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipients: [await s.memberId('head:华东销售部')],
      title: {
        zh: '客户档案借阅将于 2026-12-07 到期',
        en: 'Your access to a customer archive ends on 2026-12-07',
      },
    });
  });

  it('brings open opportunities idle for more than 30 days to their sales manager on Monday morning, once', async () => {
    s.ctx.clock.set('2026-12-07T00:59:00.000Z');
    await runDueRules(s.ctx);
    expect(await queuedNotices(s.ctx, 'crm.staleOpportunity')).toEqual([]);

    s.ctx.clock.set('2026-12-07T01:00:00.000Z');
    await runDueRules(s.ctx);
    await runDueRules(s.ctx);
    // o01 (11 days), o02 (16), o06 (9), o07 (18) and o08 (entered 7 days ago) are fresh; o04 was won, o05 lost.
    const notices = await queuedNotices(s.ctx, 'crm.staleOpportunity');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipients: [await s.memberId('staff:大客户小组:0')],
      title: {
        zh: '商机「天津滨海汽车销售有限公司」已 52 天未跟进',
        en: 'No follow-up on "天津滨海汽车销售有限公司" for 52 days',
      },
    });
  });

  it('sales management hands the stale opportunity to another salesperson; visibility follows the owner', async () => {
    const o03 = s.demo.refs.o03 as string;
    const admin = await s.as('head:销售管理部');
    const before = await admin.get('opportunity', o03);
    const newOwner = await s.memberId('staff:北京销售一组:0');
    // A salesperson cannot even see someone else's opportunity, let alone hand it on.
    const other = await s.as('staff:北京销售一组:0');
    await expect(other.reassign('opportunity', o03, before.version, newOwner)).rejects.toMatchObject({
      code: 'FORM_RECORD_NOT_FOUND',
    });
    await admin.reassign('opportunity', o03, before.version, newOwner);
    expect((await other.get('opportunity', o03)).ownerId).toBe(newOwner);
    await expect((await s.as('staff:大客户小组:0')).get('opportunity', o03)).rejects.toMatchObject({
      code: 'FORM_RECORD_NOT_FOUND',
    });
  });
});
