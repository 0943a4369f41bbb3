// The midnight sweep over real HTTP, two portals on one database (both dialects): a stored order
// page a shopper read is rendered by one portal ahead of the order's local midnight, by Astro as of
// the new local day (the page's clock says tomorrow: its local day and next midnight are tomorrow's), kept in the table
// for the new day only, while the shopper still gets today's page; a page nobody read is left to
// render on its next read. The sweep's lead is a day here so the coming midnight is due at once.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { dayInZone } from '../../src/lib/dates.ts';
import { readStoredPage } from '../../src/server/pagecache/page-store.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';

const DAY = 86_400_000;
const SWEEP = { WAYPOST_SWEEP_LEAD_MS: String(DAY), WAYPOST_SWEEP_EVERY_MS: '200' };
let a: TestServer;
let b: TestServer;
let key: string;

const sweepStats = async (s: TestServer) =>
  (
    (await (await fetch(`${s.url}/api/health?pages=1`)).json()) as {
      pages: { sweep: { claimed: number; rendered: number; failed: number } };
    }
  ).pages.sweep;
const storedRow = (orderId: string) => firstRow(db().select().from(schema.pageStore).where(eq(schema.pageStore.orderId, orderId)));

/** Places an order whose parcel the store promised for the order's local today; returns its page and id. */
async function placeOrder(number: string, code: string) {
  const body = (promisedDeliveryDate?: string) =>
    orderBody({
      number,
      shipments: [{ carrier: 'USPS', trackingCode: code, promisedDeliveryDate, items: [{ sku: 'TENT-2P', quantity: 1 }] }],
    });
  const first = await api(a.url, key, 'POST', '/api/v1/orders', body());
  expect(first.status).toBe(201);
  const path = new URL(first.json.trackingUrl as string).pathname;
  const order = (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.number, number))))!;
  const today = dayInZone(Date.now(), order.timeZone ?? 'UTC');
  expect((await api(a.url, key, 'POST', '/api/v1/orders', body(today))).status).toBeLessThan(300);
  return { path, orderId: order.id, today };
}

beforeAll(async () => {
  a = await startTestServer(SWEEP);
  b = await startTestServer({ ...SWEEP, WAYPOST_DATA_DIR: a.dataDir });
  key = cli<{ apiKey: string }>(a.dataDir, ['stores:create', '--slug', 'night', '--name', 'Night Shop']).apiKey;
  useDatabase(a.database);
});
afterAll(async () => {
  await closeDatabase();
  await b?.stop();
  await a?.stop();
});

describe('the midnight sweep', () => {
  it('renders a page read recently for the new local day once, ahead of midnight, and leaves an unread one alone', async () => {
    const read = await placeOrder('N-1', 'NIGHT0001');
    const unread = await placeOrder('N-2', 'NIGHT0002');
    const todays = await waitUntil(async () => {
      const r = await storedRow(unread.orderId);
      return r?.body.toString().includes('Arriving') ? r : undefined;
    });

    // A shopper reads the first order's page: the read is noted, and the sweep takes it.
    const page = await fetch(a.url + read.path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Arriving');
    const ahead = await waitUntil(async () => {
      const r = await storedRow(read.orderId);
      return r && r.localDay !== read.today ? r : undefined;
    });
    expect(ahead!.readAt).not.toBeNull();
    expect(ahead!.freshFrom).toBeGreaterThan(Date.now());
    expect(ahead!.staleAt).toBeGreaterThan(ahead!.freshFrom! + DAY / 2);
    // Rendered by Astro as of the new day (the order page's own clock said tomorrow), for that day only.
    expect(ahead!.localDay).toBe(dayInZone(Date.parse(`${read.today}T12:00:00Z`) + DAY, 'UTC'));

    // Until midnight the shopper is still answered with today's page; from midnight on the table has the new day's.
    expect(await (await fetch(b.url + read.path)).text()).toContain('Arriving');
    expect((await readStoredPage(read.path, null, ahead!.freshFrom! - 1))?.localDay).toBeUndefined();
    expect((await readStoredPage(read.path, null, ahead!.freshFrom!))?.etag).toBe(ahead!.etag);

    // One portal rendered it, once, and the page nobody read was not rendered ahead.
    await new Promise((res) => setTimeout(res, 1000));
    const stats = [await sweepStats(a), await sweepStats(b)];
    expect(stats[0]!.rendered + stats[1]!.rendered).toBe(1);
    expect(stats[0]!.claimed + stats[1]!.claimed).toBe(1);
    expect((await storedRow(unread.orderId))!.localDay).toBe(todays!.localDay);
    expect((await storedRow(read.orderId))!.etag).toBe(ahead!.etag);
  });
});
