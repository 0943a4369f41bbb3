import { describe, expect, it } from 'vitest';
import { formatMoney, isCurrency } from '../../../src/lib/money.ts';

const NBSP = '\u00a0';

describe('formatMoney', () => {
  it('formats cents for two-decimal currencies', () => {
    expect(formatMoney(24900, 'USD', 'en-US')).toBe('$249.00');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
    expect(formatMoney(1005, 'USD', 'en-US')).toBe('$10.05');
    expect(formatMoney(123456789, 'USD', 'en-US')).toBe('$1,234,567.89');
    expect(formatMoney(-1250, 'USD', 'en-US')).toBe('-$12.50');
    expect(formatMoney(1500, 'GBP', 'en-GB')).toBe('£15.00');
  });

  it('follows the locale for separators and symbol position', () => {
    expect(formatMoney(24900, 'EUR', 'de-DE')).toBe(`249,00${NBSP}€`);
    expect(formatMoney(24900, 'EUR', 'fr-FR')).toBe(`249,00${NBSP}€`);
  });

  it('treats yen as having no minor unit', () => {
    expect(formatMoney(24900, 'JPY', 'en-US')).toBe('¥24,900');
    expect(formatMoney(24900, 'JPY', 'ja-JP')).toBe('￥24,900');
  });

  it('treats Kuwaiti dinar as having three decimals', () => {
    expect(formatMoney(1234, 'KWD', 'en-US')).toBe(`KWD${NBSP}1.234`);
    expect(formatMoney(1, 'KWD', 'en-US')).toBe(`KWD${NBSP}0.001`);
  });
});

describe('isCurrency', () => {
  it.each(['USD', 'EUR', 'JPY', 'KWD', 'GBP'])('accepts %s', (c) => expect(isCurrency(c)).toBe(true));
  it.each(['XYZ', 'usd', 'US', 'USDD', '', '$'])('refuses %j', (c) => expect(isCurrency(c)).toBe(false));
});
