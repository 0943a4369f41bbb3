// A store's branding: what the shopper's pages look like and whom they can contact.
import { z } from 'zod';
import { ensureContrast, readableTextOn } from '../../lib/color.ts';

/** Fonts we serve ourselves (system stacks: no third-party font host, nothing outside our CSP). */
export const FONTS = {
  system: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  humanist: 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif',
  geometric: 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif',
  serif: 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
  rounded: 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", Calibri, sans-serif',
} as const;
export type FontName = keyof typeof FONTS;

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a7f5a');
const optionalText = (max: number) => z.string().trim().max(max).optional();

export const BrandingSchema = z.object({
  logoUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((v) => /^https:\/\//.test(v) || /^\/[^/]/.test(v), 'an https:// URL or a path on this site')
    .optional(),
  primaryColor: hex.default('#1f5f99'),
  accentColor: hex.default('#b3541e'),
  font: z.enum(Object.keys(FONTS) as [FontName, ...FontName[]]).default('system'),
  supportEmail: z.email().optional(),
  supportPhone: z
    .string()
    .trim()
    .regex(/^[+0-9 ()./-]{5,30}$/, 'a phone number')
    .optional(),
  supportUrl: z.url({ protocol: /^https?$/ }).optional(),
  orderNote: optionalText(500),
});
export type Branding = z.infer<typeof BrandingSchema>;

/** Branding with every default filled in, from what is stored. */
export function readBranding(stored: unknown): Branding {
  const r = BrandingSchema.safeParse(stored ?? {});
  return r.success ? r.data : BrandingSchema.parse({});
}

export interface Theme {
  font: string;
  /** Header background and its text colour. */
  brand: string;
  onBrand: string;
  /** Links and buttons on a light page, darkened until AA (4.5:1). */
  accentOnLight: string;
  /** The same on a dark page (dark mode), lightened until AA. */
  accentOnDark: string;
  onAccentLight: string;
}

/** The colours a page may use, readable (WCAG AA) whatever the store picked. */
export function themeFor(b: Branding): Theme {
  const accentOnLight = ensureContrast(b.accentColor, '#ffffff');
  return {
    font: FONTS[b.font],
    brand: b.primaryColor,
    onBrand: readableTextOn(b.primaryColor),
    accentOnLight,
    accentOnDark: ensureContrast(b.accentColor, '#16181d'),
    onAccentLight: readableTextOn(accentOnLight),
  };
}
