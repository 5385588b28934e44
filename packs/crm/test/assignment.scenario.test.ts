import { asMember, isBatonError, moveMember, type ReportResult } from '@baton/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenario, type Scenario } from './setup.ts';

// Opportunity visibility by assignee and leader level (P-60, P-64): besides the owner and the role scopes,
// the sales managers A/B and the regional manager named on an opportunity reach it (read and write), and the
// first three supervisors of the owner and of those named read it — worked out from the org as it is now.
// Supervisor chains of the demo organisation (org's head rule, with its overrides):
//   北京一组 #0/#1 → head 北京销售一组 → head 华北销售部 → head 销售中心
//   大客户小组 #0  → head 大客户小组 → head 北京销售一组 → head 华北销售部
//   华东 #n        → head 华东销售部 → head 销售中心 → 梁娟 (vice president)
//   head 华东销售部 (o04's regional manager) → head 销售中心 → 梁娟 → head 总裁办
//   研发一部 #0    → head 研发一部 → head 产品技术中心 → …

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const refId = (ref: string) => s.demo.refs[ref] as string;

async function seen(selector: string): Promise<string[]> {
  const byId = new Map(Object.entries(s.demo.refs).map(([ref, id]) => [id, ref]));
  const view = asMember(s.ctx, 'crm', await s.memberId(selector));
  return (await view.list('opportunity')).map((r) => byId.get(r.id) ?? `new:${r.id}`).sort();
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  return 'OK';
}

// Members with no CRM role but `everyone`'s create right (scopes own + assigned) and a place in a chain.
const supervisorMatrix: [string, string, string[]][] = [
  ['head of 北京销售一组: 1st supervisor of o01/o02, 2nd of o03', 'head:北京销售一组', ['o01', 'o02', 'o03']],
  ['head of 大客户小组: 1st supervisor of o03', 'head:大客户小组', ['o03']],
  ['head of 研发一部: 1st supervisor of the developer who entered o08', 'head:研发一部', ['o08']],
  ['head of 产品技术中心: 2nd supervisor of the same developer', 'head:产品技术中心', ['o08']],
  ['head of 总裁办: 3rd supervisor of o04’s regional manager', 'head:总裁办', ['o04']],
  ['head of 董事会: 4th level and beyond reach nothing', 'head:董事会', []],
  ['a salesperson of 华东 sees only their own', 'staff:华东销售部:1', ['o05']],
];

describe('opportunities reach assignees and their supervisors (SQL, from the current org)', () => {
  it.each(supervisorMatrix)('%s', async (_who, selector, expected) => {
    expect(await seen(selector)).toEqual(expected);
  });

  it('supervisors read; they do not change an opportunity they reach only as supervisors', async () => {
    const head = await s.as('head:北京销售一组');
    const o01 = await head.get('opportunity', refId('o01'));
    expect(o01.values.customerName).toBe('北京星辰化妆品有限公司');
    expect(await code(head.update('opportunity', o01.id, o01.version, { stage: 'won' }))).toBe('FORM_RECORD_NOT_FOUND');
  });

  it('sales manager B reads and follows up; their head reads; clearing B ends both', async () => {
    const admin = await s.as('staff:销售管理部:0');
    const east1 = await s.memberId('staff:华东销售部:1');
    let o02 = await admin.get('opportunity', refId('o02'));
    o02 = await admin.update('opportunity', o02.id, o02.version, { salesManagerB: east1 });
    expect(await seen('staff:华东销售部:1')).toEqual(['o02', 'o05']);
    // B appends a follow-up (the subtable is replaced as a whole).
    const b = await s.as('staff:华东销售部:1');
    const followUps = [
      ...(o02.values.followUps as Record<string, unknown>[]).map(({ id: _id, rowNo: _rowNo, ...row }) => row),
      { date: '2026-11-30', stage: 'proposal', note: '华东同事协助补充案例。', nextStep: '二次演示' },
    ];
    o02 = await b.update('opportunity', o02.id, o02.version, { followUps });
    expect(o02.values.followUps).toHaveLength(2);
    // B's head (华东销售部) now reads it, but may not change it: the director's write scope is his department.
    expect(await seen('head:华东销售部')).toEqual(['o02', 'o04', 'o05', 'o07']);
    const director = await s.as('head:华东销售部');
    expect(await code(director.update('opportunity', o02.id, o02.version, { stage: 'won' }))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
    await admin.update('opportunity', o02.id, o02.version, { salesManagerB: null });
    expect(await seen('staff:华东销售部:1')).toEqual(['o05']);
    expect(await seen('head:华东销售部')).toEqual(['o04', 'o05', 'o07']);
  });

  it('a transfer moves the reach at once: nothing about supervisors is copied into the record', async () => {
    const east = await s.memberId('head:华东销售部');
    const beijing1 = await s.memberId('staff:北京销售一组:1');
    const departmentOf = async (memberId: string) =>
      (
        await s.ctx.db
          .selectFrom('baton_org_member')
          .select('mainDepartmentId')
          .where('id', '=', memberId)
          .executeTakeFirstOrThrow()
      ).mainDepartmentId;
    const home = await departmentOf(beijing1);
    // 北京一组 #1 (owner and sales manager A of o02) moves to 华东销售部, and back.
    await moveMember(s.ctx, { memberId: beijing1, departmentId: await departmentOf(east) });
    expect(await seen('head:北京销售一组')).toEqual(['o01', 'o03']);
    expect(await seen('head:华东销售部')).toEqual(['o02', 'o04', 'o05', 'o07']);
    await moveMember(s.ctx, { memberId: beijing1, departmentId: home });
    expect(await seen('head:北京销售一组')).toEqual(['o01', 'o02', 'o03']);
    expect(await seen('head:华东销售部')).toEqual(['o04', 'o05', 'o07']);
  });

  it('reassignment hands sales manager A over with the ownership', async () => {
    const admin = await s.as('head:销售管理部');
    const o07 = await admin.get('opportunity', refId('o07'));
    const newOwner = await s.memberId('staff:华东销售部:0');
    await admin.reassign('opportunity', o07.id, o07.version, newOwner);
    const after = await admin.get('opportunity', o07.id);
    expect(after.ownerId).toBe(newOwner);
    expect(after.values.salesManagerA).toBe(newOwner);
    expect(await seen('staff:华东销售部:2')).toEqual([]);
    expect(await seen('staff:华东销售部:0')).toEqual(['o04', 'o07']);
  });

  it('reports count what the same scopes reach: the head of 北京销售一组’s funnel', async () => {
    const result: ReportResult = await (await s.as('head:北京销售一组')).report('opportunitiesByStage');
    const detail = Object.fromEntries(
      result.rows.filter((r) => r.kind === 'detail').map((r) => [String(r.keys.stage), r.values.opportunities]),
    );
    // o01 negotiation, o02 proposal, o03 qualified.
    expect(detail).toEqual({ negotiation: 1, proposal: 1, qualified: 1 });
    expect(result.rows.find((r) => r.kind === 'total')?.values.amount).toBe(38_000_000 + 12_000_000 + 30_000_000);
  });
});
