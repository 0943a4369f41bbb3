// recordPageChange drops this process's cached pages after the commit, never before it and never
// on a rollback: with async transaction bodies a render can run while a write is still open, read
// the old (committed) data and must not be kept once the change is committed.
import { desc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { clearPages, encodePage, getPage as getKept, keepPage, memoryKey, renderEpoch } from '../../../src/server/pagecache/page-cache.ts';
import { isOwnChange, recordPageChange } from '../../../src/server/pagecache/record-change.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

const PATH = '/shop/t/order-page';
const getPage = (path: string) => getKept(memoryKey(path, null));
function storePage(path: string, html: string, headers: [string, string][], t: { storeId: string; orderId: string }, epoch: number) {
  const now = Date.now();
  keepPage(
    {
      pageKey: path,
      lang: 'en',
      ownLanguage: true,
      ...encodePage(html),
      headers,
      ...t,
      version: 0,
      renderedAt: now,
      localDay: '2026-11-21',
      staleAt: now + 3_600_000,
    },
    epoch,
  );
}
let storeId: string;
let orderId: string;
const tags = () => ({ storeId, orderId });

/** What a render of the order page reads, on the reading connection like a real render. */
const customerName = async () => (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.id, orderId))))!.customerName;
const render = (name: string) => `<!doctype html><title>Order</title><p>Hello ${name}</p>`;

/** A write that changes what the page shows, with a hook to run while its transaction is still open. */
const rename = (to: string, whileOpen: () => Promise<void> = async () => {}) =>
  transaction(async (tx) => {
    await tx.update(schema.orders).set({ customerName: to }).where(eq(schema.orders.id, orderId));
    await recordPageChange(tx, storeId, orderId, Date.now());
    await whileOpen();
  });

describe('recordPageChange', () => {
  beforeEach(async () => {
    await freshDatabase();
    clearPages();
    storeId = (await makeStore()).store.id;
    orderId = (await upsertOrder({ storeId, body: orderBody({ customerName: 'Ann Lee' }) })).orderId;
    storePage(PATH, render(await customerName()), [], tags(), renderEpoch());
  });

  it('does not keep a page rendered from data read before the commit, once the commit is in', async () => {
    let raced: { epoch: number; html: string } | undefined;
    await rename('Bea Roe', async () => {
      // A request in this process renders the page now: the write is not committed yet.
      const epoch = renderEpoch();
      raced = { epoch, html: render(await customerName()) };
      expect(raced.html).toContain('Ann Lee');
      // Until the commit, the cached page is still the truth and still served.
      expect(getPage(PATH)?.body.toString()).toContain('Ann Lee');
    });
    expect(getPage(PATH)).toBeUndefined(); // dropped by the commit
    // The raced render finishes after the commit and tries to store what it read: refused.
    storePage(PATH, raced!.html, [], tags(), raced!.epoch);
    expect(getPage(PATH)).toBeUndefined();
    // A render that starts after the commit reads the new data and is kept.
    const epoch = renderEpoch();
    storePage(PATH, render(await customerName()), [], tags(), epoch);
    expect(getPage(PATH)?.body.toString()).toContain('Bea Roe');
  });

  it('drops nothing when the transaction rolls back', async () => {
    await expect(
      rename('Bea Roe', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(getPage(PATH)?.body.toString()).toContain('Ann Lee');
    expect(await customerName()).toBe('Ann Lee');
  });

  it('marks the committed change as this process’s own, so the feed does not drop the pages again', async () => {
    await rename('Bea Roe');
    const [last] = await db().select().from(schema.pageChanges).orderBy(desc(schema.pageChanges.seq)).limit(1);
    expect(last).toMatchObject({ storeId, orderId });
    expect(isOwnChange(last!.seq)).toBe(true);
    expect(isOwnChange(last!.seq)).toBe(false); // once
  });
});
