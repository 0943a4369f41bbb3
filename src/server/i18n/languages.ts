// The languages shopper pages and messages are written in, and how a locale maps onto one.

/** Every supported language (ISO 639-1). English is the fallback for everything. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Languages written right to left: their pages carry dir="rtl" and mirror the layout. */
const RTL: ReadonlySet<Language> = new Set(['ar']);

/** The locale dates, numbers and money use when an order's own locale is in another language. */
const DEFAULT_LOCALE: Record<Language, string> = {
  en: 'en-US',
  de: 'de-DE',
  fr: 'fr-FR',
  es: 'es-ES',
  it: 'it-IT',
  nl: 'nl-NL',
  ar: 'ar',
};

/** True for a supported language code. */
export function isLanguage(code: unknown): code is Language {
  return typeof code === 'string' && (LANGUAGES as readonly string[]).includes(code);
}

/** The supported language of a BCP 47 locale ("de-AT" → "de"), or null. */
export function languageOf(locale: string | null | undefined): Language | null {
  const code = locale?.trim().split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(code) ? code : null;
}

/** "rtl" or "ltr", for <html dir>. */
export function directionOf(lang: Language): 'ltr' | 'rtl' {
  return RTL.has(lang) ? 'rtl' : 'ltr';
}

/**
 * The locale to format dates, numbers and money with: the order's own locale when it is in the
 * language shown (an en-GB order keeps "26 November"), else the language's usual one.
 */
export function formattingLocale(lang: Language, orderLocale?: string | null): string {
  return orderLocale && languageOf(orderLocale) === lang ? orderLocale : DEFAULT_LOCALE[lang];
}

/** A language's name in itself ("Deutsch", "العربية"), for the language switcher. */
export function endonym(lang: Language): string {
  const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}
