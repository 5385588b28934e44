import type { BinaryOperator, Node } from './ast.ts';
import { formatFen } from './money.ts';

/** Binding strength, weakest first; the parser's levels in the same order. */
const precedence: Readonly<Record<BinaryOperator | 'NOT' | 'IN' | 'unary' | 'atom', number>> = {
  OR: 1,
  AND: 2,
  NOT: 3,
  '=': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  IN: 4,
  '&': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
  unary: 8,
  atom: 9,
};

function levelOf(node: Node): number {
  switch (node.kind) {
    case 'binary':
      return precedence[node.op];
    case 'in':
      return precedence.IN;
    case 'unary':
      return node.op === 'NOT' ? precedence.NOT : precedence.unary;
    default:
      return precedence.atom;
  }
}

function quote(text: string): string {
  return `'${text.replace(/[\\'\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string)}'`;
}

/**
 * The canonical source of a tree: ASCII operators, upper-case keywords and function names, single quotes, single
 * spaces and only the parentheses precedence needs. `parse(print(ast))` gives the same tree back, which is what a
 * designer relies on when it edits a formula as blocks and shows it as text.
 */
export function print(node: Node): string {
  // The tree is at most maxDepth deep (the parser guarantees it), so recursion is safe here.
  const wrap = (child: Node, min: number): string => {
    const text = print(child);
    return levelOf(child) < min ? `(${text})` : text;
  };
  switch (node.kind) {
    case 'number':
      return node.raw;
    case 'money':
      return `¥${formatFen(node.fen)}`;
    case 'string':
      return quote(node.value);
    case 'boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'list':
      return `[${node.items.map(print).join(', ')}]`;
    case 'name':
      return node.path.join('.');
    case 'context':
      return `$${node.path.join('.')}`;
    case 'call':
      return `${node.name}(${node.args.map(print).join(', ')})`;
    case 'unary':
      return node.op === 'NOT'
        ? `NOT ${wrap(node.operand, precedence.NOT)}`
        : `${node.op}${wrap(node.operand, precedence.unary)}`;
    case 'in': {
      // Comparisons do not chain, so both sides of IN bind tighter than it.
      const value = wrap(node.value, precedence.IN + 1);
      return `${value} ${node.negated ? 'NOT IN' : 'IN'} ${wrap(node.list, precedence.IN + 1)}`;
    }
    case 'binary': {
      const level = precedence[node.op];
      // Left-associative: the right operand needs parentheses at the same level (a - (b - c)); comparisons do not
      // chain at all, so both their operands need them.
      const comparison = level === precedence['='];
      const left = wrap(node.left, comparison ? level + 1 : level);
      const right = wrap(node.right, level + 1);
      return `${left} ${node.op} ${right}`;
    }
  }
}
