import { describe, expect, it } from 'vitest';
import { type Node, parse, print } from './index.ts';

function ast(source: string): Node {
  const result = parse(source);
  if (!result.ok) throw new Error(`${source}: ${result.issues.map((i) => i.en).join('; ')}`);
  return result.ast;
}

function issuesOf(source: string, limits = {}) {
  const result = parse(source, limits);
  if (result.ok) throw new Error(`${source} parsed`);
  return result.issues;
}

/** The tree without positions or checker annotations, for structural comparison. */
function shape(node: Node): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === 'pos' || key === 'namePos' ? undefined : value)));
}

describe('precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '1 + 2 * 3'],
    ['(1 + 2) * 3', '(1 + 2) * 3'],
    ['1 - 2 - 3', '1 - 2 - 3'],
    ['1 - (2 - 3)', '1 - (2 - 3)'],
    ['8 / 4 / 2', '8 / 4 / 2'],
    ['8 / (4 / 2)', '8 / (4 / 2)'],
    ['-2 * 3', '-2 * 3'],
    ['-(2 * 3)', '-(2 * 3)'],
    ['a & b + c', 'a & b + c'],
    ['(a & b) + c', '(a & b) + c'],
    ['a = 1 AND b = 2 OR c = 3', 'a = 1 AND b = 2 OR c = 3'],
    ['a = 1 AND (b = 2 OR c = 3)', 'a = 1 AND (b = 2 OR c = 3)'],
    ['NOT a = 1', 'NOT a = 1'],
    ['NOT (a OR b)', 'NOT (a OR b)'],
    ['(NOT a) = b', '(NOT a) = b'],
    ['x IN [1, 2] AND y NOT IN (3)', 'x IN [1, 2] AND y NOT IN [3]'],
    ['((((1))))', '1'],
  ])('%s prints as %s', (source, printed) => {
    expect(print(ast(source))).toBe(printed);
  });

  it('binds * tighter than +, + tighter than comparison, comparison tighter than AND, AND tighter than OR', () => {
    const tree = ast('a OR b AND c = 1 + 2 * 3') as Extract<Node, { kind: 'binary' }>;
    expect(tree.op).toBe('OR');
    const and = tree.right as Extract<Node, { kind: 'binary' }>;
    expect(and.op).toBe('AND');
    const eq = and.right as Extract<Node, { kind: 'binary' }>;
    expect(eq.op).toBe('=');
    const plus = eq.right as Extract<Node, { kind: 'binary' }>;
    expect(plus.op).toBe('+');
    expect((plus.right as Extract<Node, { kind: 'binary' }>).op).toBe('*');
  });

  it('reads the alternative spellings: == <> && || ! and lower-case keywords', () => {
    expect(print(ast('a == 1 && b <> 2 || !c'))).toBe('a = 1 AND b != 2 OR NOT c');
    expect(print(ast('a and b or not c'))).toBe('a AND b OR NOT c');
    expect(print(ast('true OR false OR null'))).toBe('TRUE OR FALSE OR NULL');
    expect(print(ast('sum(items.amount)'))).toBe('SUM(items.amount)');
    expect(print(ast('and(a, b)'))).toBe('AND(a, b)');
  });

  it('reads the full-width punctuation a Chinese input method types', () => {
    expect(print(ast('IF（amount ＞ 1000，“大额”，‘小额’）'))).toBe("IF(amount > 1000, '大额', '小额')");
    expect(print(ast('price × quantity ÷ 2 − 1'))).toBe('price * quantity / 2 - 1');
    expect(print(ast('a ≥ 1 AND b ≤ 2 AND c ≠ 3'))).toBe('a >= 1 AND b <= 2 AND c != 3');
    expect(print(ast('￥1,000'.replace(',', '')))).toBe('¥1000.00');
    expect(print(ast('a　+　b'))).toBe('a + b');
  });

  it('reads strings with both quotes and escapes, and prints them canonically', () => {
    expect(ast(`'it\\'s' & "say \\"hi\\"" & 'a\\nb' & '\\u4e2d'`)).toBeDefined();
    expect(print(ast(`"it's"`))).toBe(`'it\\'s'`);
    expect(print(ast(`'a\\\\b\\tc'`))).toBe(`'a\\\\b\\tc'`);
  });

  it('keeps number text canonical and money exact', () => {
    expect(print(ast('007.500'))).toBe('7.5');
    expect(print(ast('¥33.3'))).toBe('¥33.30');
    expect(ast('¥0.07')).toMatchObject({ kind: 'money', fen: 7 });
    expect(ast('¥90071992547409.91')).toMatchObject({ kind: 'money', fen: 9007199254740991 });
  });

  it('round-trips: parse(print(tree)) is the same tree', () => {
    const sources = [
      "IF(AND(a > 1, b < 2), CONCAT('x', y), TEXT(z, '0.00'))",
      'SUM(items.price * items.quantity) - -discount * 2 % 3',
      "$initiator.level >= 5 OR $initiator.department IN ['d1', 'd2']",
      'NOT NOT (a = b) AND (c OR d)',
      '(a - b) - (c - d) / (e * f) & g',
      "(x NOT IN ['a']) = TRUE",
    ];
    for (const source of sources) {
      const first = ast(source);
      const printed = print(first);
      expect(shape(ast(printed))).toEqual(shape(first));
      expect(print(ast(printed))).toBe(printed);
    }
  });

  it('records positions (UTF-16 offsets, end exclusive)', () => {
    const tree = ast('  amount + SUM(items.x)') as Extract<Node, { kind: 'binary' }>;
    expect(tree.pos).toEqual({ start: 2, end: 23 });
    expect(tree.left.pos).toEqual({ start: 2, end: 8 });
    expect(tree.right).toMatchObject({ kind: 'call', namePos: { start: 11, end: 14 }, pos: { start: 11, end: 23 } });
  });
});

describe('syntax errors', () => {
  it('reports an unexpected token with its position and both languages', () => {
    const [issue] = issuesOf('1 + * 2');
    expect(issue).toMatchObject({ code: 'EXPR_UNEXPECTED_TOKEN', position: { start: 4, end: 5 } });
    expect(issue?.en).toBe('Unexpected "*"; expected an expression');
    expect(issue?.zh).toBe('此处不应出现“*”，需要表达式');
    expect(issue?.message).toBe(issue?.en);
  });

  it('reports a missing parenthesis at the end', () => {
    const [issue] = issuesOf('SUM(1, 2');
    expect(issue).toMatchObject({ code: 'EXPR_UNEXPECTED_TOKEN', position: { start: 8, end: 8 } });
    expect(issue?.en).toContain('end of input');
  });

  it('reports an empty expression and trailing input', () => {
    expect(issuesOf('')[0]?.code).toBe('EXPR_UNEXPECTED_TOKEN');
    expect(issuesOf('   ')[0]?.code).toBe('EXPR_UNEXPECTED_TOKEN');
    expect(issuesOf('1 2')[0]).toMatchObject({ code: 'EXPR_UNEXPECTED_TOKEN', position: { start: 2, end: 3 } });
  });

  it('reports every lexical error at once', () => {
    const issues = issuesOf("a # b @ 1.2.3 ¥1.234 'open");
    expect(issues.map((i) => i.code)).toEqual([
      'EXPR_INVALID_CHARACTER',
      'EXPR_INVALID_CHARACTER',
      'EXPR_INVALID_NUMBER',
      'EXPR_INVALID_NUMBER',
      'EXPR_UNTERMINATED_STRING',
    ]);
    expect(issues[0]?.position).toEqual({ start: 2, end: 3 });
    expect(issues[2]?.position).toEqual({ start: 8, end: 13 });
  });

  it('refuses a bad escape, a Chinese identifier and a trailing dot', () => {
    expect(issuesOf("'a\\qb'")[0]?.code).toBe('EXPR_INVALID_ESCAPE');
    expect(issuesOf('金额 + 1')[0]).toMatchObject({ code: 'EXPR_INVALID_CHARACTER', position: { start: 0, end: 1 } });
    expect(issuesOf('items.')[0]?.code).toBe('EXPR_INVALID_CHARACTER');
  });

  it('refuses chained comparisons', () => {
    expect(issuesOf('1 < x < 3')[0]).toMatchObject({ code: 'EXPR_CHAINED_COMPARISON', position: { start: 6, end: 7 } });
    expect(issuesOf('a = b IN [1]')[0]?.code).toBe('EXPR_CHAINED_COMPARISON');
  });

  it('refuses calls on anything but a function name', () => {
    expect(issuesOf('a.b(1)')[0]).toMatchObject({ code: 'EXPR_NOT_CALLABLE', position: { start: 0, end: 3 } });
    expect(issuesOf('SUM(1)(2)')[0]?.code).toBe('EXPR_NOT_CALLABLE');
    expect(issuesOf('(a)(b)')[0]?.code).toBe('EXPR_NOT_CALLABLE');
    expect(issuesOf("constructor.constructor('return process')()")[0]?.code).toBe('EXPR_NOT_CALLABLE');
  });
});

describe('compile-time limits', () => {
  it('refuses 10,000 nested parentheses by depth, without deep recursion', () => {
    const source = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    const started = performance.now();
    const [issue] = issuesOf(source, { maxSourceLength: 100_000 });
    expect(issue).toMatchObject({ code: 'EXPR_LIMIT_EXCEEDED', params: { name: 'maxDepth', max: 200 } });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses deep unary chains and deep calls', () => {
    expect(issuesOf(`${'-'.repeat(5_000)}1`, { maxSourceLength: 100_000 })[0]?.params.name).toBe('maxDepth');
    expect(issuesOf(`${'NOT '.repeat(3_000)}a`, { maxSourceLength: 100_000 })[0]?.params.name).toBe('maxDepth');
    expect(issuesOf(`${'ABS('.repeat(1_000)}1${')'.repeat(1_000)}`, { maxSourceLength: 100_000 })[0]?.params.name).toBe(
      'maxDepth',
    );
  });

  it('refuses long left-leaning chains by tree depth', () => {
    const source = Array.from({ length: 300 }, () => 'a').join(' + ');
    expect(issuesOf(source)[0]?.params.name).toBe('maxDepth');
    expect(parse(Array.from({ length: 150 }, () => 'a').join(' + ')).ok).toBe(true);
  });

  it('refuses a 1 MB source before reading it', () => {
    const source = 'a + '.repeat(262_144);
    const started = performance.now();
    const [issue] = issuesOf(source);
    expect(issue).toMatchObject({ code: 'EXPR_LIMIT_EXCEEDED', params: { name: 'maxSourceLength', max: 4000 } });
    expect(issue?.zh).toBe('公式超出限制：公式长度（字符）最多 4000');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses too many nodes', () => {
    const source = `SUM(${Array.from({ length: 2_100 }, () => '1').join(',')})`;
    expect(issuesOf(source, { maxSourceLength: 100_000 })[0]?.params.name).toBe('maxNodes');
  });

  it('refuses a non-text source', () => {
    expect(parse(42 as unknown as string).ok).toBe(false);
  });
});
