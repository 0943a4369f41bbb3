import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearPages,
  encodePage,
  getPage as getKept,
  invalidatePages,
  keepPage,
  memoryKey,
  pageCacheStats,
  renderEpoch,
} from '../../../src/server/pagecache/page-cache.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
/** The order's local midnight: the page is not served from then on. */
const TTL = 14 * 3_600_000;
const getPage = (path: string, now?: number) => getKept(memoryKey(path, null), now);

function storePage(
  path: string,
  html: string,
  headers: [string, string][],
  tags: { storeId: string; orderId: string },
  epoch: number,
  lang = 'en',
) {
  return keepPage(
    {
      pageKey: path,
      lang,
      ownLanguage: lang === 'en',
      ...encodePage(html),
      headers,
      ...tags,
      version: 0,
      renderedAt: NOW,
      localDay: '2026-11-21',
      staleAt: NOW + TTL,
    },
    epoch,
  );
}
const html = (s: string) => `<!doctype html><title>${s}</title><p>${'parcel '.repeat(50)}</p>`;
const headers: [string, string][] = [['content-type', 'text/html; charset=utf-8']];

/** Renders a page the way the front server does: take the epoch first, then store. */
function render(path: string, storeId: string, orderId: string, body = html(path)) {
  const epoch = renderEpoch();
  storePage(path, body, headers, { storeId, orderId }, epoch);
}

describe('page cache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    clearPages();
  });
  afterEach(() => vi.useRealTimers());

  it('keeps a page with its gzip, brotli, etag, headers and tags', () => {
    render('/shop/t/abc', 's1', 'o1', html('one'));
    const page = getPage('/shop/t/abc', NOW)!;
    expect(page.body.toString('utf8')).toBe(html('one'));
    expect(gunzipSync(page.gzip).toString('utf8')).toBe(html('one'));
    expect(brotliDecompressSync(page.brotli).toString('utf8')).toBe(html('one'));
    expect(page.gzip.length).toBeLessThan(page.body.length);
    expect(page.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(page.headers).toEqual(headers);
    expect(page).toMatchObject({ storeId: 's1', orderId: 'o1', renderedAt: NOW, lang: 'en' });
    expect(getKept(memoryKey('/shop/t/abc', 'en'), NOW)).toBe(page); // the same entry under its language
  });

  it('gives the same etag for the same body and another for another body', () => {
    render('/a', 's1', 'o1', html('same'));
    render('/b', 's1', 'o2', html('same'));
    render('/c', 's1', 'o3', html('other'));
    expect(getPage('/a', NOW)!.etag).toBe(getPage('/b', NOW)!.etag);
    expect(getPage('/c', NOW)!.etag).not.toBe(getPage('/a', NOW)!.etag);
  });

  it('misses an unknown path and counts hits and misses', () => {
    const before = pageCacheStats();
    expect(getPage('/nothing', NOW)).toBeUndefined();
    render('/x', 's1', 'o1');
    getPage('/x', NOW);
    getPage('/x', NOW);
    const after = pageCacheStats();
    expect(after.hits - before.hits).toBe(2);
    expect(after.misses - before.misses).toBe(1);
  });

  it('replaces a page stored again under the same path, keeping the byte count right', () => {
    render('/x', 's1', 'o1', html('first'));
    render('/x', 's1', 'o1', html('second version'));
    const page = getPage('/x', NOW)!;
    expect(page.body.toString()).toBe(html('second version'));
    expect(pageCacheStats()).toMatchObject({ pages: 1, bytes: page.body.length + page.gzip.length + page.brotli.length + 1024 });
  });

  it("is not served from the order's local midnight on", () => {
    render('/x', 's1', 'o1');
    expect(getPage('/x', NOW + TTL - 1)).toBeDefined();
    expect(getPage('/x', NOW + TTL)).toBeUndefined();
    expect(pageCacheStats()).toMatchObject({ pages: 0, bytes: 0 });
    expect(getPage('/x', NOW)).toBeUndefined(); // dropped, not just hidden
  });

  it('drops every page of an order, and only those', () => {
    render('/s1/t/a', 's1', 'o1');
    render('/s1/t/a/returns/new', 's1', 'o1');
    render('/s1/t/b', 's1', 'o2');
    invalidatePages('s1', 'o1');
    expect(getPage('/s1/t/a', NOW)).toBeUndefined();
    expect(getPage('/s1/t/a/returns/new', NOW)).toBeUndefined();
    expect(getPage('/s1/t/b', NOW)).toBeDefined();
  });

  it('drops every page of a store, and only those', () => {
    render('/s1/t/a', 's1', 'o1');
    render('/s1/t/b', 's1', 'o2');
    render('/s2/t/c', 's2', 'o3');
    invalidatePages('s1', null);
    expect(getPage('/s1/t/a', NOW)).toBeUndefined();
    expect(getPage('/s1/t/b', NOW)).toBeUndefined();
    expect(getPage('/s2/t/c', NOW)).toBeDefined();
    expect(pageCacheStats().pages).toBe(1);
  });

  it('keeps one entry per language, the own one also answering requests without ?lang=', () => {
    render('/s1/t/a', 's1', 'o1', html('english'));
    storePage('/s1/t/a', html('français'), headers, { storeId: 's1', orderId: 'o1' }, renderEpoch(), 'fr');
    expect(getKept(memoryKey('/s1/t/a', 'fr'), NOW)!.body.toString()).toBe(html('français'));
    expect(getKept(memoryKey('/s1/t/a', 'en'), NOW)!.body.toString()).toBe(html('english'));
    expect(getPage('/s1/t/a', NOW)!.body.toString()).toBe(html('english'));
    expect(pageCacheStats().pages).toBe(2);
    invalidatePages('s1', 'o1');
    expect(pageCacheStats()).toMatchObject({ pages: 0, bytes: 0 });
  });

  it('does not replace a page rendered from a newer version with an older one', () => {
    const tags = { storeId: 's1', orderId: 'o1' };
    const page = (body: string, version: number) => ({
      pageKey: '/x',
      lang: 'en',
      ownLanguage: true,
      ...encodePage(html(body)),
      headers,
      ...tags,
      version,
      renderedAt: NOW,
      localDay: '2026-11-21',
      staleAt: NOW + TTL,
    });
    expect(keepPage(page('newer', 7), renderEpoch())).toBe(true);
    expect(keepPage(page('older', 6), renderEpoch())).toBe(false);
    expect(getPage('/x', NOW)!.body.toString()).toBe(html('newer'));
  });

  describe('a render that raced a change', () => {
    it('is not kept when its order changed after the render started', () => {
      const epoch = renderEpoch();
      invalidatePages('s1', 'o1'); // the data changed while the page was being rendered
      storePage('/s1/t/a', html('stale'), headers, { storeId: 's1', orderId: 'o1' }, epoch);
      expect(getPage('/s1/t/a', NOW)).toBeUndefined();
    });

    it('is not kept when its whole store changed after the render started', () => {
      const epoch = renderEpoch();
      invalidatePages('s1', null);
      storePage('/s1/t/a', html('stale'), headers, { storeId: 's1', orderId: 'o1' }, epoch);
      expect(getPage('/s1/t/a', NOW)).toBeUndefined();
    });

    it('is kept when the render started after the change', () => {
      invalidatePages('s1', 'o1');
      const epoch = renderEpoch();
      storePage('/s1/t/a', html('fresh'), headers, { storeId: 's1', orderId: 'o1' }, epoch);
      expect(getPage('/s1/t/a', NOW)?.body.toString()).toBe(html('fresh'));
    });

    it('is kept when only another order or another store changed', () => {
      const epoch = renderEpoch();
      invalidatePages('s1', 'o2');
      invalidatePages('s2', null);
      storePage('/s1/t/a', html('fresh'), headers, { storeId: 's1', orderId: 'o1' }, epoch);
      expect(getPage('/s1/t/a', NOW)).toBeDefined();
    });

    it('is not kept when the change came between several others', () => {
      invalidatePages('s1', 'o1');
      const epoch = renderEpoch();
      invalidatePages('s9', null);
      invalidatePages('s1', 'o1');
      invalidatePages('s8', null);
      storePage('/s1/t/a', html('stale'), headers, { storeId: 's1', orderId: 'o1' }, epoch);
      expect(getPage('/s1/t/a', NOW)).toBeUndefined();
    });
  });
});
