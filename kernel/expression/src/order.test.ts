import { describe, expect, it } from 'vitest';
import {
  type CompiledExpression,
  type CompileOptions,
  compile,
  dependencies,
  type ExpressionSchema,
  orderFormulas,
  prepareSchema,
} from './index.ts';

const schema: ExpressionSchema = {
  fields: {
    total: { type: 'money' },
    tax: { type: 'money' },
    grand: { type: 'money' },
    upper: { type: 'text' },
    rate: { type: 'number' },
    a: { type: 'number' },
    b: { type: 'number' },
    c: { type: 'number' },
  },
  subtables: {
    items: { columns: { price: { type: 'money' }, quantity: { type: 'number' }, lineTotal: { type: 'money' } } },
  },
};

function formula(source: string, options: CompileOptions = {}): CompiledExpression {
  const result = compile(source, schema, options);
  if (!result.ok) throw new Error(result.issues.map((i) => i.en).join('; '));
  return result.expression;
}

describe('dependencies', () => {
  it('lists fields, columns and subtables read', () => {
    expect(dependencies(formula('SUM(items.lineTotal) * rate + COUNT(items)'))).toEqual([
      'items.lineTotal',
      'rate',
      'items',
    ]);
    expect(dependencies(formula('price * quantity', { scope: 'items' }))).toEqual(['items.price', 'items.quantity']);
    expect(dependencies(formula('1 + 2'))).toEqual([]);
  });
});

describe('orderFormulas', () => {
  it('puts every formula after the formulas it reads, keeping the input order otherwise', () => {
    const result = orderFormulas({
      upper: formula('UPPERMONEY(grand)'),
      grand: formula('total + tax'),
      tax: formula('total * rate'),
      total: formula('SUM(items.lineTotal)'),
      'items.lineTotal': formula('price * quantity', { scope: 'items' }),
      c: formula('1'),
    });
    expect(result).toEqual({ ok: true, order: ['items.lineTotal', 'total', 'tax', 'grand', 'upper', 'c'] });
  });

  it('reports a cycle with its path (EXPR_CYCLE)', () => {
    const result = orderFormulas({
      a: formula('b + 1'),
      b: formula('c + 1'),
      c: formula('a + 1'),
      total: formula('¥1'),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.cycles).toEqual([['a', 'b', 'c', 'a']]);
    expect(result.error.code).toBe('EXPR_CYCLE');
    expect(result.error.localized('zh-CN')).toBe('公式之间存在循环引用：a → b → c → a');
    expect(result.error.localized('en-US')).toBe('Formulas depend on each other in a cycle: a → b → c → a');
  });

  it('reports a formula that reads itself, also through a subtable column', () => {
    const self = orderFormulas({ a: formula('a + 1') });
    expect(self.ok === false && self.cycles).toEqual([['a', 'a']]);
    const column = orderFormulas({
      'items.lineTotal': formula('price * quantity + total', { scope: 'items' }),
      total: formula('SUM(items.lineTotal)'),
    });
    expect(column.ok === false && column.cycles).toEqual([['items.lineTotal', 'total', 'items.lineTotal']]);
  });

  it('orders a long chain (given backwards) without recursion', () => {
    const keys = Array.from({ length: 1_000 }, (_, i) => `f${i}`);
    const wide = prepareSchema({ fields: Object.fromEntries(keys.map((key) => [key, { type: 'number' }])) }).schema;
    if (!wide) throw new Error('schema');
    const chain: Record<string, CompiledExpression> = {};
    for (let i = keys.length - 1; i >= 0; i--) {
      const result = compile(i === 0 ? '1' : `${keys[i - 1]} + 1`, wide);
      if (result.ok) chain[keys[i] as string] = result.expression;
    }
    expect(orderFormulas(chain)).toEqual({ ok: true, order: keys });
  });
});
