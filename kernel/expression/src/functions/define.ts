import type { Node } from '../ast.ts';
import type { Type } from '../types.ts';
import type { Value } from '../values.ts';

/** What a function implementation may ask of the interpreter; every guard of the sandbox goes through here. */
export type Runtime = {
  /** Counts work (list items processed); throws EXPR_LIMIT_EXCEEDED past maxSteps. */
  step(count?: number): void;
  /** Returns text it was given, or throws EXPR_LIMIT_EXCEEDED when it is longer than maxStringLength. */
  text(value: string): string;
  /** The evaluation's calendar date in its time zone (fixed for one evaluation). */
  today(): string;
  /** The evaluation's instant as ISO text (fixed for one evaluation). */
  now(): string;
  readonly timeZone: string;
};

/** The arguments of one call. Values are computed on demand, so IF, AND, OR and COALESCE short-circuit. */
export type Args = {
  readonly length: number;
  /** The argument's value; an argument mapped over subtable rows gives the list of its per-row values. */
  value(index: number): Value;
  /** The argument's value converted to `type` (a number of yuan becomes fen when `type` is money). */
  valueAs(index: number, type: Type): Value;
  /** The argument's checked type (`list<…>` for a mapped argument). */
  type(index: number): Type;
  /** The call's checked result type. */
  readonly resultType: Type;
};

export type ArgInfo = { readonly type: Type; readonly node: Node };

/** What a type rule may use: the checked arguments and ways to report a problem at one of them. */
export type TypeContext = {
  readonly name: string;
  readonly args: readonly ArgInfo[];
  /** Reports "argument i must be <expected>" and returns 'unknown'. */
  fail(index: number, expected: readonly Type[]): 'unknown';
  /** Reports an option argument (such as DATEDIF's unit) outside `allowed`. */
  invalidOption(index: number, allowed: readonly string[]): void;
  /** Reports a date or instant literal that does not parse. */
  invalidDate(index: number, kind: 'date' | 'datetime'): void;
  /** Reports a number of arguments the min/max range lets through but the function does not take (DATE with 2). */
  argumentCount(expected: string): 'unknown';
  /** Reports results of different types (IF's branches). */
  branchTypes(index: number, left: Type, right: Type): 'unknown';
  /** The value of a literal argument (text, number, boolean), or undefined when the argument is not a literal. */
  literal(index: number): string | number | boolean | undefined;
};

export type FunctionCategory = 'aggregate' | 'logic' | 'math' | 'text' | 'date' | 'conversion';

/**
 * One function of the language: everything about it in one place (arity, the subtable rows it maps over, its type
 * rule, its implementation, its documentation). The checker, the interpreter and the docs read only this.
 */
export type FunctionDefinition = {
  readonly name: string;
  readonly category: FunctionCategory;
  readonly summary: { readonly zh: string; readonly en: string };
  /** Human-readable signatures for the docs and the designer's help (`SUM(number|money …) → number|money`). */
  readonly signatures: readonly string[];
  readonly minArgs: number;
  readonly maxArgs: number;
  /**
   * Aggregates: arguments `from`…`to` that mention subtable columns are evaluated once per row and give a list.
   * `each` lets every argument walk its own subtable (SUM(a.x, b.y)); `shared` walks one subtable for all of them
   * in step (SUMIF(items.amount, items.kind = '差旅')).
   */
  readonly rowArgs?: { readonly mode: 'each' | 'shared'; readonly from?: number; readonly to?: number };
  /** Depends on the clock (TODAY, NOW): its result changes without any field changing. */
  readonly volatile?: boolean;
  type(context: TypeContext): Type;
  evaluate(args: Args, runtime: Runtime): Value;
};

const NAME = /^[A-Z][A-Z0-9]*$/;

export function defineFunction(definition: FunctionDefinition): FunctionDefinition {
  if (!NAME.test(definition.name)) throw new TypeError(`defineFunction: "${definition.name}" must be UPPER case`);
  if (definition.minArgs < 0 || definition.maxArgs < definition.minArgs) {
    throw new TypeError(`defineFunction: ${definition.name} has an invalid arity`);
  }
  return Object.freeze({ ...definition, signatures: Object.freeze([...definition.signatures]) });
}

/** Whether argument `index` of `definition` is evaluated per subtable row. */
export function mapsRows(definition: FunctionDefinition, index: number): boolean {
  const rows = definition.rowArgs;
  if (!rows) return false;
  return index >= (rows.from ?? 0) && index <= (rows.to ?? Number.POSITIVE_INFINITY);
}
