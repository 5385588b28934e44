import type { Position } from './ast.ts';
import { ExpressionErrors } from './errors.ts';
import { type ExpressionIssue, makeIssue } from './issues.ts';

export type Keyword = 'AND' | 'OR' | 'NOT' | 'IN' | 'TRUE' | 'FALSE' | 'NULL';
export type Punctuation =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '&'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '&&'
  | '||'
  | '!'
  | '('
  | ')'
  | '['
  | ']'
  | ',';

export type Token =
  | { kind: 'number'; value: number; raw: string; pos: Position }
  | { kind: 'money'; fen: number; pos: Position }
  | { kind: 'string'; value: string; pos: Position }
  | { kind: 'name'; path: string[]; pos: Position }
  | { kind: 'context'; path: string[]; pos: Position }
  | { kind: 'keyword'; keyword: Keyword; pos: Position }
  | { kind: 'punctuation'; text: Punctuation; pos: Position }
  | { kind: 'end'; pos: Position };

export const keywords: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'IN', 'TRUE', 'FALSE', 'NULL']);

/**
 * People type formulas with a Chinese input method switched on, which produces full-width punctuation and the
 * typographic ×, ÷, −, ≤, ≥, ≠. Each is read as its ASCII counterpart (one code unit for one, so positions stay
 * those of the source); the printer writes ASCII.
 */
const fullWidth: Readonly<Record<string, string>> = {
  '（': '(',
  '）': ')',
  '，': ',',
  '［': '[',
  '］': ']',
  '【': '[',
  '】': ']',
  '＋': '+',
  '－': '-',
  '−': '-',
  '＊': '*',
  '×': '*',
  '／': '/',
  '÷': '/',
  '％': '%',
  '＆': '&',
  '＝': '=',
  '＜': '<',
  '＞': '>',
  '！': '!',
  '￥': '¥',
  '＄': '$',
};

const closingQuote: Readonly<Record<string, string>> = { "'": "'", '"': '"', '“': '”', '‘': '’' };
const whitespace = new Set([' ', '\t', '\n', '\r', '\u3000', '\u00a0']);
const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

const pairs: Record<string, Punctuation> = {
  '<=': '<=',
  '>=': '>=',
  '!=': '!=',
  '<>': '!=',
  '==': '=',
  '&&': '&&',
  '||': '||',
};
const singles: Record<string, Punctuation> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '&': '&',
  '=': '=',
  '<': '<',
  '>': '>',
  '!': '!',
  '(': '(',
  ')': ')',
  '[': '[',
  ']': ']',
  ',': ',',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
};

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isIdentPart = (c: string | undefined) => isIdentStart(c) || isDigit(c);

/** Drops leading zeros and trailing fraction zeros so that the printed form of a number is canonical. */
function canonicalNumber(raw: string): string {
  const [whole = '0', fraction = ''] = raw.split('.');
  const integer = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  return decimals ? `${integer}.${decimals}` : integer;
}

export function tokenize(source: string): { tokens: Token[]; issues: ExpressionIssue[] } {
  const tokens: Token[] = [];
  const issues: ExpressionIssue[] = [];
  let i = 0;
  const at = (index: number): string | undefined => {
    const c = source[index];
    return c === undefined ? undefined : (fullWidth[c] ?? c);
  };
  const push = (token: Token) => tokens.push(token);

  const readPath = (start: number): { path: string[]; end: number } => {
    const path: string[] = [];
    let j = start;
    for (;;) {
      const from = j;
      while (isIdentPart(at(j))) j++;
      path.push(source.slice(from, j));
      if (at(j) === '.' && isIdentStart(at(j + 1))) {
        j++;
        continue;
      }
      return { path, end: j };
    }
  };

  while (i < source.length) {
    const c = at(i) as string;
    const start = i;
    if (whitespace.has(c)) {
      i++;
      continue;
    }
    if (isDigit(c)) {
      while (isDigit(at(i))) i++;
      if (at(i) === '.' && isDigit(at(i + 1))) {
        i++;
        while (isDigit(at(i))) i++;
      }
      const raw = source.slice(start, i);
      const value = Number(raw);
      if (isIdentPart(at(i)) || at(i) === '.' || !Number.isFinite(value)) {
        while (isIdentPart(at(i)) || at(i) === '.') i++;
        issues.push(makeIssue(ExpressionErrors.invalidNumber, { start, end: i }, { text: source.slice(start, i) }));
        continue;
      }
      push({ kind: 'number', value, raw: canonicalNumber(raw), pos: { start, end: i } });
      continue;
    }
    if (c === '¥') {
      i++;
      const digitsStart = i;
      while (isDigit(at(i))) i++;
      let fraction = '';
      if (at(i) === '.' && isDigit(at(i + 1))) {
        const fractionStart = ++i;
        while (isDigit(at(i))) i++;
        fraction = source.slice(fractionStart, i);
      }
      const whole = source.slice(digitsStart, fraction ? i - fraction.length - 1 : i);
      const bad = whole === '' || fraction.length > 2 || isIdentPart(at(i)) || at(i) === '.';
      const fen = bad ? Number.NaN : Number(BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0')));
      if (bad || !Number.isSafeInteger(fen)) {
        while (isIdentPart(at(i)) || at(i) === '.') i++;
        issues.push(makeIssue(ExpressionErrors.invalidNumber, { start, end: i }, { text: source.slice(start, i) }));
        continue;
      }
      push({ kind: 'money', fen, pos: { start, end: i } });
      continue;
    }
    if (isIdentStart(c)) {
      const { path, end } = readPath(i);
      i = end;
      const upper = path[0]?.toUpperCase() ?? '';
      if (path.length === 1 && keywords.has(upper))
        push({ kind: 'keyword', keyword: upper as Keyword, pos: { start, end } });
      else push({ kind: 'name', path, pos: { start, end } });
      continue;
    }
    if (c === '$') {
      if (!isIdentStart(at(i + 1))) {
        i++;
        issues.push(makeIssue(ExpressionErrors.invalidCharacter, { start, end: i }, { char: '$' }));
        continue;
      }
      const { path, end } = readPath(i + 1);
      i = end;
      push({ kind: 'context', path, pos: { start, end } });
      continue;
    }
    const close = closingQuote[source[i] as string];
    if (close !== undefined) {
      i++;
      let value = '';
      let closed = false;
      while (i < source.length) {
        const d = source[i] as string;
        if (d === close) {
          closed = true;
          i++;
          break;
        }
        if (d === '\\') {
          const e = source[i + 1];
          if (e !== undefined && escapes[e] !== undefined) {
            value += escapes[e];
            i += 2;
            continue;
          }
          const hex = e === 'u' ? source.slice(i + 2, i + 6) : '';
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            value += String.fromCharCode(Number.parseInt(hex, 16));
            i += 6;
            continue;
          }
          const escapeEnd = Math.min(i + 2, source.length);
          issues.push(
            makeIssue(
              ExpressionErrors.invalidEscape,
              { start: i, end: escapeEnd },
              { escape: source.slice(i, escapeEnd) },
            ),
          );
          i = escapeEnd;
          continue;
        }
        value += d;
        i++;
      }
      if (!closed) {
        issues.push(makeIssue(ExpressionErrors.unterminatedString, { start, end: i }));
        continue;
      }
      push({ kind: 'string', value, pos: { start, end: i } });
      continue;
    }
    const next = at(i + 1);
    const two = c + (next ?? '');
    if (Object.hasOwn(pairs, two)) {
      i += 2;
      push({ kind: 'punctuation', text: pairs[two] as Punctuation, pos: { start, end: i } });
      continue;
    }
    if (Object.hasOwn(singles, c)) {
      i++;
      push({ kind: 'punctuation', text: singles[c] as Punctuation, pos: { start, end: i } });
      continue;
    }
    const codePoint = source.codePointAt(i) ?? 0;
    i += codePoint > 0xffff ? 2 : 1;
    issues.push(makeIssue(ExpressionErrors.invalidCharacter, { start, end: i }, { char: source.slice(start, i) }));
  }
  push({ kind: 'end', pos: { start: source.length, end: source.length } });
  return { tokens, issues };
}
