import { type Expression, type Kysely, sql } from 'kysely';
import { instant } from './dialect.ts';
import { DbErrors } from './errors.ts';
import type { DbCtx } from './schema.ts';

export type UpdateVersionedInput = {
  /** SQL table name (snake_case), e.g. `f_contracts_contract`. */
  table: string;
  id: string;
  /** The version the caller read; the update applies only if the row still has it. */
  version: number;
  /** Columns to change, camelCase like every TS-side column name. */
  set: Record<string, unknown>;
  /** Also set `updatedAt` to ctx.clock's now (default true); pass false for tables without it. */
  touch?: boolean;
  /** Return the updated row as stored (RETURNING *), sparing the caller a read after its write. */
  returnRow?: boolean;
  /** With returnRow: more values read by the same statement, by the name they are returned under. */
  alsoReturn?: Readonly<Record<string, Expression<unknown>>>;
};

/**
 * Optimistic update: `… set …, version = version + 1, updated_at = now where id = ? and version = ?`.
 * Convention: a versioned table has `id`, `version` (integer) and `updated_at` (instant) columns.
 * A lost race throws DB_VERSION_CONFLICT (409); a missing row throws DB_ROW_NOT_FOUND (404).
 */
export async function updateVersioned(
  ctx: DbCtx,
  input: UpdateVersionedInput,
): Promise<{ version: number; row?: Record<string, unknown> }> {
  const { table, id, version } = input;
  if (!Number.isInteger(version)) throw new TypeError('updateVersioned: version must be an integer');
  if ('id' in input.set || 'version' in input.set) {
    throw new TypeError('updateVersioned: set must not change id or version');
  }
  // biome-ignore lint/suspicious/noExplicitAny: the table is named at run time
  const db = ctx.db as unknown as Kysely<any>;
  const next = version + 1;
  const values: Record<string, unknown> = { ...input.set, version: next };
  if (input.touch !== false && !('updatedAt' in values)) values.updatedAt = instant(ctx.clock.now());
  const update = db.updateTable(table).set(values).where('id', '=', id).where('version', '=', version);
  if (input.returnRow) {
    const also = Object.entries(input.alsoReturn ?? {});
    const returning = update.returningAll();
    const row = await (also.length > 0
      ? returning.returning(also.map(([name, value]) => sql`${value}`.as(name)))
      : returning
    ).executeTakeFirst();
    if (row) return { version: next, row };
  } else if ((await update.executeTakeFirst()).numUpdatedRows > 0n) return { version: next };
  const current = await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
  if (!current) throw DbErrors.rowNotFound.create({ table, id });
  throw DbErrors.versionConflict.create({ table, id, expected: version, actual: Number(current.version) });
}
