// Rendered shopper pages kept as bytes (plain and gzip), so the front server answers them without
// Astro. Only a cache: every entry is tagged with its store and order and dropped when the change
// feed says either changed, and it expires after a few minutes so date wording never goes stale.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface CachedPage {
  body: Buffer;
  gzip: Buffer;
  etag: string;
  headers: [string, string][];
  storeId: string;
  orderId: string;
  storedAt: number;
}

interface Cache {
  pages: Map<string, CachedPage>;
  /** Paths by "storeId" and by "storeId:orderId", so a change drops its pages without a scan. */
  tags: Map<string, Set<string>>;
  /** Invalidation counter, and when each tag was last invalidated, so a render that raced a change is not kept. */
  epoch: number;
  invalidatedAt: Map<string, number>;
  bytes: number;
  hits: number;
  misses: number;
}

const TTL_MS = 5 * 60_000;
const MAX_BYTES = 256 * 1024 * 1024;

const g = globalThis as { __waypostPageCache?: Cache };
const cache = (): Cache =>
  (g.__waypostPageCache ??= { pages: new Map(), tags: new Map(), epoch: 0, invalidatedAt: new Map(), bytes: 0, hits: 0, misses: 0 });

/** Call before reading the data a page is rendered from; hand the result to storePage. */
export function renderEpoch(): number {
  return cache().epoch;
}

/** Stores a rendered page under its path, unless its data changed since renderEpoch() was taken. */
export function storePage(
  path: string,
  html: string,
  headers: [string, string][],
  tags: { storeId: string; orderId: string },
  startedAt: number,
): void {
  const c = cache();
  const changed = Math.max(c.invalidatedAt.get(tags.storeId) ?? -1, c.invalidatedAt.get(`${tags.storeId}:${tags.orderId}`) ?? -1);
  if (changed >= startedAt) return;
  const body = Buffer.from(html);
  const gzip = gzipSync(body, { level: 9 });
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  drop(c, path);
  const page: CachedPage = { body, gzip, etag, headers, ...tags, storedAt: Date.now() };
  c.pages.set(path, page);
  for (const tag of tagsOf(page)) {
    let set = c.tags.get(tag);
    if (!set) c.tags.set(tag, (set = new Set()));
    set.add(path);
  }
  c.bytes += body.length + gzip.length;
  while (c.bytes > MAX_BYTES) {
    const oldest = c.pages.keys().next().value;
    if (oldest === undefined) break;
    drop(c, oldest);
  }
}

/** The fresh page stored under path, or undefined. */
export function getPage(path: string, now = Date.now()): CachedPage | undefined {
  const c = cache();
  const page = c.pages.get(path);
  if (page && now - page.storedAt < TTL_MS) {
    c.hits++;
    return page;
  }
  if (page) drop(c, path);
  c.misses++;
  return undefined;
}

/** Drops every page of the order, or with orderId null every page of the store. */
export function invalidatePages(storeId: string, orderId: string | null): void {
  const c = cache();
  const tag = orderId === null ? storeId : `${storeId}:${orderId}`;
  c.invalidatedAt.set(tag, c.epoch++);
  if (c.invalidatedAt.size > 100_000) c.invalidatedAt.clear(); // only races of the last moments matter
  const paths = c.tags.get(tag);
  if (paths) for (const path of [...paths]) drop(c, path);
}

/** Empties the cache. */
export function clearPages(): void {
  const c = cache();
  c.pages.clear();
  c.tags.clear();
  c.bytes = 0;
}

/** Hit and miss counts since start, for the benchmark and health. */
export function pageCacheStats(): { hits: number; misses: number; pages: number; bytes: number } {
  const c = cache();
  return { hits: c.hits, misses: c.misses, pages: c.pages.size, bytes: c.bytes };
}

function drop(c: Cache, path: string): void {
  const p = c.pages.get(path);
  if (!p) return;
  c.pages.delete(path);
  c.bytes -= p.body.length + p.gzip.length;
  for (const tag of tagsOf(p)) {
    const set = c.tags.get(tag);
    set?.delete(path);
    if (set?.size === 0) c.tags.delete(tag);
  }
}

function tagsOf(p: CachedPage): string[] {
  return [p.storeId, `${p.storeId}:${p.orderId}`];
}
