import type { ErrorParams, FieldIssue } from '@baton/core';
import { type Node, parse } from '@baton/expression';
import { findFieldType } from '@baton/form';
import { dateKinds, numericKinds, type SourceField } from './catalog.ts';
import { type ReportIssueCode, ReportIssues } from './issues.ts';

// A report's static conditions (`where` of the report and of a measure), written in the expression language's
// syntax and compiled to a small predicate tree that only ever becomes parameterised SQL, like the filters of
// reference fields in kernel/form: names are field paths of the report's source, values are literals, another
// field or `$today`; only comparisons, AND / OR / NOT, IN / NOT IN, ISBLANK and `= null` are allowed. As in
// the expression language, a plain number compared with a money field is in yuan (`amount > 100` is ¥100).
// Date arithmetic: `$today - 30`, `$today + 7`, and in the report's own `where` `$today - $days` with a number
// parameter, become a bound day (the days are added in the server, not in SQL). The left side of a comparison
// may also be `MAX(sub.col)` / `MIN(sub.col)` over a subtable of the report's form (per record, a correlated
// subquery) and `COALESCE(a, b …)` of such terms: `COALESCE(MAX(followUps.date), enteredAt) < $today - $days`.

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Operand =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'field'; readonly path: string }
  /** Today in the report's zone, moved by `days` or by a number parameter times `sign` (bound at run time). */
  | {
      readonly kind: 'today';
      readonly days?: number;
      readonly param?: { readonly key: string; readonly sign: 1 | -1 };
    };

/** The left side of a comparison that is not a plain field: a subtable aggregate or a COALESCE. */
export type Term =
  | { readonly kind: 'field'; readonly path: string }
  | {
      readonly kind: 'rows';
      readonly fn: 'max' | 'min';
      /** `followUps.date`: a column of a subtable of the report's form. */
      readonly path: string;
      readonly subtable: string;
      readonly column: string;
    }
  | { readonly kind: 'coalesce'; readonly items: readonly Term[] };

export type Predicate =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Predicate[] }
  | { readonly kind: 'not'; readonly item: Predicate }
  | { readonly kind: 'compare'; readonly path: string; readonly op: CompareOperator; readonly right: Operand }
  | { readonly kind: 'compareTerm'; readonly term: Term; readonly op: CompareOperator; readonly right: Operand }
  | { readonly kind: 'in'; readonly path: string; readonly negated: boolean; readonly values: readonly unknown[] }
  | { readonly kind: 'isNull'; readonly path: string; readonly negated: boolean };

const flipped: Readonly<Record<CompareOperator, CompareOperator>> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

/** A condition that does not compile, at `node`; its texts are in ReportIssues. */
class ConditionError extends Error {
  readonly params: Readonly<ErrorParams>;
  constructor(
    readonly code: ReportIssueCode,
    node: Node,
    params: ErrorParams = {},
  ) {
    const all = { ...params, at: `${node.pos.start}–${node.pos.end}` };
    super(ReportIssues.format(code, 'en-US', all));
    this.params = all;
  }
}

/** The situation of a code several share (condition_value, condition_type), in both languages. */
const reason = (en: string, zh: string) => ({ reason: en, reasonZh: zh });
const notLiteral = reason('A value here is a literal, a field or $today', '这里的值只能是常量、字段或 $today');
const notValueOf = (value: unknown, field: string) =>
  reason(`${JSON.stringify(value)} is not a value of "${field}"`, `${JSON.stringify(value)} 不是「${field}」的有效值`);
const onlyDates = reason('Only a date field compares with $today', '只有日期字段能与 $today 比较');
const holdsList = (field: string) =>
  reason(`"${field}" holds a list: only ISBLANK applies`, `「${field}」存的是列表，只能用 ISBLANK`);
const notOrdered = (field: string, op: string) =>
  reason(`"${field}" cannot be compared with ${op}`, `「${field}」不能用 ${op} 比较`);

/** Families whose values compare with each other. */
function family(field: SourceField): string {
  if (numericKinds.has(field.kind)) return 'number';
  if (dateKinds.has(field.kind)) return field.kind;
  if (field.kind === 'boolean') return 'boolean';
  if (field.kind === 'json') return 'json';
  return 'text';
}

const ordered = (field: SourceField) => family(field) !== 'boolean' && family(field) !== 'json';

/** A literal as the field stores it: parsed by the field's own type (option codes, dates, fen …). */
function literal(field: SourceField, node: Node): unknown {
  let value: unknown;
  switch (node.kind) {
    case 'string':
    case 'boolean':
      value = node.value;
      break;
    case 'number':
      value = node.value;
      break;
    case 'money':
      value = node.fen;
      break;
    case 'unary':
      if (node.op === '-' && (node.operand.kind === 'number' || node.operand.kind === 'money')) {
        value = node.operand.kind === 'number' ? -node.operand.value : -node.operand.fen;
        break;
      }
      throw new ConditionError('condition_value', node, notLiteral);
    default:
      throw new ConditionError('condition_value', node, notLiteral);
  }
  const plainNumber = node.kind === 'number' || (node.kind === 'unary' && node.operand.kind === 'number');
  if (field.exprType === 'money' && plainNumber && typeof value === 'number') value = Math.round(value * 100);
  // Ids and codes are matched as written; everything else goes through the field type's parser.
  const type = field.system ? undefined : findFieldType(field.type);
  if (type && field.kind !== 'id') {
    const parsed = type.parse(value, field.config);
    if (!parsed.ok) {
      throw new ConditionError('condition_value', node, notValueOf(value, field.path));
    }
    return parsed.value;
  }
  if (family(field) === 'number' ? typeof value !== 'number' : typeof value !== 'string') {
    throw new ConditionError('condition_value', node, notValueOf(value, field.path));
  }
  return value;
}

export type ConditionOptions = {
  /** Number parameters a condition may name (`$days`); only the report's own `where` gets them. */
  numberParams?: ReadonlySet<string>;
  /** A column of any subtable of the report's form (`followUps.date`), for MAX / MIN. */
  resolveRows?: (path: string) => SourceField | undefined;
};

type Env = {
  resolve: (path: string) => SourceField | undefined;
  fields: Set<string>;
  params: Set<string>;
  options: ConditionOptions;
};

/** `$today`, `$today ± n` or `$today ± $param` (a number parameter); undefined when the node is none of them. */
function todayOperand(node: Node, env: Env): Extract<Operand, { kind: 'today' }> | undefined {
  const isToday = (n: Node) => n.kind === 'context' && n.path.length === 1 && n.path[0] === 'today';
  if (isToday(node)) return { kind: 'today' };
  if (node.kind !== 'binary' || (node.op !== '+' && node.op !== '-') || !isToday(node.left)) return undefined;
  const sign = node.op === '+' ? 1 : -1;
  const right = node.right;
  if (right.kind === 'number') {
    if (!Number.isInteger(right.value) || Math.abs(right.value) > 36_500) {
      throw new ConditionError('condition_days', right);
    }
    return { kind: 'today', days: sign * right.value };
  }
  if (right.kind === 'context' && right.path.length === 1) {
    const key = right.path[0] as string;
    if (!env.options.numberParams?.has(key)) {
      throw new ConditionError('condition_param', right, { param: `$${key}` });
    }
    env.params.add(key);
    return { kind: 'today', param: { key, sign } };
  }
  throw new ConditionError('condition_days', node);
}

/** A term of the left side and the field that types it (the first item of a COALESCE). */
function termOf(node: Node, env: Env): { term: Term; field: SourceField } | undefined {
  if (node.kind === 'name') {
    const path = node.path.join('.');
    const field = env.resolve(path);
    if (!field) throw new ConditionError('unknown_field', node, { field: path });
    env.fields.add(path);
    return { term: { kind: 'field', path }, field };
  }
  if (node.kind !== 'call') return undefined;
  if ((node.name === 'MAX' || node.name === 'MIN') && node.args.length === 1) {
    const arg = node.args[0] as Node;
    const path = arg.kind === 'name' ? arg.path.join('.') : '';
    const field = arg.kind === 'name' && arg.path.length === 2 ? env.options.resolveRows?.(path) : undefined;
    if (!field) {
      throw new ConditionError('condition_rows', node, { fn: node.name });
    }
    if (!ordered(field)) {
      throw new ConditionError('condition_type', node, notOrdered(path, node.name));
    }
    const [subtable, column] = arg.kind === 'name' ? (arg.path as [string, string]) : ['', ''];
    return { term: { kind: 'rows', fn: node.name === 'MAX' ? 'max' : 'min', path, subtable, column }, field };
  }
  if (node.name === 'COALESCE' && node.args.length >= 2 && node.args.length <= 5) {
    const items = node.args.map((arg) => {
      const item = termOf(arg, env);
      if (!item) throw new ConditionError('condition_coalesce', arg);
      return item;
    });
    const first = items[0] as { term: Term; field: SourceField };
    for (const item of items) {
      if (family(item.field) !== family(first.field) || item.field.kind !== first.field.kind) {
        throw new ConditionError(
          'condition_type',
          node,
          reason('The values of COALESCE do not compare with each other', 'COALESCE 的各个值彼此不能比较'),
        );
      }
    }
    return { term: { kind: 'coalesce', items: items.map((item) => item.term) }, field: first.field };
  }
  return undefined;
}

/** `MAX(sub.col) < …`, `COALESCE(…) >= …`: a term on the left, a literal or `$today ± n` on the right. */
function compareTerm(node: Extract<Node, { kind: 'binary' }>, op: CompareOperator, env: Env): Predicate {
  const left = termOf(node.left, env);
  if (!left) throw new ConditionError('condition_compare', node);
  if (op !== '=' && op !== '!=' && !ordered(left.field)) {
    throw new ConditionError(
      'condition_type',
      node,
      reason(`These values cannot be compared with ${op}`, `这些值不能用 ${op} 比较`),
    );
  }
  const today = todayOperand(node.right, env);
  if (today) {
    if (left.field.kind !== 'date') {
      throw new ConditionError('condition_value', node.right, onlyDates);
    }
    return { kind: 'compareTerm', term: left.term, op, right: today };
  }
  if (node.right.kind === 'null' || node.right.kind === 'name' || node.right.kind === 'context') {
    throw new ConditionError(
      'condition_value',
      node.right,
      reason('Compare with a literal or $today here', '这里只能与常量或 $today 比较'),
    );
  }
  return { kind: 'compareTerm', term: left.term, op, right: { kind: 'value', value: literal(left.field, node.right) } };
}

function compileNode(node: Node, env: Env): Predicate {
  const { resolve, fields } = env;
  const fieldOf = (operand: Node): SourceField | undefined => {
    if (operand.kind !== 'name') return undefined;
    const path = operand.path.join('.');
    const field = resolve(path);
    if (!field) throw new ConditionError('unknown_field', operand, { field: path });
    fields.add(path);
    return field;
  };
  switch (node.kind) {
    case 'binary': {
      if (node.op === 'AND' || node.op === 'OR') {
        return {
          kind: node.op === 'AND' ? 'and' : 'or',
          items: [compileNode(node.left, env), compileNode(node.right, env)],
        };
      }
      if (!(node.op in flipped)) break;
      const op = node.op as CompareOperator;
      if (node.left.kind === 'call') return compareTerm(node, op, env);
      const leftField = fieldOf(node.left);
      const [field, other, operator] =
        leftField !== undefined ? [leftField, node.right, op] : [fieldOf(node.right), node.left, flipped[op]];
      if (field === undefined) {
        throw new ConditionError('condition_compare', node);
      }
      if (other.kind === 'null') {
        if (operator !== '=' && operator !== '!=') {
          throw new ConditionError('condition_null', node);
        }
        return { kind: 'isNull', path: field.path, negated: operator === '!=' };
      }
      if (family(field) === 'json') {
        throw new ConditionError('condition_type', node, holdsList(field.path));
      }
      if (operator !== '=' && operator !== '!=' && !ordered(field)) {
        throw new ConditionError('condition_type', node, notOrdered(field.path, operator));
      }
      const today = todayOperand(other, env);
      if (today || other.kind === 'context') {
        if (!today || field.kind !== 'date') {
          throw new ConditionError('condition_value', other, onlyDates);
        }
        return { kind: 'compare', path: field.path, op: operator, right: today };
      }
      const otherField = fieldOf(other);
      if (otherField) {
        if (family(otherField) !== family(field)) {
          throw new ConditionError(
            'condition_type',
            node,
            reason(
              `"${field.path}" and "${otherField.path}" do not compare`,
              `「${field.path}」与「${otherField.path}」不能比较`,
            ),
          );
        }
        return { kind: 'compare', path: field.path, op: operator, right: { kind: 'field', path: otherField.path } };
      }
      return {
        kind: 'compare',
        path: field.path,
        op: operator,
        right: { kind: 'value', value: literal(field, other) },
      };
    }
    case 'unary':
      if (node.op === 'NOT') return { kind: 'not', item: compileNode(node.operand, env) };
      break;
    case 'in': {
      const field = fieldOf(node.value);
      if (field === undefined) throw new ConditionError('condition_in', node);
      if (family(field) === 'json') throw new ConditionError('condition_type', node, holdsList(field.path));
      if (node.list.kind !== 'list' || node.list.items.length === 0 || node.list.items.length > 100) {
        throw new ConditionError('condition_in', node);
      }
      return {
        kind: 'in',
        path: field.path,
        negated: node.negated,
        values: node.list.items.map((item) => literal(field, item)),
      };
    }
    case 'call':
      if (node.name === 'ISBLANK' && node.args.length === 1) {
        const field = fieldOf(node.args[0] as Node);
        if (field !== undefined) return { kind: 'isNull', path: field.path, negated: false };
      }
      break;
    case 'boolean':
      // TRUE / FALSE on their own: an always / never condition.
      return node.value ? { kind: 'and', items: [] } : { kind: 'or', items: [] };
    default:
      break;
  }
  throw new ConditionError('condition_unsupported', node);
}

export type ConditionResult =
  | { ok: true; predicate: Predicate; fields: readonly string[]; params: readonly string[] }
  | { ok: false; issues: FieldIssue[] };

/** Compiles a condition against the report's fields; issues carry `path`. */
export function compileCondition(
  source: string,
  resolve: (path: string) => SourceField | undefined,
  path: ReadonlyArray<string | number>,
  options: ConditionOptions = {},
): ConditionResult {
  const parsed = parse(source, { maxSourceLength: 2000, maxNodes: 300, maxDepth: 30 });
  if (!parsed.ok) {
    return {
      ok: false,
      issues: parsed.issues.map((issue) =>
        ReportIssues.issue(path, 'condition_syntax', { detail: issue.en, detailZh: issue.zh }),
      ),
    };
  }
  const env: Env = { resolve, fields: new Set(), params: new Set(), options };
  try {
    const predicate = compileNode(parsed.ast, env);
    return { ok: true, predicate, fields: [...env.fields], params: [...env.params] };
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    return { ok: false, issues: [ReportIssues.issue(path, error.code, error.params)] };
  }
}

/**
 * The predicate with every `$today ± $param` turned into `$today ± n` from the resolved number parameters
 * (a parameter without a value moves nothing: definitions only let required or defaulted ones in).
 */
export function bindNumbers(predicate: Predicate, numberOf: (key: string) => number | undefined): Predicate {
  const operand = (right: Operand): Operand =>
    right.kind === 'today' && right.param
      ? { kind: 'today', days: (right.days ?? 0) + right.param.sign * (numberOf(right.param.key) ?? 0) }
      : right;
  switch (predicate.kind) {
    case 'and':
    case 'or':
      return { kind: predicate.kind, items: predicate.items.map((item) => bindNumbers(item, numberOf)) };
    case 'not':
      return { kind: 'not', item: bindNumbers(predicate.item, numberOf) };
    case 'compare':
    case 'compareTerm':
      return { ...predicate, right: operand(predicate.right) };
    default:
      return predicate;
  }
}
