import {
  type CompiledExpression,
  compile,
  type ExpressionSchema,
  evaluate,
  evaluateRows,
  orderFormulas,
  prepareSchema,
  type ValueType,
} from '@baton/expression';
import {
  type AccessLevel,
  type FieldAccessMap,
  type FieldDefinition,
  type FormDefinition,
  type FormIssue,
  isBlank,
  type Label,
  type Row,
  type SubtableDefinition,
  type Values,
} from './types.ts';

/** What the runtime must know of a field's type, supplied by the web field-type registry. */
export type FieldSemantics = {
  /** The type name in @baton/expression, or null when expressions cannot read the field. */
  exprType: string | null;
  /** A value the server computes from an expression (formula, moneyUpper). */
  formula?: { expr: string; expect: string };
  /** The server computes or generates the value (formula, moneyUpper, serial): never sent, never required here. */
  computed?: boolean;
  /** Written only at a flow node (opinion): never required on an ordinary form. */
  nodeOnly?: boolean;
  /** A type-specific problem with a non-blank value (too long, below the minimum …). */
  check?: (value: unknown, field: FieldDefinition) => Label | undefined;
};

export type SemanticsOf = (field: FieldDefinition) => FieldSemantics;

type Compiled = {
  field: FieldDefinition;
  semantics: FieldSemantics;
  formula?: CompiledExpression;
  validation?: CompiledExpression;
  /** A `{ expr }` default (`ADDDAYS(TODAY(), 7)`), computed when a new record is opened, as the server does. */
  defaultExpr?: CompiledExpression;
};

/** A definition prepared for the browser: formulas and validations compiled once, in dependency order. */
export type ClientForm = {
  readonly def: FormDefinition;
  readonly fields: readonly Compiled[];
  readonly subtables: ReadonlyArray<{ def: SubtableDefinition; columns: readonly Compiled[] }>;
  readonly formulaOrder: readonly string[];
  /** Expressions the browser could not compile: the server still computes them; the form says so once. */
  readonly problems: readonly string[];
};

export type EvalOptions = { timeZone?: string; clock?: { now(): Date } };

export function prepareClientForm(def: FormDefinition, semanticsOf: SemanticsOf): ClientForm {
  const problems: string[] = [];
  const fields: Record<string, { type: string }> = {};
  const subtables: Record<string, { columns: Record<string, { type: string }> }> = {};
  for (const field of def.fields) {
    const type = semanticsOf(field).exprType;
    if (type) fields[field.key] = { type };
  }
  for (const sub of def.subtables ?? []) {
    const columns: Record<string, { type: string }> = {};
    for (const column of sub.columns) {
      const type = semanticsOf(column).exprType;
      if (type) columns[column.key] = { type };
    }
    subtables[sub.key] = { columns };
  }
  const schemaInput: ExpressionSchema = { fields, subtables };
  const prepared = prepareSchema(schemaInput);
  const schema = prepared.schema;
  if (!schema) problems.push('schema');

  const formulas: Record<string, CompiledExpression> = {};
  const run = (source: string, expect: string, scope: string | undefined, name: string) => {
    if (!schema) return undefined;
    const result = compile(source, schema, { scope, expect: expect as ValueType });
    if (result.ok) return result.expression;
    problems.push(name);
    return undefined;
  };
  const compileField = (field: FieldDefinition, scope: string | undefined): Compiled => {
    const semantics = semanticsOf(field);
    const name = scope ? `${scope}.${field.key}` : field.key;
    const out: Compiled = { field, semantics };
    if (semantics.formula) {
      out.formula = run(semantics.formula.expr, semantics.formula.expect, scope, name);
      if (out.formula) formulas[name] = out.formula;
    }
    if (field.validation) out.validation = run(field.validation.expr, 'boolean', scope, `${name}:validation`);
    const fallback = field.default;
    if (!scope && isObject(fallback) && 'expr' in fallback && semantics.exprType) {
      out.defaultExpr = run(String(fallback.expr), semantics.exprType, undefined, `${name}:default`);
    }
    return out;
  };
  const compiledFields = def.fields.map((field) => compileField(field, undefined));
  const compiledSubs = (def.subtables ?? []).map((sub) => ({
    def: sub,
    columns: sub.columns.map((column) => compileField(column, sub.key)),
  }));
  const order = orderFormulas(formulas);
  return {
    def,
    fields: compiledFields,
    subtables: compiledSubs,
    formulaOrder: order.ok ? order.order : [],
    problems,
  };
}

/** The values the expression language reads: fields it knows, subtables as row lists of known columns. */
export function expressionValues(form: ClientForm, values: Values): Values {
  const out: Values = {};
  for (const { field, semantics } of form.fields) if (semantics.exprType) out[field.key] = values[field.key] ?? null;
  for (const sub of form.subtables) {
    const rows = Array.isArray(values[sub.def.key]) ? (values[sub.def.key] as Row[]) : [];
    out[sub.def.key] = rows.map((row) => {
      const cells: Values = {};
      for (const { field, semantics } of sub.columns) if (semantics.exprType) cells[field.key] = row[field.key] ?? null;
      return cells;
    });
  }
  return out;
}

function safely<T>(compute: () => T, fallback: T): T {
  try {
    return compute();
  } catch {
    // A limit or a value the language refuses: the server will compute (and explain) it on save.
    return fallback;
  }
}

/**
 * Recomputes every formula (main fields and subtable columns) in dependency order, as the server does on save.
 * Returns new objects only where something changed, so React sees stable rows.
 */
export function recompute(form: ClientForm, values: Values, options: EvalOptions = {}): Values {
  if (form.formulaOrder.length === 0) return values;
  let next: Values = values;
  for (const name of form.formulaOrder) {
    const dot = name.indexOf('.');
    if (dot < 0) {
      const compiled = form.fields.find((f) => f.field.key === name);
      if (!compiled?.formula) continue;
      const expression = compiled.formula;
      const result = safely(() => evaluate(expression, expressionValues(form, next), options), null);
      if (next[name] !== result) next = { ...next, [name]: result };
    } else {
      const subKey = name.slice(0, dot);
      const columnKey = name.slice(dot + 1);
      const sub = form.subtables.find((s) => s.def.key === subKey);
      const expression = sub?.columns.find((c) => c.field.key === columnKey)?.formula;
      const rows = next[subKey];
      if (!expression || !Array.isArray(rows)) continue;
      const results = safely(() => evaluateRows(expression, expressionValues(form, next), options), []);
      let changed = false;
      const updated = (rows as Row[]).map((row, index) => {
        const result = results[index] ?? null;
        if (row[columnKey] === result) return row;
        changed = true;
        return { ...row, [columnKey]: result };
      });
      if (changed) next = { ...next, [subKey]: updated };
    }
  }
  return next;
}

/** The declared column totals of one subtable, summed like the server's `totals` (blank counts as 0). */
export function columnTotals(sub: SubtableDefinition, rows: readonly Row[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const column of sub.totals ?? []) {
    const sum = rows.reduce((acc, row) => acc + (typeof row[column] === 'number' ? (row[column] as number) : 0), 0);
    sums[column] = Math.round(sum * 1e9) / 1e9;
  }
  return sums;
}

export function accessOf(access: FieldAccessMap | undefined, key: string, fallback: AccessLevel = 'edit'): AccessLevel {
  return access?.[key] ?? fallback;
}

const messages = {
  required: { zh: '此项必填', en: 'This field is required' },
  tooFewRows: (n: number) => ({ zh: `至少需要 ${n} 行`, en: `At least ${n} rows` }),
  tooManyRows: (n: number) => ({ zh: `最多 ${n} 行`, en: `At most ${n} rows` }),
} as const;

/**
 * The checks the server makes on save, run before sending so the member sees them at once: required fields (by
 * definition or by access level), row limits, each type's own value checks and the definition's validation
 * expressions. Hidden and read-only fields are the server's business and skipped.
 */
export function validateValues(
  form: ClientForm,
  values: Values,
  access?: FieldAccessMap,
  options: EvalOptions = {},
): FormIssue[] {
  const issues: FormIssue[] = [];
  const editable = (level: AccessLevel) => level === 'edit' || level === 'required';
  const checkCell = (compiled: Compiled, value: unknown, level: AccessLevel, path: (string | number)[]) => {
    const { field, semantics } = compiled;
    if (!editable(level) || semantics.computed || semantics.nodeOnly) return;
    if (isBlank(value)) {
      if (field.required || level === 'required') issues.push({ path, code: 'required', message: messages.required });
      return;
    }
    const problem = semantics.check?.(value, field);
    if (problem) issues.push({ path, code: 'invalid', message: problem });
  };
  for (const compiled of form.fields) {
    checkCell(compiled, values[compiled.field.key], accessOf(access, compiled.field.key), [compiled.field.key]);
  }
  for (const sub of form.subtables) {
    const subLevel = accessOf(access, sub.def.key);
    if (!editable(subLevel)) continue;
    const rows = Array.isArray(values[sub.def.key]) ? (values[sub.def.key] as Row[]) : [];
    const { minRows, maxRows } = sub.def;
    if (minRows !== undefined && rows.length < minRows) {
      issues.push({ path: [sub.def.key], code: 'too_few_rows', message: messages.tooFewRows(minRows) });
    }
    if (maxRows !== undefined && rows.length > maxRows) {
      issues.push({ path: [sub.def.key], code: 'too_many_rows', message: messages.tooManyRows(maxRows) });
    }
    for (const [index, row] of rows.entries()) {
      for (const column of sub.columns) {
        const level = accessOf(access, `${sub.def.key}.${column.field.key}`, subLevel);
        checkCell(column, row[column.field.key], level, [sub.def.key, index, column.field.key]);
      }
    }
  }
  // Like the server, validation expressions run only once every value is there and well-formed.
  if (issues.length > 0) return issues;
  const exprValues = expressionValues(form, values);
  for (const { field, validation } of form.fields) {
    if (!validation || !field.validation || !editable(accessOf(access, field.key))) continue;
    if (safely(() => evaluate(validation, exprValues, options), null) === false) {
      issues.push({ path: [field.key], code: 'validation', message: field.validation.message });
    }
  }
  for (const sub of form.subtables) {
    for (const { field, validation } of sub.columns) {
      if (!validation || !field.validation) continue;
      const results = safely(() => evaluateRows(validation, exprValues, options), []);
      for (const [index, result] of results.entries()) {
        if (result === false) {
          issues.push({ path: [sub.def.key, index, field.key], code: 'validation', message: field.validation.message });
        }
      }
    }
  }
  return issues;
}

/** Who is filling the form in and when: feeds `{ from: … }` defaults as the server would. */
export type DefaultContext = {
  memberId?: string;
  departmentId?: string;
  unitId?: string;
  postId?: string;
  today: string;
  now: string;
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The starting value of one field or column on a new record (expression defaults are left to the server). */
export function defaultValue(field: FieldDefinition, context: DefaultContext): unknown {
  const fallback = field.default;
  if (fallback === undefined) return null;
  if (isObject(fallback)) {
    if ('from' in fallback) {
      const sources: Record<string, unknown> = {
        member: context.memberId ?? null,
        department: context.departmentId ?? null,
        unit: context.unitId ?? null,
        post: context.postId ?? null,
        today: context.today,
        now: context.now,
      };
      return sources[String(fallback.from)] ?? null;
    }
    return null;
  }
  return Array.isArray(fallback) ? [...fallback] : fallback;
}

export function newRow(sub: SubtableDefinition, context: DefaultContext): Row {
  const row: Row = {};
  for (const column of sub.columns) row[column.key] = defaultValue(column, context);
  return row;
}

/** The values of a new record: defaults, then the minimum number of rows of each subtable, then formulas. */
export function initialValues(form: ClientForm, context: DefaultContext, options: EvalOptions = {}): Values {
  const values: Values = {};
  for (const { field, semantics } of form.fields) {
    values[field.key] = semantics.computed ? null : defaultValue(field, context);
  }
  for (const sub of form.subtables) {
    values[sub.def.key] = Array.from({ length: sub.def.minRows ?? 0 }, () => newRow(sub.def, context));
  }
  // Expression defaults read the other defaults (the server evaluates them the same way when the field is blank).
  for (const { field, defaultExpr } of form.fields) {
    if (!defaultExpr || values[field.key] !== null) continue;
    const expression = defaultExpr;
    values[field.key] = safely(() => evaluate(expression, expressionValues(form, values), options), null);
  }
  return recompute(form, values, options);
}

/**
 * The body the server expects: only keys the viewer may write, computed values left out (the server ignores them
 * anyway), subtable rows stripped of their `id` and `rowNo`.
 */
export function valuesForSave(form: ClientForm, values: Values, access?: FieldAccessMap): Values {
  const out: Values = {};
  const writable = (key: string, fallback?: AccessLevel) => {
    const level = accessOf(access, key, fallback);
    return level === 'edit' || level === 'required';
  };
  for (const { field, semantics } of form.fields) {
    if (semantics.computed || semantics.nodeOnly || !writable(field.key)) continue;
    out[field.key] = values[field.key] ?? null;
  }
  for (const sub of form.subtables) {
    if (!writable(sub.def.key)) continue;
    const rows = Array.isArray(values[sub.def.key]) ? (values[sub.def.key] as Row[]) : [];
    out[sub.def.key] = rows.map((row) => {
      const cells: Row = {};
      for (const { field, semantics } of sub.columns) {
        if (!semantics.computed) cells[field.key] = row[field.key] ?? null;
      }
      return cells;
    });
  }
  return out;
}
