import { ExpressionErrors } from './errors.ts';
import { type ExpressionIssue, makeIssue } from './issues.ts';
import { keywords } from './lexer.ts';
import { parseTypeName, type ValueType } from './types.ts';

/** How a field is declared to the language: its type name (`'money'`, `'list<member>'`). */
export type FieldSpec = { readonly type: string };

/**
 * What an expression may read, given by the caller (the form engine derives it from a form definition, the flow
 * engine adds the initiator's context). Field keys may be dotted (`customer.name`) for the fields a reference fills;
 * their values are passed flat under the same key. Context names are read as `$name` (`$initiator.level`).
 */
export type ExpressionSchema = {
  readonly fields?: Readonly<Record<string, FieldSpec>>;
  readonly subtables?: Readonly<Record<string, { readonly columns: Readonly<Record<string, FieldSpec>> }>>;
  readonly context?: Readonly<Record<string, string>>;
};

/** A validated schema in Maps, so that no lookup ever touches an object prototype. */
export type PreparedSchema = {
  readonly fields: ReadonlyMap<string, ValueType>;
  readonly subtables: ReadonlyMap<string, ReadonlyMap<string, ValueType>>;
  readonly context: ReadonlyMap<string, ValueType>;
};

/** Context names the language provides itself. */
export const builtinContext: ReadonlyMap<string, ValueType> = new Map<string, ValueType>([
  ['today', 'date'],
  ['now', 'datetime'],
  ['row', 'number'],
]);

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names that reach into JavaScript objects. They can never name a field, a column, a context variable or a function,
 * whatever the schema says, so no value lookup can ever be steered to a prototype.
 */
export function isForbiddenName(segment: string): boolean {
  return segment === 'constructor' || segment === 'prototype' || segment.startsWith('__');
}

const origin = { start: 0, end: 0 };

const own = (record: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const prepared = new WeakSet<PreparedSchema>();

export function isPreparedSchema(value: unknown): value is PreparedSchema {
  return typeof value === 'object' && value !== null && prepared.has(value as PreparedSchema);
}

/**
 * Validates a schema once and returns it in Maps, or every problem found in it. `compile` accepts the result in
 * place of the raw schema, which saves validating a large form's schema again for each of its formulas.
 */
export function prepareSchema(schema: ExpressionSchema | PreparedSchema): {
  schema?: PreparedSchema;
  issues: ExpressionIssue[];
} {
  if (isPreparedSchema(schema)) return { schema, issues: [] };
  const issues: ExpressionIssue[] = [];
  const invalid = (path: string[], problem: string, problemZh: string) =>
    issues.push(makeIssue(ExpressionErrors.schemaInvalid, origin, { path: path.join('.'), problem, problemZh }, path));

  const checkName = (path: string[], name: string, dotted: boolean): boolean => {
    const segments = dotted ? name.split('.') : [name];
    const forbidden = segments.find(isForbiddenName);
    if (forbidden !== undefined) {
      issues.push(makeIssue(ExpressionErrors.forbiddenName, origin, { name }, path));
      return false;
    }
    if (!segments.every((s) => SEGMENT.test(s))) {
      invalid(
        path,
        'is not a valid name (letters, digits and _, not starting with a digit)',
        '不是有效的名称（字母、数字和下划线，不以数字开头）',
      );
      return false;
    }
    if (segments.some((s) => keywords.has(s.toUpperCase()))) {
      invalid(path, 'is a keyword of the language', '是公式语言的关键字');
      return false;
    }
    return true;
  };

  const entries = (value: unknown, path: string[]): [string, unknown][] => {
    if (value === undefined) return [];
    if (!isPlainObject(value)) {
      invalid(path, 'must be an object', '必须是对象');
      return [];
    }
    return Object.keys(value).map((key) => [key, value[key]]);
  };

  const typeOf = (spec: unknown, path: string[]): ValueType | undefined => {
    const name = isPlainObject(spec) ? own(spec, 'type') : spec;
    const type = isPlainObject(spec) ? parseTypeName(name) : undefined;
    if (type === undefined || type === 'null') {
      invalid(path, `has an unknown type ${JSON.stringify(name)}`, `的类型 ${JSON.stringify(name)} 无效`);
      return undefined;
    }
    return type;
  };

  if (!isPlainObject(schema)) {
    invalid([], 'must be an object', '必须是对象');
    return { issues };
  }

  const subtables = new Map<string, Map<string, ValueType>>();
  for (const [key, spec] of entries(own(schema, 'subtables'), ['subtables'])) {
    const path = ['subtables', key];
    if (!checkName(path, key, false)) continue;
    const columns = new Map<string, ValueType>();
    const raw = isPlainObject(spec) ? own(spec, 'columns') : undefined;
    if (raw === undefined) invalid(path, 'needs columns', '缺少 columns');
    for (const [column, columnSpec] of entries(raw, [...path, 'columns'])) {
      const columnPath = [...path, 'columns', column];
      if (!checkName(columnPath, column, false)) continue;
      const type = typeOf(columnSpec, columnPath);
      if (type) columns.set(column, type);
    }
    subtables.set(key, columns);
  }

  const fields = new Map<string, ValueType>();
  for (const [key, spec] of entries(own(schema, 'fields'), ['fields'])) {
    const path = ['fields', key];
    if (!checkName(path, key, true)) continue;
    if (subtables.has(key.split('.')[0] as string)) {
      invalid(path, 'collides with a subtable of the same name', '与同名明细表冲突');
      continue;
    }
    const type = typeOf(spec, path);
    if (type) fields.set(key, type);
  }

  const context = new Map<string, ValueType>();
  for (const [name, spec] of entries(own(schema, 'context'), ['context'])) {
    const path = ['context', name];
    if (!checkName(path, name, true)) continue;
    if (builtinContext.has(name)) {
      invalid(path, 'is provided by the language itself', '由公式语言自身提供，不能重复定义');
      continue;
    }
    const type = typeof spec === 'string' ? parseTypeName(spec) : undefined;
    if (type === undefined) {
      invalid(path, `has an unknown type ${JSON.stringify(spec)}`, `的类型 ${JSON.stringify(spec)} 无效`);
      continue;
    }
    context.set(name, type);
  }

  if (issues.length > 0) return { issues };
  const result: PreparedSchema = Object.freeze({ fields, subtables, context });
  prepared.add(result);
  return { schema: result, issues };
}

/** Every problem of a schema; empty when the schema is usable. */
export function checkSchema(schema: ExpressionSchema | PreparedSchema): ExpressionIssue[] {
  return prepareSchema(schema).issues;
}
