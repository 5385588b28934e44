// @baton/expression: the one language for formulas, validations, flow conditions, defaults and assignee rules.
// Isomorphic: no Node-only API, so the form runtime in the browser computes exactly what the server recomputes.
export {
  type BinaryOperator,
  type CallNode,
  childrenOf,
  type Node,
  type Position,
  type Reference,
  type UnaryOperator,
} from './ast.ts';
export {
  type CompiledExpression,
  type CompileOptions,
  type CompileResult,
  compile,
  compileOrThrow,
  isCompiled,
} from './compile.ts';
export { ExpressionErrors } from './errors.ts';
export { type EvaluateOptions, evaluate, evaluateRows } from './evaluate.ts';
export type {
  Args,
  FunctionCategory,
  FunctionDefinition,
  Runtime,
  TypeContext,
} from './functions/define.ts';
export { findFunction, listFunctions } from './functions/registry.ts';
export type { ExpressionIssue } from './issues.ts';
export {
  type CompileLimits,
  defaultCompileLimits,
  defaultEvaluateLimits,
  type EvaluateLimits,
} from './limits.ts';
export { formatFen } from './money.ts';
export { dependencies, type FormulaOrder, orderFormulas } from './order.ts';
export { type ParseResult, parse } from './parser.ts';
export { print } from './printer.ts';
export {
  checkSchema,
  type ExpressionSchema,
  type FieldSpec,
  isForbiddenName,
  isPreparedSchema,
  type PreparedSchema,
  prepareSchema,
} from './schema.ts';
export {
  type ListType,
  parseTypeName,
  type ScalarType,
  scalarTypes,
  type Type,
  typeLabel,
  type ValueType,
} from './types.ts';
export { upperMoney } from './upper-money.ts';
export { isBlank, toText, type Value } from './values.ts';
