import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAs, approvedContract, confirmedReceipt, contractValues, taskOf, who } from './helpers.ts';
import { code, openScenario, type Scenario } from './setup.ts';

// F13 contract change on a sales contract: reviewed like the original (head of the handling department, then legal
// beside the sales director), every path (approve, each return, withdraw, reject), the guards (a finished contract,
// an amount below what was collected, an instalment below what it received), and what approval writes: the
// archive's new values with a change log of before and after that drills through to the request, and the
// collection plan's lines (changed, added, cancelled).

let s: Scenario;
let contract: { recordId: string; contractNo: string; archiveId: string };
beforeAll(async () => {
  s = await openScenario({ demo: false });
  const filed = await approvedContract(s, contractValues(['2026-12-15', '2027-03-15', '2027-06-30']));
  const legal = await s.as(who.legal[0]);
  const contractNo = String((await legal.get('salesContract', filed.recordId)).values.contractNo);
  const [archive] = await legal.list('contractArchive', {
    filters: [{ field: 'contractNo', op: 'eq', value: contractNo }],
  });
  contract = { recordId: filed.recordId, contractNo, archiveId: archive?.id as string };
  // The first instalment (¥30,000) is collected in full.
  await confirmedReceipt(s, { salesContract: filed.recordId, period: 1, amount: 3_000_000 });
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const terms = (...rows: [number, string][]) =>
  rows.map(([amount, dueDate], index) => ({
    item: `第${index + 1}期`,
    payer: '河北华安金融服务有限公司',
    amount,
    dueDate,
  }));

const change = (values: Record<string, unknown>) => ({
  contractRef: contract.archiveId,
  reason: '客户追加第四季度投放，延长服务期。',
  ...values,
});

async function archive() {
  return (await s.as(who.legal[0])).get('contractArchive', contract.archiveId);
}

async function lines() {
  const rows = await (await s.as(who.clerk)).list('collectionInstalment', {
    filters: [{ field: 'contractNo', op: 'eq', value: contract.contractNo }],
    sort: [{ field: 'period', dir: 'asc' }],
  });
  return rows.map((r) => [r.values.period, r.values.plannedDate, r.values.plannedAmount, r.values.status]);
}

/** Approves every review of a change: the head of the department, legal and the sales director. */
async function approveChange(instanceId: string) {
  await approveAs(s, who.directorNorth, instanceId, '同意变更。'); // head of 华北销售部 (handlerDept)
  await approveAs(s, who.legal[0], instanceId, '合规。');
  return approveAs(s, who.directorNorth, instanceId, '同意。'); // the sales director
}

describe('filing a change', () => {
  it('picking the contract fills what the archive holds now', async () => {
    const salesperson = await s.as(who.salesNorth);
    const filed = await salesperson.submit('contractChange', change({ changeScope: ['term'], termEnd: '2027-09-30' }));
    const request = await salesperson.get('contractChange', filed.recordId);
    expect(request.values).toMatchObject({
      contractKind: 'sales',
      contractStatus: 'inForce',
      contractCategory: 'salesService',
      contractNo: contract.contractNo,
      contractName: '品牌升级整合营销服务合同',
      direction: 'collection',
      currentCounterparty: '河北华安金融服务有限公司',
      currentAmount: 10_000_000,
      currentTermStart: '2026-12-15',
      currentTermEnd: '2027-06-30',
      handler: salesperson.memberId,
      fillDate: '2026-11-30',
    });
    expect(request.values.serialNo).toMatch(/^HTBG-2026-\d{4}$/);
    // Withdrawn before anyone acted: nothing changes.
    expect((await salesperson.withdraw(filed.instanceId)).state).toBe('withdrawn');
    expect((await archive()).values).toMatchObject({ termEnd: '2027-06-30', contractStatus: 'inForce' });
  });

  it('refuses a ticked change without its new value, and collection terms that miss the new amount', async () => {
    const salesperson = await s.as(who.salesNorth);
    expect(await code(salesperson.submit('contractChange', change({ changeScope: ['amount'] })))).toBe(
      'FORM_VALIDATION_FAILED',
    );
    expect(
      await code(
        salesperson.submit(
          'contractChange',
          change({
            changeScope: ['amount', 'collectionTerms'],
            amount: 12_000_000,
            collectionTerms: terms([3_000_000, '2026-12-15'], [5_000_000, '2027-03-15']),
          }),
        ),
      ),
    ).toBe('FORM_VALIDATION_FAILED');
  });

  it('refuses an amount below what was already collected, and a line below what it received', async () => {
    const salesperson = await s.as(who.salesNorth);
    let refusal: { code?: string; params?: Record<string, unknown> } = {};
    try {
      await salesperson.submit('contractChange', change({ changeScope: ['amount'], amount: 2_000_000 }));
    } catch (error) {
      refusal = error as typeof refusal;
    }
    expect(refusal).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: '变更后合同金额 20,000.00 元低于已收/已付金额 30,000.00 元' },
    });
    refusal = {};
    try {
      await salesperson.submit(
        'contractChange',
        change({
          changeScope: ['collectionTerms'],
          amount: 10_000_000,
          collectionTerms: terms([1_000_000, '2026-12-15'], [7_000_000, '2027-03-15'], [2_000_000, '2027-06-30']),
        }),
      );
    } catch (error) {
      refusal = error as typeof refusal;
    }
    expect(refusal).toMatchObject({
      code: 'RULE_GUARD_REFUSED',
      params: { messageZh: '第 1 期应收金额 10,000.00 元低于该期已收金额 30,000.00 元' },
    });
  });
});

describe('the review, like the original contract', () => {
  it('goes to the head of the handling department, then legal beside the sales director', async () => {
    const filed = await (await s.as(who.salesNorth)).submit(
      'contractChange',
      change({ changeScope: ['term'], termEnd: '2027-08-31' }),
    );
    expect(filed.currentNodes).toEqual(['handlerDept']);
    expect(await taskOf(await s.as(who.legal[0]), filed.instanceId)).toBeUndefined();
    const afterHead = await approveAs(s, who.directorNorth, filed.instanceId);
    expect(afterHead.currentNodes.filter((n) => n !== 'reviewed').sort()).toEqual(['legal', 'salesDirector']);
    // A purchase change would go to the purchasing director; this one does not.
    expect(await taskOf(await s.as('head:采购部'), filed.instanceId)).toBeUndefined();

    // Legal returns it; the handler resubmits and it goes round again.
    const legal = await s.as(who.legal[1]);
    const task = await taskOf(legal, filed.instanceId, 'legal');
    expect((await legal.returnTask(task?.taskId as string, 'initiator', '请上传变更后的合同文本。')).state).toBe(
      'draft',
    );
    expect(await taskOf(await s.as(who.directorNorth), filed.instanceId)).toBeUndefined();
    const again = await (await s.as(who.salesNorth)).resubmit(filed.instanceId, { revisionNotes: '已补充文本。' });
    expect(again.currentNodes).toEqual(['handlerDept']);
    // Legal rejects it this time: the archive keeps its term.
    await approveAs(s, who.directorNorth, again.instanceId);
    const legalTask = await taskOf(legal, filed.instanceId, 'legal');
    expect((await legal.reject(legalTask?.taskId as string, '延期理由不充分。')).state).toBe('rejected');
    expect((await archive()).values).toMatchObject({ termEnd: '2027-06-30', changeCount: 0 });
  });

  it('the head of the department returns it to the handler; once acted on, it cannot be withdrawn', async () => {
    const salesperson = await s.as(who.salesNorth);
    const filed = await salesperson.submit('contractChange', change({ changeScope: ['term'], termEnd: '2027-07-31' }));
    const head = await s.as(who.directorNorth);
    const task = await taskOf(head, filed.instanceId, 'handlerDept');
    expect((await head.returnTask(task?.taskId as string, 'initiator', '请写明延期原因。')).state).toBe('draft');
    const again = await salesperson.resubmit(filed.instanceId, { reason: '客户新店开业推迟一个月。' });
    expect(again.currentNodes).toEqual(['handlerDept']);
    await approveAs(s, who.directorNorth, filed.instanceId);
    expect(await code(salesperson.withdraw(filed.instanceId))).toMatch(/^FLOW_/);
    const legal = await s.as(who.legal[0]);
    const legalTask = await taskOf(legal, filed.instanceId, 'legal');
    expect((await legal.reject(legalTask?.taskId as string, '不同意延期。')).state).toBe('rejected');
    expect((await archive()).values).toMatchObject({ termEnd: '2027-06-30', changeCount: 0 });
  });

  it('the sales director returns it to the head of the department (an earlier node)', async () => {
    const filed = await (await s.as(who.salesNorth)).submit(
      'contractChange',
      change({ changeScope: ['otherClauses'], revisedText: '增加保密条款。' }),
    );
    await approveAs(s, who.directorNorth, filed.instanceId);
    await approveAs(s, who.legal[0], filed.instanceId);
    const director = await s.as(who.directorNorth);
    const task = await taskOf(director, filed.instanceId, 'salesDirector');
    const back = await director.returnTask(task?.taskId as string, 'handlerDept', '保密条款需部门重新确认。');
    expect(back).toMatchObject({ state: 'running', currentNodes: ['handlerDept'] });
    // The head of the department decides again, and ends it.
    const head = await s.as(who.directorNorth);
    const again = await taskOf(head, filed.instanceId, 'handlerDept');
    expect((await head.reject(again?.taskId as string, '暂不增加。')).state).toBe('rejected');
    expect((await archive()).values).toMatchObject({ contractStatus: 'inForce', changeCount: 0 });
  });
});

describe('an approved change', () => {
  it('updates the archive and logs before and after, with a drill-through to the request', async () => {
    const filed = await (await s.as(who.salesNorth)).submit(
      'contractChange',
      change({
        changeScope: ['amount', 'term', 'collectionTerms'],
        amount: 12_000_000,
        termEnd: '2027-09-30',
        // Line 2 moves, line 3 is unchanged, line 4 is new.
        collectionTerms: terms(
          [3_000_000, '2026-12-15'],
          [5_000_000, '2027-04-15'],
          [2_000_000, '2027-06-30'],
          [2_000_000, '2027-09-30'],
        ),
      }),
    );
    expect((await approveChange(filed.instanceId)).state).toBe('approved');
    const request = await (await s.as(who.salesNorth)).get('contractChange', filed.recordId);

    const now = await archive();
    expect(now.values).toMatchObject({
      contractAmount: 12_000_000,
      contractAmountUpper: '壹拾贰万元整',
      termStart: '2026-12-15',
      termEnd: '2027-09-30',
      counterpartyName: '河北华安金融服务有限公司',
      contractStatus: 'changed',
      changeCount: 1,
      lastChangeNo: request.values.serialNo,
      settledAmount: 3_000_000,
      outstandingAmount: 9_000_000,
    });
    const changes = await (await s.as(who.legal[0])).changes('contractArchive', contract.archiveId);
    expect(changes.map((c) => c.op)).toEqual(['update', 'insert']);
    expect(changes[0]).toMatchObject({
      before: { contractAmount: 10_000_000, termEnd: '2027-06-30', contractStatus: 'inForce', changeCount: 0 },
      after: { contractAmount: 12_000_000, termEnd: '2027-09-30', contractStatus: 'changed', changeCount: 1 },
      instance: { id: filed.instanceId, flow: 'contracts.contractChange', state: 'approved' },
      source: { key: 'contractChange', recordId: filed.recordId },
    });

    expect(await lines()).toEqual([
      [1, '2026-12-15', 3_000_000, 'received'],
      [2, '2027-04-15', 5_000_000, 'open'],
      [3, '2027-06-30', 2_000_000, 'open'],
      [4, '2027-09-30', 2_000_000, 'open'],
    ]);
    const [plan] = await (await s.as(who.clerk)).list('collectionPlan', {
      filters: [{ field: 'contractNo', op: 'eq', value: contract.contractNo }],
    });
    expect(plan?.values).toMatchObject({
      contractTotal: 12_000_000,
      plannedTotal: 12_000_000,
      receivedTotal: 3_000_000,
      outstandingTotal: 9_000_000,
    });
  });

  it('a second change renames the counterparty and cancels a line (a term of 0); the log grows', async () => {
    const filed = await (await s.as(who.salesNorth)).submit(
      'contractChange',
      change({
        changeScope: ['counterparty', 'amount', 'collectionTerms'],
        counterparties: [{ name: '河北华安金融控股有限公司' }],
        amount: 10_000_000,
        collectionTerms: terms(
          [3_000_000, '2026-12-15'],
          [5_000_000, '2027-04-15'],
          [2_000_000, '2027-06-30'],
          [0, '2027-09-30'],
        ),
      }),
    );
    expect((await approveChange(filed.instanceId)).state).toBe('approved');
    expect((await archive()).values).toMatchObject({
      counterpartyName: '河北华安金融控股有限公司',
      contractAmount: 10_000_000,
      changeCount: 2,
    });
    expect((await lines())[3]).toEqual([4, '2027-09-30', 0, 'cancelled']);
    const changes = await (await s.as(who.legal[0])).changes('contractArchive', contract.archiveId);
    expect(changes.map((c) => c.op)).toEqual(['update', 'update', 'insert']);
    expect(changes[0]).toMatchObject({
      before: { counterpartyName: '河北华安金融服务有限公司', contractAmount: 12_000_000 },
      after: { counterpartyName: '河北华安金融控股有限公司', contractAmount: 10_000_000 },
    });
    // A cancelled line takes no receipts.
    const clerk = await s.as(who.clerk);
    expect(
      await code(clerk.submit('collectionReceipt', { salesContract: contract.recordId, period: 4, amount: 100 })),
    ).toBe('RULE_GUARD_REFUSED');
  });

  it('the salesperson’s team reads the change log; another team does not reach the contract', async () => {
    expect(await code((await s.as('staff:华北销售部:1')).changes('contractArchive', contract.archiveId))).toBe('OK');
    expect(await code((await s.as(who.salesEast)).changes('contractArchive', contract.archiveId))).toMatch(
      /NOT_FOUND|FORBIDDEN/,
    );
  });
});
