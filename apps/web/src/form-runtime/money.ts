// Money travels as an integer of fen (分). The conversions here work on the decimal text, never on a float
// multiplied by 100, so 0.29 yuan is 29 fen and not 28.999….

const YUAN = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** Groups the integer digits in thousands: 1234567 → 1,234,567. */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 9645300 → "96,453.00" (or "96453.00" without grouping); null/undefined → "". */
export function formatFen(fen: number | null | undefined, options: { grouping?: boolean } = {}): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '';
  const negative = fen < 0;
  const text = String(Math.abs(Math.trunc(fen))).padStart(3, '0');
  const whole = text.slice(0, -2);
  const cents = text.slice(-2);
  return `${negative ? '-' : ''}${options.grouping === false ? whole : group(whole)}.${cents}`;
}

export type ParsedYuan = { ok: true; fen: number | null } | { ok: false; reason: 'syntax' | 'decimals' | 'range' };

/**
 * What a person typed as yuan → fen. Accepts thousands separators, a leading ¥/￥, full-width digits and
 * spaces; at most two decimals (a third would be a silent rounding of someone's money). Blank → null.
 */
export function parseYuan(input: string): ParsedYuan {
  const text = input
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[¥￥,，\s]/g, '');
  if (text === '') return { ok: true, fen: null };
  const match = YUAN.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return { ok: false, reason: 'syntax' };
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, reason: 'decimals' };
  const digits = `${whole || '0'}${fraction.padEnd(2, '0')}`;
  const fen = Number(digits);
  if (!Number.isSafeInteger(fen)) return { ok: false, reason: 'range' };
  return { ok: true, fen: sign === '-' && fen !== 0 ? -fen : fen };
}
