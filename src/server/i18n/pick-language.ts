// Which language a shopper sees: asked for (?lang=), else the order's, else the store's, else English.
import { isLanguage, languageOf, type Language } from './languages.ts';

export interface LanguageChoice {
  /** `?lang=xx` on a shopper page: another supported language, asked for by the shopper. */
  requested?: string | null;
  /** The order's locale (pages and messages about an order). */
  orderLocale?: string | null;
  /** The Accept-Language header (pages reached without an order: the look-up). */
  acceptLanguage?: string | null;
  /** The store's default language. */
  storeDefault?: string | null;
}

/** The language to use, by the rule above; unsupported values are passed over, never an error. */
export function pickLanguage(c: LanguageChoice): Language {
  if (isLanguage(c.requested)) return c.requested;
  const fromOrder = languageOf(c.orderLocale);
  if (fromOrder) return fromOrder;
  const accepted = c.acceptLanguage ? bestAccepted(c.acceptLanguage) : null;
  if (accepted) return accepted;
  return isLanguage(c.storeDefault) ? c.storeDefault : 'en';
}

/** The supported language the browser prefers most (RFC 9110 quality values), or null. */
export function bestAccepted(header: string): Language | null {
  const ranked = header
    .slice(0, 1000)
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const weight = params.find((p) => /^\s*q=/i.test(p));
      // A weight that is not a valid qvalue counts as "not wanted", never as the default 1.
      const q = weight === undefined ? 1 : /^\s*q=(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/i.test(weight) ? Number(weight.split('=')[1]) : 0;
      return { lang: languageOf(tag), q, i };
    })
    .filter((r): r is { lang: Language; q: number; i: number } => r.lang !== null && r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lang ?? null;
}
