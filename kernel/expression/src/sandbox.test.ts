import { createFakeClock, isBatonError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import {
  type CompiledExpression,
  type CompileOptions,
  compile,
  type EvaluateOptions,
  type ExpressionSchema,
  evaluate,
} from './index.ts';

const schema: ExpressionSchema = {
  fields: { text: { type: 'text' }, amount: { type: 'money' }, qty: { type: 'number' }, day: { type: 'date' } },
  subtables: { items: { columns: { a: { type: 'number' }, label: { type: 'text' } } } },
  context: { 'initiator.level': 'number' },
};

function compiled(source: string, options: CompileOptions = {}): CompiledExpression {
  const result = compile(source, schema, options);
  if (!result.ok) throw new Error(`${source}: ${result.issues.map((i) => i.en).join('; ')}`);
  return result.expression;
}

function refused(source: string, options: CompileOptions = {}): string[] {
  const result = compile(source, schema, options);
  if (result.ok) throw new Error(`${source} compiled`);
  return result.issues.map((issue) => issue.code);
}

/** The coded error an evaluation throws. */
function thrown(run: () => unknown): { code: string; params: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    if (!isBatonError(error)) throw error;
    return { code: error.code, params: { ...error.params } };
  }
  throw new Error('no error thrown');
}

const clock = createFakeClock('2026-01-31T17:00:00Z');
const run = (expression: CompiledExpression, values: Record<string, unknown>, options: EvaluateOptions = {}) =>
  evaluate(expression, values, { clock, ...options });

describe('escapes are refused at compile time', () => {
  it.each([
    ["constructor.constructor('return process')()", 'EXPR_NOT_CALLABLE'],
    ['constructor', 'EXPR_FORBIDDEN_NAME'],
    ['__proto__', 'EXPR_FORBIDDEN_NAME'],
    ['text.__proto__', 'EXPR_FORBIDDEN_NAME'],
    ['text.constructor', 'EXPR_FORBIDDEN_NAME'],
    ['items.constructor', 'EXPR_FORBIDDEN_NAME'],
    ['SUM(items.__proto__)', 'EXPR_FORBIDDEN_NAME'],
    ['prototype', 'EXPR_FORBIDDEN_NAME'],
    ['$__proto__', 'EXPR_FORBIDDEN_NAME'],
    ['$initiator.constructor', 'EXPR_FORBIDDEN_NAME'],
    ['toString.call(1)', 'EXPR_NOT_CALLABLE'],
    ['toString', 'EXPR_UNKNOWN_FIELD'],
    ['valueOf', 'EXPR_UNKNOWN_FIELD'],
    ['hasOwnProperty', 'EXPR_UNKNOWN_FIELD'],
    ['text.length', 'EXPR_UNKNOWN_FIELD'],
    ['items.length', 'EXPR_UNKNOWN_FIELD'],
    ['items.a.b.c', 'EXPR_UNKNOWN_FIELD'],
    ['process', 'EXPR_UNKNOWN_FIELD'],
    ['globalThis', 'EXPR_UNKNOWN_FIELD'],
    ['eval(text)', 'EXPR_UNKNOWN_FUNCTION'],
    ['Function(text)', 'EXPR_UNKNOWN_FUNCTION'],
    ['CONSTRUCTOR(1)', 'EXPR_UNKNOWN_FUNCTION'],
    ['hasOwnProperty(1)', 'EXPR_UNKNOWN_FUNCTION'],
    ['__defineGetter__(1)', 'EXPR_UNKNOWN_FUNCTION'],
    ['require(text)', 'EXPR_UNKNOWN_FUNCTION'],
    ['import(text)', 'EXPR_UNKNOWN_FUNCTION'],
    ["SUM(1)('x')", 'EXPR_NOT_CALLABLE'],
    ["(text)('x')", 'EXPR_NOT_CALLABLE'],
    ['text[0]', 'EXPR_UNEXPECTED_TOKEN'],
    ["text['constructor']", 'EXPR_UNEXPECTED_TOKEN'],
    ['`$' + '{text}`', 'EXPR_INVALID_CHARACTER'],
    ['text; qty', 'EXPR_INVALID_CHARACTER'],
    ['a => a', 'EXPR_UNEXPECTED_TOKEN'],
    ['{}', 'EXPR_INVALID_CHARACTER'],
  ])('%s → %s', (source, code) => {
    expect(refused(source)).toContain(code);
  });

  it('never evaluates a look-alike of a compiled expression', () => {
    const real = compiled('text');
    const forged = { ...real, ast: { kind: 'name', path: ['__proto__'], ref: { kind: 'field', key: '__proto__' } } };
    expect(thrown(() => evaluate(forged as unknown as CompiledExpression, {})).code).toBe('EXPR_NOT_COMPILED');
    expect(thrown(() => evaluate(JSON.parse(JSON.stringify(real)), {})).code).toBe('EXPR_NOT_COMPILED');
  });

  it('freezes a compiled expression so it cannot be altered after the checks', () => {
    const expression = compiled('qty + 1');
    expect(Object.isFrozen(expression)).toBe(true);
    expect(Object.isFrozen(expression.ast)).toBe(true);
    expect(() => {
      (expression.ast as { kind: string }).kind = 'string';
    }).toThrow(TypeError);
    expect(() => {
      (expression.fields as string[]).push('x');
    }).toThrow(TypeError);
  });
});

describe('values are read only as own properties of declared keys', () => {
  it('ignores inherited and polluted properties', () => {
    const values = Object.create({ qty: 5, text: 'inherited' }) as Record<string, unknown>;
    expect(run(compiled('qty + 1'), values)).toBe(1);
    expect(run(compiled("text & ''"), values)).toBe('');
    const polluted = JSON.parse('{"__proto__": {"qty": 7}}');
    expect(run(compiled('qty + 1'), polluted)).toBe(1);
    const rows = [Object.create({ a: 9 })];
    expect(run(compiled('SUM(items.a)'), { items: rows })).toBe(0);
  });

  it('does not read undeclared keys, however they are spelled', () => {
    const values = { qty: 1, secret: 'x', 'qty.constructor': 2 };
    expect(run(compiled('qty'), values)).toBe(1);
    expect(refused('secret')).toEqual(['EXPR_UNKNOWN_FIELD']);
  });

  it('refuses a value of the wrong type with a coded error naming the field', () => {
    expect(thrown(() => run(compiled('qty + 1'), { qty: '5' }))).toMatchObject({
      code: 'EXPR_VALUE_INVALID',
      params: { name: 'qty', type: 'number' },
    });
    expect(thrown(() => run(compiled('amount'), { amount: 12.5 })).code).toBe('EXPR_VALUE_INVALID');
    expect(thrown(() => run(compiled('day'), { day: '2026-02-30' })).code).toBe('EXPR_VALUE_INVALID');
    expect(thrown(() => run(compiled('SUM(items.a)'), { items: [{ a: 'x' }] })).params.name).toBe('items.a');
    expect(thrown(() => run(compiled('COUNT(items)'), { items: 'rows' })).code).toBe('EXPR_VALUE_INVALID');
    expect(thrown(() => run(compiled('COUNT(items)'), { items: [1, 2] })).params.name).toBe('items[0]');
    expect(
      thrown(() => run(compiled('$initiator.level'), {}, { context: { 'initiator.level': 'x' } })).params.name,
    ).toBe('$initiator.level');
    expect(thrown(() => run(compiled('qty'), null as unknown as Record<string, unknown>)).code).toBe(
      'EXPR_OPTIONS_INVALID',
    );
  });
});

describe('run-time limits', () => {
  const long = 'x'.repeat(5_000);

  it('stops text from growing past the length limit', () => {
    expect(run(compiled('CONCAT(text, text)'), { text: long })).toHaveLength(10_000);
    expect(thrown(() => run(compiled('CONCAT(text, text, text)'), { text: long }))).toMatchObject({
      code: 'EXPR_LIMIT_EXCEEDED',
      params: { name: 'maxStringLength', max: 10_000 },
    });
    expect(thrown(() => run(compiled('text & text & text & text'), { text: long })).code).toBe('EXPR_LIMIT_EXCEEDED');
    const rows = Array.from({ length: 200 }, () => ({ label: 'y'.repeat(100) }));
    expect(thrown(() => run(compiled("TEXTJOIN(',', items.label)"), { items: rows })).code).toBe('EXPR_LIMIT_EXCEEDED');
    expect(thrown(() => run(compiled('UPPER(text)'), { text: 'z'.repeat(20_000) })).code).toBe('EXPR_LIMIT_EXCEEDED');
  });

  it('stops a runaway expression at the step limit instead of hanging', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ a: i }));
    const expression = compiled('SUM(items.a * SUM(items.a * SUM(items.a)))');
    const started = performance.now();
    const error = thrown(() => run(expression, { items }));
    expect(error).toMatchObject({ code: 'EXPR_LIMIT_EXCEEDED', params: { name: 'maxSteps', max: 100_000 } });
    expect(performance.now() - started).toBeLessThan(2_000);
    // The same expression over a few rows is fine.
    expect(run(expression, { items: items.slice(0, 3) })).toBe(
      [0, 1, 2].reduce((t, i) => t + i * [0, 1, 2].reduce((u, j) => u + j * 3, 0), 0),
    );
  });

  it('refuses lists and subtables longer than the list limit', () => {
    const rows = Array.from({ length: 10_001 }, () => ({ a: 1 }));
    expect(thrown(() => run(compiled('COUNT(items)'), { items: rows }))).toMatchObject({
      code: 'EXPR_LIMIT_EXCEEDED',
      params: { name: 'maxListLength' },
    });
    const listSchema: ExpressionSchema = { fields: { ids: { type: 'list<member>' } } };
    const result = compile('COUNT(ids)', listSchema);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(evaluate(result.expression, { ids: ['a', 'b'] })).toBe(2);
      const ids = Array.from({ length: 10_001 }, (_, i) => `m${i}`);
      expect(thrown(() => evaluate(result.expression, { ids })).code).toBe('EXPR_LIMIT_EXCEEDED');
    }
  });

  it('takes tighter limits from the caller', () => {
    const expression = compiled('qty + qty + qty');
    expect(thrown(() => run(expression, { qty: 1 }, { limits: { maxSteps: 3 } })).params.name).toBe('maxSteps');
    expect(run(expression, { qty: 1 }, { limits: { maxSteps: 5 } })).toBe(3);
  });
});
