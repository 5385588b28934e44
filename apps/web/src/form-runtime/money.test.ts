import { describe, expect, it } from 'vitest';
import { formatFen, parseYuan } from './money.ts';

describe('formatFen', () => {
  it('writes yuan with two decimals and thousands separators', () => {
    expect(formatFen(9645300)).toBe('96,453.00');
    expect(formatFen(123456789)).toBe('1,234,567.89');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(-123450)).toBe('-1,234.50');
    expect(formatFen(123456789, { grouping: false })).toBe('1234567.89');
  });

  it('leaves blanks blank', () => {
    expect(formatFen(null)).toBe('');
    expect(formatFen(undefined)).toBe('');
  });
});

describe('parseYuan', () => {
  it('turns typed yuan into integer fen without float error', () => {
    expect(parseYuan('96453')).toEqual({ ok: true, fen: 9645300 });
    expect(parseYuan('0.29')).toEqual({ ok: true, fen: 29 });
    expect(parseYuan('1,234.5')).toEqual({ ok: true, fen: 123450 });
    expect(parseYuan('¥ 12.34')).toEqual({ ok: true, fen: 1234 });
    expect(parseYuan('-3.1')).toEqual({ ok: true, fen: -310 });
    expect(parseYuan('.5')).toEqual({ ok: true, fen: 50 });
    expect(parseYuan('１２．５')).toEqual({ ok: true, fen: 1250 });
  });

  it('treats blank as null and refuses what is not money', () => {
    expect(parseYuan('  ')).toEqual({ ok: true, fen: null });
    expect(parseYuan('abc')).toEqual({ ok: false, reason: 'syntax' });
    expect(parseYuan('.')).toEqual({ ok: false, reason: 'syntax' });
    expect(parseYuan('1.234')).toEqual({ ok: false, reason: 'decimals' });
    expect(parseYuan('99999999999999999')).toEqual({ ok: false, reason: 'range' });
  });

  it('round-trips with formatFen', () => {
    for (const fen of [0, 1, 99, 100, 123456, -987654321, 9007199254740991]) {
      expect(parseYuan(formatFen(fen))).toEqual({ ok: true, fen });
    }
  });
});
