import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { dialectOf } from './dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: works on any database shape (form tables are not in BatonDatabase)
type AnyDb = Kysely<any>;

/** `text` as a LIKE pattern that matches it literally: `%`, `_` and the escape character are escaped with `\`. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * `column` contains `text`, case-insensitively, with LIKE wildcards in `text` matched literally. ILIKE on
 * PostgreSQL (Unicode case folding), LIKE on SQLite (case-insensitive for ASCII; CJK has no case). `column`
 * is a reference as written in the caller's query (`'f_crm_customer.company_name'`), never from input.
 */
export function containsText(db: AnyDb, column: string, text: string): Expression<SqlBool> {
  const pattern = `%${likeEscape(text)}%`;
  const operator = dialectOf(db) === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  return sql<SqlBool>`${sql.ref(column)} ${operator} ${pattern} escape '\\'`;
}

/** Whether `error` is a unique-constraint violation (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
