import type { ErrorDefinition, ErrorParams } from '@baton/core';
import { type CallNode, childrenOf, type NameNode, type Node, type Position } from './ast.ts';
import { ExpressionErrors } from './errors.ts';
import { type ArgInfo, mapsRows, type TypeContext } from './functions/define.ts';
import { findFunction } from './functions/registry.ts';
import { type ExpressionIssue, makeIssue } from './issues.ts';
import { resolveBinary, resolveUnary } from './operators.ts';
import { builtinContext, isForbiddenName, type PreparedSchema } from './schema.ts';
import { elementOf, equatable, isListType, isWild, listOf, type Type, typeLabel, typesLabel, unify } from './types.ts';

export type CheckResult = {
  readonly type: Type;
  readonly issues: ExpressionIssue[];
  /** Field keys, `subtable.column` keys and subtable keys read, in first-use order. */
  readonly fields: string[];
  /** Context names read (without `$`), built-ins excluded. */
  readonly context: string[];
  readonly functions: string[];
  readonly volatile: boolean;
};

/**
 * An aggregate argument being checked: the subtable whose rows it walks, chosen before the argument is visited so
 * that every column in it resolves the same way whatever order the columns appear in.
 */
type Frame = { readonly chosen: string | undefined };

const comparisons = new Set(['=', '!=', '<', '<=', '>', '>=']);

/**
 * Resolves every name, picks an operator overload or checks a function call at every node, records the types on the
 * tree and reports every problem it finds (not only the first), each at its position.
 */
export function check(
  ast: Node,
  schema: PreparedSchema,
  scope: string | undefined,
  path: ReadonlyArray<string | number> = [],
): CheckResult {
  const issues: ExpressionIssue[] = [];
  const fields = new Set<string>();
  const contextNames = new Set<string>();
  const functions = new Set<string>();
  const frames: Frame[] = [];
  const scopeColumns = scope === undefined ? undefined : schema.subtables.get(scope);
  let volatile = false;

  const report = (definition: ErrorDefinition, pos: Position, params: ErrorParams = {}) => {
    issues.push(makeIssue(definition, pos, params, path));
  };
  const labelled = (prefix: string, type: Type): ErrorParams => {
    const label = typeLabel(type);
    return { [prefix]: label.en, [`${prefix}Zh`]: label.zh };
  };

  const visit = (node: Node): Type => {
    const type = visitNode(node);
    node.type = type;
    return type;
  };

  const visitNode = (node: Node): Type => {
    switch (node.kind) {
      case 'number':
        return 'number';
      case 'money':
        return 'money';
      case 'string':
        return 'text';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'list':
        return visitList(node.items);
      case 'context':
        return visitContext(node.path, node.pos);
      case 'name':
        return visitName(node);
      case 'unary': {
        const operand = visit(node.operand);
        if (operand === 'unknown') return node.op === 'NOT' ? 'boolean' : 'unknown';
        const overload = resolveUnary(node.op, operand);
        if (!overload) {
          const expected = typesLabel(node.op === 'NOT' ? ['boolean'] : ['number', 'money']);
          report(ExpressionErrors.operandType, node.operand.pos, {
            operator: node.op,
            expected: expected.en,
            expectedZh: expected.zh,
            ...labelled('actual', operand),
          });
          return 'unknown';
        }
        node.overload = overload.key;
        return overload.result;
      }
      case 'binary': {
        const left = visit(node.left);
        const right = visit(node.right);
        if (node.op === 'AND' || node.op === 'OR') {
          for (const [side, type] of [
            [node.left, left],
            [node.right, right],
          ] as const) {
            if (type === 'boolean' || isWild(type)) continue;
            report(ExpressionErrors.operandType, side.pos, {
              operator: node.op,
              ...labelled('expected', 'boolean'),
              ...labelled('actual', type),
            });
          }
          return 'boolean';
        }
        const fallback: Type = comparisons.has(node.op) ? 'boolean' : node.op === '&' ? 'text' : 'unknown';
        if ((node.op === '/' || node.op === '%') && isZero(node.right)) {
          report(ExpressionErrors.divisionByZero, node.right.pos);
        }
        if (left === 'unknown' || right === 'unknown') return fallback;
        const overload = resolveBinary(node.op, left, right);
        if (!overload) {
          report(ExpressionErrors.typeMismatch, node.pos, {
            operator: node.op,
            ...labelled('left', left),
            ...labelled('right', right),
          });
          return fallback;
        }
        node.overload = overload.key;
        return overload.result;
      }
      case 'in': {
        const value = visit(node.value);
        const list = visit(node.list);
        if (value === 'unknown' || list === 'unknown') return 'boolean';
        if (!isListType(list)) {
          report(ExpressionErrors.operandType, node.list.pos, {
            operator: 'IN',
            expected: 'a list such as [1, 2]',
            expectedZh: '列表，例如 [1, 2]',
            ...labelled('actual', list),
          });
        } else if (isListType(value) || value === 'row' || !equatable(value, elementOf(list))) {
          report(ExpressionErrors.typeMismatch, node.pos, {
            operator: 'IN',
            ...labelled('left', value),
            ...labelled('right', list),
          });
        }
        return 'boolean';
      }
      case 'call':
        return visitCall(node);
    }
  };

  const visitList = (items: readonly Node[]): Type => {
    let element: Type = 'null';
    for (const item of items) {
      const type = visit(item);
      if (isListType(type) || type === 'row') {
        report(ExpressionErrors.operandType, item.pos, {
          operator: '[ ]',
          expected: 'a single value',
          expectedZh: '单个值',
          ...labelled('actual', type),
        });
        element = 'unknown';
        continue;
      }
      const next = unify(element, type);
      if (next === undefined) {
        report(ExpressionErrors.branchTypes, item.pos, {
          name: '[ ]',
          ...labelled('left', element),
          ...labelled('right', type),
        });
        element = 'unknown';
        continue;
      }
      element = next;
    }
    return listOf(element);
  };

  const visitContext = (segments: readonly string[], pos: Position): Type => {
    const name = segments.join('.');
    if (segments.some(isForbiddenName)) {
      report(ExpressionErrors.forbiddenName, pos, { name: `$${name}` });
      return 'unknown';
    }
    if (name === 'row') {
      if (scope === undefined) {
        report(ExpressionErrors.rowOutsideSubtable, pos);
        return 'unknown';
      }
      return 'number';
    }
    const builtin = builtinContext.get(name);
    if (builtin) {
      volatile = true;
      return builtin;
    }
    const type = schema.context.get(name);
    if (!type) {
      report(ExpressionErrors.unknownContext, pos, { name: `$${name}` });
      return 'unknown';
    }
    contextNames.add(name);
    return type;
  };

  const visitName = (node: NameNode): Type => {
    const segments = node.path;
    const joined = segments.join('.');
    if (segments.some(isForbiddenName)) {
      report(ExpressionErrors.forbiddenName, node.pos, { name: joined });
      return 'unknown';
    }
    // In a row formula a bare column name is the current row's value; it hides a main field of the same name.
    const scopeType = segments.length === 1 ? scopeColumns?.get(joined) : undefined;
    if (scope !== undefined && scopeType !== undefined) {
      node.ref = { kind: 'column', subtable: scope, column: joined, binding: 'scope' };
      fields.add(`${scope}.${joined}`);
      return scopeType;
    }
    const fieldType = schema.fields.get(joined);
    if (fieldType) {
      node.ref = { kind: 'field', key: joined };
      fields.add(joined);
      return fieldType;
    }
    const subtable = segments[0] as string;
    const columns = schema.subtables.get(subtable);
    if (columns && segments.length === 1) {
      if (frames.at(-1)?.chosen === subtable) {
        node.ref = { kind: 'rows', subtable };
        fields.add(subtable);
        return 'row';
      }
      report(ExpressionErrors.subtableAsValue, node.pos, { name: subtable });
      return 'unknown';
    }
    const column = segments[1] as string;
    const columnType = segments.length === 2 ? columns?.get(column) : undefined;
    if (!columns || columnType === undefined) {
      report(ExpressionErrors.unknownField, node.pos, { name: joined });
      return 'unknown';
    }
    let binding: 'scope' | 'mapped' | undefined;
    if (frames.some((frame) => frame.chosen === subtable)) binding = 'mapped';
    else if (subtable === scope) binding = 'scope';
    if (!binding) {
      const chosen = frames.at(-1)?.chosen;
      if (chosen) report(ExpressionErrors.mixedSubtables, node.pos, { first: chosen, second: subtable });
      else report(ExpressionErrors.columnOutsideAggregate, node.pos, { name: joined });
      return 'unknown';
    }
    node.ref = { kind: 'column', subtable, column, binding };
    fields.add(joined);
    return columnType;
  };

  /** Subtables whose columns (or rows) an aggregate argument mentions, not counting nested aggregates' own. */
  const subtablesIn = (node: Node, found: Set<string>) => {
    if (node.kind === 'name') {
      const joined = node.path.join('.');
      const first = node.path[0] as string;
      if (node.path.some(isForbiddenName) || schema.fields.has(joined)) return;
      if (node.path.length === 1 && scopeColumns?.has(joined)) return;
      if (node.path.length <= 2 && schema.subtables.has(first)) found.add(first);
      return;
    }
    if (node.kind === 'call') {
      const definition = findFunction(node.name);
      node.args.forEach((arg, i) => {
        if (!definition || !mapsRows(definition, i)) subtablesIn(arg, found);
      });
      return;
    }
    for (const child of childrenOf(node)) subtablesIn(child, found);
  };

  /**
   * The subtable an aggregate argument walks. One mentioned subtable is walked even if an outer aggregate walks it
   * too (SUM(items.a * SUM(items.b)): the inner SUM is the column total). With several, the row formula's own
   * subtable and those outer aggregates already walk are read at their current row, and what is left is walked.
   */
  const chooseSubtable = (args: readonly Node[]): string | undefined => {
    const found = new Set<string>();
    for (const arg of args) subtablesIn(arg, found);
    let candidates = [...found];
    if (candidates.length > 1) {
      candidates = candidates.filter((s) => s !== scope && !frames.some((frame) => frame.chosen === s));
    }
    return candidates[0];
  };

  const visitCall = (node: CallNode): Type => {
    functions.add(node.name);
    const definition = findFunction(node.name);
    if (!definition) {
      report(ExpressionErrors.unknownFunction, node.namePos, { name: node.name });
      // Check the arguments as an aggregate's would be, so a misspelt SUMM(items.x) is one error, not two.
      for (const arg of node.args) {
        frames.push({ chosen: chooseSubtable([arg]) });
        visit(arg);
        frames.pop();
      }
      return 'unknown';
    }
    if (definition.volatile) volatile = true;

    const shared =
      definition.rowArgs?.mode === 'shared'
        ? { chosen: chooseSubtable(node.args.filter((_, i) => mapsRows(definition, i))) }
        : undefined;
    const types: Type[] = [];
    const mapped: (string | undefined)[] = [];
    node.args.forEach((arg, i) => {
      if (!mapsRows(definition, i)) {
        types.push(visit(arg));
        mapped.push(undefined);
        return;
      }
      const frame: Frame = shared ?? { chosen: chooseSubtable([arg]) };
      frames.push(frame);
      const rowType = visit(arg);
      frames.pop();
      mapped.push(frame.chosen);
      if (frame.chosen === undefined) {
        types.push(rowType);
      } else if (isListType(rowType)) {
        report(ExpressionErrors.argumentType, arg.pos, {
          name: node.name,
          index: i + 1,
          expected: 'a single value per row',
          expectedZh: '每行一个值',
          ...labelled('actual', rowType),
        });
        types.push('unknown');
      } else {
        types.push(listOf(rowType));
      }
    });
    if (mapped.some((subtable) => subtable !== undefined)) node.mapped = mapped;

    const count = node.args.length;
    if (count < definition.minArgs || count > definition.maxArgs) {
      const expected =
        definition.maxArgs === definition.minArgs
          ? String(definition.minArgs)
          : definition.maxArgs === Number.POSITIVE_INFINITY
            ? `${definition.minArgs}+`
            : `${definition.minArgs}–${definition.maxArgs}`;
      report(ExpressionErrors.argumentCount, node.pos, { name: node.name, expected, actual: count });
      return 'unknown';
    }

    const args: ArgInfo[] = node.args.map((arg, i) => ({ type: types[i] ?? 'unknown', node: arg }));
    const at = (index: number) => node.args[index]?.pos ?? node.pos;
    const context: TypeContext = {
      name: node.name,
      args,
      fail: (index, expected) => {
        const label = typesLabel(expected);
        report(ExpressionErrors.argumentType, at(index), {
          name: node.name,
          index: index + 1,
          expected: label.en,
          expectedZh: label.zh,
          ...labelled('actual', args[index]?.type ?? 'unknown'),
        });
        return 'unknown';
      },
      invalidOption: (index, allowed) => {
        report(ExpressionErrors.invalidOption, at(index), {
          name: node.name,
          value: String(literalOf(node.args[index])),
          allowed: allowed.join(', '),
        });
      },
      invalidDate: (index, kind) => {
        report(ExpressionErrors.invalidDate, at(index), {
          text: String(literalOf(node.args[index])),
          kind: kind === 'date' ? 'date' : 'date-time',
          kindZh: kind === 'date' ? '日期' : '时刻',
          format: kind === 'date' ? 'YYYY-MM-DD' : 'YYYY-MM-DDTHH:mm:ss+08:00',
        });
      },
      argumentCount: (expected) => {
        report(ExpressionErrors.argumentCount, node.pos, { name: node.name, expected, actual: count });
        return 'unknown';
      },
      branchTypes: (index, left, right) => {
        report(ExpressionErrors.branchTypes, at(index), {
          name: node.name,
          ...labelled('left', left),
          ...labelled('right', right),
        });
        return 'unknown';
      },
      literal: (index) => literalOf(node.args[index]),
    };
    return definition.type(context);
  };

  const type = visit(ast);
  return {
    type,
    issues,
    fields: [...fields],
    context: [...contextNames],
    functions: [...functions],
    volatile,
  };
}

/** The value of a literal (a negative number is a unary minus on a literal), or undefined. */
function literalOf(node: Node | undefined): string | number | boolean | undefined {
  if (!node) return undefined;
  if (node.kind === 'string' || node.kind === 'number' || node.kind === 'boolean') return node.value;
  if (node.kind === 'unary' && node.op === '-' && node.operand.kind === 'number') return -node.operand.value;
  return undefined;
}

function isZero(node: Node): boolean {
  if (node.kind === 'number') return node.value === 0;
  if (node.kind === 'money') return node.fen === 0;
  if (node.kind === 'unary' && node.op !== 'NOT') return isZero(node.operand);
  return false;
}
