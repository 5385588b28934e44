import {
  compile,
  type ExpressionIssue,
  type ExpressionSchema,
  type PreparedSchema,
  prepareSchema,
  type ValueType,
} from '@baton/expression';
import type { SemanticsOf } from '../../form-runtime/compute.ts';
import type { FormDefinition, Label } from '../../form-runtime/types.ts';

// The formula editor's view of the draft: the schema the server compiles expressions against (built from the
// form's own fields, as kernel/form does), the names a formula may use, and live type-checking with
// @baton/expression — the same compile the server runs on publish, so its issues are the server's.

/** The expression schema of a draft definition; undefined when the draft's keys cannot form one yet. */
export function schemaOf(def: FormDefinition, semanticsOf: SemanticsOf): PreparedSchema | undefined {
  const fields: Record<string, { type: string }> = {};
  for (const field of def.fields) {
    const type = semanticsOf(field).exprType;
    if (type && field.key) fields[field.key] = { type };
  }
  const subtables: Record<string, { columns: Record<string, { type: string }> }> = {};
  for (const sub of def.subtables ?? []) {
    const columns: Record<string, { type: string }> = {};
    for (const column of sub.columns) {
      const type = semanticsOf(column).exprType;
      if (type && column.key) columns[column.key] = { type };
    }
    if (sub.key) subtables[sub.key] = { columns };
  }
  const input: ExpressionSchema = { fields, subtables };
  return prepareSchema(input).schema;
}

export type CheckResult = { ok: true } | { ok: false; issues: readonly ExpressionIssue[] } | { ok: false; blank: true };

/** Type-checks `source` as the server will: in a subtable's row scope for a column, expecting `expect`. */
export function checkExpression(
  source: string,
  schema: PreparedSchema | undefined,
  options: { scope?: string; expect?: string },
): CheckResult {
  if (source.trim() === '') return { ok: false, blank: true };
  if (!schema) return { ok: true };
  const result = compile(source, schema, {
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.expect ? { expect: options.expect as ValueType } : {}),
  });
  return result.ok ? { ok: true } : { ok: false, issues: result.issues };
}

/** A name the field picker offers: what it inserts, what it shows, its type in the language. */
export type PickerEntry = { insert: string; label: Label; type: string; kind: 'field' | 'column' | 'rows' };

/**
 * The names a formula may use. Main fields always; in a subtable's row scope its columns by bare name; at the
 * main level every column as `sub.column` (inside an aggregate) and `COUNT(sub)` for the number of rows.
 * `self` (the field being edited) is left out: a formula cannot read itself.
 */
export function pickerEntries(
  def: FormDefinition,
  semanticsOf: SemanticsOf,
  options: { scope?: string; self?: string },
): PickerEntry[] {
  const entries: PickerEntry[] = [];
  const inScope = options.scope !== undefined;
  if (inScope) {
    const sub = def.subtables?.find((s) => s.key === options.scope);
    for (const column of sub?.columns ?? []) {
      const type = semanticsOf(column).exprType;
      if (type && column.key !== options.self) {
        entries.push({ insert: column.key, label: column.label, type, kind: 'column' });
      }
    }
  }
  for (const field of def.fields) {
    const type = semanticsOf(field).exprType;
    if (type && (inScope || field.key !== options.self)) {
      entries.push({ insert: field.key, label: field.label, type, kind: 'field' });
    }
  }
  if (!inScope) {
    for (const sub of def.subtables ?? []) {
      entries.push({ insert: `COUNT(${sub.key})`, label: sub.label, type: 'number', kind: 'rows' });
      for (const column of sub.columns) {
        const type = semanticsOf(column).exprType;
        if (type) {
          entries.push({
            insert: `${sub.key}.${column.key}`,
            label: { zh: `${sub.label.zh}.${column.label.zh}`, en: `${sub.label.en}.${column.label.en}` },
            type: `list<${type}>`,
            kind: 'column',
          });
        }
      }
    }
  }
  return entries;
}

/** Inserts `text` at the selection of a text area's value, returning the new value and caret. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const before = value.slice(0, start);
  const after = value.slice(end);
  // A name glued to the previous word would change its meaning: `amount` after `price` becomes `priceamount`.
  const pad = before.length > 0 && /[\w\u4e00-\u9fff)]$/.test(before) && /^[\w(]/.test(text) ? ' ' : '';
  const next = `${before}${pad}${text}${after}`;
  return { value: next, caret: before.length + pad.length + text.length };
}
