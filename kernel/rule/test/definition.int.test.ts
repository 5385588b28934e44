import { type FormDefinitionInput, publishForm } from '@baton/form';
import { getRule, listRules, publishRule, type RuleDefinitionInput } from '@baton/rule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, l, openEnv, publishForms, publishLine } from './fixtures.ts';

const ledger: FormDefinitionInput = {
  pack: 'bud',
  key: 'ledger',
  kind: 'archive',
  label: l('预算台账', 'Budget ledger'),
  fields: [
    { key: 'line', label: l('科目', 'Line'), type: 'text', required: true },
    { key: 'budget', label: l('预算', 'Budget'), type: 'money' },
    { key: 'remaining', label: l('剩余', 'Remaining'), type: 'money' },
    { key: 'note', label: l('说明', 'Note'), type: 'text' },
    { key: 'half', label: l('一半', 'Half'), type: 'formula', expr: 'budget / 2', resultType: 'money' },
  ],
};
const request: FormDefinitionInput = {
  pack: 'bud',
  key: 'request',
  kind: 'flow',
  label: l('申请', 'Request'),
  fields: [
    {
      key: 'budgetRef',
      label: l('科目', 'Line'),
      type: 'reference',
      form: { pack: 'bud', key: 'ledger' },
      display: 'line',
    },
    { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
    { key: 'reason', label: l('事由', 'Reason'), type: 'text' },
  ],
  subtables: [
    {
      key: 'items',
      label: l('明细', 'Items'),
      columns: [
        { key: 'what', label: l('项目', 'What'), type: 'text' },
        { key: 'cost', label: l('金额', 'Cost'), type: 'money' },
      ],
    },
  ],
};

const rule: RuleDefinitionInput = {
  pack: 'bud',
  key: 'reserve',
  name: l('预占', 'Reserve'),
  on: { flow: 'bud.requestFlow', events: ['submitted'] },
  actions: [
    { kind: 'adjust', form: 'bud.ledger', match: { id: 'budgetRef' }, field: 'remaining', by: '-amount', floor: 0 },
  ],
};

let env: Env;
beforeAll(async () => {
  env = await openEnv();
  await publishForms(env, ledger, request);
  await publishLine(env, { pack: 'bud', key: 'requestFlow' }, { pack: 'bud', key: 'request' }, [env.m.manager.id]);
});
afterAll(async () => {
  await env?.close();
});

describe('publishRule', () => {
  it('checks against the published forms and flows and reports every issue with its path', async () => {
    const broken: RuleDefinitionInput = {
      pack: 'bud',
      key: 'broken',
      name: l('错', 'Broken'),
      on: { flow: 'bud.requestFlow', events: ['nodeEntered'], nodes: ['approve', 'nowhere'] },
      when: "amount > 'x'",
      actions: [
        { kind: 'adjust', form: 'bud.ledger', match: { id: 'budgetRef' }, field: 'note', by: 'amount' },
        { kind: 'adjust', form: 'bud.ledger', match: { line: 'amount' }, field: 'remaining', by: 'amount' },
        {
          kind: 'guard',
          lookup: { form: 'bud.ledger', match: { id: 'budgetRef' } },
          refuseWhen: 'amount > $target.spent',
          message: l('超出', 'Over'),
        },
        { kind: 'writeBack', form: 'bud.ledger', set: { half: 'amount', nope: '1', line: 'reason' } },
        { kind: 'writeBack', form: 'bud.nothing', set: { a: '1' } },
        { kind: 'writeBack', form: 'bud.ledger', forEachRow: 'lines', set: { line: 'what' } },
        {
          kind: 'writeBack',
          form: 'bud.ledger',
          forEachRow: 'items',
          when: 'cost > 0',
          set: { line: 'what', budget: 'cost' },
        },
        { kind: 'startFlow', flow: 'bud.nothingFlow' },
        { kind: 'grant', form: 'bud.ledger', record: 'budgetRef', member: 'reason', until: 'amount' },
      ],
    };
    const error = await caught(publishRule(env.ctx, broken));
    expect(error.code).toBe('RULE_DEFINITION_INVALID');
    expect(error.paths).toEqual([
      'on.nodes.1',
      'when',
      'actions.0.field',
      'actions.1.match.line',
      'actions.2.refuseWhen',
      'actions.3.set.half',
      'actions.3.set.nope',
      'actions.4.form',
      'actions.5.forEachRow',
      'actions.5.set.line',
      'actions.7.flow',
      'actions.8.member',
      'actions.8.until',
    ]);
    expect(await listRules(env.ctx)).toEqual([]);
  });

  it('stores versions, keeps identical content unchanged, lists and gets them', async () => {
    const first = await publishRule(env.ctx, rule);
    expect(first).toMatchObject({ version: 1, unchanged: false });
    expect(await publishRule(env.ctx, rule)).toMatchObject({ version: 1, unchanged: true });
    expect(await publishRule(env.ctx, { ...rule, name: l('预占预算', 'Reserve budget') })).toMatchObject({
      version: 2,
    });
    // A new version of a form the rule reads is a new catalog: republishing records it.
    await publishForm(env.ctx, {
      ...ledger,
      fields: [...ledger.fields, { key: 'owner', label: l('负责人', 'Owner'), type: 'member' }],
    });
    expect(await publishRule(env.ctx, { ...rule, name: l('预占预算', 'Reserve budget') })).toMatchObject({
      version: 3,
    });
    await publishRule(env.ctx, {
      ...rule,
      key: 'audit',
      on: { form: 'bud.ledger', events: ['updated'] },
      actions: [{ kind: 'notify', to: '$before.owner', title: l('预算变了', 'Budget changed') }],
    });
    const rules = await listRules(env.ctx);
    expect(rules.map((r) => [r.key, r.version, r.actions])).toEqual([
      ['audit', 1, ['notify']],
      ['reserve', 3, ['adjust']],
    ]);
    expect(await listRules(env.ctx, { flow: 'bud.requestFlow' })).toHaveLength(1);
    expect(await listRules(env.ctx, { form: 'bud.ledger' })).toHaveLength(1);
    const stored = await getRule(env.ctx, { pack: 'bud', key: 'reserve', version: 1 });
    expect(stored.definition.name).toEqual(l('预占', 'Reserve'));
    expect((await getRule(env.ctx, { pack: 'bud', key: 'reserve' })).version).toBe(3);
    expect((await caught(getRule(env.ctx, { pack: 'bud', key: 'none' }))).code).toBe('RULE_NOT_PUBLISHED');
  });
});
