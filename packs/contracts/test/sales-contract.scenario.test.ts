import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAs, approvedContract, contractValues, taskOf, who } from './helpers.ts';
import { code, openScenario, type Scenario } from './setup.ts';

// F12 sales contract approval: every path of the flow (both approve, each reviewer returning, withdraw, reject),
// the totals that must equal the contract amount, and what approval writes: the contract archive (with a
// change-log entry drilling through to the request) and the collection plan (F14) with a line per payment term.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario({ demo: false });
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const dates: [string, string, string] = ['2026-12-15', '2027-03-15', '2027-06-30'];

async function archiveOf(contractNo: string) {
  const legal = await s.as(who.legal[0]);
  return (await legal.list('contractArchive', { filters: [{ field: 'contractNo', op: 'eq', value: contractNo }] }))[0];
}

async function contractNoOf(recordId: string) {
  return String((await (await s.as(who.legal[0])).get('salesContract', recordId)).values.contractNo);
}

describe('filing an F12', () => {
  it('numbers it, writes the amount in words and totals the products and payment terms', async () => {
    const salesperson = await s.as(who.salesNorth);
    const filed = await salesperson.submit('salesContract', contractValues(dates));
    expect(filed).toMatchObject({ state: 'running' });
    expect(filed.currentNodes.sort()).toEqual(['legal', 'salesDirector']);
    const request = await salesperson.get('salesContract', filed.recordId);
    expect(request.values.contractNo).toMatch(/^XS-2026-\d{4}$/);
    expect(request.values).toMatchObject({
      contractAmountUpper: '壹拾万元整',
      productsTotal: 10_000_000,
      paymentTermsTotal: 10_000_000,
      salesperson: salesperson.memberId,
      signDate: '2026-11-30',
    });
    await salesperson.withdraw(filed.instanceId);
  });

  it('refuses products or payment terms that do not add up to the contract amount, naming each total', async () => {
    const salesperson = await s.as(who.salesNorth);
    const before = (await salesperson.list('salesContract')).length;
    const refused = async (values: Record<string, unknown>) => {
      try {
        await salesperson.submit('salesContract', values);
      } catch (error) {
        const fields = (error as { code: string; fields?: { path: unknown[] }[] }).fields ?? [];
        return { code: (error as { code: string }).code, paths: fields.map((f) => f.path.join('.')).sort() };
      }
      return { code: 'OK', paths: [] };
    };
    const shortProducts = contractValues(dates, { products: [{ name: '品牌策划', amount: 4_000_000 }] });
    expect(await refused(shortProducts)).toEqual({ code: 'FORM_VALIDATION_FAILED', paths: ['productsTotal'] });
    const terms = contractValues(dates).paymentTerms.slice(0, 2);
    expect(await refused(contractValues(dates, { paymentTerms: terms }))).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['paymentTermsTotal'],
    });
    expect(await refused(contractValues(dates, { contractAmount: 12_000_000 }))).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['paymentTermsTotal', 'productsTotal'],
    });
    // Nothing was filed.
    expect((await salesperson.list('salesContract')).length).toBe(before);
  });

  it('is refused to members who are not salespeople', async () => {
    const developer = await s.as('staff:研发一部:0');
    expect(await code(developer.submit('salesContract', contractValues(dates)))).toBe('ACCESS_FORBIDDEN');
  });
});

describe('the review', () => {
  it('goes to every legal staff member (the first decides) and to the salesperson’s own sales director', async () => {
    const filed = await (await s.as(who.salesNorth)).submit('salesContract', contractValues(dates));
    for (const selector of who.legal)
      expect(await taskOf(await s.as(selector), filed.instanceId, 'legal')).toBeDefined();
    expect(await taskOf(await s.as(who.directorNorth), filed.instanceId, 'salesDirector')).toBeDefined();
    expect(await taskOf(await s.as(who.directorEast), filed.instanceId)).toBeUndefined();

    // Legal approves first: the other legal tasks close, the contract waits for the director.
    const afterLegal = await approveAs(s, who.legal[1], filed.instanceId, '条款合规。');
    // The join waits for the director's branch.
    expect(afterLegal.state).toBe('running');
    expect(afterLegal.currentNodes.filter((n) => n !== 'reviewed')).toEqual(['salesDirector']);
    expect(await taskOf(await s.as(who.legal[0]), filed.instanceId)).toBeUndefined();
    // Nothing is archived before both approve.
    const contractNo = await contractNoOf(filed.recordId);
    expect(await archiveOf(contractNo)).toBeUndefined();

    const done = await approveAs(s, who.directorNorth, filed.instanceId, '同意签订。');
    expect(done.state).toBe('approved');
    const request = await (await s.as(who.salesNorth)).get('salesContract', filed.recordId);
    expect(request.values).toMatchObject({
      opLegal: { text: '条款合规。' },
      opSalesDirector: { text: '同意签订。' },
    });
  });

  it('the director approves first just as well (parallel review)', async () => {
    const filed = await (await s.as(who.salesNorth)).submit('salesContract', contractValues(dates));
    const afterDirector = await approveAs(s, who.directorNorth, filed.instanceId);
    expect(afterDirector.currentNodes.filter((n) => n !== 'reviewed')).toEqual(['legal']);
    expect((await approveAs(s, who.legal[2], filed.instanceId)).state).toBe('approved');
  });

  it('legal returns it for rework; the salesperson corrects and resubmits, and both review again', async () => {
    const salesperson = await s.as(who.salesNorth);
    const filed = await salesperson.submit('salesContract', contractValues(dates));
    await approveAs(s, who.directorNorth, filed.instanceId);
    const legal = await s.as(who.legal[0]);
    const task = await taskOf(legal, filed.instanceId, 'legal');
    const returned = await legal.returnTask(task?.taskId as string, 'initiator', '违约条款缺失，请补充。');
    expect(returned.state).toBe('draft');
    expect(await taskOf(await s.as(who.directorNorth), filed.instanceId)).toBeUndefined();
    expect(await archiveOf(await contractNoOf(filed.recordId))).toBeUndefined();

    const again = await salesperson.resubmit(filed.instanceId, {
      contractName: '品牌升级整合营销服务合同（含违约条款）',
    });
    expect(again.state).toBe('running');
    expect(again.currentNodes.sort()).toEqual(['legal', 'salesDirector']);
    await approveAs(s, who.legal[0], filed.instanceId);
    expect((await approveAs(s, who.directorNorth, filed.instanceId)).state).toBe('approved');
    const archive = await archiveOf(await contractNoOf(filed.recordId));
    expect(archive?.values.contractName).toBe('品牌升级整合营销服务合同（含违约条款）');
    const history = await salesperson.history(filed.instanceId);
    expect(history.actions.map((a) => a.action)).toEqual([
      'submit',
      'approve',
      'return',
      'submit',
      'approve',
      'approve',
    ]);
  });

  it('the sales director returns it for rework while legal has not decided yet', async () => {
    const salesperson = await s.as(who.salesNorth);
    const filed = await salesperson.submit('salesContract', contractValues(dates));
    const director = await s.as(who.directorNorth);
    const task = await taskOf(director, filed.instanceId, 'salesDirector');
    expect((await director.returnTask(task?.taskId as string, 'initiator', '折扣过大。')).state).toBe('draft');
    for (const selector of who.legal) expect(await taskOf(await s.as(selector), filed.instanceId)).toBeUndefined();
    const again = await salesperson.resubmit(filed.instanceId, { discount: 9.5 });
    expect(again.currentNodes.sort()).toEqual(['legal', 'salesDirector']);
    await approveAs(s, who.directorNorth, filed.instanceId);
    expect((await approveAs(s, who.legal[1], filed.instanceId)).state).toBe('approved');
  });

  it('the salesperson withdraws it before anyone acted, not after', async () => {
    const salesperson = await s.as(who.salesNorth);
    const first = await salesperson.submit('salesContract', contractValues(dates));
    expect((await salesperson.withdraw(first.instanceId)).state).toBe('withdrawn');
    for (const selector of [...who.legal, who.directorNorth]) {
      expect(await taskOf(await s.as(selector), first.instanceId)).toBeUndefined();
    }
    expect(await archiveOf(await contractNoOf(first.recordId))).toBeUndefined();

    const second = await salesperson.submit('salesContract', contractValues(dates));
    await approveAs(s, who.legal[0], second.instanceId);
    expect(await code(salesperson.withdraw(second.instanceId))).toMatch(/^FLOW_/);
  });

  it('a rejection ends the request: nothing is archived, no plan is made', async () => {
    const filed = await (await s.as(who.salesNorth)).submit('salesContract', contractValues(dates));
    await approveAs(s, who.legal[0], filed.instanceId);
    const director = await s.as(who.directorNorth);
    const task = await taskOf(director, filed.instanceId);
    expect((await director.reject(task?.taskId as string, '价格低于底线。')).state).toBe('rejected');
    const contractNo = await contractNoOf(filed.recordId);
    expect(await archiveOf(contractNo)).toBeUndefined();
    const finance = await s.as(who.clerk);
    expect(
      await finance.list('collectionPlan', { filters: [{ field: 'contractNo', op: 'eq', value: contractNo }] }),
    ).toEqual([]);
  });
});

describe('approval writes the archive and the collection plan', () => {
  it('one archive record, one plan linked to it, one instalment per payment term', async () => {
    const filed = await approvedContract(s, contractValues(dates));
    const contractNo = await contractNoOf(filed.recordId);
    const salesperson = await s.as(who.salesNorth);

    const archive = await archiveOf(contractNo);
    expect(archive?.values).toMatchObject({
      kind: 'sales',
      contractNo,
      contractName: '品牌升级整合营销服务合同',
      contractCategory: 'salesService',
      contractStatus: 'inForce',
      counterpartyName: '河北华安金融服务有限公司',
      counterpartyCode: 'KH-2026-0005',
      handler: salesperson.memberId,
      signDate: '2026-11-30',
      contractAmount: 10_000_000,
      contractAmountUpper: '壹拾万元整',
      direction: 'collection',
      settledAmount: 0,
      outstandingAmount: 10_000_000,
      termStart: '2026-12-15',
      termEnd: '2027-06-30',
      productSummary: '品牌策划、媒介投放',
      productType: 'marketing',
      changeCount: 0,
      salesContract: { id: filed.recordId, display: contractNo },
    });
    // The archive record belongs to the salesperson: their department reads it, another team does not.
    expect(archive?.ownerId).toBe(salesperson.memberId);
    expect(await code((await s.as('staff:华北销售部:1')).get('contractArchive', archive?.id as string))).toBe('OK');
    expect(await code((await s.as(who.salesEast)).get('contractArchive', archive?.id as string))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
    // Its history starts with the approval, which drills through to the request.
    const changes = await (await s.as(who.legal[0])).changes('contractArchive', archive?.id as string);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      op: 'insert',
      before: null,
      instance: { id: filed.instanceId, flow: 'contracts.salesContract', state: 'approved' },
      source: { pack: 'contracts', key: 'salesContract', recordId: filed.recordId },
    });
    expect(changes[0]?.after).toMatchObject({ contractNo, contractAmount: 10_000_000 });

    const finance = await s.as(who.clerk);
    const plans = await finance.list('collectionPlan', {
      filters: [{ field: 'contractNo', op: 'eq', value: contractNo }],
    });
    expect(plans).toHaveLength(1);
    expect(plans[0]?.values).toMatchObject({
      contractRef: { id: archive?.id, display: '品牌升级整合营销服务合同' },
      salesContract: { id: filed.recordId },
      executionStatus: 'inProgress',
      contractType: 'salesService',
      customerName: '河北华安金融服务有限公司',
      signer: salesperson.memberId,
      contractTotal: 10_000_000,
      grossProfit: 2_500_000,
      grossMargin: 25,
      plannedTotal: 10_000_000,
      receivedTotal: 0,
      outstandingTotal: 10_000_000,
    });
    const lines = await finance.list('collectionInstalment', {
      filters: [{ field: 'contractNo', op: 'eq', value: contractNo }],
      sort: [{ field: 'period', dir: 'asc' }],
    });
    expect(
      lines.map((r) => [
        r.values.period,
        r.values.milestone,
        r.values.plannedDate,
        r.values.plannedAmount,
        r.values.status,
      ]),
    ).toEqual([
      [1, '首付款', '2026-12-15', 3_000_000, 'open'],
      [2, '中期款', '2027-03-15', 5_000_000, 'open'],
      [3, '尾款', '2027-06-30', 2_000_000, 'open'],
    ]);
    expect(lines[0]?.values).toMatchObject({
      title: `${contractNo} 河北华安金融服务有限公司 第1期 首付款`,
      condition: '签订后 5 日内',
      receivedAmount: 0,
      outstanding: 3_000_000,
      salesperson: salesperson.memberId,
    });
    expect(lines[2]?.values.method).toBe('cheque');
  });
});
