import { type Clock, systemClock } from '@baton/core';
import type { CallNode, Node } from './ast.ts';
import { type CompiledExpression, isCompiled } from './compile.ts';
import { checkTimeZone, instantText, localDate } from './dates.ts';
import { ExpressionErrors, limitLabels } from './errors.ts';
import type { Args, FunctionDefinition, Runtime } from './functions/define.ts';
import { findFunction } from './functions/registry.ts';
import { defaultEvaluateLimits, type EvaluateLimits } from './limits.ts';
import { tidy } from './money.ts';
import { binaryOverload, equalityFor, unaryOverload } from './operators.ts';
import { elementOf, isNumeric, listOf, type Type, typeLabel } from './types.ts';
import { acceptValue, convert, type Value } from './values.ts';

export type EvaluateOptions = {
  /** Where TODAY, NOW, $today and $now come from; the system clock by default, a fake clock in tests. */
  clock?: Clock;
  /** The zone of TODAY and of the date parts of instants; Asia/Shanghai by default. */
  timeZone?: string;
  limits?: Partial<EvaluateLimits>;
  /** Values of the schema's context variables, by name without `$` (`{ 'initiator.level': 5 }`). */
  context?: Readonly<Record<string, unknown>>;
  /** For a row formula: the index (from 0) of the row of `values[scope]` to compute. */
  rowIndex?: number;
};

type Row = Readonly<Record<string, unknown>>;

const arithmetic: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%']);

/** Values are read only as own properties of the objects handed in, and only under keys the schema declared. */
function own(record: Row, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Runs a compiled expression over form values: fields by key, subtables as arrays of row objects, money as integer
 * fen, dates as 'YYYY-MM-DD', instants as ISO text (or Date). A tree-walking interpreter: no eval, no Function, no
 * property access other than own-property reads of declared keys, and bounded in steps, text length and list size.
 *
 * Returns the value (money as fen). Blank inputs, division by zero and impossible dates give null, so a formula
 * field shows blank and a validation can test ISBLANK; a broken limit throws EXPR_LIMIT_EXCEEDED and a value of the
 * wrong type throws EXPR_VALUE_INVALID (a caller's bug, not a user's).
 */
export function evaluate(
  expression: CompiledExpression,
  values: Readonly<Record<string, unknown>>,
  options: EvaluateOptions = {},
): Value {
  if (!isCompiled(expression)) throw ExpressionErrors.notCompiled.create();
  const limits: EvaluateLimits = { ...defaultEvaluateLimits, ...options.limits };
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const clock = options.clock ?? systemClock;
  const context = options.context ?? {};
  if (!isRecord(values)) throw invalidOption('values must be an object', 'values 必须是对象');
  if (!isRecord(context)) throw invalidOption('context must be an object', 'context 必须是对象');
  try {
    checkTimeZone(timeZone);
  } catch {
    throw invalidOption(`unknown time zone ${timeZone}`, `未知时区 ${timeZone}`);
  }

  let steps = 0;
  let nowMs: number | undefined;
  const fieldCache = new Map<string, Value>();
  const rowsCache = new Map<string, readonly Row[]>();
  const bindings = new Map<string, Row>();

  const limitError = (limit: keyof EvaluateLimits) =>
    ExpressionErrors.limitExceeded.create({
      limit: limitLabels[limit].en,
      limitZh: limitLabels[limit].zh,
      max: limits[limit],
      name: limit,
    });
  const invalidValue = (name: string, type: Type) => {
    const label = typeLabel(type);
    return ExpressionErrors.valueInvalid.create({ name, type: label.en, typeZh: label.zh });
  };
  const accept = (raw: unknown, type: Type, name: string): Value => {
    const value = acceptValue(raw, type);
    if (value === undefined) throw invalidValue(name, type);
    if (Array.isArray(value) && value.length > limits.maxListLength) throw limitError('maxListLength');
    return value;
  };

  const instant = (): number => {
    if (nowMs === undefined) {
      const now = clock.now();
      nowMs = now instanceof Date ? now.getTime() : Number.NaN;
      if (!Number.isFinite(nowMs)) throw invalidOption('the clock gave no valid Date', '时钟没有给出有效时间');
    }
    return nowMs;
  };

  const runtime: Runtime = {
    step(count = 1) {
      steps += count;
      if (steps > limits.maxSteps) throw limitError('maxSteps');
    },
    text(value) {
      if (value.length > limits.maxStringLength) throw limitError('maxStringLength');
      return value;
    },
    today: () => localDate(instant(), timeZone) as string,
    now: () => instantText(instant()) as string,
    timeZone,
  };

  const readRows = (subtable: string): readonly Row[] => {
    const cached = rowsCache.get(subtable);
    if (cached) return cached;
    const raw = own(values, subtable);
    const rows = raw === undefined || raw === null ? [] : raw;
    if (!Array.isArray(rows)) throw invalidValue(subtable, 'list<row>' as Type);
    if (rows.length > limits.maxListLength) throw limitError('maxListLength');
    rows.forEach((row, index) => {
      if (!isRecord(row)) throw invalidValue(`${subtable}[${index}]`, 'row');
    });
    rowsCache.set(subtable, rows as readonly Row[]);
    return rows as readonly Row[];
  };

  let scopeRow: Row | undefined;
  let scopeIndex = 0;
  if (expression.scope !== undefined) {
    const rows = readRows(expression.scope);
    const index = options.rowIndex;
    if (index === undefined || !Number.isInteger(index) || index < 0 || index >= rows.length) {
      throw invalidOption(
        `rowIndex must point at a row of ${expression.scope}`,
        `rowIndex 必须指向 ${expression.scope} 的一行`,
      );
    }
    scopeRow = rows[index];
    scopeIndex = index;
  }

  const readField = (key: string, type: Type): Value => {
    if (fieldCache.has(key)) return fieldCache.get(key) as Value;
    const value = accept(own(values, key), type, key);
    fieldCache.set(key, value);
    return value;
  };

  const evalNode = (node: Node): Value => {
    runtime.step();
    switch (node.kind) {
      case 'number':
        return node.value;
      case 'money':
        return node.fen;
      case 'string':
        return node.value;
      case 'boolean':
        return node.value;
      case 'null':
        return null;
      case 'list': {
        const element = elementOf(node.type as Type);
        return node.items.map((item) => convert(evalNode(item), item.type as Type, element));
      }
      case 'name': {
        const ref = node.ref;
        const type = node.type as Type;
        if (!ref) throw ExpressionErrors.notCompiled.create();
        if (ref.kind === 'field') return readField(ref.key, type);
        if (ref.kind === 'rows') return true;
        const row = ref.binding === 'scope' ? scopeRow : bindings.get(ref.subtable);
        if (!row) throw ExpressionErrors.notCompiled.create();
        return accept(own(row, ref.column), type, `${ref.subtable}.${ref.column}`);
      }
      case 'context': {
        const name = node.path.join('.');
        if (name === 'today') return runtime.today();
        if (name === 'now') return runtime.now();
        if (name === 'row') return scopeIndex + 1;
        return accept(own(context, name), node.type as Type, `$${name}`);
      }
      case 'unary':
        return unaryOverload(node.overload as string).apply(
          node.op === 'NOT' ? evalNode(node.operand) : operand(node.operand),
        );
      case 'binary': {
        // AND and OR short-circuit; a blank counts as false.
        if (node.op === 'AND') return evalNode(node.left) === true && evalNode(node.right) === true;
        if (node.op === 'OR') return evalNode(node.left) === true || evalNode(node.right) === true;
        const overload = binaryOverload(node.overload as string);
        if (arithmetic.has(node.op)) return overload.apply(operand(node.left), operand(node.right), runtime);
        return overload.apply(evalNode(node.left), evalNode(node.right), runtime);
      }
      case 'in': {
        const value = evalNode(node.value);
        const list = evalNode(node.list);
        const items = Array.isArray(list) ? list : [];
        runtime.step(items.length);
        const equal = equalityFor(node.value.type as Type, elementOf(node.list.type as Type));
        const found = items.some((item) => equal(value, item));
        return node.negated ? !found : found;
      }
      case 'call':
        return evalCall(node);
    }
  };

  /**
   * An operand of arithmetic. A blank number or money field (or context variable) reads as 0, as in a spreadsheet;
   * a blank computed by the expression itself (division by zero …) stays blank.
   */
  const operand = (node: Node): Value => {
    const value = evalNode(node);
    if (value !== null || (node.kind !== 'name' && node.kind !== 'context')) return value;
    return isNumeric(node.type as Type) ? 0 : null;
  };

  const argValue = (node: CallNode, index: number): Value => {
    const arg = node.args[index] as Node;
    const subtable = node.mapped?.[index];
    if (subtable === undefined) return evalNode(arg);
    // An aggregate argument runs once per row, with its subtable bound to that row.
    const rows = readRows(subtable);
    const previous = bindings.get(subtable);
    const results: Value[] = [];
    try {
      for (const row of rows) {
        bindings.set(subtable, row);
        results.push(evalNode(arg));
      }
    } finally {
      if (previous) bindings.set(subtable, previous);
      else bindings.delete(subtable);
    }
    return results;
  };

  const argType = (node: CallNode, index: number): Type => {
    const type = (node.args[index]?.type ?? 'unknown') as Type;
    return node.mapped?.[index] === undefined ? type : listOf(type);
  };

  const evalCall = (node: CallNode): Value => {
    const definition = findFunction(node.name) as FunctionDefinition;
    const args: Args = {
      length: node.args.length,
      value: (index) => argValue(node, index),
      valueAs: (index, type) => convert(argValue(node, index), argType(node, index), type),
      type: (index) => argType(node, index),
      resultType: node.type as Type,
    };
    return definition.evaluate(args, runtime);
  };

  const value = evalNode(expression.ast);
  const result = expression.coerce ? convert(value, expression.coerce.from, expression.coerce.to) : value;
  // Numbers are computed at full precision and tidied once, where they leave the language.
  if (elementOf(expression.type) !== 'number') return result;
  return Array.isArray(result)
    ? result.map((item) => (typeof item === 'number' ? tidy(item) : item))
    : typeof result === 'number'
      ? tidy(result)
      : result;
}

/** A row formula for every row of its subtable, in row order. */
export function evaluateRows(
  expression: CompiledExpression,
  values: Readonly<Record<string, unknown>>,
  options: Omit<EvaluateOptions, 'rowIndex'> = {},
): Value[] {
  if (!isCompiled(expression)) throw ExpressionErrors.notCompiled.create();
  if (expression.scope === undefined) {
    throw invalidOption('evaluateRows needs a row formula (compiled with scope)', 'evaluateRows 需要明细表行公式');
  }
  const rows = isRecord(values) && Object.hasOwn(values, expression.scope) ? values[expression.scope] : undefined;
  const count = Array.isArray(rows) ? rows.length : 0;
  return Array.from({ length: count }, (_, rowIndex) => evaluate(expression, values, { ...options, rowIndex }));
}

function invalidOption(problem: string, problemZh: string) {
  return ExpressionErrors.optionsInvalid.create({ problem, problemZh });
}
