import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../../../src/lib/color.ts';
import { BrandingSchema, FONTS, readBranding, themeFor } from '../../../src/server/stores/branding.ts';

const DARK_PAGE = '#16181d';
const hexColour = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .map((rgb) => '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join(''));

describe('readBranding', () => {
  it('fills in the defaults', () => {
    expect(readBranding(undefined)).toEqual({ primaryColor: '#1f5f99', accentColor: '#b3541e', font: 'system' });
  });

  it('falls back to the defaults when what is stored is broken', () => {
    expect(readBranding({ primaryColor: 'red' })).toEqual(BrandingSchema.parse({}));
  });
});

describe('themeFor', () => {
  it('gives the default store a readable theme', () => {
    const t = themeFor(readBranding({}));
    expect(t).toEqual({
      font: FONTS.system,
      brand: '#1f5f99',
      onBrand: '#ffffff',
      accentOnLight: '#b3541e',
      accentOnDark: t.accentOnDark,
      onAccentLight: '#ffffff',
    });
    expect(contrastRatio(t.accentOnDark, DARK_PAGE)).toBeGreaterThanOrEqual(4.5);
  });

  it('is readable (WCAG AA, 4.5:1) whatever colours the store picks', () => {
    fc.assert(
      fc.property(
        hexColour,
        hexColour,
        fc.constantFrom(...(Object.keys(FONTS) as (keyof typeof FONTS)[])),
        (primaryColor, accentColor, font) => {
          const t = themeFor(BrandingSchema.parse({ primaryColor, accentColor, font }));
          expect(t.brand).toBe(primaryColor);
          expect(t.font).toBe(FONTS[font]);
          expect(contrastRatio(t.accentOnLight, '#ffffff')).toBeGreaterThanOrEqual(4.5);
          expect(contrastRatio(t.accentOnDark, DARK_PAGE)).toBeGreaterThanOrEqual(4.5);
          expect(contrastRatio(t.onBrand, t.brand)).toBeGreaterThanOrEqual(4.5);
          expect(contrastRatio(t.onAccentLight, t.accentOnLight)).toBeGreaterThanOrEqual(4.5);
        },
      ),
      { numRuns: 2000, seed: 20261121 },
    );
  });

  it('on mid-grey brand colours picks the better of black and white (which still reaches 4.5)', () => {
    // The worst case for black-or-white text is a luminance near 0.18; both are ~4.5–4.7 there.
    for (const grey of ['#737373', '#757575', '#767676', '#777777', '#787878', '#7a7a7a']) {
      const { onBrand } = themeFor(BrandingSchema.parse({ primaryColor: grey }));
      const other = onBrand === '#000000' ? '#ffffff' : '#000000';
      expect(contrastRatio(onBrand, grey), grey).toBeGreaterThanOrEqual(contrastRatio(other, grey));
      expect(contrastRatio(onBrand, grey), grey).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps a store colour that already passes exactly as picked', () => {
    const t = themeFor(BrandingSchema.parse({ primaryColor: '#000000', accentColor: '#1a7f5a' }));
    expect(t.onBrand).toBe('#ffffff');
    expect(t.accentOnLight).toBe('#1a7f5a');
  });
});
