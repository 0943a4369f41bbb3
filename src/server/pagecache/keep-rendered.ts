// A page Astro just rendered goes into both tiers of the page store: this process's memory and
// the shared table. Called by the middleware for pages that set Astro.locals.pageCacheTags.
import { log } from '../log.ts';
import { encodePage, keepPage, type CachedPage } from './page-cache.ts';
import { writeStoredPage, type RenderVersion } from './page-store.ts';

/** What a render knew before it read its data (renderEpoch() and currentVersion()), and what it made. */
export interface RenderedPage {
  pageKey: string;
  /** `?lang=` of the request, or null. */
  requestedLang: string | null;
  html: string;
  headers: [string, string][];
  tags: { storeId: string; orderId: string; lang: string; localDay: string; staleAt: number };
  epoch: number;
  version: RenderVersion;
  /** The instant the page was rendered as of (the sweep's: the next local day's first instant). */
  now: number;
  /** Set by the midnight sweep: the page is for a day that has not begun, kept only in the table until then. */
  ahead?: boolean;
  /** A shopper's read rendered it: when (the sweep renders only pages read recently). */
  readAt?: number;
}

/**
 * Keeps the page in memory (unless a change came in since the render began) and writes it to the
 * shared table (unless a change came after its version). Resolves once the table was written or
 * refused it; never rejects (a failed write only costs a later render).
 */
export async function keepRenderedPage(r: RenderedPage): Promise<CachedPage> {
  const lang = r.requestedLang ?? r.tags.lang;
  const page: CachedPage = {
    pageKey: r.pageKey,
    lang,
    ownLanguage: lang === r.tags.lang,
    ...encodePage(r.html),
    headers: r.headers,
    storeId: r.tags.storeId,
    orderId: r.tags.orderId,
    version: r.version.seq,
    renderedAt: r.now,
    localDay: r.tags.localDay,
    staleAt: r.tags.staleAt,
    freshFrom: r.ahead ? r.now : null,
    readAt: r.readAt ?? null,
  };
  // A page for tomorrow stays out of memory, where today's is still being served.
  if (!r.ahead) keepPage(page, r.epoch);
  try {
    await writeStoredPage(page, r.version.snapshot);
  } catch (err) {
    log.error({ err, page: r.pageKey }, 'storing a rendered page failed');
  }
  return page;
}
