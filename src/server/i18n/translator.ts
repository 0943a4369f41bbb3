// Words for a shopper in their language: ICU MessageFormat through FormatJS's intl-messageformat,
// plurals and selects by Intl's rules. Each message is compiled once per language and kept.
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { CATALOGUES, type MessageKey } from '../../i18n/catalogues.ts';
import { directionOf, formattingLocale, type Language } from './languages.ts';

type MessageValues = Record<string, PrimitiveType>;

export interface Translator {
  lang: Language;
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
function messageText(lang: Language, key: MessageKey): string {
  const dot = key.indexOf('.');
  const area = key.slice(0, dot) as keyof (typeof CATALOGUES)['en'];
  const name = key.slice(dot + 1);
  return CATALOGUES[lang][area]?.[name] ?? CATALOGUES.en[area]?.[name] ?? key;
}

function format(lang: Language, source: string, values: MessageValues | undefined): string {
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
    locale: formattingLocale(lang, opts.orderLocale),
    dir: directionOf(lang),
    t: (key, values) => format(lang, overrides[key] ?? messageText(lang, key), values),
  };
}
