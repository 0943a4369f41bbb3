// Words for a shopper in their language: ICU MessageFormat through FormatJS's intl-messageformat,
// plurals and selects by Intl's rules. Each message is compiled once per language and kept.
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { CATALOGUES, type MessageKey } from '../../i18n/catalogues.ts';
import { directionOf, formattingLocale, type Language } from './languages.ts';

type MessageValues = Record<string, PrimitiveType>;

export interface Translator {
  lang: Language;
  /** What `<html lang>` says: the language, or the pseudo-locale's tag. */
  tag: string;
  /** The locale dates, numbers and money follow (the order's own when it is in this language). */
  locale: string;
  dir: 'ltr' | 'rtl';
  /** The message in this language, its placeholders filled in. */
  t(key: MessageKey, values?: MessageValues): string;
}

export interface TranslatorOptions {
  /** The order's locale, so an en-GB order keeps its own date order. */
  orderLocale?: string | null;
  /** The store's own wording (key → ICU text), checked when it was saved. */
  overrides?: Readonly<Record<string, string>>;
}

const compiled = new Map<string, IntlMessageFormat>();

/** The message text of a key in a language (English where a language lacks it: the catalogue test keeps that from happening). */
function messageText(lang: Language, key: string): string | undefined {
  const dot = key.indexOf('.');
  const area = key.slice(0, dot) as keyof (typeof CATALOGUES)['en'];
  const name = key.slice(dot + 1);
  const own = CATALOGUES[lang][area] as Record<string, string> | undefined;
  const english = CATALOGUES.en[area] as Record<string, string> | undefined;
  return (own && Object.hasOwn(own, name) ? own[name] : undefined) ?? (english && Object.hasOwn(english, name) ? english[name] : undefined);
}

function format(lang: string, source: string, values: MessageValues | undefined): string {
  const cacheKey = `${lang}\u0000${source}`;
  let f = compiled.get(cacheKey);
  if (!f) {
    f = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
    if (compiled.size > 20_000) compiled.clear();
    compiled.set(cacheKey, f);
  }
  return String(f.format(values));
}

/** A translator for one language. */
export function translator(lang: Language, opts: TranslatorOptions = {}): Translator {
  const overrides = opts.overrides ?? {};
  return {
    lang,
    tag: lang,
    locale: formattingLocale(lang, opts.orderLocale),
    dir: directionOf(lang),
    t: (key, values) => format(lang, (Object.hasOwn(overrides, key) ? overrides[key] : undefined) ?? messageText(lang, key) ?? key, values),
  };
}

/** The pseudo-locale's tag (tests only: config().pseudoLocale). */
export const PSEUDO_TAG = 'en-XA';

const ACCENTED: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [
    c,
    [...'åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]!,
  ]),
);

/**
 * The pseudo-locale: every message accented, a third longer and fenced in ⟦ ⟧, with dates and
 * numbers in Japanese (no Latin letters), so a test can tell any word on a page that did not come
 * from the catalogue: it is the only Latin text left once store and order data are taken out.
 */
export function pseudoTranslator(): Translator {
  const english = translator('en');
  return {
    lang: 'en',
    tag: PSEUDO_TAG,
    locale: 'ja-JP',
    dir: 'ltr',
    t: (key, values) => {
      // Placeholders are filled in first and fenced apart, so data inside a message stays as it is.
      const marked: MessageValues = {};
      for (const [k, v] of Object.entries(values ?? {})) marked[k] = typeof v === 'string' ? `\u2063${v}\u2064` : v;
      const text = english.t(key, marked);
      const accented = text.replace(/\u2063[^\u2064]*\u2064|[A-Za-z]/g, (m) => (m.length === 1 ? (ACCENTED[m] ?? m) : m.slice(1, -1)));
      const padding = '·'.repeat(Math.ceil(text.length / 3));
      return `⟦${accented}${padding}⟧`;
    },
  };
}
