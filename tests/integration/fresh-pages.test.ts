// Fresh pages over real HTTP against the real server: a changed order's page is rendered into the
// page store after the commit (the first read is served from it), and every kind of write that can
// change an order page shows on the very next GET, whether this server or another process (a
// worker on the same database file) made it. See README, "Fresh pages".
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { applyCarrierNews } from '../../src/server/changes/carrier-news.ts';
import { closeDatabase, db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { scanReviewInvitations } from '../../src/server/reviews/scan-review-invitations.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { carrierEvent } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';
import { event, snap } from '../unit/notices/helpers.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

const DAY = 86_400_000;
let server: TestServer;
let emu: Emulator;
let key: string;

interface PageFigures {
  memory: { hits: number; misses: number; pages: number; bytes: number };
  queue: { queued: number; rendered: number; failed: number; waiting: number };
  table: { pages: number; bytes: number };
}
const figures = async () => ((await (await fetch(`${server.url}/api/health?pages=1`)).json()) as { pages: PageFigures }).pages;
/** Waits until the render queue has nothing left to do. */
const rendered = () => waitUntil(async () => (await figures()).queue.waiting === 0 || undefined);
const read = async (path: string) => {
  const r = await fetch(server.url + path);
  expect(r.status).toBe(200);
  return r.text();
};

async function placeOrder(number: string, code: string, over: Record<string, unknown> = {}) {
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({ number, shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }] }], ...over }),
  );
  expect(r.status).toBe(201);
  return new URL(r.json.trackingUrl as string).pathname;
}

/** The carrier delivered the parcel `daysAgo`, written by another process (this test) into the server's database. */
async function deliveredElsewhere(trackingCode: string, daysAgo: number) {
  const s = (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.trackingCode, trackingCode))))!;
  const at = Date.now() - daysAgo * DAY;
  await applyCarrierNews({
    storeId: s.storeId,
    shipmentId: s.id,
    snapshot: snap('delivered', [event(at, 'delivered', 'Delivered')]),
    now: at,
  });
}

beforeAll(async () => {
  emu = await startEmulator({ autoTick: false });
  server = await startTestServer({ EASYPOST_BASE_URL: emu.baseUrl });
  key = cli<{ apiKey: string }>(server.dataDir, [
    'stores:create',
    '--slug',
    'fresh',
    '--name',
    'Fresh Shop',
    '--easypost-key',
    'EZAK_fresh_key_1',
    '--webhook-secret',
    'push-journey-webhook-secret',
  ]).apiKey;
  useDatabase(server.database);
});
afterAll(async () => {
  await closeDatabase();
  await server?.stop();
  await emu?.close();
});

describe('the page store', () => {
  it('renders a new order’s page after the commit, so its first read is served from the store', async () => {
    const path = await placeOrder('F-1', 'FRESH0001');
    await rendered();
    const before = await figures();
    expect(before.table.pages).toBeGreaterThanOrEqual(1);
    const r = await fetch(server.url + path, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(r.headers.get('content-encoding')).toBe('br');
    expect(await r.text()).toContain('Order #F-1');
    const after = await figures();
    expect(after.memory.hits - before.memory.hits).toBe(1);
    expect(after.memory.misses).toBe(before.memory.misses);
  });

  it('re-renders a page after a signed carrier event, off the webhook’s answer, and serves it from memory', async () => {
    const path = await placeOrder('F-2', 'FRESH0002');
    await rendered();
    await read(path);
    const queued = (await figures()).queue.queued;
    await carrierEvent(server, 'fresh', 'FRESH0002', 'in_transit', 'arrived_at_facility', 1);
    await rendered();
    const before = await figures();
    expect(before.queue.queued).toBe(queued + 1);
    expect(await read(path)).toContain('in_transit (arrived_at_facility)');
    expect((await figures()).memory.hits - before.memory.hits).toBe(1);
  });

  it('keeps one page per language asked for, each fresh after a change', async () => {
    const path = await placeOrder('F-3', 'FRESH0003');
    await read(`${path}?lang=fr`);
    await read(path);
    await carrierEvent(server, 'fresh', 'FRESH0003', 'in_transit', 'departed_facility', 1);
    expect(await read(`${path}?lang=fr`)).toContain('in_transit (departed_facility)');
    expect(await read(path)).toContain('in_transit (departed_facility)');
  });
});

describe('every write that can change an order page shows on the next GET', () => {
  let path: string;
  beforeAll(async () => {
    path = await placeOrder('W-1', 'FRESHW001');
    await rendered();
  });

  it('the order written again through the API', async () => {
    expect(await read(path)).toContain('Two-person tent');
    const body = orderBody({
      number: 'W-1',
      items: [
        { sku: 'TENT-2P', title: 'Three-person tent', quantity: 1, unitAmount: 24900 },
        { sku: 'MUG', title: 'Camp mug', quantity: 2, unitAmount: 1500 },
      ],
      shipments: [{ carrier: 'USPS', trackingCode: 'FRESHW001', items: [{ sku: 'TENT-2P', quantity: 1 }] }],
    });
    expect((await api(server.url, key, 'POST', '/api/v1/orders', body)).status).toBe(200);
    expect(await read(path)).toContain('Three-person tent');
  });

  it('a shipment added', async () => {
    expect(await read(path)).not.toContain('FRESHW002');
    const r = await api(server.url, key, 'POST', '/api/v1/orders/W-1/shipments', {
      carrier: 'USPS',
      trackingCode: 'FRESHW002',
      items: [{ sku: 'MUG', quantity: 2 }],
    });
    expect(r.status).toBe(201);
    expect(await read(path)).toContain('FRESHW002');
  });

  it('a carrier event', async () => {
    expect(await read(path)).not.toContain('out_for_delivery (out_for_delivery)');
    await carrierEvent(server, 'fresh', 'FRESHW001', 'out_for_delivery', 'out_for_delivery', 1);
    expect(await read(path)).toContain('out_for_delivery (out_for_delivery)');
  });

  it('a notice (a carrier exception)', async () => {
    expect(await read(path)).not.toContain('The carrier could not find the delivery address');
    await carrierEvent(server, 'fresh', 'FRESHW002', 'failure', 'address_not_found', 1);
    expect(await read(path)).toContain('The carrier could not find the delivery address');
  });

  it('a case (the shopper reports a problem)', async () => {
    expect(await read(path)).not.toContain('You reported that an item was missing');
    const r = await postForm(server.url, `${path}/problem`, { shipment: 'FRESHW001', kind: 'missing_item', message: 'No pegs' });
    expect(r.status).toBe(303);
    expect(await read(path)).toContain('You reported that an item was missing');
  });

  it('branding', async () => {
    expect(await read(path)).not.toContain('Thanks for shopping fresh');
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { branding: { orderNote: 'Thanks for shopping fresh' } })).status).toBe(
      200,
    );
    expect(await read(path)).toContain('Thanks for shopping fresh');
  });

  it('a delivery written by another process, then the return address (settings)', async () => {
    await deliveredElsewhere('FRESHW001', 0);
    expect(await read(path)).toContain('1 of 2 parcels delivered');
    expect(await read(path)).not.toContain('Start a return');
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { returnAddress: RETURN_ADDRESS })).status).toBe(200);
    expect(await read(path)).toContain('Start a return');
  });

  it('a return', async () => {
    expect(await read(path)).not.toContain('Return of 1 × Three-person tent');
    const fields = { key: 'fresh-return-key-0000001', resolution: 'store_credit', 'qty[TENT-2P]': '1', 'reason[TENT-2P]': 'changed_mind' };
    expect((await postForm(server.url, `${path}/returns`, fields)).status).toBe(303);
    expect(await read(path)).toContain('Return of 1 × Three-person tent');
  });

  it('renders a delivery written by another process into the store before the next read', async () => {
    const path = await placeOrder('W-5', 'FRESHW005');
    await rendered();
    const order = (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.number, 'W-5'))))!;
    await deliveredElsewhere('FRESHW005', 0);
    const last = (await db().select().from(schema.pageChanges).where(eq(schema.pageChanges.orderId, order.id))).sort(
      (a, b) => b.seq - a.seq,
    )[0]!;
    // The server claimed this process's change from the feed and rendered it, nobody reading.
    const row = await waitUntil(async () => {
      const r = await firstRow(db().select().from(schema.pageStore).where(eq(schema.pageStore.orderId, order.id)));
      return r && r.version >= last.seq ? r : undefined;
    });
    expect(row!.body.toString()).toContain('Delivered');
    expect((await firstRow(db().select().from(schema.pageChanges).where(eq(schema.pageChanges.seq, last.seq))))!.claimed).toBe(1);
    const before = await figures();
    expect(await read(path)).toContain('Delivered');
    expect((await figures()).memory.hits).toBeGreaterThan(before.memory.hits);
  });

  it('a policy', async () => {
    const path = await placeOrder('W-3', 'FRESHW004');
    await deliveredElsewhere('FRESHW004', 0);
    expect(await read(path)).toContain('Start a return');
    const patch = { policies: { returns: { windowDays: 1, windowStartsFrom: 'order' } } };
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', patch)).status).toBe(200);
    expect(await read(path)).not.toContain('Start a return');
  });

  it('a review invitation (another process) and a review', async () => {
    const reviewPath = await placeOrder('W-2', 'FRESHW003', {
      items: [{ sku: 'TENT-2P', productId: 'TENT', title: 'Two-person tent', quantity: 1, unitAmount: 24900 }],
    });
    await rendered();
    expect(await read(reviewPath)).not.toContain('How is your Two-person tent?');
    await deliveredElsewhere('FRESHW003', 8);
    await scanReviewInvitations(Date.now());
    expect(await read(reviewPath)).toContain('How is your Two-person tent?');
    const r = await postForm(server.url, `${reviewPath}/review`, { 'rating[TENT]': '5', 'body[TENT]': 'Roomy and dry', name: 'Ann' });
    expect(r.status).toBe(303);
    expect(await read(reviewPath)).toContain('Your review of Two-person tent');
  });
});
