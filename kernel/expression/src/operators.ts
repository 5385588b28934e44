import type { BinaryOperator, UnaryOperator } from './ast.ts';
import { DAY_MS, dayNumber, fromDayNumber, instantMs, instantText } from './dates.ts';
import type { Runtime } from './functions/define.ts';
import { compareFenToYuan, divideFen, fenFromYuan, fenOrNull, multiplyFen, tidy } from './money.ts';
import { equatable, familyOf, isNumeric, isWild, orderable, scalarTypes, type Type } from './types.ts';
import { toText, type Value } from './values.ts';

/**
 * The operator table: every (operator, left type, right type) the language accepts, with its result type and its
 * implementation. The checker picks an overload once and records its key on the node; the interpreter runs it.
 *
 * Blanks: the interpreter reads a blank number or money *field* as 0 in arithmetic (a spreadsheet's habit: an empty
 * quantity gives a line total of 0, an empty "used" leaves the whole budget), but a blank the expression produced
 * itself (division by zero, overflow, an impossible date) stays blank through further arithmetic. Date arithmetic
 * with a blank is blank; `&` reads a blank as ''.
 */
export type BinaryOverload = {
  readonly key: string;
  readonly result: Type;
  readonly apply: (left: Value, right: Value, runtime: Runtime) => Value;
};
export type UnaryOverload = {
  readonly key: string;
  readonly result: Type;
  readonly apply: (operand: Value) => Value;
};

const binaries = new Map<string, BinaryOverload>();
const unaries = new Map<string, UnaryOverload>();

const keyOf = (op: string, left: Type, right: Type | '') => `${op}:${left}:${right}`;

function binary(op: BinaryOperator, left: Type, right: Type, result: Type, apply: BinaryOverload['apply']) {
  const key = keyOf(op, left, right);
  binaries.set(key, Object.freeze({ key, result, apply }));
}

const num = (v: Value): number => (typeof v === 'number' ? v : 0);
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
/** Arithmetic on a blank gives a blank; the interpreter has already read blank number and money fields as 0. */
const numeric =
  (apply: (a: number, b: number) => Value) =>
  (a: Value, b: Value): Value =>
    typeof a === 'number' && typeof b === 'number' ? apply(a, b) : null;
const fenSum = (a: number, b: number) => fenOrNull(BigInt(a) + BigInt(b));
const withFen = (yuan: number, apply: (fen: number) => Value): Value => {
  const fen = fenFromYuan(yuan);
  return fen === null ? null : apply(fen);
};

// Numbers.
binary(
  '+',
  'number',
  'number',
  'number',
  numeric((a, b) => finite(a + b)),
);
binary(
  '-',
  'number',
  'number',
  'number',
  numeric((a, b) => finite(a - b)),
);
binary(
  '*',
  'number',
  'number',
  'number',
  numeric((a, b) => finite(a * b)),
);
binary(
  '/',
  'number',
  'number',
  'number',
  numeric((a, b) => (b === 0 ? null : finite(a / b))),
);
binary(
  '%',
  'number',
  'number',
  'number',
  numeric((a, b) => (b === 0 ? null : finite(a % b))),
);

// Money stays exact: fen ± fen, fen × number and fen ÷ number rounded half up to the fen.
binary(
  '+',
  'money',
  'money',
  'money',
  numeric((a, b) => fenSum(a, b)),
);
binary(
  '-',
  'money',
  'money',
  'money',
  numeric((a, b) => fenSum(a, -b)),
);
binary(
  '+',
  'money',
  'number',
  'money',
  numeric((a, b) => withFen(b, (fen) => fenSum(a, fen))),
);
binary(
  '+',
  'number',
  'money',
  'money',
  numeric((a, b) => withFen(a, (fen) => fenSum(fen, b))),
);
binary(
  '-',
  'money',
  'number',
  'money',
  numeric((a, b) => withFen(b, (fen) => fenSum(a, -fen))),
);
binary(
  '-',
  'number',
  'money',
  'money',
  numeric((a, b) => withFen(a, (fen) => fenSum(fen, -b))),
);
binary(
  '*',
  'money',
  'number',
  'money',
  numeric((a, b) => multiplyFen(a, b)),
);
binary(
  '*',
  'number',
  'money',
  'money',
  numeric((a, b) => multiplyFen(b, a)),
);
binary(
  '/',
  'money',
  'number',
  'money',
  numeric((a, b) => divideFen(a, b)),
);
binary(
  '/',
  'money',
  'money',
  'number',
  numeric((a, b) => (b === 0 ? null : finite(a / b))),
);
binary(
  '%',
  'money',
  'money',
  'money',
  numeric((a, b) => (b === 0 ? null : a % b)),
);

// Dates: date ± days → date, date − date → days; instants likewise with fractional days.
const plusDays = (date: Value, days: Value): Value =>
  typeof date === 'string' && typeof days === 'number' ? fromDayNumber(dayNumber(date) + Math.trunc(tidy(days))) : null;
const plusInstantDays = (instant: Value, days: Value): Value => {
  const ms = typeof instant === 'string' ? instantMs(instant) : null;
  return ms === null || typeof days !== 'number' ? null : instantText(ms + days * DAY_MS);
};
binary('+', 'date', 'number', 'date', (a, b) => plusDays(a, b));
binary('+', 'number', 'date', 'date', (a, b) => plusDays(b, a));
binary('-', 'date', 'number', 'date', (a, b) => plusDays(a, typeof b === 'number' ? -b : b));
binary('-', 'date', 'date', 'number', (a, b) =>
  typeof a === 'string' && typeof b === 'string' ? dayNumber(a) - dayNumber(b) : null,
);
binary('+', 'datetime', 'number', 'datetime', (a, b) => plusInstantDays(a, b));
binary('+', 'number', 'datetime', 'datetime', (a, b) => plusInstantDays(b, a));
binary('-', 'datetime', 'number', 'datetime', (a, b) => plusInstantDays(a, typeof b === 'number' ? -b : b));
binary('-', 'datetime', 'datetime', 'number', (a, b) => {
  const x = typeof a === 'string' ? instantMs(a) : null;
  const y = typeof b === 'string' ? instantMs(b) : null;
  return x === null || y === null ? null : finite((x - y) / DAY_MS);
});

// Concatenation of any two scalars.
for (const left of scalarTypes) {
  for (const right of scalarTypes) {
    binary('&', left, right, 'text', (a, b, runtime) => runtime.text(toText(a, left) + toText(b, right)));
  }
}

/**
 * Equality of two values of equatable types. Blank text equals '' (an emptied text box is blank); otherwise a
 * blank equals only a blank.
 */
export function equalityFor(left: Type, right: Type): (a: Value, b: Value) => boolean {
  const family = familyOf(isWild(left) ? right : left);
  if (family === 'textual') return (a, b) => (a ?? '') === (b ?? '');
  if (family === 'numeric') {
    const compare = comparatorFor(left, right);
    return (a, b) => (a === null || b === null ? a === b : compare(a, b) === 0);
  }
  if (family === 'datetime')
    return (a, b) => (a === null || b === null ? a === b : instantMs(String(a)) === instantMs(String(b)));
  return (a, b) => a === b;
}

/** Three-way comparison of two non-blank values of orderable types. */
function comparatorFor(left: Type, right: Type): (a: Value, b: Value) => number {
  const sign = (x: number) => (x < 0 ? -1 : x > 0 ? 1 : 0);
  if (left === 'money' && right === 'number') return (a, b) => compareFenToYuan(num(a), num(b));
  if (left === 'number' && right === 'money') return (a, b) => -compareFenToYuan(num(b), num(a));
  if (familyOf(left) === 'datetime') return (a, b) => sign((instantMs(String(a)) ?? 0) - (instantMs(String(b)) ?? 0));
  if (left === 'money' && right === 'money') return (a, b) => sign(num(a) - num(b));
  // Numbers compare after tidy, so 0.1 + 0.2 = 0.3 holds.
  if (isNumeric(left)) return (a, b) => sign(tidy(num(a)) - tidy(num(b)));
  return (a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
}

const comparisonTypes: readonly Type[] = [...scalarTypes, 'null'];
for (const left of comparisonTypes) {
  for (const right of comparisonTypes) {
    if (!equatable(left, right)) continue;
    const equal = equalityFor(left, right);
    binary('=', left, right, 'boolean', (a, b) => equal(a, b));
    binary('!=', left, right, 'boolean', (a, b) => !equal(a, b));
    if (!orderable(left, right) || left === 'null' || right === 'null') continue;
    const compare = comparatorFor(left, right);
    // A blank has no order: every ordering comparison with a blank is false.
    const ordered = (test: (c: number) => boolean) => (a: Value, b: Value) =>
      a === null || b === null ? false : test(compare(a, b));
    binary(
      '<',
      left,
      right,
      'boolean',
      ordered((c) => c < 0),
    );
    binary(
      '<=',
      left,
      right,
      'boolean',
      ordered((c) => c <= 0),
    );
    binary(
      '>',
      left,
      right,
      'boolean',
      ordered((c) => c > 0),
    );
    binary(
      '>=',
      left,
      right,
      'boolean',
      ordered((c) => c >= 0),
    );
  }
}

function unary(op: UnaryOperator, operand: Type, result: Type, apply: UnaryOverload['apply']) {
  const key = keyOf(op, operand, '');
  unaries.set(key, Object.freeze({ key, result, apply }));
}
// 0 - v rather than -v: a negated zero is 0, not -0.
unary('-', 'number', 'number', (v) => (v === null ? null : 0 - num(v)));
unary('-', 'money', 'money', (v) => (v === null ? null : 0 - num(v)));
unary('+', 'number', 'number', (v) => v);
unary('+', 'money', 'money', (v) => v);
unary('NOT', 'boolean', 'boolean', (v) => v !== true);

const arithmetic = new Set<string>(['+', '-', '*', '/', '%']);

/**
 * Picks the overload for operand types. A blank literal takes the type of the other side (both blank: number for
 * arithmetic, text for &), so `amount = NULL` and `NULL + 1` work.
 */
export function resolveBinary(op: BinaryOperator, left: Type, right: Type): BinaryOverload | undefined {
  let l = left;
  let r = right;
  if (l === 'null' && r === 'null') {
    if (arithmetic.has(op)) l = r = 'number';
    else if (op === '&') l = r = 'text';
  } else if (l === 'null' && (arithmetic.has(op) || op === '&')) {
    l = r;
  } else if (r === 'null' && (arithmetic.has(op) || op === '&')) {
    r = l;
  }
  return binaries.get(keyOf(op, l, r));
}

export function resolveUnary(op: UnaryOperator, operand: Type): UnaryOverload | undefined {
  return unaries.get(keyOf(op, operand === 'null' ? (op === 'NOT' ? 'boolean' : 'number') : operand, ''));
}

export function binaryOverload(key: string): BinaryOverload {
  const overload = binaries.get(key);
  if (!overload) throw new TypeError(`unknown operator overload ${key}`);
  return overload;
}

export function unaryOverload(key: string): UnaryOverload {
  const overload = unaries.get(key);
  if (!overload) throw new TypeError(`unknown operator overload ${key}`);
  return overload;
}
