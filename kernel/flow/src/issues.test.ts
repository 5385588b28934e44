import { type FieldIssue, issueMessage } from '@baton/core';
import { defineForm } from '@baton/form';
import { expectWordedIssues, unreachedCodes } from '@baton/testkit';
import { describe, expect, it } from 'vitest';
import { listAssigneeSources } from './assignee-sources/registry.ts';
import { validateFlow } from './definition.ts';
import { FlowIssues } from './issues.ts';
import { listNodeKinds } from './node-kinds/registry.ts';
import type { FlowDefinitionInput, FlowNodeInput } from './types.ts';

// Every issue a flow definition can have is written in zh-CN and en-US by the server. Broken definitions go
// through validateFlow; an issue without texts fails, and so does a catalogue code no case reaches (unless it
// is listed as reached elsewhere), so a new code comes with its texts and a case.

const l = (text: string) => ({ zh: text, en: text });
const form = defineForm({
  pack: 'finance',
  key: 'expense',
  kind: 'flow',
  label: l('报销单'),
  fields: [
    { key: 'amount', label: l('金额'), type: 'money' },
    { key: 'reason', label: l('事由'), type: 'text' },
    { key: 'level', label: l('紧急程度'), type: 'select', options: [{ code: 'high', label: l('高') }] },
    { key: 'opinion', label: l('意见'), type: 'opinion', node: 'other' },
  ],
});
const archive = defineForm({ ...form, kind: 'archive', hash: undefined });
const members = [{ source: 'members', ids: ['m1'] }];
const flow = (nodes: FlowNodeInput[], edges: FlowDefinitionInput['edges'], over: object = {}) => ({
  pack: 'finance',
  key: 'expenseFlow',
  name: l('报销'),
  form: { pack: 'finance', key: 'expense' },
  nodes,
  edges,
  ...over,
});
const chain = (...middle: FlowNodeInput[]) => {
  const nodes = [{ key: 'start', kind: 'start' }, ...middle, { key: 'end', kind: 'end' }];
  return flow(
    nodes,
    nodes.slice(1).map((node, index) => ({ from: (nodes[index] as FlowNodeInput).key, to: node.key })),
  );
};

const withForm: unknown[] = [
  7,
  { pack: 'finance' },
  flow(
    [
      { key: 'start', kind: 'start' },
      { key: 'start', kind: 'start' },
      { key: '9lives', kind: 'approval', assignees: members },
      { key: 'x', kind: 'teleport' },
      { key: 'y', kind: 'approval', mode: 'sometimes' },
    ],
    [{ from: 'start', to: 'nowhere' }],
  ),
  flow(
    [
      { key: 'start', kind: 'start' },
      { key: 'route', kind: 'condition' },
      { key: 'a', kind: 'approval', assignees: members },
      { key: 'island', kind: 'approval', assignees: members },
      { key: 'split', kind: 'parallel' },
      { key: 'j', kind: 'join' },
      { key: 'loop', kind: 'approval', assignees: members },
      { key: 'end', kind: 'end' },
    ],
    [
      { from: 'start', to: 'route' },
      { from: 'route', to: 'a', condition: 'amount > ghost' },
      { from: 'route', to: 'split' },
      { from: 'route', to: 'end', condition: 'amount > 1', else: true },
      { from: 'a', to: 'j', condition: 'amount > 1' },
      { from: 'a', to: 'end' },
      { from: 'split', to: 'end' },
      { from: 'j', to: 'end' },
      { from: 'island', to: 'start' },
      { from: 'island', to: 'loop' },
      { from: 'loop', to: 'island' },
    ],
  ),
  chain(
    {
      key: 'manager',
      kind: 'approval',
      assignees: [],
      ratio: 0.5,
      emptyPolicy: 'administrator',
      opinionField: 'opinion',
      fieldAccess: { ghost: 'read' },
      deadline: { after: { hours: 8 }, overdue: 'transfer', fromField: { field: 'reason', durations: {} } },
    },
    { key: 'cc', kind: 'notify', assignees: [{ source: 'oracle' }, { source: 'memberField', field: 'reason' }] },
    {
      key: 'later',
      kind: 'approval',
      assignees: [{ source: 'memberField', field: 'ghost' }, { source: 'members' }],
      deadline: {
        after: { hours: 4 },
        overdue: 'notify',
        transferTo: { source: 'nobody' },
        fromField: { field: 'level', durations: { low: { hours: 1 } } },
      },
    },
    {
      key: 'escalate',
      kind: 'approval',
      assignees: members,
      deadline: { after: { hours: 1 }, overdue: 'transfer', transferTo: { source: 'members' } },
    },
    { key: 'child', kind: 'subflow', flow: { pack: 'finance', key: 'other' }, map: { x: 'ghost' } },
  ),
  // Every node kind and assignee source with settings it cannot take: their schemas speak through the catalogue.
  chain(
    ...listNodeKinds().map((kind, index) => ({ key: `k${index}`, kind: kind.kind, unexpected: true })),
    ...listAssigneeSources().map((source, index) => ({
      key: `s${index}`,
      kind: 'approval',
      assignees: [{ source: source.source, unexpected: true }],
    })),
  ),
];

/** Codes of this catalogue reached only outside validateFlow: the server's check of an unpublished form. */
const reachedElsewhere = ['form_not_published'];

describe('flow issues', () => {
  const issues = [
    ...withForm.flatMap((def) => validateFlow(def, { form })),
    ...validateFlow(chain(), { form: archive }),
    ...validateFlow(flow([], [], { form: { pack: 'finance', key: 'other' } }), { form }),
    ...validateFlow(chain(), { form: { ...form, key: 'other' } }),
    ...validateFlow(
      flow(
        [
          { key: 'start', kind: 'start' },
          { key: 'route', kind: 'condition' },
          { key: 'end', kind: 'end' },
        ],
        [
          { from: 'start', to: 'route' },
          { from: 'route', to: 'end', condition: 'amount >' },
          { from: 'route', to: 'end', else: true },
        ],
      ),
    ),
  ];

  it('are all written in both languages, every placeholder filled', () => expectWordedIssues(issues, 40));

  it('reach every code of the catalogue', () => {
    expect(unreachedCodes(FlowIssues, issues)).toEqual(reachedElsewhere);
  });

  it('keep the expression language’s codes and params in conditions', () => {
    const unknown = issues.find((issue) => issue.code === 'EXPR_UNKNOWN_FIELD') as FieldIssue;
    expect(unknown.path).toEqual(['edges', 1, 'condition']);
    expect(issueMessage(unknown, 'zh-CN')).toBe('未知字段 ghost');
  });
});
