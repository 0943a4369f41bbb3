/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The signed-in merchant user (admin pages only). */
    user?: import('./server/auth/session.ts').SessionUser;
    session?: import('./server/auth/session.ts').Session;
    /** Set by a page whose HTML the page store may keep (the front server answers it from there); see pagecache/. */
    pageCacheTags?: { storeId: string; orderId: string; lang: string; localDay: string; staleAt: number };
    /** The instant a page is rendered as of: the midnight sweep's next local day (render-queue.ts), else unset (now). */
    renderAt?: number;
    /** Shopper routes (/{slug}/…): the store of the slug (an unknown one never reaches a page). */
    store?: import('./server/stores/store.ts').Store;
    /** Order routes (/{slug}/t/{token}/…): the order the token opens, null when it opens none. */
    order?: import('./server/orders/load-order.ts').OrderView | null;
    /** Return routes (/{slug}/r/{returnToken}/…): the return the token opens, null when it opens none. */
    return?: import('./server/returns/load-return.ts').ReturnView | null;
    /** Shopper routes: the shopper's language and its words (src/server/http/shopper-context.ts). */
    words?: import('./server/i18n/translator.ts').Translator;
  }
}
