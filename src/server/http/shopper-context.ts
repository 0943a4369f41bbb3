// Shopper routes (/{slug}/…) resolve their store once, in the middleware, and on token routes the
// order (/{slug}/t/{token}/…) or the return (/{slug}/r/{returnToken}/…) too, into Astro.locals.
import { config } from '../config.ts';
import { pickLanguage } from '../i18n/pick-language.ts';
import { PSEUDO_TAG, pseudoTranslator, translator, type Translator } from '../i18n/translator.ts';
import { getOrderByToken } from '../orders/get-order-by-token.ts';
import { loadReturn } from '../returns/load-return.ts';
import { getStoreBySlug } from '../stores/get-store.ts';
import type { Store } from '../stores/store.ts';

/**
 * Shopper routes that are endpoints, not pages: an unknown store reaches them without a store in
 * locals, and each answers its own 404 (plain words, or problem+json for the push route).
 */
export const SHOPPER_ENDPOINTS: ReadonlySet<string> = new Set([
  '/[store]/returns-policy.json',
  '/[store]/reviews/[productId]',
  '/[store]/r/[returnToken]/[file]',
  '/[store]/t/[token]/live',
  '/[store]/t/[token]/manifest.webmanifest',
  '/[store]/t/[token]/push',
  '/[store]/unsubscribe/[token]',
]);

/** True for a route pattern under /[store]. */
export function isShopperRoute(routePattern: string): boolean {
  return routePattern === '/[store]' || routePattern.startsWith('/[store]/');
}

/**
 * The store, and the order or return its token opens (null for a tampered, foreign or unknown
 * token: the page says so in its own words). No store: nothing else is looked up.
 */
export async function resolveShopperContext(
  params: Record<string, string | undefined>,
  request?: ShopperRequest,
): Promise<Pick<App.Locals, 'store' | 'order' | 'return' | 'words'>> {
  const store = await getStoreBySlug(params.store ?? '');
  if (!store) return request ? { words: shopperWords(request, {}) } : {};
  const found: Pick<App.Locals, 'store' | 'order' | 'return'> =
    params.token !== undefined
      ? { store, order: await getOrderByToken(store, params.token) }
      : params.returnToken !== undefined
        ? { store, return: await loadReturn(store.id, { token: params.returnToken }) }
        : { store };
  return request ? { ...found, words: shopperWords(request, found) } : found;
}

/** What the shopper's language is chosen from: the address (?lang=), the language they chose before (its cookie), their browser's. */
export interface ShopperRequest {
  url: URL;
  acceptLanguage: string | null;
  chosenLanguage: string | null;
}

/** The cookie that remembers a language the shopper chose with ?lang= on this store's pages, so every link after it keeps it. */
export const LANGUAGE_COOKIE = 'waypost_lang';

/**
 * The shopper's words: `?lang=`, else the order's (or return's) locale, else (pages without an
 * order: the look-up) Accept-Language, else the store's default language, else English; with the
 * store's own wording for that language.
 */
function shopperWords(request: ShopperRequest, found: Pick<App.Locals, 'store' | 'order' | 'return'>): Translator {
  return wordsForShopper(request, found.store ?? null, found.order?.locale ?? found.return?.locale ?? null);
}

/**
 * The same choice for a route that finds the shopper's order another way (the unsubscribe link
 * knows only the address): `?lang=`, the chosen language, the order's locale, Accept-Language
 * where there is no order, the store's default, English.
 */
export function wordsForShopper(request: ShopperRequest, store: Store | null, orderLocale: string | null): Translator {
  const requested = request.url.searchParams.get('lang') ?? request.chosenLanguage;
  if (requested === PSEUDO_TAG && config().pseudoLocale) return pseudoTranslator();
  const lang = pickLanguage({
    requested,
    orderLocale,
    acceptLanguage: orderLocale ? null : request.acceptLanguage,
    storeDefault: store?.settings.defaultLanguage,
  });
  return translator(lang, { orderLocale, overrides: store?.settings.copy?.[lang] });
}

/** The shopper's translator the middleware chose; pages outside shopper routes (404, 500) fall back to English. */
export function wordsOf(locals: App.Locals): Translator {
  return locals.words ?? translator('en');
}

/** The store the middleware resolved for this shopper page; a page without one is a wiring bug, not a 404. */
export function storeOf(locals: App.Locals): Store {
  if (!locals.store) throw new Error('No store in Astro.locals: a shopper page ran without the store middleware.');
  return locals.store;
}
