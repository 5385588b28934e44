import type { FieldIssue } from '@baton/core';
import { type Node, parse } from '@baton/expression';
import { findFieldType } from '@baton/form';
import { dateKinds, numericKinds, type SourceField } from './catalog.ts';

// A report's static conditions (`where` of the report and of a measure), written in the expression language's
// syntax and compiled to a small predicate tree that only ever becomes parameterised SQL, like the filters of
// reference fields in kernel/form: names are field paths of the report's source, values are literals, another
// field or `$today`; only comparisons, AND / OR / NOT, IN / NOT IN, ISBLANK and `= null` are allowed. As in
// the expression language, a plain number compared with a money field is in yuan (`amount > 100` is ¥100).

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Operand =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'field'; readonly path: string }
  | { readonly kind: 'today' };

export type Predicate =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Predicate[] }
  | { readonly kind: 'not'; readonly item: Predicate }
  | { readonly kind: 'compare'; readonly path: string; readonly op: CompareOperator; readonly right: Operand }
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

class ConditionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const at = (node: Node) => `at ${node.pos.start}–${node.pos.end}`;

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
      throw new ConditionError('condition_value', `a value here is a literal, a field or $today (${at(node)})`);
    default:
      throw new ConditionError('condition_value', `a value here is a literal, a field or $today (${at(node)})`);
  }
  const plainNumber = node.kind === 'number' || (node.kind === 'unary' && node.operand.kind === 'number');
  if (field.exprType === 'money' && plainNumber && typeof value === 'number') value = Math.round(value * 100);
  // Ids and codes are matched as written; everything else goes through the field type's parser.
  const type = field.system ? undefined : findFieldType(field.type);
  if (type && field.kind !== 'id') {
    const parsed = type.parse(value, field.config);
    if (!parsed.ok) {
      throw new ConditionError(
        'condition_value',
        `${JSON.stringify(value)} is not a value of "${field.path}" (${at(node)})`,
      );
    }
    return parsed.value;
  }
  if (family(field) === 'number' ? typeof value !== 'number' : typeof value !== 'string') {
    throw new ConditionError(
      'condition_value',
      `${JSON.stringify(value)} is not a value of "${field.path}" (${at(node)})`,
    );
  }
  return value;
}

function compileNode(node: Node, resolve: (path: string) => SourceField | undefined, fields: Set<string>): Predicate {
  const fieldOf = (operand: Node): SourceField | undefined => {
    if (operand.kind !== 'name') return undefined;
    const path = operand.path.join('.');
    const field = resolve(path);
    if (!field) throw new ConditionError('unknown_field', `"${path}" is not a field of this report (${at(operand)})`);
    fields.add(path);
    return field;
  };
  switch (node.kind) {
    case 'binary': {
      if (node.op === 'AND' || node.op === 'OR') {
        return {
          kind: node.op === 'AND' ? 'and' : 'or',
          items: [compileNode(node.left, resolve, fields), compileNode(node.right, resolve, fields)],
        };
      }
      if (!(node.op in flipped)) break;
      const op = node.op as CompareOperator;
      const leftField = fieldOf(node.left);
      const [field, other, operator] =
        leftField !== undefined ? [leftField, node.right, op] : [fieldOf(node.right), node.left, flipped[op]];
      if (field === undefined) {
        throw new ConditionError('condition_compare', `a comparison needs a field (${at(node)})`);
      }
      if (other.kind === 'null') {
        if (operator !== '=' && operator !== '!=') {
          throw new ConditionError('condition_null', `only = null and != null compare with null (${at(node)})`);
        }
        return { kind: 'isNull', path: field.path, negated: operator === '!=' };
      }
      if (family(field) === 'json') {
        throw new ConditionError('condition_type', `"${field.path}" holds a list: only ISBLANK applies (${at(node)})`);
      }
      if (operator !== '=' && operator !== '!=' && !ordered(field)) {
        throw new ConditionError('condition_type', `"${field.path}" cannot be compared with ${operator} (${at(node)})`);
      }
      if (other.kind === 'context') {
        if (other.path.join('.') !== 'today' || field.kind !== 'date') {
          throw new ConditionError('condition_value', `only a date field compares with $today (${at(other)})`);
        }
        return { kind: 'compare', path: field.path, op: operator, right: { kind: 'today' } };
      }
      const otherField = fieldOf(other);
      if (otherField) {
        if (family(otherField) !== family(field)) {
          throw new ConditionError(
            'condition_type',
            `"${field.path}" and "${otherField.path}" do not compare (${at(node)})`,
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
      if (node.op === 'NOT') return { kind: 'not', item: compileNode(node.operand, resolve, fields) };
      break;
    case 'in': {
      const field = fieldOf(node.value);
      if (field === undefined) throw new ConditionError('condition_in', `IN needs a field on its left (${at(node)})`);
      if (family(field) === 'json') {
        throw new ConditionError('condition_type', `"${field.path}" holds a list: only ISBLANK applies (${at(node)})`);
      }
      if (node.list.kind !== 'list' || node.list.items.length === 0 || node.list.items.length > 100) {
        throw new ConditionError('condition_in', `IN needs a list of 1 to 100 values (${at(node)})`);
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
  throw new ConditionError(
    'condition_unsupported',
    `a condition only holds comparisons, AND, OR, NOT, IN and ISBLANK (${at(node)})`,
  );
}

export type ConditionResult =
  | { ok: true; predicate: Predicate; fields: readonly string[] }
  | { ok: false; issues: FieldIssue[] };

/** Compiles a condition against the report's fields; issues carry `path`. */
export function compileCondition(
  source: string,
  resolve: (path: string) => SourceField | undefined,
  path: ReadonlyArray<string | number>,
): ConditionResult {
  const parsed = parse(source, { maxSourceLength: 2000, maxNodes: 300, maxDepth: 30 });
  if (!parsed.ok) {
    return {
      ok: false,
      issues: parsed.issues.map((issue) => ({ path: [...path], code: 'condition_syntax', message: issue.message })),
    };
  }
  const fields = new Set<string>();
  try {
    const predicate = compileNode(parsed.ast, resolve, fields);
    return { ok: true, predicate, fields: [...fields] };
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    return { ok: false, issues: [{ path: [...path], code: error.code, message: error.message }] };
  }
}
