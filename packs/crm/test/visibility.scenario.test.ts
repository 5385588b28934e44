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

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

/** Demo refs of the records of `form` a member sees, sorted. */
async function visible(selector: string, form: string): Promise<string[]> {
  const byId = new Map(Object.entries(s.demo.refs).map(([ref, id]) => [id, ref]));
  const view = await s.as(selector);
  return (await view.list(form)).map((r) => byId.get(r.id) ?? `new:${r.id}`).sort();
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

// Member × record matrices over the demo data (demo/*.ts). Each row: who, and exactly the records they see.
const customerMatrix: [string, string, string[]][] = [
  ['salesperson 北京一组 #0', 'staff:北京销售一组:0', ['c01', 'c02']],
  ['salesperson 北京一组 #1', 'staff:北京销售一组:1', ['c03']],
  ['salesperson 大客户小组', 'staff:大客户小组:0', ['c04']],
  ['salesperson 华北', 'staff:华北销售部:0', ['c05']],
  ['salesperson 华东 #0', 'staff:华东销售部:0', ['c06', 'c07']],
  ['salesperson 华东 #1', 'staff:华东销售部:1', ['c08']],
  ['salesperson 川渝', 'staff:川渝销售组:0', ['c10']],
  ['head of 北京一组, no CRM role', 'head:北京销售一组', []],
  ['sales director 华北 (department and below)', 'head:华北销售部', range('c', 1, 5)],
  // …plus 北京星辰 (c01), lent for 7 days by the demo's approved borrowing request g01.
  ['sales director 华东 (with one borrowed customer)', 'head:华东销售部', ['c01', ...range('c', 6, 9)]],
  ['sales director 销售中心 (the whole HQ sales tree)', 'head:销售中心', [...range('c', 1, 9), 'c12']],
  ['sales director 成都分公司', 'head:销售部', ['c10', 'c11']],
  ['销售管理部 head', 'head:销售管理部', range('c', 1, 12)],
  ['销售管理部 staff', 'staff:销售管理部:0', range('c', 1, 12)],
  ['archive administrator (only through a grant)', 'staff:档案室:0', []],
  ['developer', 'staff:研发一部:0', []],
  ['accountant', 'staff:会计核算部:0', []],
];

const opportunityMatrix: [string, string, string[]][] = [
  ['salesperson 北京一组 #0', 'staff:北京销售一组:0', ['o01']],
  ['salesperson 大客户小组', 'staff:大客户小组:0', ['o03']],
  ['salesperson 华东 #2', 'staff:华东销售部:2', ['o07']],
  ['developer who entered a lead', 'staff:研发一部:0', ['o08']],
  ['accountant (may enter, sees only own)', 'staff:会计核算部:0', []],
  ['sales director 华北', 'head:华北销售部', ['o01', 'o02', 'o03']],
  ['sales director 华东', 'head:华东销售部', ['o04', 'o05', 'o07']],
  ['sales director 销售中心', 'head:销售中心', ['o01', 'o02', 'o03', 'o04', 'o05', 'o07']],
  ['sales director 成都分公司', 'head:销售部', ['o06']],
  ['销售管理部', 'staff:销售管理部:0', range('o', 1, 8)],
  ['archive administrator', 'staff:档案室:0', []],
];

const serviceMatrix: [string, string, string[]][] = [
  ['salesperson 北京一组 #0', 'staff:北京销售一组:0', ['s01']],
  ['salesperson 北京一组 #1', 'staff:北京销售一组:1', []],
  ['salesperson 大客户小组', 'staff:大客户小组:0', ['s02']],
  ['sales director 华北', 'head:华北销售部', ['s01', 's02']],
  ['sales director 华东', 'head:华东销售部', ['s03']],
  ['sales director 销售中心', 'head:销售中心', ['s01', 's02', 's03']],
  ['sales director 成都分公司', 'head:销售部', ['s04']],
  ['销售管理部', 'head:销售管理部', ['s01', 's02', 's03', 's04']],
  ['archive administrator', 'staff:档案室:0', []],
];

const borrowingMatrix: [string, string, string[]][] = [
  ['sales director 华东 (filed g01; g03 is from the team)', 'head:华东销售部', ['g01', 'g03']],
  ['sales director 华北', 'head:华北销售部', ['g02']],
  ['salesperson 华东 #1 (filed g03)', 'staff:华东销售部:1', ['g03']],
  ['salesperson 北京一组 #0', 'staff:北京销售一组:0', []],
  ['销售管理部', 'staff:销售管理部:0', ['g01', 'g02', 'g03']],
  ['archive administrator', 'staff:档案室:0', ['g01', 'g02', 'g03']],
  ['developer', 'staff:研发一部:0', []],
];

describe('CRM visibility: record scopes through the access engine, in SQL', () => {
  it.each(customerMatrix)('customer archive: %s', async (_who, selector, expected) => {
    expect(await visible(selector, 'customerArchive')).toEqual(expected);
  });
  it.each(opportunityMatrix)('opportunities: %s', async (_who, selector, expected) => {
    expect(await visible(selector, 'opportunity')).toEqual(expected);
  });
  it.each(serviceMatrix)('service records: %s', async (_who, selector, expected) => {
    expect(await visible(selector, 'customerServiceRecord')).toEqual(expected);
  });
  it.each(borrowingMatrix)('borrowing requests: %s', async (_who, selector, expected) => {
    expect(await visible(selector, 'customerArchiveGrant')).toEqual(expected);
  });
});

describe('CRM edits follow the same scopes', () => {
  const refId = (ref: string) => s.demo.refs[ref] as string;
  const versionOf = async (selector: string, ref: string) =>
    (await (await s.as(selector)).get('customerArchive', refId(ref))).version;

  it('a salesperson edits their own customer and no one else’s', async () => {
    const me = await s.as('staff:北京销售一组:0');
    const updated = await me.update('customerArchive', refId('c02'), await versionOf('staff:北京销售一组:0', 'c02'), {
      contactPhone: '139****0000',
    });
    expect(updated.values.contactPhone).toBe('139****0000');
    expect(await code(me.get('customerArchive', refId('c03')))).toBe('FORM_RECORD_NOT_FOUND');
    expect(await code(me.update('customerArchive', refId('c03'), 1, { contactPhone: 'x' }))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
  });

  it('a sales director writes leader instructions on the team’s customers, not on another team’s', async () => {
    const director = await s.as('head:华北销售部');
    const updated = await director.update('customerArchive', refId('c03'), await versionOf('head:华北销售部', 'c03'), {
      leaderComment: '本季度重点跟进。',
    });
    expect(updated.values.leaderComment).toBe('本季度重点跟进。');
    expect(await code(director.update('customerArchive', refId('c06'), 1, { leaderComment: 'x' }))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
  });

  it('sales management changes any customer; the archive administrator none', async () => {
    const admin = await s.as('staff:销售管理部:0');
    const version = await versionOf('staff:销售管理部:0', 'c11');
    expect((await admin.update('customerArchive', refId('c11'), version, { region: 'southwest' })).version).toBe(
      version + 1,
    );
    const archivist = await s.as('staff:档案室:0');
    expect(await code(archivist.update('customerArchive', refId('c01'), 1, { region: 'east' }))).toBe(
      'FORM_RECORD_NOT_FOUND',
    );
  });

  it('only the sales roles create customers; every member may enter an opportunity', async () => {
    const accountant = await s.as('staff:会计核算部:0');
    expect(await code(accountant.create('customerArchive', { companyName: '某公司' }))).toBe('ACCESS_FORBIDDEN');
    const lead = await accountant.create('opportunity', { customerName: '朋友介绍的公司', customerSource: 'other' });
    expect(lead.values).toMatchObject({ stage: 'lead', enteredAt: '2026-11-30', salesManagerA: accountant.memberId });
    expect((await accountant.list('opportunity')).map((r) => r.id)).toEqual([lead.id]);
  });

  it('company names are unique across the archive, even between teams that cannot see each other', async () => {
    const east = await s.as('staff:华东销售部:0');
    expect(await code(east.create('customerArchive', { companyName: '北京星辰化妆品有限公司' }))).toBe(
      'FORM_DUPLICATE_KEY',
    );
  });
});
