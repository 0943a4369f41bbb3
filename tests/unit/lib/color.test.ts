import { describe, expect, it } from 'vitest';
import { contrastRatio, ensureContrast, luminance, parseHex, readableTextOn } from '../../../src/lib/color.ts';

const DARK_PAGE = '#16181d';
const COLOURS = [
  '#ffffff',
  '#fefefe',
  '#fff8dc',
  '#ffff00',
  '#f0e68c',
  '#add8e6',
  '#90ee90',
  '#ffc0cb',
  '#e6e6fa',
  '#b3541e',
  '#1f5f99',
  '#777777',
  '#808080',
  '#767676',
  '#ff0000',
  '#00ff00',
  '#0000ff',
  '#00ffff',
  '#ff00ff',
  '#ffa500',
  '#000000',
  '#111111',
  '#16181d',
  '#2b0000',
  '#000033',
  '#003300',
  '#333333',
  '#4b0082',
  '#654321',
  '#1a7f5a',
];

describe('parseHex and luminance', () => {
  it('reads short and long hex, case-insensitively', () => {
    expect(parseHex('#fff')).toEqual([255, 255, 255]);
    expect(parseHex('#1A7f5a')).toEqual([26, 127, 90]);
    expect(parseHex(' #000000 ')).toEqual([0, 0, 0]);
    expect(parseHex('fff')).toBeNull();
    expect(parseHex('#ggg')).toBeNull();
    expect(parseHex('#12345')).toBeNull();
  });

  it('gives 0 for black and 1 for white', () => {
    expect(luminance('#000000')).toBe(0);
    expect(luminance('#ffffff')).toBeCloseTo(1, 10);
    expect(() => luminance('red')).toThrow(/Not a colour/);
  });
});

describe('contrastRatio', () => {
  it('matches the known WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#1f5f99', '#1f5f99')).toBe(1);
  });
});

describe('readableTextOn', () => {
  it('picks white on dark and black on light backgrounds', () => {
    expect(readableTextOn('#000000')).toBe('#ffffff');
    expect(readableTextOn('#1f5f99')).toBe('#ffffff');
    expect(readableTextOn('#ffffff')).toBe('#000000');
    expect(readableTextOn('#ffff00')).toBe('#000000');
    // #777777: 4.69 against black, 4.48 against white.
    expect(readableTextOn('#777777')).toBe('#000000');
  });

  it('always reaches at least 4.5:1, since the worse background is still ~4.58 from one of them', () => {
    for (const c of COLOURS) expect(contrastRatio(c, readableTextOn(c)), c).toBeGreaterThanOrEqual(4.5);
  });
});

describe('ensureContrast', () => {
  it('leaves a colour that already passes unchanged (normalised to lower-case #rrggbb)', () => {
    expect(ensureContrast('#1F5F99', '#ffffff')).toBe('#1f5f99');
    expect(ensureContrast('#000', '#ffffff')).toBe('#000000');
  });

  it('returns what it cannot parse as given', () => {
    expect(ensureContrast('tomato', '#ffffff')).toBe('tomato');
  });

  it.each(COLOURS)('makes %s readable on white and on the dark page', (c) => {
    const onLight = ensureContrast(c, '#ffffff');
    const onDark = ensureContrast(c, DARK_PAGE);
    expect(contrastRatio(onLight, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(onDark, DARK_PAGE)).toBeGreaterThanOrEqual(4.5);
    expect(onLight).toMatch(/^#[0-9a-f]{6}$/);
    expect(onDark).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('moves a failing colour only as far as needed (stays close to the brand colour)', () => {
    expect(contrastRatio('#b3541e', '#ffffff')).toBeGreaterThan(4.5);
    expect(ensureContrast('#b3541e', '#ffffff')).toBe('#b3541e');
    expect(ensureContrast('#ffff00', '#ffffff')).toBe('#737300'); // yellow darkened to olive, 5.02:1
    for (const pale of ['#ffff00', '#ffa500', '#90ee90', '#add8e6', '#ffc0cb']) {
      const ratio = contrastRatio(ensureContrast(pale, '#ffffff'), '#ffffff');
      expect(ratio, pale).toBeGreaterThanOrEqual(4.5);
      expect(ratio, pale).toBeLessThan(5.5);
    }
  });

  it('honours another target ratio', () => {
    const out = ensureContrast('#808080', '#ffffff', 7);
    expect(contrastRatio(out, '#ffffff')).toBeGreaterThanOrEqual(7);
  });
});
