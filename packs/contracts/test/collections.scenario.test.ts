import { queuedNotices, runDueRules } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAs, approvedContract, confirmedReceipt, contractValues, taskOf, who } from './helpers.ts';
import { code, openScenario, type Scenario } from './setup.ts';

// F14 collections: receipts recorded against plan lines (received amount and status per line, plan and archive
// totals), the over-receipt guard at filing and again at confirmation, reversals, and the reminders before and
// after each planned date on the fake clock (the scenario starts on Monday 2026-11-30, 10:00 China time).

let s: Scenario;
let contract: { recordId: string; contractNo: string };
beforeAll(async () => {
  s = await openScenario({ demo: false });
  const filed = await approvedContract(s, contractValues(['2026-12-15', '2027-03-15', '2027-06-30']));
  const request = await (await s.as(who.legal[0])).get('salesContract', filed.recordId);
  contract = { recordId: filed.recordId, contractNo: String(request.values.contractNo) };
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const receipt = (period: number, amount: number, receivedDate = '2026-11-30') => ({
  salesContract: contract.recordId,
  period,
  amount,
  receivedDate,
  method: 'transfer',
});

async function lines(contractNo = contract.contractNo) {
  const finance = await s.as(who.clerk);
  const rows = await finance.list('collectionInstalment', {
    filters: [{ field: 'contractNo', op: 'eq', value: contractNo }],
    sort: [{ field: 'period', dir: 'asc' }],
  });
  return rows.map((r) => [r.values.period, r.values.receivedAmount, r.values.status]);
}

async function totals(contractNo = contract.contractNo) {
  const finance = await s.as(who.clerk);
  const by = [{ field: 'contractNo', op: 'eq' as const, value: contractNo }];
  const [plan] = await finance.list('collectionPlan', { filters: by });
  const [archive] = await finance.list('contractArchive', { filters: by });
  return {
    received: plan?.values.receivedTotal,
    outstanding: plan?.values.outstandingTotal,
    status: plan?.values.executionStatus,
    settled: archive?.values.settledAmount,
  };
}

describe('receipts against the plan lines', () => {
  it('a confirmed receipt fills the line, the plan and the archive; a filed one counts for nothing yet', async () => {
    const clerk = await s.as(who.clerk);
    const filed = await clerk.submit('collectionReceipt', receipt(1, 1_000_000));
    const request = await clerk.get('collectionReceipt', filed.recordId);
    // Picking the contract filled its number and customer; the receipt got its number.
    expect(request.values).toMatchObject({
      contractNo: contract.contractNo,
      customerName: '河北华安金融服务有限公司',
      recordedBy: clerk.memberId,
    });
    expect(request.values.receiptNo).toMatch(/^HK-202611-\d{4}$/);
    expect(await lines()).toEqual([
      [1, 0, 'open'],
      [2, 0, 'open'],
      [3, 0, 'open'],
    ]);
    expect((await approveAs(s, who.clerkHead, filed.instanceId)).state).toBe('approved');
    expect(await lines()).toEqual([
      [1, 1_000_000, 'partial'],
      [2, 0, 'open'],
      [3, 0, 'open'],
    ]);
    expect(await totals()).toEqual({
      received: 1_000_000,
      outstanding: 9_000_000,
      status: 'inProgress',
      settled: 1_000_000,
    });
  });

  it('a second receipt completes the line and records the day it arrived', async () => {
    await confirmedReceipt(s, receipt(1, 2_000_000, '2026-12-01'));
    expect((await lines())[0]).toEqual([1, 3_000_000, 'received']);
    const finance = await s.as(who.clerk);
    const [line] = await finance.list('collectionInstalment', {
      filters: [
        { field: 'contractNo', op: 'eq', value: contract.contractNo },
        { field: 'period', op: 'eq', value: 1 },
      ],
    });
    expect(line?.values).toMatchObject({ lastReceivedDate: '2026-12-01', outstanding: 0 });
  });

  it('refuses more than a line still expects when it is filed; nothing is kept', async () => {
    const clerk = await s.as(who.clerk);
    const before = (await clerk.list('collectionReceipt')).length;
    let refusal: { code?: string; params?: Record<string, unknown> } = {};
    try {
      await clerk.submit('collectionReceipt', receipt(1, 1));
    } catch (error) {
      refusal = error as typeof refusal;
    }
    expect(refusal.code).toBe('RULE_GUARD_REFUSED');
    expect(refusal.params?.messageZh).toBe(
      `合同 ${contract.contractNo} 第 1 期计划 30,000.00 元、已收 30,000.00 元，不能再登记 0.01 元`,
    );
    expect(await code(clerk.submit('collectionReceipt', receipt(2, 5_000_001)))).toBe('RULE_GUARD_REFUSED');
    expect((await clerk.list('collectionReceipt')).length).toBe(before);
    expect(await lines()).toEqual([
      [1, 3_000_000, 'received'],
      [2, 0, 'open'],
      [3, 0, 'open'],
    ]);
  });

  it('two receipts that each fit but together pass the line: the second is refused at confirmation', async () => {
    const clerk = await s.as(who.clerk);
    const first = await clerk.submit('collectionReceipt', receipt(2, 3_000_000));
    const second = await clerk.submit('collectionReceipt', receipt(2, 3_000_000));
    await approveAs(s, who.clerkHead, first.instanceId);
    expect(await code(approveAs(s, who.clerkHead, second.instanceId))).toBe('RULE_GUARD_REFUSED');
    // The refused confirmation left the task pending and the figures as they were; the head rejects it.
    const head = await s.as(who.clerkHead);
    const task = await taskOf(head, second.instanceId);
    expect(task).toBeDefined();
    expect((await head.reject(task?.taskId as string, '重复登记。')).state).toBe('rejected');
    expect((await lines())[1]).toEqual([2, 3_000_000, 'partial']);
    expect(await totals()).toMatchObject({ received: 6_000_000, settled: 6_000_000 });
  });

  it('a withdrawn receipt counts for nothing', async () => {
    const clerk = await s.as(who.clerk);
    const filed = await clerk.submit('collectionReceipt', receipt(3, 1_000_000));
    expect((await clerk.withdraw(filed.instanceId)).state).toBe('withdrawn');
    expect((await lines())[2]).toEqual([3, 0, 'open']);
  });

  it('a reversal (negative amount) takes money back, never below nothing received', async () => {
    await confirmedReceipt(s, receipt(2, -500_000));
    expect((await lines())[1]).toEqual([2, 2_500_000, 'partial']);
    expect(await totals()).toMatchObject({ received: 5_500_000, settled: 5_500_000 });
    const clerk = await s.as(who.clerk);
    expect(await code(clerk.submit('collectionReceipt', receipt(3, -1)))).toBe('RULE_GUARD_REFUSED');
    expect(await code(clerk.submit('collectionReceipt', receipt(2, 0)))).toBe('FORM_VALIDATION_FAILED');
  });

  it('a line the contract does not have is refused', async () => {
    const clerk = await s.as(who.clerk);
    expect(await code(clerk.submit('collectionReceipt', receipt(9, 100)))).toBe('RULE_TARGET_NOT_FOUND');
  });

  it('when every line is received the plan is collected', async () => {
    await confirmedReceipt(s, receipt(2, 2_500_000));
    await confirmedReceipt(s, receipt(3, 2_000_000));
    expect(await lines()).toEqual([
      [1, 3_000_000, 'received'],
      [2, 5_000_000, 'received'],
      [3, 2_000_000, 'received'],
    ]);
    expect(await totals()).toEqual({ received: 10_000_000, outstanding: 0, status: 'collected', settled: 10_000_000 });
  });

  it('only finance records receipts', async () => {
    const salesperson = await s.as(who.salesNorth);
    expect(await code(salesperson.submit('collectionReceipt', receipt(1, 100)))).toBe('ACCESS_FORBIDDEN');
  });
});

describe('collection reminders (fake clock)', () => {
  let reminded: { contractNo: string; salesperson: string; clerk: string };
  const mine = async (kind: string) =>
    (await queuedNotices(s.ctx, kind)).filter((n) => n.title.zh.includes(reminded.contractNo));

  it('seven days before a planned date at 09:00, the salesperson and the finance contact hear of an open line', async () => {
    const clerkId = await s.memberId(who.clerk);
    const filed = await approvedContract(
      s,
      contractValues(['2026-12-10', '2026-12-20', '2027-01-31'], { collector: clerkId }),
    );
    const request = await (await s.as(who.legal[0])).get('salesContract', filed.recordId);
    reminded = {
      contractNo: String(request.values.contractNo),
      salesperson: await s.memberId(who.salesNorth),
      clerk: clerkId,
    };
    // The first line is paid in full before its reminder is due: it is never reminded.
    await confirmedReceipt(s, { salesContract: filed.recordId, period: 1, amount: 3_000_000 });

    s.ctx.clock.set('2026-12-03T01:00:00.000Z'); // 09:00 on 3 December: the first line's day (paid)
    await runDueRules(s.ctx);
    expect(await mine('contracts.collectionDue')).toEqual([]);

    s.ctx.clock.set('2026-12-13T00:59:00.000Z');
    await runDueRules(s.ctx);
    expect(await mine('contracts.collectionDue')).toEqual([]);
    s.ctx.clock.set('2026-12-13T01:00:00.000Z'); // 09:00 seven days before 20 December
    await runDueRules(s.ctx);
    await runDueRules(s.ctx);
    const due = await mine('contracts.collectionDue');
    expect(due).toHaveLength(1);
    expect(due[0]?.recipients.sort()).toEqual([reminded.salesperson, reminded.clerk].sort());
    expect(due[0]?.title).toEqual({
      zh: `合同 ${reminded.contractNo} 第 2 期应于 2026-12-20 回款 50,000.00 元`,
      en: `Contract ${reminded.contractNo}: instalment 2 of 50,000.00 is due on 2026-12-20`,
    });
  });

  it('the day after a planned date passed without the money, both hear it is overdue', async () => {
    s.ctx.clock.set('2026-12-21T00:59:00.000Z');
    await runDueRules(s.ctx);
    expect(await mine('contracts.collectionOverdue')).toEqual([]);
    s.ctx.clock.set('2026-12-21T01:00:00.000Z');
    await runDueRules(s.ctx);
    const overdue = await mine('contracts.collectionOverdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.title.zh).toBe(`合同 ${reminded.contractNo} 第 2 期回款已逾期，未收 50,000.00 元`);
  });

  it('finance moves a planned date: the reminder moves with it', async () => {
    const finance = await s.as(who.clerk);
    const [line] = await finance.list('collectionInstalment', {
      filters: [
        { field: 'contractNo', op: 'eq', value: reminded.contractNo },
        { field: 'period', op: 'eq', value: 3 },
      ],
    });
    await finance.update('collectionInstalment', line?.id as string, line?.version as number, {
      plannedDate: '2027-01-10',
    });
    s.ctx.clock.set('2027-01-03T01:00:00.000Z'); // seven days before the new date
    await runDueRules(s.ctx);
    const due = (await mine('contracts.collectionDue')).filter((n) => n.title.zh.includes('第 3 期'));
    expect(due).toHaveLength(1);
    expect(due[0]?.title.zh).toContain('2027-01-10');
    // Nothing more on the old date.
    s.ctx.clock.set('2027-01-24T01:00:00.000Z');
    await runDueRules(s.ctx);
    expect((await mine('contracts.collectionDue')).filter((n) => n.title.zh.includes('第 3 期'))).toHaveLength(1);
  });

  it('finance cannot record more on a line by editing it (the line’s own check)', async () => {
    const finance = await s.as(who.clerk);
    const [line] = await finance.list('collectionInstalment', {
      filters: [
        { field: 'contractNo', op: 'eq', value: reminded.contractNo },
        { field: 'period', op: 'eq', value: 2 },
      ],
    });
    expect(
      await code(
        finance.update('collectionInstalment', line?.id as string, line?.version as number, {
          receivedAmount: 5_000_001,
        }),
      ),
    ).toBe('FORM_VALIDATION_FAILED');
  });
});
