import { type FieldIssue, issueMessage } from '@baton/core';
import { describe, expect, it } from 'vitest';
import type { FieldDefinition, FormDefinitionInput } from './definition.ts';
import { validateForm } from './definition.ts';
import { listFieldTypes } from './field-types/registry.ts';
import { FormIssues } from './issues.ts';

// Every issue a form definition can have is written in zh-CN and en-US by the server. This walks broken
// definitions through validateForm and checks each issue against the catalogue: an issue without texts fails,
// and so does a catalogue code no case below reaches (unless it is listed as reached elsewhere), so a new code
// comes with its texts and a case.

const l = (text: string) => ({ zh: text, en: text });
const f = (key: string, type: string, more: Record<string, unknown> = {}): FieldDefinition => ({
  key,
  label: l('字段'),
  type,
  ...more,
});
const form = (fields: FieldDefinition[], extra: Partial<FormDefinitionInput> = {}): FormDefinitionInput => ({
  pack: 'demo',
  key: 'demoForm',
  kind: 'archive',
  label: l('示例'),
  fields,
  ...extra,
});

const options = [{ code: 'a', label: l('甲') }];
const cases: unknown[] = [
  42,
  { pack: 'demo' },
  form([f('Amount', 'text'), f('select', 'text'), f('x'.repeat(41), 'text'), f('a', 'text'), f('a', 'text')]),
  form([f('amount', 'text', { renamedFrom: 'Bad' }), f('b', 'nothing'), f('c', 'text', { maxLength: 'long' })]),
  form([f('d', 'select', { options: [...options, ...options] }), f('e', 'number', { precision: 2, scale: 4 })]),
  form([f('g', 'serial', { pattern: 'HT', timeZone: 'Mars/Base' }), f('h', 'reference', { form: 'a.b.c' })]),
  // A serial pattern: every problem at once (sequence, width, unknown placeholder, the fields it names).
  form([
    f('no', 'serial', { pattern: '{field:ghost}-{field:amount}-{field:code}-{seq:0}{seq:13}{who}' }),
    f('amount', 'number'),
    f('code', 'text', { default: { expr: "'X'" } }),
  ]),
  { ...form([]), pack: 'p'.repeat(31), key: 'k'.repeat(31) },
  form([f('ok', 'text')], {
    subtables: [
      {
        key: 's'.repeat(35),
        label: l('明细'),
        minRows: 5,
        maxRows: 2,
        columns: [f('serialNo', 'serial', { pattern: '{seq:4}' }), f('note', 'text')],
        totals: ['note'],
      },
    ],
  }),
  form([
    f('total', 'formula', { expr: 'other + 1', resultType: 'number' }),
    f('other', 'formula', { expr: 'total + 1', resultType: 'number' }),
    f('bad', 'formula', { expr: 'nope + 1', resultType: 'number' }),
    f('upper', 'moneyUpper', { of: 'total' }),
    f('owner', 'text', { default: { from: 'member' } }),
    f('computed', 'formula', { expr: '1', resultType: 'number', default: 1 }),
    f('region', 'region', { default: { expr: "'x'" } }),
  ]),
  form([f('one', 'text')], {
    layout: {
      sections: [
        {
          rows: [
            [
              { field: 'ghost', span: 20 },
              { field: 'one', span: 12 },
            ],
          ],
        },
      ],
    },
    keys: [['ghost'], ['tags']],
    assignedTo: { fields: ['one', 'ghost', 'one'] },
    fieldAccess: [{ field: 'phantom', access: 'read' }],
  }),
  form([f('tags', 'checkboxes', { options })], { keys: [['tags']] }),
  form([
    f('ref', 'reference', {
      form: { pack: 'demo', key: 'other' },
      display: 'name',
      filter: 'owner = this.missing',
      fill: { absent: 'name' },
      anyRecord: true,
    }),
    f('ref2', 'reference', { form: { pack: 'demo', key: 'other' }, display: 'name', filter: 'owner = ' }),
  ]),
  ...[
    'me.memberId = owner',
    "ab.cd = 'x'",
    "Owner = 'x'",
    'LEN(owner)',
    "'x' = 'y'",
    'owner > null',
    'owner IN []',
    'owner = me.nobody',
  ].map((filter) => form([f('ref', 'reference', { form: 'demo.other', display: 'name', filter })])),
  form([
    f('money', 'money', { min: 100, max: 200, default: 50 }),
    f('money2', 'money', { max: 200, default: 300 }),
    f('money3', 'money', { default: 1.5 }),
    f('num', 'number', { scale: 1, default: 1.25 }),
    f('num2', 'number', { precision: 3, scale: 0, default: 1000 }),
    f('num3', 'number', { default: 'x' }),
    f('month', 'month', { default: '2026-13' }),
    f('date', 'date', { default: '2026-02-30' }),
    f('instant', 'datetime', { default: 'tomorrow' }),
    f('flag', 'boolean', { default: 'yes' }),
    f('choice', 'select', { options, default: 'z' }),
    f('multi', 'checkboxes', { options, default: 'a' }),
    f('multi2', 'checkboxes', { options, default: ['a', 'a'] }),
    f('who', 'member', { default: 'a b' }),
    f('people', 'members', { max: 1, default: ['a', 'b'] }),
    f('text', 'text', { maxLength: 2, default: 'long' }),
    f('text2', 'text', { default: 3 }),
    f('region', 'region', { levels: 1, default: ['110000', '110100'] }),
    f('opinion', 'opinion', { node: 'review', default: 'agreed' }),
  ]),
  // Every field type with a config it cannot take: its config schema speaks through the catalogue too.
  form(listFieldTypes().map((type, index) => f(`t${index}`, type, { unexpected: true }))),
];

/** Codes of this catalogue reached only outside validateForm: a publish that cannot convert stored values. */
const reachedElsewhere = ['serial_part_blank', 'unsafe_conversion'];

function wordsOf(issue: FieldIssue): { zh: string | undefined; en: string | undefined } {
  return { zh: issueMessage(issue, 'zh-CN'), en: issueMessage(issue, 'en-US') };
}

describe('form issues', () => {
  const issues = cases.flatMap((def) => validateForm(def));

  it('are all written in both languages, every placeholder filled', () => {
    expect(issues.length).toBeGreaterThan(50);
    for (const issue of issues) {
      const { zh, en } = wordsOf(issue);
      expect({ issue, zh: typeof zh, en: typeof en }).toEqual({ issue, zh: 'string', en: 'string' });
      expect(`${zh} ${en}`).not.toMatch(/\{\w+\}/);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('reach every code of the catalogue', () => {
    const emitted = new Set(issues.filter((issue) => issue.engine === FormIssues.engine).map((issue) => issue.code));
    const unreached = FormIssues.codes.filter((code) => !emitted.has(code));
    expect(unreached).toEqual(reachedElsewhere);
  });

  it('keep the expression language’s codes and params', () => {
    const bad = issues.find((issue) => issue.code === 'EXPR_UNKNOWN_FIELD');
    expect(bad?.params).toMatchObject({ name: 'nope' });
    expect(issueMessage(bad as FieldIssue, 'zh-CN')).toBe('未知字段 nope');
  });
});
