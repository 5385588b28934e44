import type { Type } from './types.ts';

/** Offsets into the source in UTF-16 code units, end exclusive: what editors use to underline. */
export type Position = { readonly start: number; readonly end: number };

export type BinaryOperator = 'OR' | 'AND' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '&' | '+' | '-' | '*' | '/' | '%';
export type UnaryOperator = '-' | '+' | 'NOT';

/**
 * What a name turned out to mean, filled in by the checker. A column is read from the row bound to its subtable:
 * `scope` is the row a row formula runs for, `mapped` the row an aggregate is walking.
 */
export type Reference =
  | { readonly kind: 'field'; readonly key: string }
  | {
      readonly kind: 'column';
      readonly subtable: string;
      readonly column: string;
      readonly binding: 'scope' | 'mapped';
    }
  | { readonly kind: 'rows'; readonly subtable: string };

type Base = {
  readonly pos: Position;
  /** Filled in by the checker. */
  type?: Type;
};

export type NumberNode = Base & { readonly kind: 'number'; readonly value: number; readonly raw: string };
/** `¥33.33`: an exact amount in fen. */
export type MoneyNode = Base & { readonly kind: 'money'; readonly fen: number };
export type StringNode = Base & { readonly kind: 'string'; readonly value: string };
export type BooleanNode = Base & { readonly kind: 'boolean'; readonly value: boolean };
export type NullNode = Base & { readonly kind: 'null' };
export type ListNode = Base & { readonly kind: 'list'; readonly items: readonly Node[] };
/** A field, a subtable column or a subtable: `amount`, `customer.name`, `items.amount`, `items`. */
export type NameNode = Base & { readonly kind: 'name'; readonly path: readonly string[]; ref?: Reference };
/** `$initiator.department`, `$today`, `$row`. */
export type ContextNode = Base & { readonly kind: 'context'; readonly path: readonly string[] };
export type UnaryNode = Base & {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: Node;
  overload?: string;
};
export type BinaryNode = Base & {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Node;
  readonly right: Node;
  overload?: string;
};
export type InNode = Base & {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly value: Node;
  readonly list: Node;
};
export type CallNode = Base & {
  readonly kind: 'call';
  /** Upper case: function names are case-insensitive. */
  readonly name: string;
  readonly namePos: Position;
  readonly args: readonly Node[];
  /** Per argument, the subtable whose rows the argument is evaluated for (aggregates), filled in by the checker. */
  mapped?: ReadonlyArray<string | undefined>;
};

export type Node =
  | NumberNode
  | MoneyNode
  | StringNode
  | BooleanNode
  | NullNode
  | ListNode
  | NameNode
  | ContextNode
  | UnaryNode
  | BinaryNode
  | InNode
  | CallNode;

/** The children of a node, in source order: the one place that knows each node's shape, for walks. */
export function childrenOf(node: Node): readonly Node[] {
  switch (node.kind) {
    case 'list':
      return node.items;
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'in':
      return [node.value, node.list];
    case 'call':
      return node.args;
    default:
      return [];
  }
}

/** Freezes a checked tree so that a compiled expression cannot be altered between compile and evaluate. */
export function deepFreeze(node: Node): Node {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as Node;
    if (Object.isFrozen(current)) continue;
    Object.freeze(current);
    Object.freeze(current.pos);
    if (current.kind === 'list') Object.freeze(current.items);
    if (current.kind === 'call') {
      Object.freeze(current.args);
      if (current.mapped) Object.freeze(current.mapped);
    }
    if (current.kind === 'name' || current.kind === 'context') Object.freeze(current.path);
    if (current.kind === 'name' && current.ref) Object.freeze(current.ref);
    stack.push(...childrenOf(current));
  }
  return node;
}
