import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeOrderNumber, normalizePostalCode } from '../../../src/server/orders/normalize.ts';

describe('normalizeOrderNumber', () => {
  it.each([
    ['1001', '1001'],
    ['#1001', '1001'],
    ['  #1001 ', '1001'],
    ['##1001', '1001'],
    ['# 1001', '1001'],
    ['10 01', '1001'],
    ['wp-1001a', 'WP-1001A'],
    ['#Wp-1001A', 'WP-1001A'],
  ])('%j → %j', (input, expected) => expect(normalizeOrderNumber(input)).toBe(expected));

  it('keeps a # that is not at the start', () => {
    expect(normalizeOrderNumber('10#01')).toBe('10#01');
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['ann@example.com', 'ann@example.com'],
    ['  Ann@Example.COM ', 'ann@example.com'],
    ['\tANN@EXAMPLE.COM\n', 'ann@example.com'],
  ])('%j → %j', (input, expected) => expect(normalizeEmail(input)).toBe(expected));
});

describe('normalizePostalCode', () => {
  it.each([
    ['97201', '97201'],
    ['97201-1234', '972011234'],
    ['sw1a 1aa', 'SW1A1AA'],
    [' SW1A  1AA ', 'SW1A1AA'],
    ['k1a-0b1', 'K1A0B1'],
    ['100 - 0001', '1000001'],
  ])('%j → %j', (input, expected) => expect(normalizePostalCode(input)).toBe(expected));
});
