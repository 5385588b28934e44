import { isBatonError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { defineRule, validateRule } from './definition.ts';
import type { RuleDefinitionInput } from './types.ts';

const l = (zh: string, en: string) => ({ zh, en });

const valid: RuleDefinitionInput = {
  pack: 'bud',
  key: 'reserve',
  name: l('预占', 'Reserve'),
  on: { flow: 'bud.requestFlow', events: ['submitted'] },
  actions: [
    { kind: 'adjust', form: 'bud.ledger', match: { id: 'budgetRef' }, field: 'remaining', by: '-amount', floor: 0 },
  ],
  compensate: {},
};

const paths = (def: unknown) => validateRule(def).map((issue) => issue.path.join('.'));

describe('defineRule without a catalog', () => {
  it('applies defaults, normalises form references, freezes and hashes', () => {
    const rule = defineRule(valid);
    expect(rule).toMatchObject({
      enabled: true,
      order: 0,
      on: { flow: { pack: 'bud', key: 'requestFlow' }, events: ['submitted'] },
      compensate: { on: ['withdrawn', 'terminated'], undo: true, actions: [] },
    });
    expect(rule.actions[0]).toMatchObject({
      kind: 'adjust',
      form: { pack: 'bud', key: 'ledger' },
      floor: '0',
      ifMissing: 'fail',
      changeLog: false,
    });
    expect(rule.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(rule.actions[0])).toBe(true);
    // Defaults written out, or the object form of a reference, hash the same.
    const explicit = defineRule({
      ...valid,
      enabled: true,
      order: 0,
      on: { flow: { pack: 'bud', key: 'requestFlow' }, events: ['submitted'] },
      compensate: { on: ['withdrawn', 'terminated'], undo: true, actions: [] },
    });
    expect(explicit.hash).toBe(rule.hash);
    expect(defineRule(rule).hash).toBe(rule.hash);
    expect(defineRule({ ...valid, order: 1 }).hash).not.toBe(rule.hash);
  });

  it('reports every issue with its path', () => {
    const def = {
      ...valid,
      key: 'Bad Key',
      on: { flow: 'bud.requestFlow', form: 'bud.ledger', events: ['approved'] },
    };
    expect(paths(def)).toEqual(['key']);
    expect(paths({ ...valid, on: { flow: 'bud.requestFlow', form: 'bud.ledger', events: ['approved'] } })).toEqual([
      'on',
    ]);
    const many = {
      ...valid,
      when: 'amount >',
      on: { flow: 'bud.requestFlow', events: ['submitted', 'created', 'submitted'], nodes: ['n1'] },
      actions: [
        { kind: 'teleport' },
        { kind: 'adjust', form: 'bud.ledger', match: {}, field: 'remaining', by: '-(' },
        { kind: 'guard', refuseWhen: 'amount > 1', message: { zh: '超出 {limit}', en: 'Over {limit} by {excess}' } },
        { kind: 'writeBack', form: 'bud.archive', mode: 'update', set: { a: 'b' } },
        { kind: 'grant', form: 'crm.customer', record: 'ref', member: 'm' },
        { kind: 'notify', to: 'x', title: l('t', 't'), link: 'javascript:alert(1)' },
        { kind: 'callConnector', connector: 'Bad Name' },
        { kind: 'startFlow', flow: 'itPurchase', set: { n: '1' } },
      ],
      compensate: { on: ['approved'], undo: false },
    };
    expect(paths(many)).toEqual([
      'on.events.1',
      'on.events',
      'on.nodes',
      'when',
      'actions.0.kind',
      'actions.1.match',
      'actions.1.by',
      'actions.2.message.zh',
      'actions.2.message.en',
      'actions.2.message.en',
      'actions.3.match',
      'actions.4',
      'actions.5.link',
      'actions.6.connector',
      'actions.7.flow',
      'compensate.on.0',
      'compensate',
    ]);
    try {
      defineRule(many);
      expect.unreachable();
    } catch (error) {
      expect(isBatonError(error) && error.code).toBe('RULE_DEFINITION_INVALID');
      expect(isBatonError(error) && error.fields.length).toBe(17);
    }
  });

  it('checks per-kind rules: forEachRow scope, match on id alone, upsert by id, form rules and their compensation', () => {
    expect(
      paths({
        ...valid,
        on: { form: 'inv.issue', events: ['created', 'approved'] },
        actions: [
          { kind: 'writeBack', form: 'inv.stock', mode: 'upsert', match: { id: 'ref', sku: 'sku' }, set: { q: '1' } },
          { kind: 'writeBack', form: 'inv.stock', match: { sku: 'sku' }, set: { q: '1' } },
          { kind: 'writeBack', form: 'inv.stock', set: {} },
        ],
        compensate: { on: ['withdrawn'] },
      }),
    ).toEqual([
      'on.events.1',
      'actions.0.match',
      'actions.0.mode',
      'actions.1.match',
      'actions.2.set',
      'compensate.on.0',
    ]);
  });

  it('checks action names without the forms: unknown, not yet run, named twice, per row, not a name', () => {
    const archive = { kind: 'writeBack', form: 'ctr.archive', set: { no: 'contractNo' } };
    const named = defineRule({
      ...valid,
      actions: [
        { ...archive, as: 'archive' },
        { kind: 'writeBack', form: 'ctr.plan', forEachRow: 'terms', set: { archive: '$actions.archive.id' } },
      ],
    });
    expect(named.actions[0]).toMatchObject({ as: 'archive' });
    // Rules that name nothing and write no rows keep their hash (no new defaults).
    expect(named.actions[1]).not.toHaveProperty('subtables');
    const issues = validateRule({
      ...valid,
      when: 'NOT ISBLANK($actions.archive.id)',
      actions: [
        { ...archive, set: { no: '$actions.plan.id & $actions.nowhere.id' } },
        { ...archive, as: 'plan', forEachRow: 'terms' },
        { ...archive, as: 'archive' },
        { ...archive, as: 'archive' },
        { ...archive, as: 'in' },
        { ...archive, as: 'Bad' },
      ],
      compensate: { actions: [{ ...archive, set: { no: '$actions.archive.id' } }] },
    });
    expect(issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([['actions.5.as', 'invalid_format']]);
    const shaped = validateRule({
      ...valid,
      when: 'NOT ISBLANK($actions.archive.id)',
      actions: [
        { ...archive, set: { no: '$actions.plan.id & $actions.nowhere.id' } },
        { ...archive, as: 'plan', forEachRow: 'terms' },
        { ...archive, as: 'archive' },
        { ...archive, as: 'archive' },
        { ...archive, as: 'in' },
      ],
      compensate: { actions: [{ ...archive, set: { no: '$actions.archive.id' } }] },
    });
    expect(shaped.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['when', 'action_not_yet_run'],
      ['actions.3.as', 'duplicate_name'],
      ['actions.0.set.no', 'action_not_yet_run'],
      ['actions.0.set.no', 'unknown_action'],
      ['actions.1.as', 'named_per_row'],
      ['actions.4.as', 'reserved_name'],
      // Compensation runs later, as a run of its own: the main actions' outputs are gone by then.
      ['compensate.actions.0.set.no', 'unknown_action'],
    ]);
  });
});
