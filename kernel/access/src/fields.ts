import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { AccessErrors } from './errors.ts';
import { rolesOfMember } from './org-port.ts';
import type { Permission } from './permission-registry.ts';
import { permissionsOf } from './permissions.ts';
import { parseInput } from './validate.ts';

// Field permissions (P-19): per field hidden, read or edit. The model is deliberately small so the form
// engine can compile its own settings (per node, per role) into rules:
// - a rule gives `access` to `field` (a dotted path; `section.*` covers one level below, `*` everything),
//   optionally only for holders of a permission or a role;
// - a field's access is the MOST permissive of the rules that apply to it (a member with two roles
//   gets the union), or `defaultAccess` when none applies.
// So "salary hidden except for HR" is { field: 'salary', access: 'hidden' } plus
// { field: 'salary', access: 'read', permission: 'hr.salary.read' }.

export type FieldAccessLevel = 'hidden' | 'read' | 'edit';

const rank: Record<FieldAccessLevel, number> = { hidden: 0, read: 1, edit: 2 };

const PATH = /^(\*|[A-Za-z_$][A-Za-z0-9_$]*(\.([A-Za-z_$][A-Za-z0-9_$]*|\*))*)$/;

const ruleSchema = z.object({
  field: z.string().min(1).max(200).regex(PATH, 'a dotted field path, optionally ending in .*'),
  access: z.enum(['hidden', 'read', 'edit']),
  /** Applies only to members holding this permission. */
  permission: z.string().min(1).max(200).optional(),
  /** Applies only to members holding this role (code). */
  role: z.string().min(1).max(64).optional(),
});
export type FieldRule = z.input<typeof ruleSchema>;

const inputSchema = z.object({
  memberId: z.string().min(1).max(64),
  resource: z.string().min(1).max(200),
  rules: z.array(ruleSchema).max(10_000),
  /** For fields no applicable rule mentions. Default 'read'. */
  defaultAccess: z.enum(['hidden', 'read', 'edit']).default('read'),
});
export type FieldAccessInput = z.input<typeof inputSchema>;

export type FieldAccess = {
  resource: string;
  defaultAccess: FieldAccessLevel;
  /** Exact paths and `x.*` patterns with the access they resolved to. */
  fields: Readonly<Record<string, FieldAccessLevel>>;
  /** A second set of rules this one is narrowed by: a field gets the LEAST of the two (see narrowAccess). */
  within?: FieldAccess;
};

/** Works out the member's access to each field mentioned by the rules. */
export async function fieldAccess(ctx: DbCtx, input: FieldAccessInput): Promise<FieldAccess> {
  const data = parseInput(inputSchema, input);
  const needsPermissions = data.rules.some((rule) => rule.permission);
  const needsRoles = data.rules.some((rule) => rule.role);
  const permissions: ReadonlySet<Permission> = needsPermissions ? await permissionsOf(ctx, data.memberId) : new Set();
  const roles = new Set(needsRoles ? (await rolesOfMember(ctx, data.memberId)).map((role) => role.code) : []);
  const fields: Record<string, FieldAccessLevel> = Object.create(null);
  for (const rule of data.rules) {
    if (rule.permission && !permissions.has(rule.permission)) continue;
    if (rule.role && !roles.has(rule.role)) continue;
    const current = fields[rule.field];
    if (current === undefined || rank[rule.access] > rank[current]) fields[rule.field] = rule.access;
  }
  return Object.freeze({ resource: data.resource, defaultAccess: data.defaultAccess, fields: Object.freeze(fields) });
}

/**
 * The access to one field path (`amount`, `paymentTerms.amount`): its own rule, else its parent's `x.*`
 * pattern, else whatever its parent resolved to (a column of a read-only subtable is read-only), and for
 * top-level fields the `*` rule, else defaultAccess.
 */
export function accessOf(access: FieldAccess, path: string): FieldAccessLevel {
  const own = resolveOwn(access, path);
  if (!access.within) return own;
  const outer = accessOf(access.within, path);
  return rank[outer] < rank[own] ? outer : own;
}

/**
 * Two layers of field rules that must both allow: a form's own rules (per role) and those of the place it
 * is read or written from (a flow node). Each layer takes its most permissive applicable rule; between the
 * layers the least permissive wins, so neither can widen what the other narrows.
 */
export function narrowAccess(access: FieldAccess, by: FieldAccess): FieldAccess {
  return Object.freeze({ ...access, within: access.within ? narrowAccess(access.within, by) : by });
}

function resolveOwn(access: FieldAccess, path: string): FieldAccessLevel {
  // Own keys only: a record key such as `constructor` must not find Object.prototype's.
  const rule = (key: string) => (Object.hasOwn(access.fields, key) ? access.fields[key] : undefined);
  const exact = rule(path);
  if (exact) return exact;
  const dot = path.lastIndexOf('.');
  if (dot < 0) return rule('*') ?? access.defaultAccess;
  const parent = path.slice(0, dot);
  return rule(`${parent}.*`) ?? resolveOwn(access, parent);
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isRowList(value: unknown): value is Plain[] {
  return Array.isArray(value) && value.every(isPlain);
}

/**
 * A copy of `record` without the fields the member may not see. Nested objects and subtable rows (arrays
 * of objects) are filtered by their dotted paths (`paymentTerms.amount`) once their parent is visible.
 */
export function filterReadable<T extends Plain>(record: T, access: FieldAccess): Partial<T> {
  return filterObject(record, access, '') as Partial<T>;
}

function filterObject(record: Plain, access: FieldAccess, prefix: string): Plain {
  const result: Plain = {};
  for (const [key, value] of Object.entries(record)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (accessOf(access, path) === 'hidden') continue;
    if (isRowList(value)) result[key] = value.map((row) => filterObject(row, access, path));
    else if (isPlain(value)) result[key] = filterObject(value, access, path);
    else result[key] = value;
  }
  return result;
}

/**
 * Throws ACCESS_FIELD_NOT_WRITABLE listing every field of `input` (a change set: only the keys present
 * count) that is not editable for the member, with its path (`['paymentTerms', 2, 'amount']`).
 */
export function assertWritable(input: Plain, access: FieldAccess): void {
  const issues: Array<{ path: Array<string | number>; code: string; message: string }> = [];
  collectUnwritable(input, access, '', [], issues);
  if (issues.length === 0) return;
  throw AccessErrors.fieldNotWritable.create(
    { fields: issues.map((issue) => issue.path.join('.')).join(', ') },
    { fields: issues },
  );
}

function collectUnwritable(
  value: Plain,
  access: FieldAccess,
  prefix: string,
  path: Array<string | number>,
  issues: Array<{ path: Array<string | number>; code: string; message: string }>,
): void {
  for (const [key, item] of Object.entries(value)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    const here = [...path, key];
    if (accessOf(access, dotted) !== 'edit') {
      issues.push({ path: here, code: 'not_writable', message: `${dotted} is not writable` });
      continue;
    }
    if (isRowList(item)) {
      for (const [index, row] of item.entries()) collectUnwritable(row, access, dotted, [...here, index], issues);
    } else if (isPlain(item)) collectUnwritable(item, access, dotted, here, issues);
  }
}
