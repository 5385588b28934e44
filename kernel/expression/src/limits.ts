/**
 * Bounds that make an expression safe to run on the server for any author: compile-time bounds stop a hostile
 * source before it is parsed deeply, run-time bounds stop an expression that explodes over many subtable rows.
 */
export type CompileLimits = {
  /** Characters of source; checked before anything else, so a 1 MB paste costs nothing. */
  maxSourceLength: number;
  /** Syntax nodes in the tree. */
  maxNodes: number;
  /** Nesting of parentheses, calls and operators; the parser refuses deeper input before the JS stack is at risk. */
  maxDepth: number;
};

export type EvaluateLimits = {
  /** Nodes visited plus list items processed. */
  maxSteps: number;
  /** Characters in any text the expression produces. */
  maxStringLength: number;
  /** Items in any list, including the rows of a subtable read from the values. */
  maxListLength: number;
};

export const defaultCompileLimits: Readonly<CompileLimits> = Object.freeze({
  maxSourceLength: 4_000,
  maxNodes: 2_000,
  maxDepth: 200,
});

export const defaultEvaluateLimits: Readonly<EvaluateLimits> = Object.freeze({
  maxSteps: 100_000,
  maxStringLength: 10_000,
  maxListLength: 10_000,
});
