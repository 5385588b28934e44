import { fenFromYuan, yuanFromFen } from '../money.ts';
import type { Value } from '../values.ts';
import { defineFunction } from './define.ts';
import { expectArg } from './helpers.ts';

/** Decimal text as people type it: optional sign, optional thousands separators, optional decimals. */
const DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed.replaceAll(',', ''));
  return Number.isFinite(value) ? value : null;
}

export const NUMBER = defineFunction({
  name: 'NUMBER',
  category: 'conversion',
  summary: {
    zh: "转为数字：金额按元，文本如 '1,234.5'（无法识别时为空），是/否为 1/0",
    en: "To a number: money in yuan, text such as '1,234.5' (blank when unreadable), booleans as 1/0",
  },
  signatures: ['NUMBER(text|money|number|boolean) → number'],
  minArgs: 1,
  maxArgs: 1,
  type: (context) => (expectArg(context, 0, ['text', 'money', 'number', 'boolean']) ? 'number' : 'unknown'),
  evaluate: (args): Value => {
    const value = args.value(0);
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'string') return parseDecimal(value);
    if (typeof value !== 'number') return null;
    return args.type(0) === 'money' ? yuanFromFen(value) : value;
  },
});

export const MONEY = defineFunction({
  name: 'MONEY',
  category: 'conversion',
  summary: {
    zh: '转为金额（元），四舍五入到分；文本无法识别时为空',
    en: 'To money (yuan), rounded half up to the fen; blank when a text is unreadable',
  },
  signatures: ['MONEY(number|text|money) → money'],
  minArgs: 1,
  maxArgs: 1,
  type: (context) => (expectArg(context, 0, ['number', 'text', 'money']) ? 'money' : 'unknown'),
  evaluate: (args): Value => {
    const value = args.value(0);
    if (args.type(0) === 'money') return value;
    const yuan = typeof value === 'string' ? parseDecimal(value) : typeof value === 'number' ? value : null;
    return yuan === null ? null : fenFromYuan(yuan);
  },
});

export const conversionFunctions = [NUMBER, MONEY];
