import { parseTypeName, type ValueType } from '@baton/expression';
import { type FilterOperator, type FormDefinition, findFieldType } from '@baton/form';
import type { FormRef } from './types.ts';

/** What rules need to know of a field: its type in expressions, whether a rule may write it, how it can be matched. */
export type FieldInfo = {
  key: string;
  type: string;
  /** null: expressions cannot read it (attachments, opinions …). */
  exprType: ValueType | null;
  /** A stored value a write may set (not a formula, serial, upper-case amount or opinion slot). */
  writable: boolean;
  operators: readonly FilterOperator[];
};

export type FormInfo = {
  ref: FormRef;
  def: FormDefinition;
  fields: ReadonlyMap<string, FieldInfo>;
  subtables: ReadonlyMap<string, ReadonlyMap<string, FieldInfo>>;
};

const COMMON = new Set(['key', 'label', 'type', 'required', 'default', 'validation', 'help', 'renamedFrom']);

function fieldInfo(field: { key: string; type: string; [option: string]: unknown }): FieldInfo {
  const type = findFieldType(field.type);
  if (!type) return { key: field.key, type: field.type, exprType: null, writable: false, operators: [] };
  const raw = Object.fromEntries(Object.entries(field).filter(([name]) => !COMMON.has(name)));
  const parsed = type.configSchema.safeParse(raw);
  const config = parsed.success ? parsed.data : raw;
  const exprType = parsed.success ? (parseTypeName(type.expressionType(config)) ?? null) : null;
  const computed = type.formula !== undefined || type.generate !== undefined || type.writableBy !== undefined;
  return {
    key: field.key,
    type: type.type,
    exprType,
    writable: !computed && exprType !== null,
    operators: type.operators,
  };
}

const cache = new WeakMap<FormDefinition, FormInfo>();

export function formInfo(def: FormDefinition): FormInfo {
  const hit = cache.get(def);
  if (hit) return hit;
  const info: FormInfo = {
    ref: { pack: def.pack, key: def.key },
    def,
    fields: new Map(def.fields.map((field) => [field.key, fieldInfo(field)])),
    subtables: new Map(
      def.subtables.map((sub) => [sub.key, new Map(sub.columns.map((column) => [column.key, fieldInfo(column)]))]),
    ),
  };
  cache.set(def, info);
  return info;
}

/** Field types as @baton/expression declares them (fields it cannot read are left out). */
export function expressionFields(fields: ReadonlyMap<string, FieldInfo>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, info] of fields) if (info.exprType) out[`${prefix}${key}`] = info.exprType;
  return out;
}
