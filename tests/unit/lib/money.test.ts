import { describe, expect, it } from 'vitest';
import { formatMoney, isCurrency, minorDigits, toMajorUnits, toMinorUnits } from '../../../src/lib/money.ts';

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

describe('minor units from a typed amount, and back', () => {
  it('counts by the currency’s own digits', () => {
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 0, 3]);
    expect(toMinorUnits('250.00', 'EUR')).toBe(25000);
    expect(toMinorUnits('250', 'EUR')).toBe(25000);
    expect(toMinorUnits(' 250.5 ', 'EUR')).toBe(25050);
    expect(toMinorUnits('3000', 'JPY')).toBe(3000);
    expect(toMinorUnits('1.5', 'KWD')).toBe(1500);
  });

  it('adds digits, never floats: 0.29 is 29 cents, not 28', () => {
    expect(toMinorUnits('0.29', 'USD')).toBe(29);
    expect(toMinorUnits('1234567.89', 'USD')).toBe(123456789);
  });

  it.each([
    ['2.505', 'USD'],
    ['1.5', 'JPY'],
    ['abc', 'USD'],
    ['-5', 'USD'],
    ['1,000', 'USD'],
    ['', 'USD'],
    ['1e3', 'USD'],
  ])('refuses %j in %s (null)', (typed, currency) => expect(toMinorUnits(typed, currency)).toBeNull());

  it('shows minor units as the amount one would type', () => {
    expect(toMajorUnits(25000, 'EUR')).toBe('250.00');
    expect(toMajorUnits(5, 'EUR')).toBe('0.05');
    expect(toMajorUnits(3000, 'JPY')).toBe('3000');
    expect(toMajorUnits(1500, 'KWD')).toBe('1.500');
    for (const [minor, c] of [
      [123456789, 'USD'],
      [7, 'KWD'],
      [42, 'JPY'],
    ] as const)
      expect(toMinorUnits(toMajorUnits(minor, c), c)).toBe(minor);
  });
});
