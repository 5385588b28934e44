import { z } from 'zod';
import type { FormInfo } from '../forms.ts';
import type { FormRef } from '../types.ts';
import type { CheckContext } from './define.ts';

const PACK_KEY = /^[a-z][A-Za-z0-9]{0,39}$/;
const DOTTED = /^([a-z][A-Za-z0-9]{0,39})\.([a-z][A-Za-z0-9]{0,39})$/;

/** `'pack.key'` or `{ pack, key }`, normalised to `{ pack, key }`. */
export const formRefSchema = z.union([
  z
    .string()
    .regex(DOTTED, 'pack.key')
    .transform((value): FormRef => {
      const [, pack, key] = DOTTED.exec(value) as RegExpExecArray;
      return { pack: pack as string, key: key as string };
    }),
  z.strictObject({ pack: z.string().regex(PACK_KEY), key: z.string().regex(PACK_KEY) }),
]);

export const exprSchema = z.string().min(1).max(4000);
export const labelSchema = z.strictObject({ zh: z.string().min(1).max(2000), en: z.string().min(1).max(2000) });
export const fieldKey = z.string().min(1).max(40);
/** Target field → expression. */
export const mappingSchema = z.record(fieldKey, exprSchema);
export const paramsSchema = z.record(z.string().regex(/^\w{1,40}$/), exprSchema).optional();
export const ifMissingSchema = z.enum(['fail', 'skip']).default('fail');

/** `match`: target field keys (or `id`, alone) → expressions over the source; evaluated before the target is known. */
export function checkMatch(
  context: CheckContext,
  target: FormInfo | undefined,
  match: Readonly<Record<string, string>>,
  path: readonly (string | number)[],
): void {
  const keys = Object.keys(match);
  if (keys.length === 0) context.add(path, 'match_empty', 'name at least one field to match on');
  if (keys.includes('id') && keys.length > 1) context.add(path, 'match_id_alone', 'match on id alone');
  for (const key of keys) {
    const at = [...path, key];
    if (key === 'id') {
      context.expr(at, match[key] as string, { expect: 'text' });
      continue;
    }
    if (target) {
      const field = target.fields.get(key);
      if (!field?.exprType) {
        context.add(at, 'unknown_field', `${target.ref.pack}.${target.ref.key} has no field "${key}" to match on`);
        continue;
      }
      if (!field.operators.includes('eq')) {
        context.add(at, 'not_matchable', `a ${field.type} field cannot be matched on`);
        continue;
      }
      context.expr(at, match[key] as string, { expect: field.exprType });
    } else context.expr(at, match[key] as string);
  }
}

/** `set`: writable target fields → expressions (reading `$target` when `withTarget`). */
export function checkSet(
  context: CheckContext,
  target: FormInfo | undefined,
  set: Readonly<Record<string, string>>,
  path: readonly (string | number)[],
  withTarget: boolean,
): void {
  for (const [key, source] of Object.entries(set)) {
    const at = [...path, key];
    if (!target) {
      context.expr(at, source);
      continue;
    }
    const field = target.fields.get(key);
    if (!field) {
      context.add(at, 'unknown_field', `${target.ref.pack}.${target.ref.key} has no field "${key}"`);
      continue;
    }
    if (!field.writable || !field.exprType) {
      context.add(at, 'not_writable', `"${key}" (${field.type}) is computed or cannot be written by a rule`);
      continue;
    }
    context.expr(at, source, { expect: field.exprType, ...(withTarget ? { target } : {}) });
  }
}

/** The values of a list or single member/id value as a list of non-blank strings. */
export function idsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return [...new Set(list.filter((item): item is string => typeof item === 'string' && item !== ''))];
}
