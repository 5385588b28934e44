import { describe, expect, it } from 'vitest';
import { displayValue, fillTemplate, placeholders } from './expressions.ts';

describe('message templates', () => {
  it('lists placeholders and fills them per language', () => {
    expect(placeholders('申请金额 {amount} 元超出剩余预算 {remaining} 元')).toEqual(['amount', 'remaining']);
    expect(
      fillTemplate(
        {
          zh: '申请金额 {amount} 元超出剩余预算 {remaining} 元（{urgent}）',
          en: '{amount} over {remaining}; urgent: {urgent}, {missing}',
        },
        {
          amount: { value: 1_200_000, type: 'money' },
          remaining: { value: 800_000, type: 'money' },
          urgent: { value: true, type: 'boolean' },
        },
      ),
    ).toEqual({
      zh: '申请金额 12,000.00 元超出剩余预算 8,000.00 元（是）',
      en: '12,000.00 over 8,000.00; urgent: yes, {missing}',
    });
  });

  it('shows values as a message should', () => {
    expect(displayValue(-123_456_789, 'money', 'zh')).toBe('-1,234,567.89');
    expect(displayValue(5, 'money', 'en')).toBe('0.05');
    expect(displayValue(0.1 + 0.2, 'number', 'en')).toBe('0.3');
    expect(displayValue(['a', 'b'], 'list<text>', 'zh')).toBe('a、b');
    expect(displayValue(['a', 'b'], 'list<text>', 'en')).toBe('a, b');
    expect(displayValue(null, 'text', 'zh')).toBe('');
    expect(displayValue('2026-12-06', 'date', 'zh')).toBe('2026-12-06');
  });
});
