// Run by purchase-competing.scenario.test.ts through spawnChild: files a purchase payment from another process (on
// SQLite the only way to get a second writer that really waits on the first one's lock), rules wired as in the
// platform, on a clock set to the parent's instant.
import { asMember, defaultDeclarer, isBatonError, wireRules } from '@baton/pack';
import { runChild, testCtx } from '@baton/testkit';
import { contracts } from '../pack.ts';

type Input = { now: string; memberId: string; values: Record<string, unknown> };

runChild(async (database, input: Input) => {
  // Permission codes are declared per process, as the server does at start for the installed packs.
  for (const form of contracts.forms) defaultDeclarer.form('contracts', form.key);
  for (const flow of contracts.flows) defaultDeclarer.flow('contracts', flow.key);
  wireRules();
  const ctx = testCtx(database.db);
  ctx.clock.set(input.now);
  try {
    const filed = await asMember(ctx, 'contracts', input.memberId).submit('purchasePayment', input.values);
    return { ok: true, recordId: filed.recordId };
  } catch (error) {
    if (isBatonError(error)) return { ok: false, code: error.code };
    throw error;
  }
});
