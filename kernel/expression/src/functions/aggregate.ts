import { compareFenToYuan, divide, fenOrNull } from '../money.ts';
import { elementOf, familyOf, isWild, type Type } from '../types.ts';
import { isBlank } from '../values.ts';
import { defineFunction } from './define.ts';
import { asResult, expectArg, numericResult, spread, sumOf } from './helpers.ts';

const each = { mode: 'each' } as const;
const shared = { mode: 'shared' } as const;
const MANY = Number.POSITIVE_INFINITY;

export const SUM = defineFunction({
  name: 'SUM',
  category: 'aggregate',
  summary: {
    zh: '求和；参数可以是明细表列或表达式，空值跳过',
    en: 'Sum; arguments may be subtable columns or expressions over them; blanks are skipped',
  },
  signatures: ['SUM(number|money …) → number|money', 'SUM(items.amount)', 'SUM(items.price * items.quantity)'],
  minArgs: 1,
  maxArgs: MANY,
  rowArgs: each,
  type: (context) => numericResult(context),
  evaluate: (args, runtime) => sumOf(spread(args, runtime), args.resultType),
});

export const AVG = defineFunction({
  name: 'AVG',
  category: 'aggregate',
  summary: { zh: '平均值，空值不计；没有值时为空', en: 'Average of the non-blank values; blank when there are none' },
  signatures: ['AVG(number|money …) → number|money'],
  minArgs: 1,
  maxArgs: MANY,
  rowArgs: each,
  type: (context) => numericResult(context),
  evaluate: (args, runtime) => {
    const items = spread(args, runtime).filter((item) => typeof item.value === 'number');
    if (items.length === 0) return null;
    const total = sumOf(items, args.resultType);
    if (total === null) return null;
    // Money divides exactly and rounds half up to the fen.
    if (args.resultType === 'money') return fenOrNull(divide(BigInt(total), BigInt(items.length)));
    return total / items.length;
  },
});

export const COUNT = defineFunction({
  name: 'COUNT',
  category: 'aggregate',
  summary: {
    zh: '计数：COUNT(items) 为明细行数，COUNT(items.x) 为非空值个数',
    en: 'Count: COUNT(items) is the number of rows, COUNT(items.x) the number of non-blank values',
  },
  signatures: ['COUNT(items) → number', 'COUNT(any …) → number'],
  minArgs: 1,
  maxArgs: MANY,
  rowArgs: each,
  type: () => 'number',
  evaluate: (args, runtime) => spread(args, runtime).filter((item) => !isBlank(item.value)).length,
});

/** MIN and MAX: numbers and money together, or dates, or instants; blanks are skipped. */
function extreme(name: 'MIN' | 'MAX') {
  const wanted = name === 'MIN' ? -1 : 1;
  return defineFunction({
    name,
    category: 'aggregate',
    summary:
      name === 'MIN'
        ? {
            zh: '最小值（数字、金额或日期），空值跳过',
            en: 'Smallest value (number, money or date); blanks are skipped',
          }
        : {
            zh: '最大值（数字、金额或日期），空值跳过',
            en: 'Largest value (number, money or date); blanks are skipped',
          },
    signatures: [`${name}(number|money …) → number|money`, `${name}(date …) → date`, `${name}(datetime …) → datetime`],
    minArgs: 1,
    maxArgs: MANY,
    rowArgs: each,
    type: (context) => {
      const firstIndex = context.args.findIndex((arg) => !isWild(elementOf(arg.type)));
      const first = elementOf(context.args[firstIndex]?.type ?? 'null');
      if (firstIndex < 0) return 'null';
      if (familyOf(first) === 'numeric') return numericResult(context);
      if (first !== 'date' && first !== 'datetime') {
        context.fail(firstIndex, ['number', 'money', 'date', 'datetime']);
        return 'unknown';
      }
      let ok = true;
      context.args.forEach((_, i) => {
        ok = expectArg(context, i, [first], true) && ok;
      });
      return ok ? first : 'unknown';
    },
    evaluate: (args, runtime) => {
      let best: { value: number | string; type: Type } | undefined;
      for (const item of spread(args, runtime)) {
        if (item.value === null || typeof item.value === 'boolean' || Array.isArray(item.value)) continue;
        const value = item.value as number | string;
        if (!best) {
          best = { value, type: item.type };
          continue;
        }
        if (compareItems(value, item.type, best.value, best.type) === wanted) best = { value, type: item.type };
      }
      if (!best) return null;
      return typeof best.value === 'number' ? asResult(best.value, best.type, args.resultType) : best.value;
    },
  });
}

/** Orders two items of one family (dates and instants are canonical ISO text, so text order is time order). */
function compareItems(a: number | string, aType: Type, b: number | string, bType: Type): number {
  if (typeof a === 'string' || typeof b === 'string') return a > b ? 1 : a < b ? -1 : 0;
  if (aType === 'money' && bType !== 'money') return compareFenToYuan(a, b);
  if (bType === 'money' && aType !== 'money') return -compareFenToYuan(b, a);
  return a > b ? 1 : a < b ? -1 : 0;
}

export const MIN = extreme('MIN');
export const MAX = extreme('MAX');

export const SUMIF = defineFunction({
  name: 'SUMIF',
  category: 'aggregate',
  summary: {
    zh: "条件求和：对满足条件的明细行求和，例如 SUMIF(sessions.hours, sessions.type = '工作日')",
    en: "Conditional sum over the rows that meet the condition, e.g. SUMIF(sessions.hours, sessions.type = 'workday')",
  },
  signatures: ['SUMIF(items.number|money, items.condition) → number|money'],
  minArgs: 2,
  maxArgs: 2,
  rowArgs: shared,
  type: (context) => {
    const result = numericResult(context, 0, 0);
    const ok = expectArg(context, 1, ['boolean'], true);
    return ok ? result : 'unknown';
  },
  evaluate: (args, runtime) => {
    const values = args.value(0);
    const conditions = args.value(1);
    const valueList = Array.isArray(values) ? values : [values];
    const conditionList = Array.isArray(conditions) ? conditions : valueList.map(() => conditions);
    runtime.step(valueList.length);
    const element = elementOf(args.type(0));
    const chosen = valueList.filter((_, i) => conditionList[i] === true).map((value) => ({ value, type: element }));
    return sumOf(chosen, args.resultType);
  },
});

export const COUNTIF = defineFunction({
  name: 'COUNTIF',
  category: 'aggregate',
  summary: {
    zh: "条件计数：满足条件的明细行数，例如 COUNTIF(lines.status = '迟到')",
    en: "Number of rows meeting the condition, e.g. COUNTIF(lines.status = 'late')",
  },
  signatures: ['COUNTIF(items.condition) → number'],
  minArgs: 1,
  maxArgs: 1,
  rowArgs: shared,
  type: (context) => (expectArg(context, 0, ['boolean'], true) ? 'number' : 'unknown'),
  evaluate: (args, runtime) => {
    const conditions = args.value(0);
    const list = Array.isArray(conditions) ? conditions : [conditions];
    runtime.step(list.length);
    return list.filter((condition) => condition === true).length;
  },
});

export const aggregateFunctions = [SUM, AVG, COUNT, MIN, MAX, SUMIF, COUNTIF];
