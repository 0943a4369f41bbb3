// The contrast report of a store's colours, for the branding page (server render and the live
// island alike, so it imports only src/lib). The corrected colours are the ones themeFor gives
// shopper pages (a unit test holds the two together).
import { contrastRatio, ensureContrast, parseHex, readableTextOn } from '../../lib/color.ts';

const AA = 4.5;
/** The shopper page's background in light and dark mode (src/styles/shopper.css). */
const LIGHT_PAGE = '#ffffff';
const DARK_PAGE = '#16181d';

interface ContrastCheck {
  id: 'header' | 'accent';
  /** What is being checked, in words. */
  what: string;
  foreground: string;
  background: string;
  ratio: number;
  passes: boolean;
  /** When it fails: the colour shopper pages use instead, and its ratio. */
  corrected: { color: string; ratio: number } | null;
}

export interface ContrastReport {
  /** Where the colours meet text on a light page (what most shoppers see); a failing one deserves a warning. */
  checks: ContrastCheck[];
  /**
   * The accent in dark mode. No colour reaches 4.5:1 on both white and near-black, so this is
   * information, never a warning: shopper pages always use a lightened shade there.
   */
  darkMode: { color: string; ratio: number };
}

/** Each place the store's colours meet text, with its WCAG ratio; null for colours that are not #rrggbb. */
export function brandContrast(primaryColor: string, accentColor: string): ContrastReport | null {
  if (!parseHex(primaryColor) || !parseHex(accentColor)) return null;
  const onBrand = readableTextOn(primaryColor);
  const check = (id: ContrastCheck['id'], what: string, fg: string, bg: string): ContrastCheck => {
    const ratio = contrastRatio(fg, bg);
    const fixed = ensureContrast(fg, bg);
    return {
      id,
      what,
      foreground: fg,
      background: bg,
      ratio,
      passes: ratio >= AA,
      corrected: ratio >= AA ? null : { color: fixed, ratio: contrastRatio(fixed, bg) },
    };
  };
  const dark = ensureContrast(accentColor, DARK_PAGE);
  return {
    checks: [
      check('header', `${onBrand === '#ffffff' ? 'White' : 'Black'} header text on your primary colour`, onBrand, primaryColor),
      check('accent', 'Links and buttons in your accent colour on the white page', accentColor, LIGHT_PAGE),
    ],
    darkMode: { color: dark, ratio: contrastRatio(dark, DARK_PAGE) },
  };
}

/** A ratio as people write it: "4.52:1" (rounded down, so 4.499 never reads as passing). */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/** The header, link and button colours a shopper page uses (as themeFor in src/server/stores/branding.ts). */
export function previewTheme(primaryColor: string, accentColor: string) {
  const accentOnLight = ensureContrast(accentColor, LIGHT_PAGE);
  return { brand: primaryColor, onBrand: readableTextOn(primaryColor), accentOnLight, onAccentLight: readableTextOn(accentOnLight) };
}
