import { type FieldIssue, isBatonError, issueMessage } from '@baton/core';
import { checkPackDocument, PACK_FORMAT, PackFileLimits, PackIssues, validatePack } from '@baton/pack';
import { expectWordedIssues, unreachedCodes } from '@baton/testkit';
import { describe, expect, it } from 'vitest';
import { tinyPack } from './fixtures.ts';

// Every issue a pack can have is written in zh-CN and en-US by the server: the pack's own (PackIssues) and its
// forms', flows', rules' and reports' (their engines' texts, kept under the pack's paths). Broken packs and files
// go through validatePack and checkPackDocument; an issue without texts fails, and so does a code of PackIssues
// no case reaches, so a new code comes with its texts and a case.

const l = (text: string) => ({ zh: text, en: text });

function brokenPack(): unknown {
  const pack = tinyPack();
  const [ledger, request] = pack.forms as unknown as Record<string, unknown>[];
  return {
    ...pack,
    forms: [
      { ...ledger, pack: 'other' },
      {
        ...request,
        fields: [
          { key: 'subject', label: l('事由'), type: 'text' },
          { key: 'other', label: l('其他'), type: 'reference', form: 'tiny.nowhere', display: 'x' },
          {
            key: 'ledgerRef',
            label: l('台账'),
            type: 'reference',
            form: { pack: 'tiny', key: 'ledger' },
            display: 'nope',
            fill: { mine: 'theirs' },
          },
          { key: 'Bad Key', label: l('坏'), type: 'text' },
        ],
        subtables: [
          {
            key: 'rows',
            label: l('行'),
            columns: [
              {
                key: 'ref',
                label: l('引用'),
                type: 'reference',
                form: 'tiny.ledger',
                display: 'title',
                fill: { x: 'y' },
              },
            ],
          },
        ],
      },
      { ...ledger },
    ],
    flows: [
      {
        ...(pack.flows[0] as object),
        pack: 'other',
        nodes: [
          { key: 'start', kind: 'start' },
          { key: 'review', kind: 'approval', assignees: [{ source: 'role', role: 'undeclaredRole' }] },
          { key: 'end', kind: 'end' },
          { key: 'teleport', kind: 'teleport' },
        ],
      },
      { ...(pack.flows[0] as object), form: 'tiny.ghost' },
    ],
    rules: [
      { ...(pack.rules?.[0] as object), pack: 'other', actions: [{ kind: 'teleport' }] },
      { ...(pack.rules?.[0] as object) },
    ],
    reports: [
      { ...(pack.reports?.[0] as object), pack: 'other', measures: [{ key: 'total', agg: 'sum', field: 'nope' }] },
      { ...(pack.reports?.[0] as object) },
      { ...(pack.reports?.[0] as object), key: 'elsewhere', form: { pack: 'tiny', key: 'missing' } },
    ],
    menus: [
      {
        key: 'tiny',
        label: l('小账本'),
        items: [
          { key: 'ledgers', label: l('台账'), form: 'ledger', flow: 'requestApproval' },
          { key: 'ledgers', label: l('丢失'), form: 'missingForm' },
          { key: 'flows', label: l('流程'), flow: 'ghostFlow', view: 'list' },
          { key: 'reports', label: l('报表'), report: 'ghostReport' },
        ],
      },
      { key: 'tiny', label: l('重复'), items: [{ key: 'x', label: l('甲'), form: 'ledger' }] },
    ],
    roles: [
      ...pack.roles,
      { ...(pack.roles[0] as object), permissions: [{ form: 'ghost' }, { flow: 'ghostFlow', start: true }] },
    ],
    locales: { 'zh-CN': { 'menu.hint': '记账' }, 'en-US': { 'menu.other': 'Other' } },
    demo: {
      records: [
        { ref: 'r1', form: 'ledger', by: 'nobody', values: { title: 'x', colour: 'red', lines: 'no' } },
        { ref: 'r1', form: 'request', by: 'staff:北京销售一组:0', values: { subject: 'x' } },
        { form: 'ghost', by: 'staff:北京销售一组:0', values: {} },
        {
          form: 'ledger',
          by: 'staff:北京销售一组:0',
          values: {
            lines: [1, { nothing: 1 }],
            keeper: { $member: 1 },
            title: { $members: 'x' },
            amount: { $department: '' },
            opened: { $datetime: 1.5, at: 'noon' },
          },
        },
        {
          form: 'ledger',
          by: 'staff:北京销售一组:0',
          values: { keeper: { $members: [1] }, title: { $wat: 1 } },
        },
      ],
      filings: [
        { flow: 'ghostFlow', by: 'staff:北京销售一组:0', values: {} },
        {
          flow: 'requestApproval',
          by: 'staff:北京销售一组:0',
          values: { subject: 'x', ledgerRef: { $record: 'missing' } },
        },
        {
          flow: 'requestApproval',
          by: 'staff:北京销售一组:0',
          values: { subject: 'y', ledgerRef: { $record: 'r1' } },
        },
        {
          flow: 'requestApproval',
          by: 'staff:北京销售一组:0',
          values: { ledgerRef: { $find: { form: 'request', where: {} } } },
        },
        {
          flow: 'requestApproval',
          by: 'staff:北京销售一组:0',
          values: { ledgerRef: { $find: { form: 'ghost', where: { title: 'x' } } } },
        },
        {
          flow: 'requestApproval',
          by: 'staff:北京销售一组:0',
          values: { ledgerRef: { $find: { form: 'ledger', where: { colour: 'red' } } } },
        },
      ],
    },
  };
}

/** The issues checkPackDocument refuses a file with. */
function fileIssues(value: unknown): FieldIssue[] {
  try {
    checkPackDocument(value);
    return [];
  } catch (error) {
    return isBatonError(error) ? [...error.fields] : [];
  }
}

describe('pack issues', () => {
  const deep: Record<string, unknown> = {};
  let cursor = deep;
  for (let i = 0; i < PackFileLimits.depth + 1; i++) {
    const next: Record<string, unknown> = {};
    cursor.d = next;
    cursor = next;
  }
  const issues = [
    ...validatePack(7),
    ...validatePack(brokenPack()),
    ...validatePack(tinyPack({ key: 'Tiny' })),
    ...validatePack(tinyPack({ key: 'select' })),
    ...validatePack(tinyPack({ key: 'a'.repeat(25) })),
    ...validatePack(tinyPack({ key: 'a'.repeat(41) })),
    ...fileIssues({
      format: PACK_FORMAT,
      nan: Number.NaN,
      nul: 'a\u0000b',
      long: 'x'.repeat(PackFileLimits.stringLength + 1),
      fn: () => 1,
      big: 1n,
      date: new Date(0),
      ['k'.repeat(PackFileLimits.keyLength + 1)]: 1,
      ['__proto__']: 1,
      deep,
    }),
    ...fileIssues({ nothing: 1 }),
    ...fileIssues(new Array(PackFileLimits.values + 1).fill(0)),
  ];

  it('are all written in both languages, every placeholder filled', () => expectWordedIssues(issues, 60));

  it('reach every code of the catalogue', () => {
    expect(unreachedCodes(PackIssues, issues)).toEqual([]);
  });

  it('keep an engine’s code, params and texts under the pack’s path', () => {
    const form = issues.find((issue) => issue.engine === 'form' && issue.code === 'key_syntax') as FieldIssue;
    expect(form.path).toEqual(['forms', 1, 'fields', 3, 'key']);
    expect(issueMessage(form, 'zh-CN')).toMatch(/^键名须为驼峰式英文/);
    expect(issues.some((issue) => issue.engine === 'rule' && issue.code === 'unknown_kind')).toBe(true);
    expect(issues.some((issue) => issue.engine === 'report')).toBe(true);
    expect(issues.some((issue) => issue.engine === 'flow')).toBe(true);
  });
});
