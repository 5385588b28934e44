import { withTx } from '@baton/db';
import { submit } from '@baton/flow';
import { publishRule, type RuleDefinitionInput } from '@baton/rule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, type Env, l, openEnv, publishForms, publishLine } from './fixtures.ts';

// The published rules are cached per process under a stamp that every publish replaces: these check that a
// new version is used by the very next event, and that a publish rolled back leaves no trace in the cache.

let env: Env;
const flow = { pack: 'cache', key: 'spendFlow' };

const limit = (max: number): RuleDefinitionInput => ({
  pack: 'cache',
  key: 'limit',
  name: l('限额', 'Limit'),
  on: { flow: 'cache.spendFlow', events: ['submitted'] },
  actions: [{ kind: 'guard', refuseWhen: `amount > ${max}`, message: l('超出限额', 'Over the limit') }],
});

beforeAll(async () => {
  env = await openEnv();
  await publishForms(env, {
    pack: 'cache',
    key: 'spend',
    kind: 'flow',
    label: l('支出', 'Spend'),
    fields: [{ key: 'amount', label: l('金额', 'Amount'), type: 'money', required: true }],
  });
  await publishLine(env, flow, { pack: 'cache', key: 'spend' }, [env.m.manager.id]);
});
afterAll(async () => {
  await env?.close();
});

/** Amounts in fen; the rules' limits are in yuan, as expressions read money. */
const file = (amount: number) => submit(env.as(env.m.staff1.id), { flow, values: { amount } });

describe('published rules cache', () => {
  it('uses a new version at the next event, and forgets a publish that was rolled back', async () => {
    // No rule yet: the empty set is cached too.
    expect((await file(50_000)).state).toBe('running');
    await publishRule(env.ctx, limit(100));
    expect((await caught(file(50_000))).code).toBe('RULE_GUARD_REFUSED');
    await publishRule(env.ctx, limit(1000));
    expect((await file(50_000)).state).toBe('running');
    expect((await caught(file(500_000))).code).toBe('RULE_GUARD_REFUSED');

    // Inside the transaction that publishes, the new version applies at once; once rolled back, it never did.
    const undone = new Error('roll back');
    await expect(
      withTx(env.as(env.m.staff1.id), async (tx) => {
        await publishRule({ ...tx, actor: env.ctx.actor }, limit(10));
        expect((await caught(submit(tx, { flow, values: { amount: 50_000 } }))).code).toBe('RULE_GUARD_REFUSED');
        throw undone;
      }),
    ).rejects.toBe(undone);
    expect((await file(50_000)).state).toBe('running');
  });
});
