// The page store's shared tier on a real SQLite file: no render races a newer change into the
// store (a slow render, a change committed in between, then the render's write), a change empties
// its order's rows (or its store's) in its own transaction, an older render never replaces a newer
// one, and pages past the order's local midnight are neither served nor kept.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { keepRenderedPage } from '../../../src/server/pagecache/keep-rendered.ts';
import { clearPages, getPage, memoryKey, renderEpoch } from '../../../src/server/pagecache/page-cache.ts';
import { currentVersion, pruneStoredPages, readStoredPage, storedPageStats } from '../../../src/server/pagecache/page-store.ts';
import { recordPageChange } from '../../../src/server/pagecache/record-change.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

const HOUR = 3_600_000;
let storeId: string;
let orderId: string;
const key = (id = orderId) => `/shop/t/${id}`;

const customerName = async () => (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.id, orderId))))!.customerName;

/** A render as the middleware runs one: epoch and version first, then the data read, then (maybe much later) the write. */
async function beginRender(id = orderId, lang: string | null = null) {
  const epoch = renderEpoch();
  const version = await currentVersion();
  const html = `<!doctype html><p>Hello ${await customerName()}</p>`;
  const now = Date.now();
  return () =>
    keepRenderedPage({
      pageKey: key(id),
      requestedLang: lang,
      html,
      headers: [['content-type', 'text/html; charset=utf-8']],
      tags: { storeId, orderId: id, lang: 'en', localDay: '2026-12-02', staleAt: now + HOUR },
      epoch,
      version,
      now,
    });
}

const rename = (to: string, id = orderId) =>
  transaction(async (tx) => {
    await tx.update(schema.orders).set({ customerName: to }).where(eq(schema.orders.id, id));
    await recordPageChange(tx, storeId, id, Date.now());
  });

const storedText = async (id = orderId, lang: string | null = null) => (await readStoredPage(key(id), lang, Date.now()))?.body.toString();

describe('the page store', () => {
  beforeEach(async () => {
    await freshDatabase();
    clearPages();
    storeId = (await makeStore()).store.id;
    orderId = (await upsertOrder({ storeId, body: orderBody({ customerName: 'Ann Lee' }) })).orderId;
  });

  it('keeps a render in memory and in the table, plain, gzip and brotli, under the order’s language', async () => {
    await (
      await beginRender()
    )();
    const stored = await readStoredPage(key(), null, Date.now());
    expect(stored).toMatchObject({ lang: 'en', ownLanguage: true, storeId, orderId, localDay: '2026-12-02' });
    expect(stored!.body.toString()).toContain('Ann Lee');
    expect(stored!.gzip.length).toBeGreaterThan(0);
    expect(stored!.brotli.length).toBeGreaterThan(0);
    expect((await readStoredPage(key(), 'en', Date.now()))?.etag).toBe(stored!.etag);
    expect(getPage(memoryKey(key(), null))?.etag).toBe(stored!.etag);
    expect(await storedPageStats()).toMatchObject({ pages: 1 });
  });

  it('does not store a slow render whose order changed while it ran, in memory or in the table', async () => {
    const finish = await beginRender(); // read "Ann Lee"
    await rename('Bea Roe'); // committed while the render is still going
    await finish();
    expect(await storedText()).toBeUndefined();
    expect(getPage(memoryKey(key(), null))).toBeUndefined();
    // The next render reads the new data and is kept.
    await (
      await beginRender()
    )();
    expect(await storedText()).toContain('Bea Roe');
  });

  it('does not store a slow render when its whole store changed while it ran', async () => {
    const finish = await beginRender();
    await transaction((tx) => recordPageChange(tx, storeId, null, Date.now()));
    await finish();
    expect(await storedText()).toBeUndefined();
  });

  it('stores a slow render when only another order changed meanwhile', async () => {
    const other = (await upsertOrder({ storeId, body: orderBody({ number: '2002', customerName: 'Cy Doe', shipments: [] }) })).orderId;
    const finish = await beginRender();
    await rename('Dee Fox', other);
    await finish();
    expect(await storedText()).toContain('Ann Lee');
  });

  it('a change deletes its order’s stored pages in its own transaction (every language), and a store-wide change every page of the store', async () => {
    const other = (await upsertOrder({ storeId, body: orderBody({ number: '2002', shipments: [] }) })).orderId;
    await (
      await beginRender()
    )();
    await (
      await beginRender(orderId, 'fr')
    )();
    await (
      await beginRender(other)
    )();
    expect(await storedText(orderId, 'fr')).toContain('Ann Lee');
    await rename('Bea Roe');
    expect(await storedText()).toBeUndefined();
    expect(await storedText(orderId, 'fr')).toBeUndefined();
    expect(await storedText(other)).toBeDefined();
    await transaction((tx) => recordPageChange(tx, storeId, null, Date.now()));
    expect(await storedText(other)).toBeUndefined();
  });

  it('a rolled-back change deletes nothing', async () => {
    await (
      await beginRender()
    )();
    await expect(
      transaction(async (tx) => {
        await recordPageChange(tx, storeId, orderId, Date.now());
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await storedText()).toContain('Ann Lee');
  });

  it('never replaces a page rendered from a newer version with an older render', async () => {
    const older = await beginRender();
    // Something else (another order) moves the feed on; the page's own data did not change.
    const other = (await upsertOrder({ storeId, body: orderBody({ number: '2002', shipments: [] }) })).orderId;
    await rename('Zed', other);
    await transaction(async (tx) => tx.update(schema.orders).set({ customerName: 'Newer Name' }).where(eq(schema.orders.id, orderId)));
    await (
      await beginRender()
    )(); // newer version, newer data (written without a change row, to tell the two apart)
    await older();
    expect(await storedText()).toContain('Newer Name');
  });

  it('serves no page past the order’s local midnight, and the prune deletes it', async () => {
    await (
      await beginRender()
    )();
    const stored = (await readStoredPage(key(), null, Date.now()))!;
    expect(await readStoredPage(key(), null, stored.staleAt)).toBeUndefined();
    expect(getPage(memoryKey(key(), null), stored.staleAt)).toBeUndefined();
    expect(await pruneStoredPages(stored.staleAt - 1)).toBe(0);
    expect(await pruneStoredPages(stored.staleAt + 1)).toBe(1);
    expect(await storedPageStats()).toEqual({ pages: 0, bytes: 0 });
  });
});
