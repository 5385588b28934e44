import { createHash } from 'node:crypto';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

// Keyset paging: a cursor is the sort values and the id of the last record of a page. It is opaque
// (base64url JSON) and bound to its query by a fingerprint, so a cursor taken from another form, sort or
// filter, or edited by hand, is refused rather than silently paging somewhere else.

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyEb = ExpressionBuilder<any, any>;

export type CursorValue = string | number | boolean | null;
export type Cursor = { values: CursorValue[]; id: string };

/** One sort key: its qualified column, its direction and how a value from the cursor becomes a bound value. */
export type SortKey = { column: string; dir: 'asc' | 'desc' };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A short digest of whatever identifies the query a cursor belongs to. */
export function queryFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: Cursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, v: cursor.values, i: cursor.id })).toString('base64url');
}

/** The cursor, or undefined when it is malformed, tampered with or from another query. */
export function decodeCursor(text: string, fingerprint: string, keys: number): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { f, v, i } = data as { f?: unknown; v?: unknown; i?: unknown };
  if (f !== fingerprint || typeof i !== 'string' || !ID.test(i)) return undefined;
  if (!Array.isArray(v) || v.length !== keys) return undefined;
  const scalar = (x: unknown) =>
    x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
  if (!v.every(scalar)) return undefined;
  return { values: v as CursorValue[], id: i };
}

/**
 * The rows after the cursor in `ORDER BY k1 d1, …, id ASC`, where NULL sorts after every value ascending and
 * before every value descending (PostgreSQL's default; SQLite is told NULLS LAST / FIRST to match):
 * OR over i of (k1 = v1 AND … AND k(i-1) = v(i-1) AND ki after vi), then all equal AND id > cursor id.
 * `bound` are the cursor values already converted to what the column stores.
 */
export function afterCursor(
  eb: AnyEb,
  keys: readonly SortKey[],
  bound: readonly unknown[],
  idColumn: string,
  id: string,
): Expression<SqlBool> {
  const equal = (key: SortKey, value: unknown) =>
    value === null ? eb(key.column, 'is', null) : eb(key.column, '=', value);
  const after = (key: SortKey, value: unknown): Expression<SqlBool> | undefined => {
    if (key.dir === 'asc') {
      // Nothing is after NULL ascending; after a value: greater ones, then the NULLs.
      return value === null ? undefined : eb.or([eb(key.column, '>', value), eb(key.column, 'is', null)]);
    }
    return value === null ? eb(key.column, 'is not', null) : eb(key.column, '<', value);
  };
  const branches: Expression<SqlBool>[] = [];
  for (let i = 0; i <= keys.length; i++) {
    const prefix = keys.slice(0, i).map((key, j) => equal(key, bound[j]));
    const last = i < keys.length ? after(keys[i] as SortKey, bound[i]) : eb(idColumn, '>', id);
    if (last === undefined) continue;
    branches.push(prefix.length === 0 ? last : eb.and([...prefix, last]));
  }
  return eb.or(branches);
}
