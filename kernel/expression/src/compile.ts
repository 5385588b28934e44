import type { BatonError } from '@baton/core';
import { deepFreeze, type Node } from './ast.ts';
import { check } from './checker.ts';
import { ExpressionErrors } from './errors.ts';
import { type ExpressionIssue, makeIssue } from './issues.ts';
import type { CompileLimits } from './limits.ts';
import { parse } from './parser.ts';
import { type ExpressionSchema, type PreparedSchema, prepareSchema } from './schema.ts';
import { elementOf, isListType, isNumeric, isTextual, type Type, typeLabel, type ValueType } from './types.ts';

/**
 * A checked, frozen expression: what `evaluate` runs. Only `compile` makes them (evaluate refuses look-alikes), so
 * a tree that reached the interpreter has passed every check of the language.
 */
export type CompiledExpression = {
  readonly source: string;
  /** The checked syntax tree, frozen; every node carries its type. */
  readonly ast: Node;
  /** The result type (the `expect` type when one was asked for). */
  readonly type: Type;
  /** For a row formula, the subtable it runs in. */
  readonly scope: string | undefined;
  /** Keys read: fields (`amount`, `customer.name`), columns (`items.amount`) and subtables (`items`, by COUNT). */
  readonly fields: readonly string[];
  /** Context names read (without `$`), built-ins (`today`, `now`, `row`) excluded. */
  readonly context: readonly string[];
  readonly functions: readonly string[];
  /** Reads the clock (TODAY, NOW, $today, $now): its value may change while no field does. */
  readonly volatile: boolean;
  /** Set when the result is converted to the expected type (number ↔ money). */
  readonly coerce: { readonly from: Type; readonly to: Type } | undefined;
};

export type CompileOptions = {
  /** Compile a row formula of this subtable: bare column names are the current row's cells, `$row` its number. */
  scope?: string;
  /**
   * The type the caller needs: 'boolean' for conditions and validations, the field's type for a formula field.
   * A number is accepted for money (and the reverse) and converted; member and department ids are accepted as text.
   */
  expect?: ValueType;
  limits?: Partial<CompileLimits>;
  /** Put on every issue, e.g. `['fields', 'total', 'formula']`, so a form editor knows where to show it. */
  path?: ReadonlyArray<string | number>;
};

export type CompileResult =
  | { readonly ok: true; readonly expression: CompiledExpression }
  | { readonly ok: false; readonly issues: readonly ExpressionIssue[] };

const compiled = new WeakSet<CompiledExpression>();

export function isCompiled(value: unknown): value is CompiledExpression {
  return typeof value === 'object' && value !== null && compiled.has(value as CompiledExpression);
}

/** Parses and type-checks once; reports every problem found, each with its position and both languages. */
export function compile(
  source: string,
  schema: ExpressionSchema | PreparedSchema,
  options: CompileOptions = {},
): CompileResult {
  const path = options.path ?? [];
  const withPath = (issues: readonly ExpressionIssue[]) =>
    Object.freeze(issues.map((issue) => Object.freeze({ ...issue, path: [...path, ...issue.path] })));

  const prepared = prepareSchema(schema);
  if (!prepared.schema) return { ok: false, issues: withPath(prepared.issues) };
  const scope = options.scope;
  if (scope !== undefined && !prepared.schema.subtables.has(scope)) {
    const issue = makeIssue(
      ExpressionErrors.schemaInvalid,
      { start: 0, end: 0 },
      {
        path: 'scope',
        problem: `names no subtable: ${String(scope)}`,
        problemZh: `不是明细表：${String(scope)}`,
      },
    );
    return { ok: false, issues: withPath([issue]) };
  }

  const parsed = parse(source, options.limits);
  if (!parsed.ok) return { ok: false, issues: withPath(parsed.issues) };
  const checked = check(parsed.ast, prepared.schema, scope);
  const issues = [...checked.issues];

  let type = checked.type;
  let coerce: CompiledExpression['coerce'];
  const expected = options.expect;
  if (expected !== undefined && issues.length === 0 && type !== expected) {
    if (accepts(expected, type)) {
      if (isNumeric(elementOf(expected)) && isNumeric(elementOf(type))) coerce = { from: type, to: expected };
      type = expected;
    } else {
      const want = typeLabel(expected);
      const got = typeLabel(type);
      issues.push(
        makeIssue(ExpressionErrors.resultType, parsed.ast.pos, {
          expected: want.en,
          expectedZh: want.zh,
          actual: got.en,
          actualZh: got.zh,
        }),
      );
    }
  }
  if (issues.length > 0) return { ok: false, issues: withPath(issues) };

  const expression: CompiledExpression = Object.freeze({
    source,
    ast: deepFreeze(parsed.ast),
    type,
    scope,
    fields: Object.freeze(checked.fields),
    context: Object.freeze(checked.context),
    functions: Object.freeze(checked.functions),
    volatile: checked.volatile,
    coerce: coerce ? Object.freeze(coerce) : undefined,
  });
  compiled.add(expression);
  return { ok: true, expression };
}

/** Whether a result of type `actual` may stand where `expected` is needed. */
function accepts(expected: Type, actual: Type): boolean {
  if (actual === 'null') return true;
  if (isListType(expected) !== isListType(actual)) return false;
  const want = elementOf(expected);
  const got = elementOf(actual);
  if (want === got || got === 'null') return true;
  if (isNumeric(want) && isNumeric(got)) return true;
  return want === 'text' && isTextual(got);
}

/** `compile` for callers that have already validated the source: throws EXPR_INVALID with the issues as fields. */
export function compileOrThrow(
  source: string,
  schema: ExpressionSchema,
  options: CompileOptions = {},
): CompiledExpression {
  const result = compile(source, schema, options);
  if (result.ok) return result.expression;
  const first = result.issues[0];
  const error: BatonError = ExpressionErrors.invalid.create(
    { first: first?.en ?? '' },
    { fields: result.issues.map((issue) => ({ path: issue.path, code: issue.code, message: issue.message })) },
  );
  throw error;
}
