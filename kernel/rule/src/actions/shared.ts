import { z } from 'zod';
import type { FormInfo } from '../forms.ts';
import type { FormRef } from '../types.ts';
import type { CheckContext } from './define.ts';

const PACK_KEY = /^[a-z][A-Za-z0-9]{0,39}$/;
const DOTTED = /^([a-z][A-Za-z0-9]{0,39})\.([a-z][A-Za-z0-9]{0,39})$/;

/**
 * Hints for editors that draw an action's settings from its JSON Schema (GET /api/rules/registry): `x-widget` says
 * what a value is beyond its JSON type (an expression, a form, a target field ← expression mapping …), `x-expect` the
 * type an expression must have. They change nothing in validation.
 */
export type SettingWidget =
  | 'expression'
  | 'form'
  | 'flow'
  | 'set'
  | 'match'
  | 'targetField'
  | 'params'
  | 'label'
  /** Target subtable → row mapping (`from`, `when`, `set`, `onUpdate`). */
  | 'rows'
  /** A subtable of the record the rule reacts to. */
  | 'sourceSubtable'
  /** Column of the target subtable ← expression over the source row and the record. */
  | 'columns';
export const widget = (name: SettingWidget, expect?: string) => ({
  'x-widget': name,
  ...(expect === undefined ? {} : { 'x-expect': expect }),
});

/** `'pack.key'` or `{ pack, key }`, normalised to `{ pack, key }`. */
const refSchema = z.union([
  z
    .string()
    .regex(DOTTED, 'pack.key')
    .transform((value): FormRef => {
      const [, pack, key] = DOTTED.exec(value) as RegExpExecArray;
      return { pack: pack as string, key: key as string };
    }),
  z.strictObject({ pack: z.string().regex(PACK_KEY), key: z.string().regex(PACK_KEY) }),
]);
export const formRefSchema = refSchema.meta(widget('form'));
export const flowRefSchema = refSchema.meta(widget('flow'));

const expression = z.string().min(1).max(4000);
export const exprSchema = expression.meta(widget('expression'));
/** An expression whose value must have this type (what the action's check asks of it). */
export const typedExprSchema = (expect: string) => expression.meta(widget('expression', expect));
export const labelSchema = z
  .strictObject({ zh: z.string().min(1).max(2000), en: z.string().min(1).max(2000) })
  .meta(widget('label'));
export const fieldKey = z.string().min(1).max(40);
export const targetFieldSchema = fieldKey.meta(widget('targetField'));
export const sourceSubtableSchema = fieldKey.meta(widget('sourceSubtable'));
/** Target subtable column → expression. */
export const columnsSchema = z.record(fieldKey, expression).meta(widget('columns'));
/** Target field → expression. */
export const mappingSchema = z.record(fieldKey, expression).meta(widget('set'));
/** How the one target record is found: target field (or `id`, alone) → expression over the source. */
export const matchSchema = z.record(fieldKey, expression).meta(widget('match'));
/** Free names → expressions (message placeholders, a connector's body). */
export const namedExprsSchema = (name: z.ZodString) => z.record(name, expression).meta(widget('params'));
export const paramsSchema = namedExprsSchema(z.string().regex(/^\w{1,40}$/)).optional();
export const ifMissingSchema = z.enum(['fail', 'skip']).default('fail');

/** `match`: target field keys (or `id`, alone) → expressions over the source; evaluated before the target is known. */
export function checkMatch(
  context: CheckContext,
  target: FormInfo | undefined,
  match: Readonly<Record<string, string>>,
  path: readonly (string | number)[],
): void {
  const keys = Object.keys(match);
  if (keys.length === 0) context.add(path, 'match_empty');
  if (keys.includes('id') && keys.length > 1) context.add(path, 'match_id_alone');
  for (const key of keys) {
    const at = [...path, key];
    if (key === 'id') {
      context.expr(at, match[key] as string, { expect: 'text' });
      continue;
    }
    if (target) {
      const field = target.fields.get(key);
      if (!field?.exprType) {
        context.add(at, 'unknown_field', { form: `${target.ref.pack}.${target.ref.key}`, field: key });
        continue;
      }
      if (!field.operators.includes('eq')) {
        context.add(at, 'not_matchable', { type: field.type });
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
      context.add(at, 'unknown_field', { form: `${target.ref.pack}.${target.ref.key}`, field: key });
      continue;
    }
    if (!field.writable || !field.exprType) {
      context.add(at, 'not_writable', { field: key, type: field.type });
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
