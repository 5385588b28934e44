import { describe, expect, it } from 'vitest';
import { BatonError, createFakeClock, defineError, errorCatalog, isId, newId, pickLocale } from './index.ts';

describe('newId', () => {
  it('makes time-ordered UUIDv7 strings', () => {
    const ids = Array.from({ length: 50 }, () => newId());
    expect(ids.every(isId)).toBe(true);
    expect(ids.every((id) => id[14] === '7')).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
  });
  it('rejects non-ids', () => {
    expect(isId('x')).toBe(false);
    expect(isId("1' or 1=1 --")).toBe(false);
  });
});

describe('fake clock', () => {
  it('advances only forward', () => {
    const clock = createFakeClock('2026-03-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
    clock.advance(86_400_000);
    expect(clock.now().toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.set('2026-01-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('defineError', () => {
  const quota = defineError('TEST_QUOTA_EXCEEDED', {
    status: 422,
    zh: '申请金额 {amount} 元超出剩余预算 {left} 元',
    en: 'Requested {amount} exceeds the remaining budget of {left}',
  });
  it('creates coded errors with both messages', () => {
    const error = quota.create({ amount: '12,000.00', left: '8,000.00' });
    expect(error).toBeInstanceOf(BatonError);
    expect(error.code).toBe('TEST_QUOTA_EXCEEDED');
    expect(error.status).toBe(422);
    expect(error.localized('zh-CN')).toBe('申请金额 12,000.00 元超出剩余预算 8,000.00 元');
    expect(error.localized('en-US')).toBe('Requested 12,000.00 exceeds the remaining budget of 8,000.00');
    expect(quota.is(error)).toBe(true);
    expect(quota.is(new Error('x'))).toBe(false);
    expect(errorCatalog().map((d) => d.code)).toContain('TEST_QUOTA_EXCEEDED');
  });
  it('refuses bad codes, duplicates and missing messages', () => {
    expect(() => defineError('lower_case', { status: 400, zh: 'a', en: 'b' })).toThrow();
    expect(() => defineError('TEST_QUOTA_EXCEEDED', { status: 400, zh: 'a', en: 'b' })).toThrow(/twice/);
    expect(() => defineError('TEST_NO_STATUS', { status: 200, zh: 'a', en: 'b' })).toThrow();
    expect(() => defineError('TEST_NO_TEXT', { status: 400, zh: ' ', en: 'b' })).toThrow();
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en-GB,en;q=0.9', 'en-US'],
    ['fr-FR,en;q=0.5,zh;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['de-DE', 'zh-CN'],
    ['en;q=0,zh;q=0.1', 'zh-CN'],
  ])('%s → %s', (header, expected) => {
    expect(pickLocale(header)).toBe(expected);
  });
});
