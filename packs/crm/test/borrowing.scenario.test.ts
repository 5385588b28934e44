import { isBatonError } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenario, type Scenario } from './setup.ts';

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  return 'OK';
}

const customer = (ref: string) => s.demo.refs[ref] as string;

describe('borrowing a customer archive (F09)', () => {
  it('a director files a request for another team’s customer; sales management approves it', async () => {
    const director = await s.as('head:华东销售部');
    // 天津滨海汽车 belongs to 大客户小组 (华北): out of the 华东 director's reach.
    expect(await code(director.get('customerArchive', customer('c04')))).toBe('FORM_RECORD_NOT_FOUND');

    const filed = await director.submit('customerArchiveGrant', {
      customerRef: customer('c04'),
      reason: '客户在上海开设分店，需了解历史合作。',
    });
    expect(filed).toMatchObject({ state: 'running', currentNodes: ['salesAdmin'] });
    const request = await director.get('customerArchiveGrant', filed.recordId);
    // Defaults: the applicant, their department, today, and 7 days of read access.
    expect(request.values).toMatchObject({
      applicant: director.memberId,
      applyDate: '2026-11-30',
      grantFrom: '2026-11-30',
      grantTo: '2026-12-07',
      grantLevel: 'read',
      customerRef: { id: customer('c04'), display: '天津滨海汽车销售有限公司' },
    });

    // Every holder of salesAdmin and archiveAdmin gets the task; the first to act decides (或签).
    const admins = await Promise.all(['head:销售管理部', 'staff:销售管理部:0', 'staff:档案室:0'].map((m) => s.as(m)));
    for (const admin of admins) {
      expect((await admin.pending()).filter((t) => t.instanceId === filed.instanceId)).toHaveLength(1);
    }
    const [decider, other, archivist] = admins as [typeof director, typeof director, typeof director];
    const task = (await decider.pending()).find((t) => t.instanceId === filed.instanceId);
    // The approver shortens the period while approving.
    const done = await decider.approve(task?.taskId as string, '同意借阅 5 天。', { grantTo: '2026-12-05' });
    expect(done.state).toBe('approved');
    for (const admin of [other, archivist]) {
      expect((await admin.pending()).filter((t) => t.instanceId === filed.instanceId)).toHaveLength(0);
    }
    const approved = await decider.get('customerArchiveGrant', filed.recordId);
    expect(approved.state).toBe('approved');
    expect(approved.values).toMatchObject({
      grantTo: '2026-12-05',
      opSalesAdmin: { text: '同意借阅 5 天。', memberId: decider.memberId },
    });
    // The pack's rule lent the customer: the director reads it now, but may not change it.
    const lent = await director.get('customerArchive', customer('c04'));
    expect(lent.values.companyName).toBe('天津滨海汽车销售有限公司');
    expect(await code(director.update('customerArchive', customer('c04'), lent.version, { leaderComment: 'x' }))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
    expect((await director.list('customerArchive')).map((r) => r.id)).toContain(customer('c04'));
  });

  it('a rejection ends the request and carries the reason back to the applicant', async () => {
    const salesperson = await s.as('staff:华东销售部:1');
    const filed = await salesperson.submit('customerArchiveGrant', {
      customerRef: customer('c05'),
      reason: '想了解华安金融的联系人。',
      grantTo: '2026-12-03',
    });
    const archivist = await s.as('staff:档案室:0');
    const task = (await archivist.pending()).find((t) => t.instanceId === filed.instanceId);
    expect((await archivist.reject(task?.taskId as string, '请先与华北销售部沟通。')).state).toBe('rejected');
    expect((await salesperson.get('customerArchiveGrant', filed.recordId)).state).toBe('rejected');
    const history = await salesperson.history(filed.instanceId);
    expect(history.actions.map((a) => [a.action, a.opinion])).toEqual([
      ['submit', null],
      ['reject', '请先与华北销售部沟通。'],
    ]);
    // No grant on a rejection.
    expect(await code(salesperson.get('customerArchive', customer('c05')))).toBe('FORM_RECORD_NOT_FOUND');
  });

  it('refuses a period that ends before it starts, and members without the right to file', async () => {
    const director = await s.as('head:华北销售部');
    expect(
      await code(
        director.submit('customerArchiveGrant', {
          customerRef: customer('c06'),
          reason: '联合活动',
          grantFrom: '2026-12-10',
          grantTo: '2026-12-01',
        }),
      ),
    ).toBe('FORM_VALIDATION_FAILED');
    const developer = await s.as('staff:研发一部:0');
    expect(await code(developer.submit('customerArchiveGrant', { customerRef: customer('c06'), reason: 'x' }))).toBe(
      'ACCESS_FORBIDDEN',
    );
  });
});

describe('service records (F11): the sales director reviews with edit rights', () => {
  it('a salesperson files a record linked to a customer; its director corrects it while approving', async () => {
    const salesperson = await s.as('staff:华北销售部:0');
    const filed = await salesperson.submit('customerServiceReview', {
      customerRef: customer('c05'),
      phase: 'aftersales',
      serviceType: ['repair'],
      serviceDone: '更换打印机',
      arrivedAt: '2026-11-30T09:00:00+08:00',
      leftAt: '2026-11-30T10:30:00+08:00',
      satisfaction: 'satisfied',
    });
    const record = await salesperson.get('customerServiceRecord', filed.recordId);
    // Picking the customer filled its address and contact; the serials were generated.
    expect(record.values).toMatchObject({
      customerAddress: '石家庄市长安区中山东路 58 号',
      contactName: '周敏',
      contactPhone: '137****6420',
      engineer: salesperson.memberId,
    });
    expect(record.values.serviceRegNo).toMatch(/^FW20261130\d{3}$/);
    expect(record.values.recordNo).toMatch(/^JL-2026-\d{5}$/);

    // The reviewer is the salesDirector nearest the salesperson's department: 华北's director.
    const director = await s.as('head:华北销售部');
    const task = (await director.pending()).find((t) => t.instanceId === filed.instanceId);
    expect(task?.nodeKey).toBe('directorReview');
    expect((await (await s.as('head:华东销售部')).pending()).some((t) => t.instanceId === filed.instanceId)).toBe(
      false,
    );
    const done = await director.approve(task?.taskId as string, '补充了服务内容。', {
      serviceDone: '更换打印机一台，测试打印正常。',
    });
    expect(done.state).toBe('approved');
    const reviewed = await director.get('customerServiceRecord', filed.recordId);
    expect(reviewed.values).toMatchObject({
      serviceDone: '更换打印机一台，测试打印正常。',
      opDirector: { text: '补充了服务内容。', memberId: director.memberId },
    });
    // Afterwards the director may still edit the team's records (P-62); another team's director cannot read it.
    const edited = await director.update('customerServiceRecord', filed.recordId, reviewed.version, {
      otherIssues: '建议下月复查。',
    });
    expect(edited.values.otherIssues).toBe('建议下月复查。');
    expect(await code((await s.as('head:华东销售部')).get('customerServiceRecord', filed.recordId))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
  });

  it('refuses a departure before the arrival', async () => {
    const salesperson = await s.as('staff:华北销售部:0');
    expect(
      await code(
        salesperson.submit('customerServiceReview', {
          customerRef: customer('c05'),
          arrivedAt: '2026-11-30T10:00:00+08:00',
          leftAt: '2026-11-30T09:00:00+08:00',
        }),
      ),
    ).toBe('FORM_VALIDATION_FAILED');
  });
});

describe('the grant ends at its expiry (fake clock)', () => {
  it('the 华东 director reads 天津滨海 until the end of 2026-12-05 (China time), not a millisecond longer', async () => {
    const director = await s.as('head:华东销售部');
    s.ctx.clock.set('2026-12-05T15:59:59.999Z'); // 23:59:59.999 in Shanghai
    expect(await code(director.get('customerArchive', customer('c04')))).toBe('OK');
    s.ctx.clock.set('2026-12-05T16:00:00.000Z');
    expect(await code(director.get('customerArchive', customer('c04')))).toBe('FORM_RECORD_NOT_FOUND');
    expect((await director.list('customerArchive')).map((r) => r.id)).not.toContain(customer('c04'));
    // The demo's grant of 北京星辰 (until 2026-12-07) still runs; it ends with its own last day.
    expect(await code(director.get('customerArchive', customer('c01')))).toBe('OK');
    s.ctx.clock.set('2026-12-07T16:00:00.000Z');
    expect(await code(director.get('customerArchive', customer('c01')))).toBe('FORM_RECORD_NOT_FOUND');
  });
});
