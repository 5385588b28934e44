import { testDialect } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetOf, ref, who } from './purchase-helpers.ts';
import { openScenario, type Scenario } from './setup.ts';

// Two payment requests for the same base-table line, submitted at the same instant from two processes: exactly one
// holds the line, on both databases. The interleaving is forced: this test holds a write on the line in a
// transaction of its own, starts both submits (one here, one in a child process) so both wait inside their own
// transactions, then lets go. The loser meets the winner's hold — the guard, or the line's optimistic version.

type Outcome = { ok: true; recordId: string } | { ok: false; code: string };

let s: Scenario;
beforeAll(async () => {
  s = await openScenario();
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function race(line: string, amount: number): Promise<[Outcome, Outcome]> {
  const values = { reason: '并发付款', items: [{ ledgerRowRef: line, payAmount: amount }] };
  // Everything that reads the database is done before the lock: on SQLite it would queue behind it.
  const buyer = await s.as(who.buyer);
  const child = await s.database.spawnChild<Outcome>(new URL('./purchase-compete-child.ts', import.meta.url), {
    now: s.ctx.clock.now().toISOString(),
    memberId: await s.memberId(who.buyer2),
    values,
  });
  // SQLite has one connection per process: the lock is taken on it, so this process's submit queues behind it and
  // the child's waits on the file lock. PostgreSQL: a pool of its own holds the row.
  const locker = testDialect === 'postgres' ? s.database.openSecond().db : s.database.db;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  // A write that changes nothing still takes the row (PostgreSQL) or the database (SQLite) for the transaction.
  const table = 'f_contracts_purchase_payment_ledger' as never;
  const holding = locker.transaction().execute(async (trx) => {
    const row = (await trx
      .selectFrom(table)
      .select('version' as never)
      .where('id' as never, '=', line as never)
      .executeTakeFirstOrThrow()) as { version: number };
    await trx
      .updateTable(table)
      .set({ version: row.version } as never)
      .where('id' as never, '=', line as never)
      .execute();
    locked();
    await released;
  });
  await Promise.race([isLocked, holding]);
  const here = buyer
    .submit('purchasePayment', values)
    .then((filed): Outcome => ({ ok: true, recordId: filed.recordId }))
    .catch((error: { code?: string }): Outcome => ({ ok: false, code: String(error.code) }));
  const there = child.go();
  await sleep(400);
  release();
  await holding;
  return [await here, await there];
}

describe(`two payment requests for one line at the same instant (${testDialect})`, () => {
  for (const [round, lineRef, amount] of [
    [1, 'gd09', 10_000],
    [2, 'gd10', 7_000],
  ] as const) {
    it(`round ${round}: exactly one holds the line, the other is refused and leaves nothing`, async () => {
      s.ctx.clock.advance(60_000);
      const line = ref(s, lineRef);
      const finance = await s.as(who.financeHead);
      const before = {
        requests: (await finance.list('purchasePayment')).length,
        budget: await budgetOf(s, 'b-admin'),
      };
      const outcomes = await race(line, amount);
      const winners = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
      const losers = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(['RULE_GUARD_REFUSED', 'DB_VERSION_CONFLICT']).toContain(losers[0]?.code);
      console.info(
        `round ${round}: ${outcomes[0].ok ? 'this process' : 'the child'} won; the loser got ${losers[0]?.code}`,
      );
      const held = await finance.get('purchasePaymentLedger', line);
      expect((held.values.pendingPaymentRef as { id: string }).id).toBe(winners[0]?.recordId);
      expect((await finance.list('purchasePayment')).length).toBe(before.requests + 1);
      expect(await budgetOf(s, 'b-admin')).toEqual({
        ...before.budget,
        committed: before.budget.committed + amount,
        remaining: before.budget.remaining - amount,
      });
    }, 60_000);
  }
});
