import { describe, expect, it } from 'vitest';
import { compile, type ExpressionSchema, evaluate, parse, print } from './index.ts';

/**
 * Random well-typed expressions over numbers, each generated together with a reference computation in plain JS that
 * follows the documented semantics: blank number fields read as 0 in arithmetic, a computed blank (division by zero)
 * stays blank, blanks are unordered in comparisons, numbers are tidied to 15 significant digits when observed.
 */

type Vars = Record<'x' | 'y' | 'z', number | null>;
type Num = { source: string; value: (vars: Vars) => number | null; isVariable?: boolean };
type Bool = { source: string; value: (vars: Vars) => boolean };

// mulberry32: small, seedable, so a failure reproduces.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const tidy = (v: number) => (v === 0 ? 0 : Number.isFinite(v) ? Number(v.toPrecision(15)) : v);
const finite = (v: number) => (Number.isFinite(v) ? v : null);

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const int = (max: number) => Math.floor(next() * (max + 1));

  /** The value of an operand in arithmetic: a blank variable is 0, a computed blank stays blank. */
  const operand = (n: Num, vars: Vars) => {
    const v = n.value(vars);
    return v === null && n.isVariable ? 0 : v;
  };
  const arith = (a: Num, b: Num, op: string, f: (p: number, q: number) => number | null): Num => ({
    source: `(${a.source} ${op} ${b.source})`,
    value: (vars) => {
      const p = operand(a, vars);
      const q = operand(b, vars);
      return p === null || q === null ? null : f(p, q);
    },
  });

  const num = (depth: number): Num => {
    const kind =
      depth <= 0
        ? pick(['int', 'var'])
        : pick(['int', 'var', '+', '-', '*', '/', '%', 'neg', 'if', 'abs', 'min', 'max']);
    switch (kind) {
      case 'int': {
        const n = int(50);
        return { source: String(n), value: () => n };
      }
      case 'var': {
        const name = pick(['x', 'y', 'z'] as const);
        return { source: name, value: (vars) => vars[name], isVariable: true };
      }
      case '+':
        return arith(num(depth - 1), num(depth - 1), '+', (p, q) => finite(p + q));
      case '-':
        return arith(num(depth - 1), num(depth - 1), '-', (p, q) => finite(p - q));
      case '*':
        return arith(num(depth - 1), num(depth - 1), '*', (p, q) => finite(p * q));
      case '/':
      case '%': {
        // Divisors are literals or fields, never computed, so that no near-zero noise decides between a value and
        // a division by zero.
        const name = pick(['x', 'y', 'z'] as const);
        const literal = 1 + int(8);
        const divisor: Num =
          next() < 0.5
            ? { source: name, value: (vars) => vars[name], isVariable: true }
            : { source: String(literal), value: () => literal };
        return arith(num(depth - 1), divisor, kind, (p, q) => (q === 0 ? null : finite(kind === '/' ? p / q : p % q)));
      }
      case 'neg': {
        const a = num(depth - 1);
        return {
          source: `-(${a.source})`,
          value: (vars) => {
            const v = operand(a, vars);
            return v === null ? null : 0 - v;
          },
        };
      }
      case 'if': {
        const c = bool(depth - 1);
        const a = num(depth - 1);
        const b = num(depth - 1);
        return {
          source: `IF(${c.source}, ${a.source}, ${b.source})`,
          value: (vars) => (c.value(vars) ? a : b).value(vars),
        };
      }
      case 'abs': {
        const a = num(depth - 1);
        return {
          source: `ABS(${a.source})`,
          value: (vars) => {
            const v = a.value(vars);
            return v === null ? null : Math.abs(v);
          },
        };
      }
      default: {
        const a = num(depth - 1);
        const b = num(depth - 1);
        const f = kind === 'min' ? Math.min : Math.max;
        return {
          source: `${kind.toUpperCase()}(${a.source}, ${b.source})`,
          value: (vars) => {
            const values = [a.value(vars), b.value(vars)].filter((v): v is number => v !== null);
            return values.length === 0 ? null : f(...values);
          },
        };
      }
    }
  };

  const bool = (depth: number): Bool => {
    const kind = depth <= 0 ? 'cmp' : pick(['cmp', 'cmp', 'and', 'or', 'not']);
    if (kind === 'cmp') {
      const a = num(Math.max(0, depth - 1));
      const b = num(Math.max(0, depth - 1));
      const op = pick(['=', '!=', '<', '<=', '>', '>='] as const);
      return {
        source: `(${a.source} ${op} ${b.source})`,
        value: (vars) => {
          const p = a.value(vars);
          const q = b.value(vars);
          if (op === '=' || op === '!=') {
            const equal = p === null || q === null ? p === q : tidy(p) === tidy(q);
            return op === '=' ? equal : !equal;
          }
          if (p === null || q === null) return false;
          const [l, r] = [tidy(p), tidy(q)];
          return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
        },
      };
    }
    if (kind === 'not') {
      const a = bool(depth - 1);
      return { source: `NOT (${a.source})`, value: (vars) => !a.value(vars) };
    }
    const a = bool(depth - 1);
    const b = bool(depth - 1);
    const and = kind === 'and';
    return {
      source: `(${a.source} ${and ? 'AND' : 'OR'} ${b.source})`,
      value: (vars) => (and ? a.value(vars) && b.value(vars) : a.value(vars) || b.value(vars)),
    };
  };

  return { num, pick, int };
}

const schema: ExpressionSchema = { fields: { x: { type: 'number' }, y: { type: 'number' }, z: { type: 'number' } } };

describe('random well-typed number expressions agree with a reference computation', () => {
  it('for 400 expressions × 4 assignments, and after a print round-trip', () => {
    const next = random(20_260_131);
    const { num, pick, int } = generator(next);
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const expression = num(1 + int(4));
      const compiled = compile(expression.source, schema);
      if (!compiled.ok) throw new Error(`${expression.source}: ${compiled.issues.map((x) => x.en).join('; ')}`);
      const parsed = parse(expression.source);
      const printed = parsed.ok ? print(parsed.ast) : '';
      const reprinted = compile(printed, schema);
      if (!reprinted.ok) throw new Error(`${printed} does not compile`);
      for (let j = 0; j < 4; j++) {
        const vars: Vars = {
          x: pick([null, 0, int(40) - 20, (int(400) - 200) / 8]),
          y: pick([null, 1, int(40) - 20, (int(400) - 200) / 16]),
          z: pick([0, int(9), 0 - int(9), 0.1 * int(10)]),
        };
        const reference = expression.value(vars);
        const expected = reference === null ? null : tidy(reference);
        const actual = evaluate(compiled.expression, vars);
        expect({ source: expression.source, vars, value: actual }).toEqual({
          source: expression.source,
          vars,
          value: expected,
        });
        expect(evaluate(reprinted.expression, vars)).toEqual(actual);
        checked++;
      }
    }
    expect(checked).toBe(1_600);
  });
});
