// Shopper routes (/{slug}/…) resolve their store once, in the middleware, and on token routes the
// order (/{slug}/t/{token}/…) or the return (/{slug}/r/{returnToken}/…) too, into Astro.locals.
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
): Promise<Pick<App.Locals, 'store' | 'order' | 'return'>> {
  const store = await getStoreBySlug(params.store ?? '');
  if (!store) return {};
  if (params.token !== undefined) return { store, order: await getOrderByToken(store, params.token) };
  if (params.returnToken !== undefined) return { store, return: await loadReturn(store.id, { token: params.returnToken }) };
  return { store };
}

/** The store the middleware resolved for this shopper page; a page without one is a wiring bug, not a 404. */
export function storeOf(locals: App.Locals): Store {
  if (!locals.store) throw new Error('No store in Astro.locals: a shopper page ran without the store middleware.');
  return locals.store;
}
