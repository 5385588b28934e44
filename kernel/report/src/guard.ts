import { type DbCtx, dialectOf, withTx } from '@baton/db';
import { sql } from 'kysely';
import { ReportErrors } from './errors.ts';

// No report may hang the server. PostgreSQL: the statement runs in a transaction with
// `statement_timeout` set locally (the server cancels it; SQLSTATE 57014 becomes REPORT_TIMEOUT).
// SQLite: better-sqlite3 12 is built with SQLITE_OMIT_PROGRESS_CALLBACK and has no interrupt(), and it
// runs on the event loop's thread, so nothing can stop a running statement; the bound is a cap on the
// rows a report may read (the source is a subquery with LIMIT cap+1, checked in the same statement) and
// on the rows it may return. Both databases get the row caps.

export type ReportLimits = {
  /** PostgreSQL statement timeout. */
  timeoutMs: number;
  /** Result rows (groups) a report may return; more is REPORT_TOO_MANY_ROWS. */
  maxRows: number;
  /** SQLite: source rows a report may aggregate; more is REPORT_TOO_MUCH_DATA. */
  maxScannedRows: number;
  /** Rows of one export. */
  maxExportRows: number;
};

export const defaultReportLimits: Readonly<ReportLimits> = Object.freeze({
  timeoutMs: 15_000,
  maxRows: 10_000,
  maxScannedRows: 5_000_000,
  maxExportRows: 100_000,
});

export function limitsOf(given: Partial<ReportLimits> | undefined): ReportLimits {
  return { ...defaultReportLimits, ...given };
}

function isCancel(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '57014';
}

/**
 * Runs `fn` under the statement timeout. On PostgreSQL it joins (or opens) a transaction and sets
 * `statement_timeout` locally; when it joined the caller's transaction it puts the previous value back.
 */
export async function guarded<T>(ctx: DbCtx, limits: ReportLimits, fn: (ctx: DbCtx) => Promise<T>): Promise<T> {
  if (dialectOf(ctx.db) !== 'postgres') return fn(ctx);
  const joined = ctx.db.isTransaction;
  return withTx(ctx, async (tx) => {
    const ms = String(Math.max(1, Math.round(limits.timeoutMs)));
    const { rows } = await sql<{ previous: string }>`
      select current_setting('statement_timeout') as previous, set_config('statement_timeout', ${ms}, true) as now`.execute(
      tx.db,
    );
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      if (isCancel(error)) {
        throw ReportErrors.timeout.create({ seconds: Math.round(limits.timeoutMs / 100) / 10 }, { cause: error });
      }
      throw error;
    }
    if (joined) await sql`select set_config('statement_timeout', ${rows[0]?.previous ?? '0'}, true)`.execute(tx.db);
    return result;
  });
}
