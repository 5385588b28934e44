import type { BinaryOperator, Node, Position } from './ast.ts';
import { ExpressionErrors, limitLabels } from './errors.ts';
import { type ExpressionIssue, makeIssue } from './issues.ts';
import { type Token, tokenize } from './lexer.ts';
import { type CompileLimits, defaultCompileLimits } from './limits.ts';

export type ParseResult = { ok: true; ast: Node } | { ok: false; issues: ExpressionIssue[] };

/** Thrown inside the parser to unwind at the first syntax error; never escapes `parse`. */
const STOP = Object.freeze(new Error('expression parser stopped'));

const comparisonOperators: Readonly<Record<string, BinaryOperator>> = {
  '=': '=',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

function describe(token: Token, source: string): { found: string; foundZh: string } {
  if (token.kind === 'end') return { found: 'end of input', foundZh: '结尾' };
  const text = source.slice(token.pos.start, token.pos.end);
  return { found: `"${text}"`, foundZh: `“${text}”` };
}

const expressionExpected = { expected: 'an expression', expectedZh: '表达式' };

/**
 * Source → syntax tree. Syntax errors stop at the first one (what follows a syntax error is rarely meaningful);
 * lexical errors are all reported. Every limit is checked while parsing: the source length before reading anything,
 * the node count at each node and the nesting depth at each descent, so hostile input is refused before the
 * recursion gets deep.
 */
export function parse(source: string, limits: Partial<CompileLimits> = {}): ParseResult {
  const { maxSourceLength, maxNodes, maxDepth } = { ...defaultCompileLimits, ...limits };
  if (typeof source !== 'string') {
    return {
      ok: false,
      issues: [
        makeIssue(
          ExpressionErrors.unexpectedToken,
          { start: 0, end: 0 },
          { found: 'a non-text source', foundZh: '非文本的公式', ...expressionExpected },
        ),
      ],
    };
  }
  if (source.length > maxSourceLength) {
    return {
      ok: false,
      issues: [limitIssue('maxSourceLength', maxSourceLength, { start: maxSourceLength, end: source.length })],
    };
  }
  const lexed = tokenize(source);
  if (lexed.issues.length > 0) return { ok: false, issues: lexed.issues };
  const tokens = lexed.tokens;

  let index = 0;
  let nodeCount = 0;
  let nesting = 0;
  let failure: ExpressionIssue | undefined;
  // Tree depth of each node: left-leaning chains (a + b + c …) are built by loops, not recursion, so nesting alone
  // does not bound how deep the checker and evaluator will recurse.
  const depths = new WeakMap<Node, number>();

  const fail = (issue: ExpressionIssue): never => {
    failure = issue;
    throw STOP;
  };
  const peek = (offset = 0): Token => tokens[Math.min(index + offset, tokens.length - 1)] as Token;
  const advance = (): Token => tokens[index++] as Token;
  const isPunctuation = (token: Token, text: string) => token.kind === 'punctuation' && token.text === text;
  const isKeyword = (token: Token, keyword: string) => token.kind === 'keyword' && token.keyword === keyword;
  const span = (start: Position, end: Position): Position => ({ start: start.start, end: end.end });

  const make = <T extends Node>(node: T, children: readonly Node[] = []): T => {
    nodeCount++;
    if (nodeCount > maxNodes) fail(limitIssue('maxNodes', maxNodes, node.pos));
    const depth = 1 + children.reduce((max, child) => Math.max(max, depths.get(child) ?? 1), 0);
    if (depth > maxDepth) fail(limitIssue('maxDepth', maxDepth, node.pos));
    depths.set(node, depth);
    return node;
  };
  const enter = (pos: Position) => {
    nesting++;
    if (nesting > maxDepth) fail(limitIssue('maxDepth', maxDepth, pos));
  };
  const leave = () => {
    nesting--;
  };
  const expect = (text: string): Token => {
    const token = peek();
    if (!isPunctuation(token, text)) {
      fail(
        makeIssue(ExpressionErrors.unexpectedToken, token.pos, {
          ...describe(token, source),
          expected: `"${text}"`,
          expectedZh: `“${text}”`,
        }),
      );
    }
    return advance();
  };
  const binary = (op: BinaryOperator, left: Node, right: Node): Node =>
    make({ kind: 'binary', op, left, right, pos: span(left.pos, right.pos) }, [left, right]);

  const parseExpression = (): Node => {
    enter(peek().pos);
    const node = parseOr();
    leave();
    return node;
  };

  const parseOr = (): Node => {
    let left = parseAnd();
    while (isKeyword(peek(), 'OR') || isPunctuation(peek(), '||')) {
      advance();
      left = binary('OR', left, parseAnd());
    }
    return left;
  };

  const parseAnd = (): Node => {
    let left = parseNot();
    while (isKeyword(peek(), 'AND') || isPunctuation(peek(), '&&')) {
      advance();
      left = binary('AND', left, parseNot());
    }
    return left;
  };

  const parseNot = (): Node => {
    const token = peek();
    // `NOT(x)` reads as the operator applied to `(x)`, which is what spreadsheet users mean by the function; only
    // `NOT(a) = b` differs from a spreadsheet (it is NOT (a = b) here), and the printer never produces it.
    if (!isKeyword(token, 'NOT') && !isPunctuation(token, '!')) return parseComparison();
    advance();
    enter(token.pos);
    const operand = parseNot();
    leave();
    return make({ kind: 'unary', op: 'NOT', operand, pos: span(token.pos, operand.pos) }, [operand]);
  };

  const comparisonAhead = (): boolean => {
    const token = peek();
    if (token.kind === 'punctuation' && Object.hasOwn(comparisonOperators, token.text)) return true;
    return isKeyword(token, 'IN') || (isKeyword(token, 'NOT') && isKeyword(peek(1), 'IN'));
  };

  const parseComparison = (): Node => {
    const left = parseConcat();
    if (!comparisonAhead()) return left;
    const token = advance();
    let node: Node;
    if (token.kind === 'punctuation') {
      node = binary(comparisonOperators[token.text] as BinaryOperator, left, parseConcat());
    } else {
      const negated = token.kind === 'keyword' && token.keyword === 'NOT';
      if (negated) advance();
      const list = parseInList();
      node = make({ kind: 'in', negated, value: left, list, pos: span(left.pos, list.pos) }, [left, list]);
    }
    if (comparisonAhead()) fail(makeIssue(ExpressionErrors.chainedComparison, peek().pos));
    return node;
  };

  // SQL writes `x IN ('a', 'b')`; read that as the list ['a', 'b'].
  const parseInList = (): Node => {
    if (!isPunctuation(peek(), '(')) return parseConcat();
    return parseSequence('(', ')');
  };

  const parseSequence = (open: string, close: string): Node => {
    const first = expect(open);
    const items: Node[] = [];
    if (!isPunctuation(peek(), close)) {
      items.push(parseExpression());
      while (isPunctuation(peek(), ',')) {
        advance();
        items.push(parseExpression());
      }
    }
    const last = expect(close);
    return make({ kind: 'list', items, pos: span(first.pos, last.pos) }, items);
  };

  const parseConcat = (): Node => {
    let left = parseAdditive();
    while (isPunctuation(peek(), '&')) {
      advance();
      left = binary('&', left, parseAdditive());
    }
    return left;
  };

  const parseAdditive = (): Node => {
    let left = parseMultiplicative();
    for (;;) {
      const token = peek();
      if (!isPunctuation(token, '+') && !isPunctuation(token, '-')) return left;
      advance();
      left = binary(token.kind === 'punctuation' && token.text === '+' ? '+' : '-', left, parseMultiplicative());
    }
  };

  const parseMultiplicative = (): Node => {
    let left = parseUnary();
    for (;;) {
      const token = peek();
      if (token.kind !== 'punctuation' || (token.text !== '*' && token.text !== '/' && token.text !== '%')) return left;
      advance();
      left = binary(token.text, left, parseUnary());
    }
  };

  const parseUnary = (): Node => {
    const token = peek();
    if (token.kind === 'punctuation' && (token.text === '-' || token.text === '+')) {
      advance();
      enter(token.pos);
      const operand = parseUnary();
      leave();
      return make({ kind: 'unary', op: token.text, operand, pos: span(token.pos, operand.pos) }, [operand]);
    }
    const node = parsePrimary();
    // Calling the result of an expression (`f()()`, `(x)(y)`) is how sandbox escapes start; only names are callable.
    if (isPunctuation(peek(), '(')) {
      fail(makeIssue(ExpressionErrors.notCallable, node.pos, { name: source.slice(node.pos.start, node.pos.end) }));
    }
    return node;
  };

  const parseCall = (name: string, namePos: Position): Node => {
    expect('(');
    const args: Node[] = [];
    if (!isPunctuation(peek(), ')')) {
      args.push(parseExpression());
      while (isPunctuation(peek(), ',')) {
        advance();
        args.push(parseExpression());
      }
    }
    const close = expect(')');
    return make({ kind: 'call', name: name.toUpperCase(), namePos, args, pos: span(namePos, close.pos) }, args);
  };

  const parsePrimary = (): Node => {
    const token = peek();
    switch (token.kind) {
      case 'number':
        advance();
        return make({ kind: 'number', value: token.value, raw: token.raw, pos: token.pos });
      case 'money':
        advance();
        return make({ kind: 'money', fen: token.fen, pos: token.pos });
      case 'string':
        advance();
        return make({ kind: 'string', value: token.value, pos: token.pos });
      case 'context':
        advance();
        return make({ kind: 'context', path: token.path, pos: token.pos });
      case 'name':
        advance();
        if (isPunctuation(peek(), '(')) {
          if (token.path.length > 1)
            fail(makeIssue(ExpressionErrors.notCallable, token.pos, { name: token.path.join('.') }));
          return parseCall(token.path[0] as string, token.pos);
        }
        return make({ kind: 'name', path: token.path, pos: token.pos });
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') {
          advance();
          return make({ kind: 'boolean', value: token.keyword === 'TRUE', pos: token.pos });
        }
        if (token.keyword === 'NULL') {
          advance();
          return make({ kind: 'null', pos: token.pos });
        }
        if ((token.keyword === 'AND' || token.keyword === 'OR') && isPunctuation(peek(1), '(')) {
          advance();
          return parseCall(token.keyword, token.pos);
        }
        break;
      case 'punctuation':
        if (token.text === '(') {
          advance();
          const inner = parseExpression();
          expect(')');
          return inner;
        }
        if (token.text === '[') return parseSequence('[', ']');
        break;
      default:
        break;
    }
    return fail(
      makeIssue(ExpressionErrors.unexpectedToken, token.pos, { ...describe(token, source), ...expressionExpected }),
    );
  };

  try {
    const ast = parseExpression();
    const rest = peek();
    if (rest.kind !== 'end') {
      fail(
        makeIssue(ExpressionErrors.unexpectedToken, rest.pos, {
          ...describe(rest, source),
          expected: 'an operator or the end',
          expectedZh: '运算符或结尾',
        }),
      );
    }
    return { ok: true, ast };
  } catch (error) {
    if (error !== STOP || failure === undefined) throw error;
    return { ok: false, issues: [failure] };
  }
}

export function limitIssue(limit: keyof typeof limitLabels, max: number, pos: Position): ExpressionIssue {
  return makeIssue(ExpressionErrors.limitExceeded, pos, {
    limit: limitLabels[limit].en,
    limitZh: limitLabels[limit].zh,
    max,
    name: limit,
  });
}
