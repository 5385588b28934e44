import { type FieldIssue, issueMessage } from '@baton/core';
import { defineForm } from '@baton/form';
import { expectWordedIssues, unreachedCodes } from '@baton/testkit';
import { describe, expect, it } from 'vitest';
import { listRuleActions } from './actions/registry.ts';
import { validateRule } from './definition.ts';
import { RuleIssues } from './issues.ts';
import type { RuleCatalog } from './types.ts';

// Every issue a rule definition can have is written in zh-CN and en-US by the server. Broken definitions go
// through validateRule; an issue without texts fails, and so does a catalogue code no case reaches, so a new
// code (a new action kind's) comes with its texts and a case.

const l = (text: string) => ({ zh: text, en: text });
const request = defineForm({
  pack: 'bud',
  key: 'request',
  kind: 'flow',
  label: l('申请'),
  fields: [
    { key: 'amount', label: l('金额'), type: 'money' },
    { key: 'title', label: l('标题'), type: 'text' },
    { key: 'due', label: l('到期'), type: 'date' },
  ],
  subtables: [{ key: 'lines', label: l('明细'), columns: [{ key: 'qty', label: l('数量'), type: 'number' }] }],
});
const ledger = defineForm({
  pack: 'bud',
  key: 'ledger',
  kind: 'archive',
  label: l('台账'),
  fields: [
    { key: 'name', label: l('名称'), type: 'text' },
    { key: 'remaining', label: l('余额'), type: 'money' },
    { key: 'total', label: l('合计'), type: 'formula', expr: 'remaining * 2', resultType: 'money' },
    { key: 'tags', label: l('标签'), type: 'members' },
  ],
  subtables: [
    {
      key: 'items',
      label: l('明细'),
      columns: [
        { key: 'qty', label: l('数量'), type: 'number' },
        { key: 'twice', label: l('两倍'), type: 'formula', expr: 'qty * 2', resultType: 'number' },
      ],
    },
  ],
});
const catalog: RuleCatalog = {
  forms: { 'bud.request': request, 'bud.ledger': ledger },
  flows: { 'bud.requestFlow': { form: { pack: 'bud', key: 'request' }, nodes: ['manager'] } },
};
const onFlow = { flow: 'bud.requestFlow', events: ['approved'] };
const rule = (over: object) => ({ pack: 'bud', key: 'reserve', name: l('预占'), on: onFlow, ...over });
const write = (over: object) => ({ kind: 'writeBack', form: 'bud.ledger', ...over });

const cases: unknown[] = [
  5,
  rule({ on: { flow: 'bud.requestFlow', form: 'bud.ledger', events: ['approved'] }, actions: [write({})] }),
  rule({ on: { flow: 'bud.gone', events: ['approved', 'created', 'approved'], nodes: ['x'] }, actions: [write({})] }),
  rule({ on: { flow: 'bud.requestFlow', events: ['nodeEntered'], nodes: ['nobody'] }, actions: [write({})] }),
  rule({ on: { form: 'bud.request' }, actions: [write({ set: { name: 'title' } })] }),
  rule({
    on: { flow: 'bud.requestFlow', events: ['approved'], schedule: { cron: 'nope' }, date: { field: 'title' } },
    compensate: {},
    actions: [write({ set: { name: 'title' } })],
  }),
  rule({
    on: { form: 'bud.request', date: { field: 'title', timeZone: 'Mars/Base' } },
    actions: [write({ set: { name: 'title' } })],
  }),
  rule({
    when: 'amount >',
    actions: [
      { kind: 'teleport' },
      write({ form: 'bud.gone' }),
      write({ mode: 'update', set: { name: '$actions.later.id' }, as: 'first' }),
      write({ mode: 'insert', match: { id: 'title' }, set: { ghost: '1', total: '1' }, as: 'first' }),
      write({ mode: 'upsert', match: {}, set: {} }),
      write({ mode: 'upsert', match: { id: 'title', name: 'title', ghost: 'title', tags: 'title' } }),
      write({ set: { name: '$actions.nobody.id' }, as: 'later' }),
      write({
        forEachRow: 'lines',
        as: 'perRow',
        subtables: { items: { from: 'lines', set: {} }, ghosts: { set: { qty: '1' } } },
      }),
      write({ forEachRow: 'nothing', set: { name: 'title' } }),
      write({ as: 'null', set: { name: 'nothing' } }),
      write({ subtables: { items: { from: 'nothing', set: { ghost: '1', twice: '2' } } } }),
      { kind: 'adjust', form: 'bud.ledger', match: { id: 'title' }, field: 'ghost', by: '1', params: { a: '1' } },
      { kind: 'adjust', form: 'bud.ledger', match: { id: 'title' }, field: 'name', by: '1' },
      { kind: 'grant', form: 'bud.ledger', record: 'title', member: 'title', until: 'amount', days: 3 },
      { kind: 'notify', to: 'amount', title: { zh: '超出 {limit}', en: 'Over {limit}' } },
      { kind: 'guard', refuseWhen: 'amount > 1', message: l('超出'), as: 'guarded' },
    ],
    compensate: { on: ['approved'], undo: false },
  }),
  // Every action kind with a setting it cannot take: its schema speaks through the catalogue too.
  rule({ actions: listRuleActions().map((kind) => ({ kind: kind.kind, unexpected: true })) }),
];

describe('rule issues', () => {
  const issues = [
    ...cases.flatMap((def) => validateRule(def, catalog)),
    ...validateRule(rule({ when: 'amount >', actions: [write({})] })),
  ];

  it('are all written in both languages, every placeholder filled', () => expectWordedIssues(issues, 40));

  it('reach every code of the catalogue', () => {
    expect(unreachedCodes(RuleIssues, issues)).toEqual([]);
  });

  it('keep the expression language’s codes and params', () => {
    const unknown = issues.find((issue) => issue.code === 'EXPR_UNKNOWN_FIELD') as FieldIssue;
    expect(issueMessage(unknown, 'zh-CN')).toMatch(/^未知字段 /);
  });
});
