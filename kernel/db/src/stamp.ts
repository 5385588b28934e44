import { newId } from '@baton/core';
import { expressionBuilder, type Kysely } from 'kysely';
import type { ColumnTypes } from './dialect.ts';
import type { DbCtx } from './schema.ts';

// A stamp table holds one row whose random stamp every change of some definitions replaces (published rules, the
// forms' versions, delegations in force). Processes cache what depends on those definitions under the stamp, and
// a read that happens anyway brings the current stamp along (`stampOf`), so a cache hit costs no statement. A stamp
// is never reused, so one written by a transaction that rolled back can never come back and validate a cache.

// biome-ignore lint/suspicious/noExplicitAny: stamp tables are named by the engine that owns them
type AnyDb = Kysely<any>;

/** The migration step of a stamp table `table` with its one row `id`. */
export async function createStampTable(db: AnyDb, t: ColumnTypes, table: string, id: string): Promise<void> {
  await db.schema
    .createTable(table)
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('stamp', t.text, (c) => c.notNull())
    .execute();
  await db.insertInto(table).values({ id, stamp: newId() }).execute();
}

/** Replaces the stamp in the caller's transaction: every process reads again after it commits. */
export async function renewStamp(ctx: DbCtx, table: string, id: string): Promise<string> {
  const stamp = newId();
  const db = ctx.db as unknown as AnyDb;
  const updated = await db.updateTable(table).set({ stamp }).where('id', '=', id).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto(table).values({ id, stamp }).execute();
  return stamp;
}

/** The current stamp as a scalar subquery of another read (`.select(stampOf(…).as('stamp'))`). */
export function stampOf(table: string, id: string) {
  // biome-ignore lint/suspicious/noExplicitAny: see AnyDb
  return expressionBuilder<any, never>().selectFrom(table).select('stamp').where('id', '=', id);
}
