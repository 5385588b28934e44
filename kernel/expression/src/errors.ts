import { defineError } from '@baton/core';

/**
 * Every problem the language reports, compile-time and run-time. Compile problems become issues with a position (see
 * issues.ts); run-time problems are thrown. Parameters that carry words come in pairs (`expected` / `expectedZh`) so
 * one parameter set renders in both languages.
 */
export const ExpressionErrors = {
  unexpectedToken: defineError('EXPR_UNEXPECTED_TOKEN', {
    status: 400,
    zh: '此处不应出现{foundZh}，需要{expectedZh}',
    en: 'Unexpected {found}; expected {expected}',
  }),
  invalidCharacter: defineError('EXPR_INVALID_CHARACTER', {
    status: 400,
    zh: '无法识别的字符 {char}',
    en: 'Unrecognised character {char}',
  }),
  unterminatedString: defineError('EXPR_UNTERMINATED_STRING', {
    status: 400,
    zh: '文本缺少结尾的引号',
    en: 'The text has no closing quote',
  }),
  invalidEscape: defineError('EXPR_INVALID_ESCAPE', {
    status: 400,
    zh: '文本中的转义 {escape} 无效',
    en: 'Invalid escape {escape} in text',
  }),
  invalidNumber: defineError('EXPR_INVALID_NUMBER', {
    status: 400,
    zh: '数字 {text} 格式有误（金额最多两位小数）',
    en: 'Malformed number {text} (money has at most two decimals)',
  }),
  notCallable: defineError('EXPR_NOT_CALLABLE', {
    status: 400,
    zh: '只能调用函数名，{name} 不能被调用',
    en: 'Only function names can be called; {name} cannot',
  }),
  chainedComparison: defineError('EXPR_CHAINED_COMPARISON', {
    status: 400,
    zh: '比较不能连写，请用 AND 连接，例如 a < b AND b < c',
    en: 'Comparisons cannot be chained; join them with AND, e.g. a < b AND b < c',
  }),
  forbiddenName: defineError('EXPR_FORBIDDEN_NAME', {
    status: 400,
    zh: '名称 {name} 不允许使用',
    en: 'The name {name} is not allowed',
  }),
  unknownField: defineError('EXPR_UNKNOWN_FIELD', {
    status: 400,
    zh: '未知字段 {name}',
    en: 'Unknown field {name}',
  }),
  unknownContext: defineError('EXPR_UNKNOWN_CONTEXT', {
    status: 400,
    zh: '未知的环境变量 {name}',
    en: 'Unknown context variable {name}',
  }),
  unknownFunction: defineError('EXPR_UNKNOWN_FUNCTION', {
    status: 400,
    zh: '未知函数 {name}',
    en: 'Unknown function {name}',
  }),
  columnOutsideAggregate: defineError('EXPR_COLUMN_OUTSIDE_AGGREGATE', {
    status: 400,
    zh: '明细表列 {name} 只能用在汇总函数中，例如 SUM({name})',
    en: 'Subtable column {name} can only be used inside an aggregate, e.g. SUM({name})',
  }),
  subtableAsValue: defineError('EXPR_SUBTABLE_AS_VALUE', {
    status: 400,
    zh: '明细表 {name} 不能直接作为值，请用 COUNT({name}) 或 SUM({name}.列名)',
    en: 'Subtable {name} is not a value; use COUNT({name}) or SUM({name}.column)',
  }),
  mixedSubtables: defineError('EXPR_MIXED_SUBTABLES', {
    status: 400,
    zh: '一次汇总只能遍历一个明细表，这里同时用到了 {first} 和 {second}',
    en: 'One aggregate walks one subtable, but this one uses both {first} and {second}',
  }),
  rowOutsideSubtable: defineError('EXPR_ROW_OUTSIDE_SUBTABLE', {
    status: 400,
    zh: '$row 只能用在明细表的行公式中',
    en: '$row can only be used in a subtable row formula',
  }),
  typeMismatch: defineError('EXPR_TYPE_MISMATCH', {
    status: 400,
    zh: '运算 {operator} 不能用于{leftZh}和{rightZh}',
    en: 'Operator {operator} cannot combine {left} and {right}',
  }),
  operandType: defineError('EXPR_OPERAND_TYPE', {
    status: 400,
    zh: '运算 {operator} 需要{expectedZh}，实际是{actualZh}',
    en: 'Operator {operator} needs {expected}, got {actual}',
  }),
  argumentCount: defineError('EXPR_ARGUMENT_COUNT', {
    status: 400,
    zh: '函数 {name} 需要 {expected} 个参数，实际给了 {actual} 个',
    en: 'Function {name} takes {expected} arguments, got {actual}',
  }),
  argumentType: defineError('EXPR_ARGUMENT_TYPE', {
    status: 400,
    zh: '函数 {name} 的第 {index} 个参数需要{expectedZh}，实际是{actualZh}',
    en: 'Argument {index} of {name} must be {expected}, got {actual}',
  }),
  invalidOption: defineError('EXPR_INVALID_OPTION', {
    status: 400,
    zh: '函数 {name} 的参数 {value} 无效，可选：{allowed}',
    en: 'Argument {value} of {name} is invalid; allowed: {allowed}',
  }),
  invalidDate: defineError('EXPR_INVALID_DATE', {
    status: 400,
    zh: '{text} 不是有效的{kindZh}（格式 {format}）',
    en: '{text} is not a valid {kind} ({format})',
  }),
  branchTypes: defineError('EXPR_BRANCH_TYPES', {
    status: 400,
    zh: '{name} 的各个结果类型不一致：{leftZh}与{rightZh}',
    en: 'The results of {name} have different types: {left} and {right}',
  }),
  divisionByZero: defineError('EXPR_DIVISION_BY_ZERO', {
    status: 400,
    zh: '除数不能为零',
    en: 'Division by zero',
  }),
  resultType: defineError('EXPR_RESULT_TYPE', {
    status: 400,
    zh: '公式结果应为{expectedZh}，实际是{actualZh}',
    en: 'The expression must give {expected}, but gives {actual}',
  }),
  limitExceeded: defineError('EXPR_LIMIT_EXCEEDED', {
    status: 422,
    zh: '公式超出限制：{limitZh}最多 {max}',
    en: 'Expression limit exceeded: at most {max} {limit}',
  }),
  schemaInvalid: defineError('EXPR_SCHEMA_INVALID', {
    status: 400,
    zh: '公式可用字段的定义有误：{path} {problemZh}',
    en: 'Invalid expression schema: {path} {problem}',
  }),
  invalid: defineError('EXPR_INVALID', {
    status: 400,
    zh: '公式有误：{first}',
    en: 'Invalid expression: {first}',
  }),
  notCompiled: defineError('EXPR_NOT_COMPILED', {
    status: 500,
    zh: '只能计算由 compile 生成的表达式',
    en: 'Only expressions produced by compile can be evaluated',
  }),
  valueInvalid: defineError('EXPR_VALUE_INVALID', {
    status: 500,
    zh: '{name} 的值不是有效的{typeZh}',
    en: 'The value of {name} is not a valid {type}',
  }),
  optionsInvalid: defineError('EXPR_OPTIONS_INVALID', {
    status: 500,
    zh: '计算选项无效：{problemZh}',
    en: 'Invalid evaluation options: {problem}',
  }),
  cycle: defineError('EXPR_CYCLE', {
    status: 400,
    zh: '公式之间存在循环引用：{cycle}',
    en: 'Formulas depend on each other in a cycle: {cycle}',
  }),
} as const;

/** Names of the limits, for EXPR_LIMIT_EXCEEDED messages. */
export const limitLabels = {
  maxSourceLength: { zh: '公式长度（字符）', en: 'characters of source' },
  maxNodes: { zh: '语法节点数', en: 'syntax nodes' },
  maxDepth: { zh: '嵌套层数', en: 'levels of nesting' },
  maxSteps: { zh: '计算步数', en: 'evaluation steps' },
  maxStringLength: { zh: '文本长度（字符）', en: 'characters in a text' },
  maxListLength: { zh: '列表或明细行数', en: 'items in a list or rows in a subtable' },
} as const;
