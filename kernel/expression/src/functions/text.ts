import { divide, fenFromYuan, toDecimal } from '../money.ts';
import { equalityFor } from '../operators.ts';
import { elementOf, equatable, isListType, type Type } from '../types.ts';
import { upperMoney } from '../upper-money.ts';
import { isBlank, toText, type Value } from '../values.ts';
import { instantParts } from './date.ts';
import { defineFunction, type Runtime, type TypeContext } from './define.ts';
import { characters, expectArg, integerArg, spread } from './helpers.ts';

const MANY = Number.POSITIVE_INFINITY;
const textual: readonly Type[] = ['text', 'member', 'department'];
const scalars: readonly Type[] = ['number', 'money', 'text', 'boolean', 'date', 'datetime', 'member', 'department'];

/** Arguments any scalar (or list of scalars) can fill; subtable rows and nested lists cannot. */
function scalarArgs(context: TypeContext, from: number): boolean {
  let ok = true;
  for (let i = from; i < context.args.length; i++) ok = expectArg(context, i, scalars, true) && ok;
  return ok;
}

const text = (value: Value): string => (typeof value === 'string' ? value : '');

export const CONCAT = defineFunction({
  name: 'CONCAT',
  category: 'text',
  summary: {
    zh: '把各参数连成文本（同 & 运算）；明细表列按行连接，空值为空文本',
    en: 'Joins the arguments into text (like &); a subtable column joins its rows; blanks are empty',
  },
  signatures: ['CONCAT(any …) → text'],
  minArgs: 1,
  maxArgs: MANY,
  rowArgs: { mode: 'each' },
  type: (context) => (scalarArgs(context, 0) ? 'text' : 'unknown'),
  evaluate: (args, runtime) => joinText(spread(args, runtime), '', false, runtime),
});

export const TEXTJOIN = defineFunction({
  name: 'TEXTJOIN',
  category: 'text',
  summary: {
    zh: "用分隔符连接非空的值，例如 TEXTJOIN('、', items.name)",
    en: "Joins the non-blank values with a separator, e.g. TEXTJOIN(', ', items.name)",
  },
  signatures: ['TEXTJOIN(separator: text, any …) → text'],
  minArgs: 2,
  maxArgs: MANY,
  rowArgs: { mode: 'each', from: 1 },
  type: (context) => (expectArg(context, 0, ['text']) && scalarArgs(context, 1) ? 'text' : 'unknown'),
  evaluate: (args, runtime) => joinText(spread(args, runtime, 1), text(args.value(0)), true, runtime),
});

/** Joins piece by piece so that a runaway join stops at the length limit instead of building a huge string. */
function joinText(items: { value: Value; type: Type }[], separator: string, skipBlanks: boolean, runtime: Runtime) {
  let result = '';
  let first = true;
  for (const item of items) {
    if (skipBlanks && isBlank(item.value)) continue;
    result = runtime.text(result + (first ? '' : separator) + toText(item.value, item.type));
    first = false;
  }
  return result;
}

export const LEN = defineFunction({
  name: 'LEN',
  category: 'text',
  summary: {
    zh: '文本的字符数（汉字、表情各算一个）',
    en: 'Number of characters (a Chinese character or an emoji is one)',
  },
  signatures: ['LEN(text) → number'],
  minArgs: 1,
  maxArgs: 1,
  type: (context) => (expectArg(context, 0, textual) ? 'number' : 'unknown'),
  evaluate: (args) => characters(text(args.value(0))).length,
});

function slice(name: 'LEFT' | 'RIGHT') {
  return defineFunction({
    name,
    category: 'text',
    summary:
      name === 'LEFT'
        ? { zh: '左起若干个字符（默认 1 个）', en: 'The first characters (default 1)' }
        : { zh: '右起若干个字符（默认 1 个）', en: 'The last characters (default 1)' },
    signatures: [`${name}(text, count?) → text`],
    minArgs: 1,
    maxArgs: 2,
    type: (context) => (expectArg(context, 0, textual) && expectArg(context, 1, ['number']) ? 'text' : 'unknown'),
    evaluate: (args) => {
      const chars = characters(text(args.value(0)));
      const count = Math.max(0, args.length > 1 ? integerArg(args.value(1), 0) : 1);
      return (name === 'LEFT' ? chars.slice(0, count) : chars.slice(Math.max(0, chars.length - count))).join('');
    },
  });
}

export const LEFT = slice('LEFT');
export const RIGHT = slice('RIGHT');

export const MID = defineFunction({
  name: 'MID',
  category: 'text',
  summary: { zh: '从第 start 个字符起取 count 个字符', en: 'count characters starting at character start (1-based)' },
  signatures: ['MID(text, start, count) → text'],
  minArgs: 3,
  maxArgs: 3,
  type: (context) =>
    expectArg(context, 0, textual) && expectArg(context, 1, ['number']) && expectArg(context, 2, ['number'])
      ? 'text'
      : 'unknown',
  evaluate: (args) => {
    const chars = characters(text(args.value(0)));
    const start = Math.max(1, integerArg(args.value(1), 1));
    const count = Math.max(0, integerArg(args.value(2), 0));
    return chars.slice(start - 1, start - 1 + count).join('');
  },
});

function transform(
  name: 'UPPER' | 'LOWER' | 'TRIM',
  summary: { zh: string; en: string },
  apply: (s: string) => string,
) {
  return defineFunction({
    name,
    category: 'text',
    summary,
    signatures: [`${name}(text) → text`],
    minArgs: 1,
    maxArgs: 1,
    type: (context) => (expectArg(context, 0, textual) ? 'text' : 'unknown'),
    evaluate: (args, runtime) => runtime.text(apply(text(args.value(0)))),
  });
}

export const UPPER = transform('UPPER', { zh: '转为大写字母', en: 'Upper-cases letters' }, (s) => s.toUpperCase());
export const LOWER = transform('LOWER', { zh: '转为小写字母', en: 'Lower-cases letters' }, (s) => s.toLowerCase());
// Full-width spaces are what a Chinese input method types, so they are trimmed too.
export const TRIM = transform(
  'TRIM',
  { zh: '去掉首尾空白（含全角空格）', en: 'Removes leading and trailing spaces, full-width ones too' },
  (s) => s.trim(),
);

export const CONTAINS = defineFunction({
  name: 'CONTAINS',
  category: 'text',
  summary: {
    zh: "文本是否包含子串，或列表（含明细表列、多选）是否包含某值，例如 CONTAINS(items.type, '加班')",
    en: "Whether a text contains a substring, or a list (a subtable column, a multi-choice) contains a value, e.g. CONTAINS(items.type, 'overtime')",
  },
  signatures: ['CONTAINS(text, text) → boolean', 'CONTAINS(list<T>, T) → boolean'],
  minArgs: 2,
  maxArgs: 2,
  rowArgs: { mode: 'each', from: 0, to: 0 },
  type: (context) => {
    const haystack = context.args[0]?.type ?? 'unknown';
    const needle = context.args[1]?.type ?? 'unknown';
    if (isListType(haystack)) {
      const element = elementOf(haystack);
      if (element === 'row') return context.fail(0, ['text', 'list<text>']);
      return equatable(element, needle) ? 'boolean' : context.fail(1, [element]);
    }
    return expectArg(context, 0, textual) && expectArg(context, 1, textual) ? 'boolean' : 'unknown';
  },
  evaluate: (args, runtime) => {
    const haystack = args.value(0);
    const needle = args.value(1);
    if (Array.isArray(haystack)) {
      runtime.step(haystack.length);
      const equal = equalityFor(elementOf(args.type(0)), args.type(1));
      return haystack.some((item) => equal(item, needle));
    }
    return typeof haystack === 'string' && haystack.includes(text(needle));
  },
});

export const TEXT = defineFunction({
  name: 'TEXT',
  category: 'text',
  summary: {
    zh: "按格式转为文本：数字 '0.00'、'#,##0.00'、'0%'；日期 'yyyy年M月d日'、'yyyy-MM-dd HH:mm'；是/否 '是/否'",
    en: "Formats as text: numbers '0.00', '#,##0.00', '0%'; dates 'yyyy-MM-dd', 'yyyy-MM-dd HH:mm'; booleans 'yes/no'",
  },
  signatures: ['TEXT(any, format?: text) → text'],
  minArgs: 1,
  maxArgs: 2,
  type: (context) => (expectArg(context, 0, scalars) && expectArg(context, 1, ['text']) ? 'text' : 'unknown'),
  evaluate: (args, runtime) => {
    const value = args.value(0);
    const type = args.type(0);
    if (value === null) return '';
    const format = args.length > 1 ? args.value(1) : null;
    if (typeof format !== 'string' || format === '') return runtime.text(toText(value, type));
    return runtime.text(formatValue(value, type, format, runtime));
  },
});

function formatValue(value: Value, type: Type, format: string, runtime: Runtime): string {
  if (typeof value === 'number') {
    const { digits, scale } = type === 'money' ? { digits: BigInt(value), scale: 2 } : toDecimal(value);
    return formatNumber(digits, scale, format);
  }
  if (typeof value === 'boolean') {
    const [yes = 'TRUE', no = 'FALSE'] = format.split('/');
    return value ? yes : no;
  }
  if (type === 'date' && typeof value === 'string') {
    const [year, month, day] = value.split('-').map(Number) as [number, number, number];
    return formatDate(format, { year, month, day, hour: 0, minute: 0, second: 0 });
  }
  if (type === 'datetime') {
    const parts = instantParts(value, runtime);
    return parts ? formatDate(format, parts) : '';
  }
  return toText(value, type);
}

const NUMBER_PATTERN = /[#0][#0,]*(?:\.[#0]+)?%?/;

/** `digits / 10^scale` in a spreadsheet-like number format: decimals, grouping, percent, literal text around. */
function formatNumber(digits: bigint, scale: number, format: string): string {
  const match = NUMBER_PATTERN.exec(format);
  if (!match) return format;
  const pattern = match[0];
  const percent = pattern.endsWith('%');
  const decimals = pattern.includes('.') ? (pattern.split('.')[1]?.replace('%', '').length ?? 0) : 0;
  const grouping = pattern.includes(',');
  const shiftedScale = percent ? scale - 2 : scale;
  const rounded =
    shiftedScale > decimals
      ? divide(digits, 10n ** BigInt(shiftedScale - decimals))
      : digits * 10n ** BigInt(decimals - shiftedScale);
  const negative = rounded < 0n;
  const absolute = (negative ? -rounded : rounded).toString().padStart(decimals + 1, '0');
  let whole = absolute.slice(0, absolute.length - decimals);
  const fraction = absolute.slice(absolute.length - decimals);
  if (grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}${percent ? '%' : ''}`;
  return format.slice(0, match.index) + number + format.slice(match.index + pattern.length);
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function formatDate(format: string, parts: Parts): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const tokens: Record<string, string> = {
    yyyy: pad(parts.year, 4),
    yy: pad(parts.year % 100),
    MM: pad(parts.month),
    M: String(parts.month),
    dd: pad(parts.day),
    d: String(parts.day),
    HH: pad(parts.hour),
    H: String(parts.hour),
    mm: pad(parts.minute),
    ss: pad(parts.second),
  };
  return format.replace(/yyyy|yy|MM|M|dd|d|HH|H|mm|ss/g, (token) => tokens[token] ?? token);
}

export const UPPERMONEY = defineFunction({
  name: 'UPPERMONEY',
  category: 'text',
  summary: {
    zh: '人民币大写金额：96453 → 玖万陆仟肆佰伍拾叁元整，0 → 零元整，1234.56 → 壹仟贰佰叁拾肆元伍角陆分',
    en: 'Chinese upper-case amount: 96453 → 玖万陆仟肆佰伍拾叁元整, 0 → 零元整, 1234.56 → 壹仟贰佰叁拾肆元伍角陆分',
  },
  signatures: ['UPPERMONEY(money|number) → text'],
  minArgs: 1,
  maxArgs: 1,
  type: (context) => (expectArg(context, 0, ['money', 'number']) ? 'text' : 'unknown'),
  evaluate: (args) => {
    const value = args.value(0);
    if (typeof value !== 'number') return '';
    const fen = args.type(0) === 'money' ? value : fenFromYuan(value);
    return fen === null ? '' : upperMoney(fen);
  },
});

export const textFunctions = [CONCAT, TEXTJOIN, LEN, LEFT, RIGHT, MID, UPPER, LOWER, TRIM, CONTAINS, TEXT, UPPERMONEY];
