import type { BatonError } from '@baton/core';
import { type CompiledExpression, isCompiled } from './compile.ts';
import { ExpressionErrors } from './errors.ts';

/** The keys an expression reads (fields, `subtable.column`, subtables), for recomputation and ordering. */
export function dependencies(expression: CompiledExpression): readonly string[] {
  if (!isCompiled(expression)) throw ExpressionErrors.notCompiled.create();
  return expression.fields;
}

export type FormulaOrder =
  | { readonly ok: true; readonly order: readonly string[] }
  | {
      readonly ok: false;
      /** Each cycle as a path that ends where it starts: ['a', 'b', 'a']. */
      readonly cycles: readonly (readonly string[])[];
      /** EXPR_CYCLE for the first cycle, ready to throw. */
      readonly error: BatonError;
    };

/**
 * Orders formulas so that each comes after the formulas it reads. Keys are the formula's own field key (`total`) or
 * `subtable.column` for a row formula (`items.lineTotal`); an edge exists when a formula reads another formula's key.
 * The order is stable: among independent formulas, the order of the input is kept.
 */
export function orderFormulas(formulas: Readonly<Record<string, CompiledExpression>>): FormulaOrder {
  const graph = new Map<string, readonly string[]>();
  for (const key of Object.keys(formulas)) {
    const expression = formulas[key] as CompiledExpression;
    graph.set(key, dependencies(expression));
  }

  const order: string[] = [];
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  // Iterative depth-first search: a long chain of formulas must not exhaust the JS stack.
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    const stack: { key: string; next: number }[] = [{ key: root, next: 0 }];
    state.set(root, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { key: string; next: number };
      const deps = (graph.get(top.key) ?? []).filter((dep) => graph.has(dep));
      if (top.next < deps.length) {
        const dep = deps[top.next++] as string;
        const seen = state.get(dep);
        if (seen === 'visiting') {
          const path = stack.map((frame) => frame.key);
          cycles.push([...path.slice(path.indexOf(dep)), dep]);
        } else if (seen === undefined) {
          state.set(dep, 'visiting');
          stack.push({ key: dep, next: 0 });
        }
        continue;
      }
      state.set(top.key, 'done');
      order.push(top.key);
      stack.pop();
    }
  }

  if (cycles.length === 0) return { ok: true, order };
  const error = ExpressionErrors.cycle.create({ cycle: (cycles[0] as string[]).join(' → ') });
  return { ok: false, cycles, error };
}
