import type { ErrorParams } from '@baton/core';
import { type Node, parse } from '@baton/expression';
import { type FormIssueCode, FormIssues } from './issues.ts';
import { keyProblem } from './keys.ts';

// The filter of a reference field, e.g. `owner = me.memberId AND status != 'paid'`. Written in the expression
// language's syntax but compiled to a small predicate tree that only ever becomes parameterised SQL: bare
// names are fields of the referenced form, `me.memberId` / `me.departmentId` / `me.unitId` the person
// filling the form in, `this.<field>` a value of the form being filled in. Only comparisons, AND / OR / NOT,
// IN and ISBLANK (or `= null`) are allowed; anything else is a definition error.

export type FilterValue =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'me'; key: MeKey }
  | { kind: 'this'; key: string };

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode }
  | { kind: 'compare'; field: string; op: CompareOperator; value: FilterValue }
  | { kind: 'in'; field: string; negated: boolean; values: FilterValue[] }
  | { kind: 'isNull'; field: string; negated: boolean };

export type MeKey = 'memberId' | 'departmentId' | 'unitId';
const meKeys: ReadonlySet<string> = new Set(['memberId', 'departmentId', 'unitId']);

export type CompiledFilter = {
  readonly node: FilterNode;
  /** Fields of the referenced form the filter reads. */
  readonly targetFields: readonly string[];
  /** Fields of this form the filter reads (`this.x`). */
  readonly thisFields: readonly string[];
};

export type FilterIssue = { code: FormIssueCode; message: string; params: Readonly<ErrorParams> };
export type FilterResult = { ok: true; filter: CompiledFilter } | { ok: false; issues: FilterIssue[] };

const flipped: Readonly<Record<CompareOperator, CompareOperator>> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
const comparisons: ReadonlySet<string> = new Set(Object.keys(flipped));

class FilterError extends Error {
  readonly params: Readonly<ErrorParams>;
  constructor(
    readonly code: FormIssueCode,
    node: Node,
    params: ErrorParams = {},
  ) {
    const all = { ...params, at: `${node.pos.start}–${node.pos.end}` };
    super(FormIssues.format(code, 'en-US', all));
    this.params = all;
  }
}

function compileNode(node: Node, target: Set<string>, self: Set<string>): FilterNode {
  const fieldOf = (operand: Node): string | undefined => {
    if (operand.kind !== 'name' || operand.path.length !== 1) return undefined;
    const key = operand.path[0] as string;
    if (keyProblem(key) !== undefined) throw new FilterError('filter_name', operand, { name: key });
    target.add(key);
    return key;
  };
  const operandValue = (operand: Node): FilterValue => {
    switch (operand.kind) {
      case 'string':
      case 'boolean':
        return { kind: 'literal', value: operand.value };
      case 'number':
        return { kind: 'literal', value: operand.value };
      case 'money':
        return { kind: 'literal', value: operand.fen };
      case 'null':
        return { kind: 'literal', value: null };
      case 'unary':
        if (operand.op === '-' && operand.operand.kind === 'number') {
          return { kind: 'literal', value: -operand.operand.value };
        }
        break;
      case 'name': {
        const [head, key, ...rest] = operand.path;
        if (head === 'me' && key !== undefined && rest.length === 0 && meKeys.has(key)) {
          return { kind: 'me', key: key as MeKey };
        }
        if (head === 'this' && key !== undefined && rest.length === 0 && keyProblem(key) === undefined) {
          self.add(key);
          return { kind: 'this', key };
        }
        break;
      }
      default:
        break;
    }
    throw new FilterError('filter_value', operand);
  };
  switch (node.kind) {
    case 'binary': {
      if (node.op === 'AND' || node.op === 'OR') {
        return {
          kind: node.op === 'AND' ? 'and' : 'or',
          items: [compileNode(node.left, target, self), compileNode(node.right, target, self)],
        };
      }
      if (!comparisons.has(node.op)) break;
      const op = node.op as CompareOperator;
      const leftField = fieldOf(node.left);
      const [field, other, operator] =
        leftField !== undefined ? [leftField, node.right, op] : [fieldOf(node.right), node.left, flipped[op]];
      if (field === undefined) {
        throw new FilterError('filter_compare', node);
      }
      if (other.kind === 'null') {
        if (operator !== '=' && operator !== '!=') {
          throw new FilterError('filter_null', node);
        }
        return { kind: 'isNull', field, negated: operator === '!=' };
      }
      return { kind: 'compare', field, op: operator, value: operandValue(other) };
    }
    case 'unary':
      if (node.op === 'NOT') return { kind: 'not', item: compileNode(node.operand, target, self) };
      break;
    case 'in': {
      const field = fieldOf(node.value);
      if (field === undefined) throw new FilterError('filter_in', node);
      if (node.list.kind !== 'list' || node.list.items.length === 0 || node.list.items.length > 100) {
        throw new FilterError('filter_in', node);
      }
      return { kind: 'in', field, negated: node.negated, values: node.list.items.map(operandValue) };
    }
    case 'call':
      if (node.name === 'ISBLANK' && node.args.length === 1) {
        const field = fieldOf(node.args[0] as Node);
        if (field !== undefined) return { kind: 'isNull', field, negated: false };
      }
      break;
    default:
      break;
  }
  throw new FilterError('filter_unsupported', node);
}

const cache = new Map<string, FilterResult>();

/** Compiles a reference filter (cached by source). */
export function compileReferenceFilter(source: string): FilterResult {
  const hit = cache.get(source);
  if (hit) return hit;
  let result: FilterResult;
  const parsed = parse(source, { maxSourceLength: 2000, maxNodes: 200, maxDepth: 20 });
  if (!parsed.ok) {
    result = {
      ok: false,
      issues: parsed.issues.map((issue) => {
        const params = { detail: issue.en, detailZh: issue.zh };
        return { code: 'filter_syntax', message: FormIssues.format('filter_syntax', 'en-US', params), params };
      }),
    };
  } else {
    const target = new Set<string>();
    const self = new Set<string>();
    try {
      const node = compileNode(parsed.ast, target, self);
      result = { ok: true, filter: Object.freeze({ node, targetFields: [...target], thisFields: [...self] }) };
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      result = { ok: false, issues: [{ code: error.code, message: error.message, params: error.params }] };
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(source, result);
  return result;
}
