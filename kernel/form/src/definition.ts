import { createHash } from 'node:crypto';
import { type ErrorParams, type FieldIssue, nestIssue, shapeDetail, shapeIssues } from '@baton/core';
import {
  type CompiledExpression,
  compile,
  type ExpressionSchema,
  orderFormulas,
  type PreparedSchema,
  prepareSchema,
  type ValueType,
} from '@baton/expression';
import { z } from 'zod';
import { FormErrors } from './errors.ts';
import type { FormLookup } from './field-types/define.ts';
import { type AnyFieldType, findFieldType } from './field-types/registry.ts';
import { type FormIssueCode, FormIssues } from './issues.ts';
import { keyProblem, MAX_IDENTIFIER, snakeCase, subtableName, tableName } from './keys.ts';

export type Label = { zh: string; en: string };
export type ContextSource = 'member' | 'department' | 'unit' | 'post' | 'today' | 'now';
export type DefaultSpec =
  | string
  | number
  | boolean
  | null
  | readonly unknown[]
  | { from: ContextSource }
  | { expr: string };

/** One field (or subtable column); type-specific config keys sit beside the common ones. */
export type FieldDefinition = {
  key: string;
  label: Label;
  type: string;
  required?: boolean;
  default?: DefaultSpec;
  validation?: { expr: string; message: Label };
  help?: Label;
  /** The key this field had in the previous version: the column is kept. */
  renamedFrom?: string;
  [config: string]: unknown;
};

export type SubtableDefinition = {
  key: string;
  label: Label;
  columns: FieldDefinition[];
  minRows?: number;
  maxRows?: number;
  /** Numeric columns summed into the record's `totals`. */
  totals?: string[];
  renamedFrom?: string;
};

export type LayoutCell = { field: string; span?: number };
export type Section = { key?: string; title?: Label; rows: LayoutCell[][] };

export type FormDefinitionInput = {
  pack: string;
  key: string;
  kind: 'flow' | 'archive';
  label: Label;
  fields: FieldDefinition[];
  subtables?: SubtableDefinition[];
  layout?: { sections: Section[] };
  /** Unique keys: each a list of main field keys. */
  keys?: string[][];
  /**
   * Members who reach a record besides its owner (scope `assigned`, P-64): those named in these `member`
   * fields read and change it; the supervisors of the owner and of those members up to `supervisorLevels`
   * (一级/二级/三级主管, from the org as it is now) read it.
   */
  assignedTo?: { fields: string[]; supervisorLevels?: number };
  /**
   * Field permissions (P-19) per role: `{ field, access: hidden|read|edit, role? }` — a main field, a subtable
   * (as a whole) or `*`; without `role` the rule is everyone's. A field takes the most permissive rule that
   * applies to the member, else `edit`. Enforced whenever records are read or written for a member.
   */
  fieldAccess?: FormFieldRule[];
};

export type FormFieldRule = { field: string; access: 'hidden' | 'read' | 'edit'; role?: string };

/** A validated, defaults-applied, deep-frozen definition with its content hash. */
export type FormDefinition = Readonly<
  Omit<FormDefinitionInput, 'subtables' | 'keys'> & {
    subtables: readonly SubtableDefinition[];
    keys: readonly (readonly string[])[];
    hash: string;
  }
>;

export type FormIssue = FieldIssue & { message: string };

const COMMON = new Set(['key', 'label', 'type', 'required', 'default', 'validation', 'help', 'renamedFrom']);

const label = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
const contextSources = ['member', 'department', 'unit', 'post', 'today', 'now'] as const;
const defaultSpec = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.unknown()).max(500),
  z.strictObject({ from: z.enum(contextSources) }),
  z.strictObject({ expr: z.string().min(1).max(4000) }),
]);
const fieldShape = z.looseObject({
  key: z.string(),
  label,
  type: z.string().max(40),
  required: z.boolean().default(false),
  default: defaultSpec.optional(),
  validation: z.strictObject({ expr: z.string().min(1).max(4000), message: label }).optional(),
  help: label.optional(),
  renamedFrom: z.string().max(40).optional(),
});
const cell = z.strictObject({ field: z.string().max(40), span: z.number().int().min(1).max(24).default(24) });
const shape = z.strictObject({
  pack: z.string(),
  key: z.string(),
  kind: z.enum(['flow', 'archive']),
  label,
  fields: z.array(fieldShape).max(500),
  subtables: z
    .array(
      z.strictObject({
        key: z.string(),
        label,
        columns: z.array(fieldShape).min(1).max(200),
        minRows: z.number().int().min(0).max(10_000).optional(),
        maxRows: z.number().int().min(1).max(10_000).optional(),
        totals: z.array(z.string().max(40)).max(200).optional(),
        renamedFrom: z.string().max(40).optional(),
      }),
    )
    .max(50)
    .default([]),
  layout: z
    .strictObject({
      sections: z
        .array(
          z.strictObject({
            key: z.string().max(40).optional(),
            title: label.optional(),
            rows: z.array(z.array(cell).min(1).max(24)).max(500),
          }),
        )
        .max(100),
    })
    .optional(),
  keys: z
    .array(z.array(z.string().max(40)).min(1).max(8))
    .max(20)
    .default([]),
  assignedTo: z
    .strictObject({
      fields: z.array(z.string().max(40)).min(1).max(10),
      supervisorLevels: z.number().int().min(0).max(5).default(0),
    })
    .optional(),
  fieldAccess: z
    .array(
      z.strictObject({
        field: z.string().min(1).max(40),
        access: z.enum(['hidden', 'read', 'edit']),
        role: z
          .string()
          .min(1)
          .max(64)
          .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'a role code')
          .optional(),
      }),
    )
    .max(500)
    .optional(),
});

// ---- compiled view (internal) --------------------------------------------------------------------

export type CompiledField = {
  readonly key: string;
  readonly def: FieldDefinition;
  readonly type: AnyFieldType;
  readonly config: unknown;
  /** Expression type name, or null when expressions cannot read this field. */
  readonly exprType: string | null;
  readonly formula?: CompiledExpression;
  readonly validation?: CompiledExpression;
  readonly defaultExpr?: CompiledExpression;
};

export type CompiledSubtable = {
  readonly key: string;
  readonly def: SubtableDefinition;
  readonly columns: readonly CompiledField[];
  readonly byKey: ReadonlyMap<string, CompiledField>;
};

export type CompiledForm = {
  readonly def: FormDefinition;
  readonly fields: readonly CompiledField[];
  readonly byKey: ReadonlyMap<string, CompiledField>;
  readonly subtables: readonly CompiledSubtable[];
  readonly subByKey: ReadonlyMap<string, CompiledSubtable>;
  /** Formula keys (`total`, `items.lineTotal`) in dependency order. */
  readonly formulaOrder: readonly string[];
};

type Analysis = { issues: FormIssue[]; normalized?: FormDefinitionInput; compiled?: Omit<CompiledForm, 'def'> };

const contextNames: Readonly<Record<ContextSource, string>> = {
  member: '当前人员',
  department: '当前部门',
  unit: '当前单位',
  post: '当前岗位',
  today: '今天',
  now: '现在',
};
const typeNames: Readonly<Record<string, string>> = {
  member: '人员',
  department: '部门',
  text: '文本',
  date: '日期',
  datetime: '日期时间',
};

const contextTypes: Readonly<Record<ContextSource, string>> = {
  member: 'member',
  department: 'department',
  unit: 'text',
  post: 'text',
  today: 'date',
  now: 'datetime',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function analyse(input: unknown): Analysis {
  const issues: FormIssue[] = [];
  const add = (path: (string | number)[], code: FormIssueCode, params?: ErrorParams) =>
    issues.push(FormIssues.issue(path, code, params));
  /** Expression issues (and a field type's own) keep their code and params: the server words them. */
  const carry = (issue: FieldIssue, prefix: (string | number)[] = []) => issues.push(nestIssue(issue, prefix));
  const parsed = shape.safeParse(input);
  if (!parsed.success) {
    issues.push(...shapeIssues(parsed.error.issues, input));
    return { issues };
  }
  const def = parsed.data as FormDefinitionInput & {
    subtables: SubtableDefinition[];
    keys: string[][];
    assignedTo?: { fields: string[]; supervisorLevels: number };
  };

  const checkKey = (path: (string | number)[], key: string) => {
    const problem = keyProblem(key);
    if (problem === 'too_long') add(path, 'key_too_long');
    else if (problem === 'syntax') add(path, 'key_syntax');
    else if (problem === 'reserved') add(path, 'key_reserved', { key });
    else if (snakeCase(key).length > 56) add(path, 'key_too_long');
    return problem === undefined;
  };
  const packOk = checkKey(['pack'], def.pack);
  const keyOk = checkKey(['key'], def.key);
  if (packOk && keyOk && tableName(def.pack, def.key).length > MAX_IDENTIFIER) {
    add(['key'], 'name_too_long', { table: tableName(def.pack, def.key) });
  }

  // ---- keys and types ----
  const main = new Map<string, number>();
  type Pending = { path: (string | number)[]; def: FieldDefinition; type?: AnyFieldType; config?: unknown };
  const analyseField = (path: (string | number)[], field: FieldDefinition, seen: Map<string, number>): Pending => {
    const pending: Pending = { path, def: field };
    if (checkKey([...path, 'key'], field.key)) {
      if (seen.has(field.key)) add([...path, 'key'], 'duplicate_key', { key: field.key });
      else seen.set(field.key, 0);
    }
    if (field.renamedFrom !== undefined && keyProblem(field.renamedFrom) !== undefined) {
      add([...path, 'renamedFrom'], 'key_syntax');
    }
    const type = findFieldType(field.type);
    if (!type) {
      add([...path, 'type'], 'unknown_type', { type: field.type });
      return pending;
    }
    const raw = Object.fromEntries(Object.entries(field).filter(([name]) => !COMMON.has(name)));
    const config = type.configSchema.safeParse(raw);
    if (!config.success) {
      for (const issue of shapeIssues(config.error.issues, raw, path))
        add([...issue.path], 'bad_config', shapeDetail(issue));
      return pending;
    }
    return { ...pending, type, config: config.data };
  };
  const fields = def.fields.map((field, index) => analyseField(['fields', index], field, main));
  const subtables = def.subtables.map((sub, index) => {
    const path = ['subtables', index];
    if (checkKey([...path, 'key'], sub.key)) {
      if (main.has(sub.key)) add([...path, 'key'], 'duplicate_key', { key: sub.key });
      else main.set(sub.key, 0);
      if (packOk && keyOk && subtableName(def.pack, def.key, sub.key).length > MAX_IDENTIFIER) {
        add([...path, 'key'], 'name_too_long', { table: subtableName(def.pack, def.key, sub.key) });
      }
    }
    const seen = new Map<string, number>();
    const columns = sub.columns.map((column, c) => analyseField([...path, 'columns', c], column, seen));
    if (sub.minRows !== undefined && sub.maxRows !== undefined && sub.minRows > sub.maxRows) {
      add([...path, 'minRows'], 'bad_rows');
    }
    return { path, def: sub, columns };
  });

  // ---- expression schema from the form's own fields ----
  const typeOf = (p: Pending) => (p.type ? (p.type.expressionType(p.config) as string | null) : null);
  const schemaFields: Record<string, { type: string }> = {};
  for (const f of fields) {
    const t = typeOf(f);
    if (t && keyProblem(f.def.key) === undefined) schemaFields[f.def.key] = { type: t };
  }
  const schemaSubtables: Record<string, { columns: Record<string, { type: string }> }> = {};
  for (const s of subtables) {
    if (keyProblem(s.def.key) !== undefined) continue;
    const columns: Record<string, { type: string }> = {};
    for (const c of s.columns) {
      const t = typeOf(c);
      if (t && keyProblem(c.def.key) === undefined) columns[c.def.key] = { type: t };
    }
    schemaSubtables[s.def.key] = { columns };
  }
  const exprSchema: ExpressionSchema = { fields: schemaFields, subtables: schemaSubtables };
  const prepared = prepareSchema(exprSchema);
  let schema: PreparedSchema | undefined = prepared.schema;
  if (!schema) {
    for (const issue of prepared.issues) carry(issue);
    schema = undefined;
  }

  const formulas: Record<string, CompiledExpression> = {};
  const formulaPaths = new Map<string, (string | number)[]>();
  const compiledOf = (pending: Pending, scope: string | undefined): CompiledField | undefined => {
    const { type, config, path, def: field } = pending;
    if (!type) return undefined;
    const exprType = typeOf(pending);
    const lookup: FormLookup = {
      expressionTypeOf: (key: string) =>
        scope === undefined
          ? schemaFields[key]?.type
          : (schemaSubtables[scope]?.columns[key]?.type ?? schemaFields[key]?.type),
      fieldOf: (key: string) => {
        const found = fields.find((f) => f.def.key === key);
        if (!found) return undefined;
        const fallback = found.def.default;
        return { type: found.def.type, computedLater: isRecord(fallback) && 'expr' in fallback };
      },
    };
    const checkIssues = type.check?.(config, lookup) ?? [];
    if (scope !== undefined && (type.generate || type.writableBy)) {
      add([...path, 'type'], 'not_in_subtable', { type: type.type });
    }
    for (const issue of checkIssues) carry(issue, path);
    const result: { formula?: CompiledExpression; validation?: CompiledExpression; defaultExpr?: CompiledExpression } =
      {};
    const run = (source: string, expect: string, at: (string | number)[]) => {
      if (!schema) return undefined;
      const compiled = compile(source, schema, { scope, expect: expect as ValueType, path: at });
      if (compiled.ok) return compiled.expression;
      for (const issue of compiled.issues) carry(issue);
      return undefined;
    };
    const formula = type.formula?.(config);
    if (formula && checkIssues.length === 0) {
      const at = [...path, 'expr'];
      result.formula = run(formula.expr, formula.expect, at);
      if (result.formula) {
        const key = scope === undefined ? field.key : `${scope}.${field.key}`;
        formulas[key] = result.formula;
        formulaPaths.set(key, at);
      }
    }
    if (field.validation) result.validation = run(field.validation.expr, 'boolean', [...path, 'validation', 'expr']);
    const fallback = field.default;
    if (fallback !== undefined) {
      if (formula || type.generate) {
        add([...path, 'default'], 'default_not_allowed', {
          reason: 'computed and generated fields take none',
          reasonZh: '计算或自动生成的字段不取默认值',
        });
      } else if (isRecord(fallback) && 'expr' in fallback) {
        if (!exprType) {
          add([...path, 'default'], 'default_not_allowed', {
            reason: 'its type takes no expression default',
            reasonZh: '此类型不能用公式作默认值',
          });
        } else result.defaultExpr = run(String(fallback.expr), exprType, [...path, 'default', 'expr']);
      } else if (isRecord(fallback) && 'from' in fallback) {
        const wanted = contextTypes[fallback.from as ContextSource];
        if (exprType !== wanted) {
          const from = fallback.from as ContextSource;
          add([...path, 'default', 'from'], 'default_type', {
            from,
            fromZh: contextNames[from],
            type: wanted,
            typeZh: typeNames[wanted] ?? wanted,
          });
        }
      } else {
        const parsedDefault = type.parse(fallback, config);
        if (!parsedDefault.ok) carry({ ...parsedDefault.issue, path: [...path, 'default'] });
      }
    }
    return Object.freeze({ key: field.key, def: field, type, config, exprType, ...result });
  };

  const compiledFields = fields.map((f) => compiledOf(f, undefined));
  const compiledSubs = subtables.map((s) => {
    const columns = s.columns.map((c) => compiledOf(c, keyProblem(s.def.key) === undefined ? s.def.key : undefined));
    for (const [t, total] of (s.def.totals ?? []).entries()) {
      const type = schemaSubtables[s.def.key]?.columns[total]?.type;
      if (type !== 'money' && type !== 'number') {
        add([...s.path, 'totals', t], 'bad_total', { key: total });
      }
    }
    return { s, columns };
  });

  // ---- formula cycles ----
  let formulaOrder: readonly string[] = [];
  const order = orderFormulas(formulas);
  if (order.ok) formulaOrder = order.order;
  else {
    for (const cycle of order.cycles) {
      add(formulaPaths.get(cycle[0] as string) ?? ['fields'], 'formula_cycle', { cycle: cycle.join(' → ') });
    }
  }

  // ---- layout ----
  for (const [si, section] of (def.layout?.sections ?? []).entries()) {
    for (const [ri, row] of section.rows.entries()) {
      let span = 0;
      for (const [ci, item] of row.entries()) {
        span += item.span ?? 24;
        if (!main.has(item.field)) {
          add(['layout', 'sections', si, 'rows', ri, ci, 'field'], 'unknown_field', { field: item.field });
        }
      }
      if (span > 24) add(['layout', 'sections', si, 'rows', ri], 'row_too_wide');
    }
  }

  // ---- unique keys ----
  for (const [ki, unique] of def.keys.entries()) {
    for (const [fi, key] of unique.entries()) {
      const field = fields.find((f) => f.def.key === key);
      if (!field) add(['keys', ki, fi], 'unknown_field', { field: key });
      else if (field.type && field.type.column('sqlite', field.config)?.kind === 'json') {
        add(['keys', ki, fi], 'bad_key_field', { field: key });
      }
    }
  }

  // ---- who else reaches a record, and field permissions ----
  const assignedSeen = new Set<string>();
  for (const [index, key] of (def.assignedTo?.fields ?? []).entries()) {
    const path = ['assignedTo', 'fields', index];
    const field = fields.find((f) => f.def.key === key);
    if (!field) add(path, 'unknown_field', { field: key });
    else if (field.def.type !== 'member') add(path, 'not_member_field', { field: key });
    if (assignedSeen.has(key)) add(path, 'duplicate_key', { key });
    assignedSeen.add(key);
  }
  for (const [index, rule] of (def.fieldAccess ?? []).entries()) {
    if (rule.field !== '*' && !main.has(rule.field)) {
      add(['fieldAccess', index, 'field'], 'unknown_field', { field: rule.field });
    }
  }

  if (issues.length > 0) return { issues };

  // ---- normalise: defaults applied once, config parsed ----
  const normal = (p: Pending): FieldDefinition => {
    const { key, label: l, type, required, default: d, validation, help, renamedFrom } = p.def;
    return {
      key,
      label: l,
      type,
      required: required ?? false,
      ...(d !== undefined ? { default: d } : {}),
      ...(validation ? { validation } : {}),
      ...(help ? { help } : {}),
      ...(renamedFrom ? { renamedFrom } : {}),
      ...(p.config as Record<string, unknown>),
    };
  };
  const normalized: FormDefinitionInput = {
    pack: def.pack,
    key: def.key,
    kind: def.kind,
    label: def.label,
    fields: fields.map(normal),
    subtables: subtables.map((s) => ({ ...s.def, columns: s.columns.map(normal) })),
    ...(def.layout ? { layout: def.layout } : {}),
    keys: def.keys,
    // Only when declared: the hash of a definition without them stays what it was.
    ...(def.assignedTo ? { assignedTo: def.assignedTo } : {}),
    ...(def.fieldAccess?.length ? { fieldAccess: def.fieldAccess } : {}),
  };
  const cfs = compiledFields as CompiledField[];
  const subs: CompiledSubtable[] = compiledSubs.map(({ s, columns }, i) => {
    const cols = columns as CompiledField[];
    return Object.freeze({
      key: s.def.key,
      def: normalized.subtables?.[i] as SubtableDefinition,
      columns: cols,
      byKey: new Map(cols.map((c) => [c.key, c])),
    });
  });
  return {
    issues,
    normalized,
    compiled: {
      fields: cfs,
      byKey: new Map(cfs.map((f) => [f.key, f])),
      subtables: subs,
      subByKey: new Map(subs.map((s) => [s.key, s])),
      formulaOrder,
    },
  };
}

/** Every problem of a definition, each with its path (`fields.3.key`); empty when it is valid. */
export function validateForm(def: unknown): FormIssue[] {
  return analyse(def).issues;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}

/** sha256 of the canonical JSON (sorted keys) of a normalised definition. */
export function hashDefinition(def: FormDefinitionInput): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(def)))
    .digest('hex');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

const compiledCache = new Map<string, CompiledForm>();

/**
 * Validates and normalises a definition (defaults applied once), deep-freezes it and stamps its content
 * hash. Throws FORM_DEFINITION_INVALID with every issue as a field path.
 */
export function defineForm(def: FormDefinitionInput | unknown): FormDefinition {
  return compileForm(def).def;
}

/** The compiled view of a definition (cached by hash). Internal to the package. */
export function compileForm(def: FormDefinitionInput | FormDefinition | unknown): CompiledForm {
  const input =
    isRecord(def) && 'hash' in def ? Object.fromEntries(Object.entries(def).filter(([k]) => k !== 'hash')) : def;
  const result = analyse(input);
  if (!result.normalized || !result.compiled) {
    throw FormErrors.definitionInvalid.create({ count: result.issues.length }, { fields: result.issues });
  }
  const hash = hashDefinition(result.normalized);
  const cached = compiledCache.get(hash);
  if (cached) return cached;
  const frozen = deepFreeze({
    ...result.normalized,
    subtables: result.normalized.subtables ?? [],
    keys: result.normalized.keys ?? [],
    hash,
  }) as FormDefinition;
  const compiled: CompiledForm = Object.freeze({ ...result.compiled, def: frozen });
  if (compiledCache.size > 500) compiledCache.clear();
  compiledCache.set(hash, compiled);
  return compiled;
}
