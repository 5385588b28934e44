import { sha256Hex } from './crypto.ts';

/** prev_hash of the first row: nothing came before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives the same
 * text, whatever order its keys were built in or a database (PostgreSQL jsonb) returns them in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined && typeof item !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** The fields of an audit row that its hash covers: everything but the hash itself. */
export type HashedAuditFields = {
  seq: number;
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  detail: unknown;
  prevHash: string;
};

/** hash = SHA-256(prev_hash ‖ canonical JSON of the row), so changing any row breaks every later link. */
export function auditRowHash(row: HashedAuditFields): string {
  const { prevHash, ...fields } = row;
  return sha256Hex(prevHash + canonicalJson({ ...fields, detail: fields.detail ?? null }));
}
