import { type Rounding, roundFen, roundNumber } from '../money.ts';
import type { Value } from '../values.ts';
import { defineFunction } from './define.ts';
import { expectArg, integerArg } from './helpers.ts';

/** ROUND, CEIL and FLOOR share their shape: a number or an amount, and optional decimal places. */
function rounder(name: 'ROUND' | 'CEIL' | 'FLOOR', rounding: Rounding, summary: { zh: string; en: string }) {
  return defineFunction({
    name,
    category: 'math',
    summary,
    signatures: [`${name}(number, places?) → number`, `${name}(money, places?) → money`],
    minArgs: 1,
    maxArgs: 2,
    type: (context) => {
      const ok = expectArg(context, 0, ['number', 'money']) && expectArg(context, 1, ['number']);
      const type = context.args[0]?.type ?? 'unknown';
      return ok ? (type === 'null' ? 'number' : type) : 'unknown';
    },
    evaluate: (args) => {
      const value = args.value(0);
      if (typeof value !== 'number') return null;
      const places = args.length > 1 ? integerArg(args.value(1), 0) : 0;
      return args.type(0) === 'money' ? roundFen(value, places, rounding) : roundNumber(value, places, rounding);
    },
  });
}

export const ROUND = rounder('ROUND', 'halfUp', {
  zh: '四舍五入到指定小数位（默认 0；负数为十位、百位）；金额按分精确计算',
  en: 'Rounds half up (away from zero) to the given decimals (default 0; negative for tens, hundreds); exact for money',
});
export const CEIL = rounder('CEIL', 'ceil', {
  zh: '向上取整到指定小数位（默认 0）',
  en: 'Rounds up (towards +∞) to the given decimals (default 0)',
});
export const FLOOR = rounder('FLOOR', 'floor', {
  zh: '向下取整到指定小数位（默认 0）',
  en: 'Rounds down (towards −∞) to the given decimals (default 0)',
});

export const ABS = defineFunction({
  name: 'ABS',
  category: 'math',
  summary: { zh: '绝对值', en: 'Absolute value' },
  signatures: ['ABS(number) → number', 'ABS(money) → money'],
  minArgs: 1,
  maxArgs: 1,
  type: (context) => {
    const type = context.args[0]?.type ?? 'unknown';
    return expectArg(context, 0, ['number', 'money']) ? (type === 'null' ? 'number' : type) : 'unknown';
  },
  evaluate: (args): Value => {
    const value = args.value(0);
    return typeof value === 'number' ? Math.abs(value) : null;
  },
});

export const mathFunctions = [ROUND, CEIL, FLOOR, ABS];
