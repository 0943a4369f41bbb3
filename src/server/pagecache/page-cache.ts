// The page store's memory tier: rendered shopper pages kept as bytes (plain, gzip and brotli) in
// this process, so the front server answers them without Astro or the database. Bounded (least
// recently used pages go first), keyed by page and language, tagged with store and order so a
// change drops its pages without a scan, and never served past the order's local midnight. The
// shared tier behind it is the page_store table (page-store.ts).
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface CachedPage {
  pageKey: string;
  /** The language shown, and whether it is the order's own (the answer to a request without `?lang=`). */
  lang: string;
  ownLanguage: boolean;
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
  headers: [string, string][];
  storeId: string;
  orderId: string;
  /** The change feed's sequence the page was rendered from. */
  version: number;
  renderedAt: number;
  localDay: string;
  /** The next midnight in the order's time zone: not served from then on. */
  staleAt: number;
  /** A page the midnight sweep rendered for the next local day is not served before it begins. */
  freshFrom?: number | null;
  /** When a shopper last read it, as far as this process knows (mark-page-read.ts). */
  readAt?: number | null;
}

interface Cache {
  /** By memoryKey(pageKey, lang), and by memoryKey(pageKey, null) for the order's own language; in use order (oldest first). */
  pages: Map<string, CachedPage>;
  /** Memory keys by "storeId" and by "storeId:orderId". */
  tags: Map<string, Set<string>>;
  /** Invalidation counter, and when each tag was last invalidated, so a render that raced a change is not kept. */
  epoch: number;
  invalidatedAt: Map<string, number>;
  bytes: number;
  hits: number;
  misses: number;
}

/** The memory tier holds at most this many bytes of pages (each page counted once, all three encodings). */
const MAX_BYTES = 128 * 1024 * 1024;

const g = globalThis as { __waypostPageCache?: Cache };
const cache = (): Cache =>
  (g.__waypostPageCache ??= { pages: new Map(), tags: new Map(), epoch: 0, invalidatedAt: new Map(), bytes: 0, hits: 0, misses: 0 });

/** The memory key of a page in a language (null: whatever the order's own language is). */
export function memoryKey(pageKey: string, lang: string | null): string {
  return `${pageKey}\n${lang ?? ''}`;
}

/** Call before reading the data a page is rendered from (or the stored page); hand the result to keepPage. */
export function renderEpoch(): number {
  return cache().epoch;
}

/** The bytes, encodings and ETag of a rendered page. */
export function encodePage(html: string): Pick<CachedPage, 'body' | 'gzip' | 'brotli' | 'etag'> {
  const body = Buffer.from(html);
  return {
    body,
    // Measured on an order page (14 KB): gzip 6 takes 0.2 ms (4.6 KB), brotli 5 0.5 ms (4.2 KB);
    // brotli 9 and 11 take 14 and 22 ms for 4.2 and 3.8 KB, too much CPU beside the webhooks.
    gzip: gzipSync(body, { level: 6 }),
    brotli: brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
  };
}

/** Keeps a page in memory, unless its order or store changed since `startedAt` (renderEpoch()) or a newer render is kept already. */
export function keepPage(page: CachedPage, startedAt: number): boolean {
  const c = cache();
  if (changedSince(c, page, startedAt)) return false;
  const key = memoryKey(page.pageKey, page.lang);
  const old = c.pages.get(key);
  if (old && old.version > page.version) return false;
  drop(c, key);
  if (page.ownLanguage) drop(c, memoryKey(page.pageKey, null));
  c.pages.set(key, page);
  if (page.ownLanguage) c.pages.set(memoryKey(page.pageKey, null), page);
  for (const tag of tagsOf(page)) {
    let set = c.tags.get(tag);
    if (!set) c.tags.set(tag, (set = new Set()));
    set.add(key);
    if (page.ownLanguage) set.add(memoryKey(page.pageKey, null));
  }
  c.bytes += sizeOf(page);
  while (c.bytes > MAX_BYTES) {
    const oldest = c.pages.keys().next().value;
    if (oldest === undefined) break;
    drop(c, oldest);
  }
  return true;
}

/** The fresh page kept under key (memoryKey), or undefined. A hit becomes the most recently used. */
export function getPage(key: string, now = Date.now()): CachedPage | undefined {
  const c = cache();
  const page = c.pages.get(key);
  if (page && now < page.staleAt && (page.freshFrom ?? 0) <= now) {
    c.hits++;
    c.pages.delete(key);
    c.pages.set(key, page);
    return page;
  }
  if (page) drop(c, key);
  c.misses++;
  return undefined;
}

/** The languages of the pages kept for an order, by page key (what a re-render after a change should cover). */
export function keptPagesOf(storeId: string, orderId: string | null): { pageKey: string; lang: string; orderId: string }[] {
  const c = cache();
  const keys = c.tags.get(orderId === null ? storeId : `${storeId}:${orderId}`);
  const out = new Map<string, { pageKey: string; lang: string; orderId: string }>();
  for (const key of keys ?? []) {
    const p = c.pages.get(key);
    if (p) out.set(memoryKey(p.pageKey, p.lang), { pageKey: p.pageKey, lang: p.lang, orderId: p.orderId });
  }
  return [...out.values()];
}

/** Drops every page of the order, or with orderId null every page of the store. */
export function invalidatePages(storeId: string, orderId: string | null): void {
  const c = cache();
  const tag = orderId === null ? storeId : `${storeId}:${orderId}`;
  c.invalidatedAt.set(tag, c.epoch++);
  if (c.invalidatedAt.size > 100_000) c.invalidatedAt.clear(); // only races of the last moments matter
  const keys = c.tags.get(tag);
  if (keys) for (const key of [...keys]) drop(c, key);
}

/** Empties the memory tier. */
export function clearPages(): void {
  const c = cache();
  c.pages.clear();
  c.tags.clear();
  c.bytes = 0;
}

/** Hit and miss counts since start, pages and bytes held, for the benchmark and health. */
export function pageCacheStats(): { hits: number; misses: number; pages: number; bytes: number } {
  const c = cache();
  const pages = new Set(c.pages.values()).size;
  return { hits: c.hits, misses: c.misses, pages, bytes: c.bytes };
}

function changedSince(c: Cache, page: CachedPage, startedAt: number): boolean {
  const changed = Math.max(c.invalidatedAt.get(page.storeId) ?? -1, c.invalidatedAt.get(`${page.storeId}:${page.orderId}`) ?? -1);
  return changed >= startedAt;
}

/** Bytes a page holds in memory: its three encodings and about 1 KB of headers, keys and fields. */
function sizeOf(p: CachedPage): number {
  return p.body.length + p.gzip.length + p.brotli.length + 1024;
}

function drop(c: Cache, key: string): void {
  const p = c.pages.get(key);
  if (!p) return;
  const keys = [memoryKey(p.pageKey, p.lang)];
  if (p.ownLanguage) keys.push(memoryKey(p.pageKey, null));
  let held = false;
  for (const k of keys) {
    if (c.pages.get(k) !== p) continue;
    c.pages.delete(k);
    held = true;
    for (const tag of tagsOf(p)) {
      const set = c.tags.get(tag);
      set?.delete(k);
      if (set?.size === 0) c.tags.delete(tag);
    }
  }
  if (held) c.bytes -= sizeOf(p);
}

function tagsOf(p: CachedPage): string[] {
  return [p.storeId, `${p.storeId}:${p.orderId}`];
}
