import { fenFromYuan, fenOrNull, tidy } from '../money.ts';
import { elementOf, isNumeric, isWild, type Type, unify } from '../types.ts';
import type { Value } from '../values.ts';
import type { Args, Runtime, TypeContext } from './define.ts';

/** Every argument's values, lists spread out, each with its element type; one step per item. */
export function spread(args: Args, runtime: Runtime, from = 0): { value: Value; type: Type }[] {
  const items: { value: Value; type: Type }[] = [];
  for (let i = from; i < args.length; i++) {
    const value = args.value(i);
    const type = args.type(i);
    if (Array.isArray(value)) {
      runtime.step(value.length);
      const element = elementOf(type);
      for (const item of value) items.push({ value: item, type: element });
    } else {
      items.push({ value: value as Value, type });
    }
  }
  return items;
}

/** Checks that argument `index` (or, for a list, its items) is one of `allowed`; wildcards always pass. */
export function expectArg(context: TypeContext, index: number, allowed: readonly Type[], listOk = false): boolean {
  const info = context.args[index];
  if (!info) return true;
  const type = listOk ? elementOf(info.type) : info.type;
  if (isWild(type) || allowed.includes(type)) return true;
  context.fail(index, allowed);
  return false;
}

/** Type rule of SUM-like functions: numbers and money, single or in lists; money if any argument is money. */
export function numericResult(context: TypeContext, from = 0, to = context.args.length - 1): Type {
  let result: Type = 'number';
  let ok = true;
  for (let i = from; i <= to; i++) {
    const type = elementOf(context.args[i]?.type ?? 'unknown');
    if (type === 'money') result = 'money';
    else if (!isWild(type) && !isNumeric(type)) ok = expectArg(context, i, ['number', 'money'], true) && ok;
  }
  return ok ? result : 'unknown';
}

/** The common type of several arguments (IF branches, COALESCE), reporting the first that does not fit. */
export function commonType(context: TypeContext, indices: readonly number[]): Type {
  let result: Type = 'null';
  for (const index of indices) {
    const type = context.args[index]?.type ?? 'unknown';
    const next = unify(result, type);
    if (next === undefined) return context.branchTypes(index, result, type);
    result = next;
  }
  return result;
}

/** Numbers and money summed exactly into the result type (fen for money). Blank items are skipped. */
export function sumOf(items: readonly { value: Value; type: Type }[], resultType: Type): number | null {
  if (resultType === 'money') {
    let total = 0n;
    for (const { value, type } of items) {
      if (typeof value !== 'number') continue;
      const fen = type === 'money' ? value : fenFromYuan(value);
      if (fen === null) return null;
      total += BigInt(fen);
    }
    return fenOrNull(total);
  }
  let total = 0;
  for (const { value } of items) if (typeof value === 'number') total += value;
  return Number.isFinite(total) ? total : null;
}

/** Converts an item to fen when the result is money, leaves numbers otherwise. */
export function asResult(value: number, type: Type, resultType: Type): number | null {
  return resultType === 'money' && type !== 'money' ? fenFromYuan(value) : value;
}

/** Code points, so that an emoji counts as one character like a Chinese character does. */
export function characters(text: string): string[] {
  return Array.from(text);
}

/** A whole-number argument (counts, lengths, places): fractions are truncated, blanks give the fallback. */
export function integerArg(value: Value, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(tidy(value)) : fallback;
}
