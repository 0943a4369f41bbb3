// The midnight sweep's part in the page store (both dialects): which stored pages are due (their
// local day ends within the lead and a shopper read them recently), one sweeper per page however
// many claim at once, a page rendered for the next day served only from its first instant (and
// never replaced by a render for today), and a change committed while the sweep renders still wins.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { keepRenderedPage } from '../../../src/server/pagecache/keep-rendered.ts';
import { flushPageReads, markPageRead } from '../../../src/server/pagecache/mark-page-read.ts';
import { clearPages, getPage, memoryKey, renderEpoch } from '../../../src/server/pagecache/page-cache.ts';
import { currentVersion, readStoredPage } from '../../../src/server/pagecache/page-store.ts';
import { recordPageChange } from '../../../src/server/pagecache/record-change.ts';
import { claimDuePages } from '../../../src/server/pagecache/sweep-ahead.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
let storeId: string;
let orderId: string;
let midnight: number;
const key = (id = orderId) => `/shop/t/${id}`;
const due = (now: number, batch = 50) => claimDuePages({ now, leadMs: 10 * MINUTE, readWithinMs: 7 * DAY, batch });

/** A render as the middleware runs one; `ahead`: the sweep's, as of midnight, for the next local day. */
async function beginRender(opts: { id?: string; words: string; ahead?: boolean }) {
  const id = opts.id ?? orderId;
  const epoch = renderEpoch();
  const version = await currentVersion();
  return () =>
    keepRenderedPage({
      pageKey: key(id),
      requestedLang: null,
      html: `<!doctype html><p>${opts.words}</p>`,
      headers: [['content-type', 'text/html; charset=utf-8']],
      tags: opts.ahead
        ? { storeId, orderId: id, lang: 'en', localDay: '2026-12-03', staleAt: midnight + DAY }
        : { storeId, orderId: id, lang: 'en', localDay: '2026-12-02', staleAt: midnight },
      epoch,
      version,
      now: opts.ahead ? midnight : midnight - 20 * MINUTE,
      ahead: opts.ahead,
    });
}
const render = async (opts: { id?: string; words: string; ahead?: boolean }) => (await beginRender(opts))();
const readAt = (at: number, id = orderId) =>
  transaction(async (tx) => {
    await tx
      .update(schema.pageStore)
      .set({ readAt: at })
      .where(eq(schema.pageStore.pageKey, key(id)));
  });
const words = async (at: number, id = orderId) => (await readStoredPage(key(id), null, at))?.body.toString();

describe('the midnight sweep', () => {
  beforeEach(async () => {
    await freshDatabase();
    clearPages();
    storeId = (await makeStore()).store.id;
    orderId = (await upsertOrder({ storeId, body: orderBody() })).orderId;
    midnight = Date.now() + 5 * MINUTE;
  });

  it('finds a page read recently whose local day ends within the lead, and no other', async () => {
    const other = `${orderId}-2`; // a page's row names its order; no order row is read
    const unread = `${orderId}-3`;
    await render({ words: 'Arrives tomorrow' });
    await render({ id: other, words: 'Arrives tomorrow' });
    await render({ id: unread, words: 'Arrives tomorrow' });
    await readAt(midnight - 2 * DAY);
    await readAt(midnight - 8 * DAY, other); // read, but not in the last seven days
    // Not due yet twenty minutes before midnight; due five minutes before.
    expect(await due(midnight - 20 * MINUTE)).toEqual([]);
    expect(await due(midnight - 5 * MINUTE)).toEqual([{ pageKey: key(), lang: 'en', ownLanguage: true, staleAt: midnight }]);
  });

  it('gives each due page to exactly one of several sweepers, and again the next midnight once rendered for the new day', async () => {
    const second = `${orderId}-2`;
    await render({ words: 'Arrives tomorrow' });
    await render({ id: second, words: 'Arrives tomorrow' });
    await readAt(midnight - DAY);
    await readAt(midnight - DAY, second);
    const now = midnight - 5 * MINUTE;
    const claims = await Promise.all([due(now, 1), due(now, 1), due(now), due(now)]);
    const won = claims.flat().map((p) => p.pageKey);
    expect(won.sort()).toEqual([key(), key(second)].sort());
    expect(await due(now)).toEqual([]);
    // Rendered for the new day: due again five minutes before the next midnight, not before.
    await render({ words: 'Arrives today', ahead: true });
    expect(await due(now)).toEqual([]);
    expect(await due(midnight + DAY - 5 * MINUTE)).toEqual([{ pageKey: key(), lang: 'en', ownLanguage: true, staleAt: midnight + DAY }]);
  });

  it('serves the page rendered ahead from its local day’s first instant, and today’s until then', async () => {
    await render({ words: 'Arrives tomorrow' });
    expect(getPage(memoryKey(key(), null), midnight - 1)?.body.toString()).toContain('Arrives tomorrow');
    await render({ words: 'Arrives today', ahead: true });
    // Before midnight the table has no page for today (a read renders it); memory still has today's.
    expect(await words(midnight - 1)).toBeUndefined();
    expect(getPage(memoryKey(key(), null), midnight - 1)?.body.toString()).toContain('Arrives tomorrow');
    // A read before midnight renders today's page again: it does not replace tomorrow's in the table.
    await render({ words: 'Arrives tomorrow (read at 23:58)' });
    expect(await words(midnight)).toContain('Arrives today');
    expect(await words(midnight + DAY - 1)).toContain('Arrives today');
    expect(await words(midnight + DAY)).toBeUndefined();
    // After midnight memory's page for yesterday is dead; the table's is the one served.
    expect(getPage(memoryKey(key(), null), midnight)).toBeUndefined();
  });

  it('does not store a render ahead when a change of its order committed while it ran', async () => {
    await render({ words: 'Arrives tomorrow' });
    const write = await beginRender({ words: 'Arrives today (before the change)', ahead: true });
    await transaction(async (tx) => {
      await tx.update(schema.orders).set({ customerName: 'Bo Chen' }).where(eq(schema.orders.id, orderId));
      await recordPageChange(tx, storeId, orderId, Date.now());
    });
    await write();
    expect(await words(midnight)).toBeUndefined();
    expect(await firstRow(db().select().from(schema.pageStore).where(eq(schema.pageStore.pageKey, key())))).toBeUndefined();
  });

  it('notes a shopper’s read once a day, not on every read, and writes the notes in batches', async () => {
    await render({ words: 'Arrives tomorrow' });
    const page = (await readStoredPage(key(), null, midnight - MINUTE))!;
    expect(page.readAt).toBeNull();
    const t0 = midnight - 10 * MINUTE;
    const stored = async () => (await firstRow(db().select().from(schema.pageStore).where(eq(schema.pageStore.pageKey, key()))))!.readAt;
    markPageRead(page, t0);
    markPageRead(page, t0 + 1); // the same page served again: nothing more to note
    expect(await stored()).toBeNull(); // the read is noted in memory, not written on its way
    expect(await flushPageReads()).toBe(1);
    expect(await stored()).toBe(t0);
    expect(await flushPageReads()).toBe(0);
    // Read again (another copy of the row): the stored time is less than a day old, so nothing is noted.
    markPageRead((await readStoredPage(key(), null, midnight - MINUTE))!, t0 + 2);
    expect(await flushPageReads()).toBe(0);
    expect(await stored()).toBe(t0);
    // A note for a row read within the day by another process does not move its time back or on.
    const copy = { ...(await readStoredPage(key(), null, midnight - MINUTE))!, readAt: null };
    markPageRead(copy, t0 + 3);
    expect(await flushPageReads()).toBe(1);
    expect(await stored()).toBe(t0);
    // A render replacing the row keeps the time it was read.
    await render({ words: 'Arrives today', ahead: true });
    expect(await stored()).toBe(t0);
  });

  it('writes every page read between two flushes, across statements', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => `${orderId}-${i}`);
    for (const id of ids) await render({ id, words: 'Arrives tomorrow' });
    const t0 = midnight - 10 * MINUTE;
    for (const [i, id] of ids.entries()) markPageRead((await readStoredPage(key(id), null, midnight - MINUTE))!, t0 + i);
    expect(await flushPageReads()).toBe(ids.length);
    const rows = await db().select({ pageKey: schema.pageStore.pageKey, readAt: schema.pageStore.readAt }).from(schema.pageStore);
    const byKey = new Map(rows.map((r) => [r.pageKey, r.readAt]));
    // Each statement's 100 pages take its latest read: seconds apart, and the sweep counts days.
    expect(ids.map((id) => byKey.get(key(id)))).toEqual(ids.map((_, i) => t0 + Math.min(Math.floor(i / 100) * 100 + 99, ids.length - 1)));
    expect(byKey.get(key())).toBeUndefined(); // the order's own page was never rendered here
  });
});
