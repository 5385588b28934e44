/**
 * Exact decimal arithmetic for money (integer fen) and for rounding. A JS number is read as the decimal its shortest
 * representation shows (`String(1.005)` is "1.005"), which is what the person who typed it meant; the arithmetic on
 * those decimals is done on BigInt, so "half up" is decided on the decimal, never on a binary approximation.
 *
 * Numbers themselves are doubles computed at full precision, as in a spreadsheet (1 / 3 * 3 is 1); the noise in their
 * last digits is removed only where a value is observed: a result, a comparison, rounding, text, money.
 */

/** `digits / 10^scale`. */
export type Decimal = { readonly digits: bigint; readonly scale: number };

/**
 * The decimal a number stands for: its shortest text after `tidy`, so that the binary noise of earlier arithmetic
 * (0.1 + 0.2 = 0.30000000000000004) does not tip a half-up decision or a money conversion.
 */
export function toDecimal(value: number): Decimal {
  const text = String(tidy(value));
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a finite number: ${text}`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${sign}${whole}${fraction}`);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

export type Rounding = 'halfUp' | 'ceil' | 'floor';

/**
 * `a / b` rounded to an integer. Half up means half away from zero (四舍五入: -2.5 → -3), the rule Chinese finance
 * uses and the one people expect from a form; ceil and floor go towards +∞ and −∞.
 */
export function divide(a: bigint, b: bigint, rounding: Rounding = 'halfUp'): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  if (b < 0n) return divide(-a, -b, rounding);
  const quotient = a / b;
  const remainder = a % b;
  if (remainder === 0n) return quotient;
  if (rounding === 'ceil') return a > 0n ? quotient + 1n : quotient;
  if (rounding === 'floor') return a < 0n ? quotient - 1n : quotient;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  if (twice >= b) return a < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

/** A BigInt of fen back to a number, or null when it no longer fits exactly. */
export function fenOrNull(fen: bigint): number | null {
  const value = Number(fen);
  return Number.isSafeInteger(value) ? value : null;
}

/** Yuan (a number) → fen, half up. */
export function fenFromYuan(yuan: number): number | null {
  if (!Number.isFinite(yuan)) return null;
  const { digits, scale } = toDecimal(yuan);
  return fenOrNull(divide(digits * 100n, 10n ** BigInt(scale)));
}

/** Fen → yuan as a number (exact for every safe integer of fen up to float precision). */
export function yuanFromFen(fen: number): number {
  return Number(formatFen(fen));
}

/** `money × number` → money, half up to the fen. */
export function multiplyFen(fen: number, factor: number): number | null {
  if (!Number.isFinite(factor)) return null;
  const { digits, scale } = toDecimal(factor);
  return fenOrNull(divide(BigInt(fen) * digits, 10n ** BigInt(scale)));
}

/** `money ÷ number` → money, half up to the fen; null when dividing by zero. */
export function divideFen(fen: number, divisor: number): number | null {
  if (!Number.isFinite(divisor) || divisor === 0) return null;
  const { digits, scale } = toDecimal(divisor);
  return fenOrNull(divide(BigInt(fen) * 10n ** BigInt(scale), digits));
}

/** Rounds a number to `places` decimals (negative: tens, hundreds …), deciding on its decimal form. */
export function roundNumber(value: number, places: number, rounding: Rounding = 'halfUp'): number {
  if (!Number.isFinite(value)) return value;
  const { digits, scale } = toDecimal(value);
  const target = Math.trunc(places);
  if (scale <= target) return value;
  const shifted = divide(digits, 10n ** BigInt(scale - target), rounding);
  return Number(`${shifted}e${-target}`);
}

/** Rounds fen to `places` decimals of a yuan: 2 keeps the fen, 0 rounds to the yuan, -2 to hundreds. */
export function roundFen(fen: number, places: number, rounding: Rounding = 'halfUp'): number | null {
  const target = Math.trunc(places);
  if (target >= 2) return fen;
  const unit = 10n ** BigInt(2 - target);
  return fenOrNull(divide(BigInt(fen), unit, rounding) * unit);
}

/** Compares money with a number of yuan exactly: -1, 0 or 1. */
export function compareFenToYuan(fen: number, yuan: number): number {
  if (yuan === Number.POSITIVE_INFINITY) return -1;
  if (yuan === Number.NEGATIVE_INFINITY) return 1;
  const { digits, scale } = toDecimal(yuan);
  const left = BigInt(fen) * 10n ** BigInt(scale);
  const right = digits * 100n;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Fen → "1234.56" (always two decimals, no grouping): the canonical text of an amount. */
export function formatFen(fen: number): string {
  const negative = fen < 0;
  const text = String(Math.abs(fen)).padStart(3, '0');
  return `${negative ? '-' : ''}${text.slice(0, -2)}.${text.slice(-2)}`;
}

/**
 * Rounds a double to 15 significant digits, so that 0.1 + 0.2 is 0.3 and compares equal to 0.3, as a form user
 * expects. Doubles carry 15–17 significant digits; the last ones are binary noise. Never applied to fen.
 */
export function tidy(value: number): number {
  if (value === 0) return 0; // and never -0
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(15));
}
