// A change whose transaction commits late must still keep the render it raced out of the page
// store. On PostgreSQL a change's seq is handed out at insert, not at commit, so comparing seqs
// cannot tell: these tests hold a real change transaction open (recordPageChange and all, on one
// connection of the writing pool) while a render begins, reads and writes on others, then commit
// it, and check that neither the table nor memory keeps the page from before it.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { keepRenderedPage } from '../../../src/server/pagecache/keep-rendered.ts';
import { clearPages, getPage, memoryKey, renderEpoch } from '../../../src/server/pagecache/page-cache.ts';
import { currentVersion, readStoredPage } from '../../../src/server/pagecache/page-store.ts';
import { recordPageChange } from '../../../src/server/pagecache/record-change.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';
import { pgAdminUrl } from '../../support/pg.ts';

let storeId: string;
let orderId: string;
const key = `/shop/t/late`;

const customerName = async () => (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.id, orderId))))!.customerName;

/** A render as the middleware runs one: where it began first, then the data read; the write is returned for later. */
async function beginRender() {
  const epoch = renderEpoch();
  const version = await currentVersion();
  const html = `<!doctype html><p>Hello ${await customerName()}</p>`;
  const now = Date.now();
  return () =>
    keepRenderedPage({
      pageKey: key,
      requestedLang: null,
      html,
      headers: [['content-type', 'text/html; charset=utf-8']],
      tags: { storeId, orderId, lang: 'en', localDay: '2026-12-03', staleAt: now + 3_600_000 },
      epoch,
      version,
      now,
    });
}

/**
 * A change of the order (renamed) or, with storeWide, of its whole store, left open after
 * recordPageChange until commit() is called.
 */
function openChange(opts: { rename?: string; storeWide?: boolean }) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const done = transaction(async (tx) => {
    if (opts.rename) await tx.update(schema.orders).set({ customerName: opts.rename }).where(eq(schema.orders.id, orderId));
    await recordPageChange(tx, storeId, opts.storeWide ? null : orderId, Date.now());
    entered();
    await gate;
  });
  return { inside, commit: () => (release(), done) };
}

const storedText = async () => (await readStoredPage(key, null, Date.now()))?.body.toString();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a change that commits late', () => {
  beforeEach(async () => {
    await freshDatabase();
    clearPages();
    storeId = (await makeStore()).store.id;
    orderId = (await upsertOrder({ storeId, body: orderBody({ customerName: 'Ann Lee' }) })).orderId;
  });

  it.skipIf(!pgAdminUrl())('with a lower seq than the render began at (PostgreSQL): the render is not stored', async () => {
    const late = openChange({ rename: 'Bea Roe' });
    await late.inside; // its seq is taken; its transaction is still open
    const other = (await upsertOrder({ storeId, body: orderBody({ number: '2002', shipments: [] }) })).orderId;
    await transaction((tx) => recordPageChange(tx, storeId, other, Date.now())); // a higher seq, committed
    const finish = await beginRender();
    expect(await customerName()).toBe('Ann Lee'); // the render read the data from before the change
    await late.commit();
    await finish();
    expect(await storedText()).toBeUndefined();
    expect(getPage(memoryKey(key, null))).toBeUndefined();
    // The next render reads the change and is kept.
    await (
      await beginRender()
    )();
    expect(await storedText()).toContain('Bea Roe');
  });

  it('still open when the render is written: the write waits for it and the page is not stored', async () => {
    const finish = await beginRender(); // read "Ann Lee"
    const late = openChange({ rename: 'Bea Roe' });
    await late.inside;
    let written = false;
    const writing = finish().then(() => (written = true));
    await pause(150);
    if (pgAdminUrl()) expect(written).toBe(false); // waiting for the change's row (SQLite: for its write lock)
    await late.commit();
    await writing;
    expect(await storedText()).toBeUndefined();
    expect(getPage(memoryKey(key, null))).toBeUndefined();
  });

  it('store-wide, on an order and store no change had touched yet: the page is not stored', async () => {
    // No page_versions rows yet (as for an order written before they existed): the change inserts one.
    await transaction(async (tx) => {
      await tx.delete(schema.pageVersions);
    });
    const finish = await beginRender();
    const late = openChange({ storeWide: true });
    await late.inside;
    const writing = finish();
    await pause(150);
    await late.commit();
    await writing;
    expect(await storedText()).toBeUndefined();
    expect(getPage(memoryKey(key, null))).toBeUndefined();
  });
});
