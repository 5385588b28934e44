import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAs, taskOf, who } from './helpers.ts';
import { openScenario, type Scenario } from './setup.ts';

// F16 = F13: the same change request on a purchase contract of the demo (the purchase half's ¥86,000 outsourced
// testing contract) goes to the purchasing director instead of the sales director, and updates the archive the same
// way, with its change log. The sales plan is not touched.

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 180_000);
afterAll(async () => {
  await s?.database.cleanup();
});

describe('a purchase contract change', () => {
  it('routes to the head of purchasing and legal beside the purchasing director, then updates the archive', async () => {
    const legal = await s.as(who.legal[0]);
    const [archive] = await legal.list('contractArchive', {
      filters: [
        { field: 'kind', op: 'eq', value: 'purchase' },
        { field: 'contractName', op: 'eq', value: '支付系统回归测试外包' },
      ],
    });
    expect(archive?.values.kind).toBe('purchase');
    const buyer = await s.as('staff:采购部:0');
    const filed = await buyer.submit('contractChange', {
      contractRef: archive?.id,
      reason: '测试范围增加移动端，服务期延长一个月。',
      changeScope: ['term'],
      termEnd: '2027-06-30',
    });
    const request = await buyer.get('contractChange', filed.recordId);
    expect(request.values).toMatchObject({ contractKind: 'purchase', direction: 'payment' });

    // The buyer's department head first (the head of 采购部).
    expect(filed.currentNodes).toEqual(['handlerDept']);
    await approveAs(s, 'head:采购部', filed.instanceId, '同意。');
    const head = await s.as('head:采购部');
    expect(await taskOf(head, filed.instanceId, 'purchasingDirector')).toBeDefined();
    expect(await taskOf(await s.as(who.directorNorth), filed.instanceId)).toBeUndefined();
    expect(await taskOf(await s.as('head:销售中心'), filed.instanceId)).toBeUndefined();
    await approveAs(s, who.legal[2], filed.instanceId, '合规。');
    const done = await approveAs(s, 'head:采购部', filed.instanceId, '同意延期。');
    expect(done.state).toBe('approved');

    const now = await legal.get('contractArchive', archive?.id as string);
    expect(now.values).toMatchObject({
      termEnd: '2027-06-30',
      contractStatus: 'changed',
      changeCount: (archive?.values.changeCount as number) + 1,
      contractAmount: archive?.values.contractAmount,
    });
    const [latest] = await legal.changes('contractArchive', archive?.id as string);
    expect(latest).toMatchObject({
      op: 'update',
      before: { termEnd: archive?.values.termEnd },
      after: { termEnd: '2027-06-30' },
      instance: { id: filed.instanceId, flow: 'contracts.contractChange' },
    });
    const history = await buyer.history(filed.instanceId);
    expect(history.actions.filter((a) => a.action === 'approve').map((a) => a.opinion)).toEqual([
      '同意。',
      '合规。',
      '同意延期。',
    ]);
  });
});
