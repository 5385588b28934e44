import type { DbCtx } from './schema.ts';

/**
 * Runs `fn` in a transaction. When `ctx.db` already is a transaction, `fn` joins it (no savepoint):
 * whoever opened the transaction commits it, and an error that propagates out of the outermost
 * withTx rolls back everything, inner writes included. An inner error the caller catches and
 * swallows does NOT undo the inner writes. On SQLite the transaction is BEGIN IMMEDIATE.
 *
 * Inside `fn` use only the ctx it is given: on SQLite the one connection is held by the transaction,
 * so a query on the outer, non-transaction `db` would wait for it forever.
 */
export async function withTx<C extends DbCtx, T>(ctx: C, fn: (ctx: C) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}
