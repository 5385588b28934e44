import { defineFlow, type FlowDefinitionInput, FlowErrors, loadFlow, publishFlow, validateFlow } from '@baton/flow';
import { defineForm } from '@baton/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, expenseForm, line, members, openEnv } from './fixtures.ts';

const form = defineForm(expenseForm);
const base = (over: Partial<FlowDefinitionInput> = {}): FlowDefinitionInput => ({
  pack: 'finance',
  key: 'expenseFlow',
  name: { zh: '报销', en: 'Expense' },
  form: { pack: 'finance', key: 'expense' },
  administrators: ['admin-1'],
  ...line({ key: 'manager', kind: 'approval', assignees: members('m1') }),
  ...over,
});
const codes = (def: unknown) => validateFlow(def, { form }).map((issue) => `${issue.path.join('.')}:${issue.code}`);

describe('validateFlow / defineFlow', () => {
  it('accepts a valid flow, normalises defaults, freezes and hashes it', () => {
    expect(codes(base())).toEqual([]);
    const def = defineFlow(base(), { form });
    expect(Object.isFrozen(def) && Object.isFrozen(def.nodes[1])).toBe(true);
    expect(def.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(def.nodes[1]).toMatchObject({ mode: 'single', emptyPolicy: 'refuse', dedupe: 'none' });
    expect(defineFlow(base(), { form }).hash).toBe(def.hash);
  });

  it('reports unknown kinds, duplicate keys, bad edges, start/end counts with paths', () => {
    expect(
      codes(
        base({
          nodes: [
            { key: 'start', kind: 'start' },
            { key: 'start', kind: 'start' },
            { key: 'x', kind: 'teleport' },
          ],
          edges: [{ from: 'start', to: 'nowhere' }],
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        'nodes.1.key:duplicate_key',
        'nodes.2.kind:unknown_kind',
        'nodes:start_count',
        'nodes:no_end',
        'edges.0.to:unknown_node',
      ]),
    );
  });

  it('reports unreachable nodes, dead ends and approvals without assignee sources', () => {
    const def = base({
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'a', kind: 'approval', assignees: [] },
        { key: 'island', kind: 'approval', assignees: members('m1') },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'a' },
        { from: 'a', to: 'end' },
        { from: 'island', to: 'end' },
      ],
    });
    expect(codes(def)).toEqual(expect.arrayContaining(['nodes.1.assignees:no_assignee_source', 'nodes.2:unreachable']));
  });

  it('reports joins without a split, condition nodes without else, conditions that do not type-check', () => {
    const def = base({
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'route', kind: 'condition' },
        { key: 'a', kind: 'approval', assignees: members('m1') },
        { key: 'b', kind: 'approval', assignees: members('m2') },
        { key: 'j', kind: 'join' },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'route' },
        { from: 'route', to: 'a', condition: 'amount > 5000' },
        { from: 'route', to: 'b', condition: "reason + 1 > 'x'" },
        { from: 'a', to: 'j' },
        { from: 'b', to: 'j' },
        { from: 'j', to: 'end' },
      ],
    });
    const found = codes(def);
    expect(found).toEqual(expect.arrayContaining(['nodes.1:else_count', 'nodes.4:join_without_split']));
    expect(found.some((code) => code.startsWith('edges.2.condition:EXPR_'))).toBe(true);
    expect(found.some((code) => code.startsWith('edges.1'))).toBe(false);
  });

  it('type-checks conditions over subtable totals and the initiator', () => {
    const def = base({
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'route', kind: 'condition' },
        { key: 'a', kind: 'approval', assignees: members('m1') },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'route' },
        { from: 'route', to: 'a', condition: 'SUM(items.cost) > 100 AND $initiator.levelRank <= 40' },
        { from: 'route', to: 'end', else: true },
        { from: 'a', to: 'end' },
      ],
    });
    expect(codes(def)).toEqual([]);
    expect(
      codes({
        ...def,
        edges: [...def.edges.slice(0, 1), { from: 'route', to: 'a', condition: 'nope > 1' }, ...def.edges.slice(2)],
      }),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^edges\.1\.condition:EXPR_UNKNOWN_FIELD/)]));
  });

  it('checks field access keys, opinion fields, assignee sources and their form fields', () => {
    const def = base(
      line({
        key: 'manager',
        kind: 'approval',
        assignees: [
          { source: 'memberField', field: 'amount' },
          { source: 'departmentField', field: 'costCenter', take: 'members' },
          { source: 'nobody' },
          { source: 'relative', relation: 'nthSupervisor' },
        ],
        fieldAccess: { amount: 'read', ghost: 'edit', items: 'hidden' },
        opinionField: 'reason',
      }),
    );
    expect(codes(def)).toEqual(
      expect.arrayContaining([
        'nodes.1.assignees.0.field:bad_field_type',
        'nodes.1.assignees.2.source:unknown_source',
        'nodes.1.fieldAccess.ghost:unknown_field',
        'nodes.1.opinionField:bad_opinion_field',
      ]),
    );
    expect(codes(def).some((code) => code.startsWith('nodes.1.assignees.3'))).toBe(true);
    expect(codes(def).some((code) => code.startsWith('nodes.1.assignees.1'))).toBe(false);
  });

  it('refuses cycles and a parallel split without a join', () => {
    const def = base({
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'split', kind: 'parallel' },
        { key: 'a', kind: 'approval', assignees: members('m1') },
        { key: 'b', kind: 'approval', assignees: members('m2') },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'split' },
        { from: 'split', to: 'a' },
        { from: 'split', to: 'b' },
        { from: 'a', to: 'end' },
        { from: 'b', to: 'end' },
      ],
    });
    expect(codes(def)).toContain('nodes.1:split_without_join');
    expect(() => defineFlow({ ...def, key: 'Bad Key' })).toThrow();
    try {
      defineFlow(def, { form });
    } catch (error) {
      expect(FlowErrors.definitionInvalid.is(error)).toBe(true);
    }
  });
});

describe('publishFlow', () => {
  let env: Env;
  beforeAll(async () => {
    env = await openEnv();
  });
  afterAll(async () => {
    await env?.database.cleanup();
  });

  it('stores version n+1, unchanged when identical, and refuses an invalid definition', async () => {
    const first = await publishFlow(env.ctx, base());
    expect(first).toMatchObject({ version: 1, unchanged: false });
    expect(await publishFlow(env.ctx, base())).toMatchObject({ version: 1, unchanged: true });
    const changed = base(line({ key: 'manager', kind: 'approval', mode: 'anySign', assignees: members('m1', 'm2') }));
    expect(await publishFlow(env.ctx, changed)).toMatchObject({ version: 2 });
    expect((await loadFlow(env.ctx, 'finance', 'expenseFlow', 1)).flow.def.nodes[1]).toMatchObject({ mode: 'single' });
    expect((await loadFlow(env.ctx, 'finance', 'expenseFlow')).version).toBe(2);
    expect((await caught(publishFlow(env.ctx, base({ edges: [] })))).code).toBe('FLOW_DEFINITION_INVALID');
  });
});
