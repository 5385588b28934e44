// Identifier rules: every table and column name of a form comes from a key that passed these checks.

/** camelCase ASCII: a lower-case letter, then letters and digits; at most 40 characters. */
const KEY = /^[a-z][a-zA-Z0-9]{0,39}$/;

/** System columns (camelCase) and their snake_case names: never a field key. */
export const systemKeys: readonly string[] = Object.freeze([
  'id',
  'version',
  'state',
  'createdBy',
  'createdAt',
  'updatedBy',
  'updatedAt',
  'flowInstanceId',
  'voidedAt',
  'ownerId',
  'departmentId',
  'unitId',
  'parentId',
  'rowNo',
]);

// SQL and expression keywords: legal as quoted identifiers, but a source of confusion in reports, exports
// and hand-written SQL, so refused outright.
const reservedWords: ReadonlySet<string> = new Set([
  ...systemKeys.map((key) => key.toLowerCase()),
  'select',
  'insert',
  'update',
  'delete',
  'drop',
  'alter',
  'create',
  'table',
  'from',
  'where',
  'join',
  'union',
  'group',
  'order',
  'having',
  'limit',
  'offset',
  'into',
  'values',
  'set',
  'and',
  'or',
  'not',
  'in',
  'is',
  'like',
  'between',
  'null',
  'true',
  'false',
  'case',
  'when',
  'then',
  'else',
  'end',
  'as',
  'on',
  'by',
  'all',
  'any',
  'exists',
  'distinct',
  'user',
  'grant',
  'revoke',
  'primary',
  'foreign',
  'key',
  'references',
  'default',
  'check',
  'unique',
  'index',
  'column',
  'constraint',
  'exec',
  'execute',
  'rowid',
  'oid',
  'ctid',
  'xmin',
  'xmax',
  'proto',
  'constructor',
  'prototype',
  'tostring',
  'valueof',
  'hasownproperty',
]);

export type KeyProblem = 'syntax' | 'too_long' | 'reserved';

/** Why `key` cannot name a form, field, subtable or column, or undefined when it can. */
export function keyProblem(key: unknown): KeyProblem | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'syntax';
  if (key.length > 40) return 'too_long';
  if (!KEY.test(key)) return 'syntax';
  if (reservedWords.has(key.toLowerCase())) return 'reserved';
  return undefined;
}

/** snake_case of a validated camelCase key: `paymentTerms` → `payment_terms`, `item2Name` → `item2_name`. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The main table of a form: `f_<pack>_<key>` in snake_case. */
export function tableName(pack: string, key: string): string {
  return `f_${snakeCase(pack)}_${snakeCase(key)}`;
}

/** The table of a subtable: `<main>__<subtable>`. */
export function subtableName(pack: string, key: string, subtable: string): string {
  return `${tableName(pack, key)}__${snakeCase(subtable)}`;
}

/** PostgreSQL truncates identifiers beyond 63 bytes; longer names are refused. */
export const MAX_IDENTIFIER = 63;
