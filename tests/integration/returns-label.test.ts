// The prepaid label through the real @easypost/api client against the emulator: bought exactly
// once under 20 concurrent confirmations with one key; a failed purchase stays requested, visible
// and is retried; the return parcel's events release the refund at the policy's moment; an unused
// label is voided near the carrier's refund deadline.
import EasyPostClient from '@easypost/api';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, firstRow, schema, transaction } from '../../src/server/db.ts';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { buyReturnLabel } from '../../src/server/returns/buy-return-label.ts';
import { createReturn } from '../../src/server/returns/create-return.ts';
import { listReturns } from '../../src/server/returns/list-returns.ts';
import { startReturnsWorker } from '../../src/server/returns/run-returns-worker.ts';
import { VOID_AFTER_MS } from '../../src/server/returns/record-label.ts';
import { startSyncWorker } from '../../src/server/sync/run-sync-worker.ts';
import { freshDatabase } from '../support/database.ts';
import { passLeaseTime } from '../support/leases.ts';
import { waitUntil } from '../support/wait.ts';
import { returnsScenario, tentReturn } from '../unit/returns/scenario.ts';

let emu: Emulator;
beforeEach(async () => {
  await freshDatabase();
  emu = await startEmulator({ autoTick: false });
  process.env.EASYPOST_BASE_URL = emu.baseUrl;
  resetConfig();
});
afterEach(async () => {
  await emu.close();
  delete process.env.EASYPOST_BASE_URL;
  resetConfig();
});

const buys = () => emu.calls.filter((c) => c.method === 'POST' && /\/v2\/shipments\/[^/]+\/buy$/.test(c.path));
const returnRow = async (id: string) => (await firstRow(db().select().from(schema.returns).where(eq(schema.returns.id, id))))!;

/** What the confirming page does: create (or find) the return, then try to buy its label at once. */
async function confirm(storeId: string, orderId: string, fields: Record<string, string>, owner: string) {
  const r = await createReturn({ moved: returnMoved, storeId, orderId, fields, now: Date.now() });
  if (r.labelDue) await buyReturnLabel({ storeId, returnId: r.id, owner, now: Date.now, moved: returnMoved });
  return r;
}

describe('the label is bought exactly once', () => {
  it('20 concurrent confirmations with one key make one return and one purchase', async () => {
    const { store, orderId } = await returnsScenario();
    const key = 'k'.repeat(10) + 'ABCDEFGHIJ';
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => confirm(store.id, orderId, tentReturn(key), `tab-${i}`)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await db().select().from(schema.returns)).toHaveLength(1);
    // Whoever lost the lease left it to the holder; a worker round afterwards finds nothing more to buy.
    const worker = startReturnsWorker({ moved: returnMoved, autoStart: false });
    await worker.runOnce();
    expect(buys()).toHaveLength(1);
    expect(emu.calls.filter((c) => c.method === 'POST' && c.path === '/v2/shipments')).toHaveLength(1);
    const ret = await returnRow(results[0]!.id);
    expect(ret.status).toBe('label_ready');
    expect(ret.labelPngUrl).toMatch(/\/labels\/pl_.*\.png$/);
    expect(ret.labelPdfUrl).toMatch(/\.pdf$/);
    expect(ret.qrCodeUrl).toMatch(/\/forms\/form_.*\.png$/);
    const parcels = await db().select().from(schema.shipments).where(eq(schema.shipments.returnId, ret.id));
    expect(parcels).toHaveLength(1);
    expect(parcels[0]!.trackingCode).toBe(ret.trackingCode);
  });

  it('a purchase whose answer was lost is found on the retry, not bought again', async () => {
    const { store, orderId } = await returnsScenario();
    const r = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('lost-answer-key-0001'),
      now: Date.now(),
    });
    // Our buy call times out from our side...
    emu.inject({ path: /\/buy$/, method: 'POST', status: 504 });
    expect(await buyReturnLabel({ storeId: store.id, returnId: r.id, owner: 'w1', now: Date.now, moved: returnMoved })).toBe('failed');
    const stored = await returnRow(r.id);
    expect(stored.status).toBe('requested');
    expect(stored.easypostShipmentId).toMatch(/^shp_/);
    // ...while the carrier did buy it (its answer was lost on the way back).
    const carrier = new EasyPostClient('EZAK_returns_test_key', { baseUrl: emu.baseUrl });
    const shp = await carrier.Shipment.retrieve(stored.easypostShipmentId!);
    await carrier.Shipment.buy(shp.id, shp.rates[0]!.id);
    await transaction((tx) => tx.update(schema.returns).set({ labelNextAttemptAt: 0 }).where(eq(schema.returns.id, r.id)));
    expect(await buyReturnLabel({ storeId: store.id, returnId: r.id, owner: 'w2', now: Date.now, moved: returnMoved })).toBe('bought');
    expect(buys().filter((c) => c.status === 200)).toHaveLength(1); // the carrier's one, not a second
    const after = await returnRow(r.id);
    expect(after.status).toBe('label_ready');
    expect(after.trackingCode).toBeTruthy();
  });

  it('a failed purchase leaves the return requested and visible, and the worker retries it', async () => {
    const { store, orderId } = await returnsScenario();
    emu.inject({ path: '/v2/shipments', method: 'POST', status: 500, times: 1 });
    const r = await confirm(store.id, orderId, tentReturn('failing-purchase-key-1'), 'page');
    let row = await returnRow(r.id);
    expect(row).toMatchObject({ status: 'requested', labelState: 'failed', labelAttempts: 1 });
    expect(row.labelError).toBeTruthy();
    const events = await db().select().from(schema.returnEvents).where(eq(schema.returnEvents.returnId, r.id));
    expect(events.map((e) => e.kind)).toContain('label_failed');
    // Staff see it in the queue (and the API) with the carrier's error.
    const queue = await listReturns({ storeId: store.id, query: { status: 'requested' } });
    expect(queue.rows.map((x) => [x.id, x.labelState])).toEqual([[r.id, 'failed']]);
    const later = row.labelNextAttemptAt! + 1;
    await startReturnsWorker({ moved: returnMoved, autoStart: false, now: () => later }).runOnce();
    row = await returnRow(r.id);
    expect(row.status).toBe('label_ready');
    expect(buys()).toHaveLength(1);
  });
});

describe('a worker paused past its purchase lease', () => {
  it('buys nothing and records nothing once another worker has taken the purchase over', async () => {
    const { store, orderId } = await returnsScenario();
    const r = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('paused-worker-key-01'),
      now: Date.now(),
    });
    const buy = (owner: string) => buyReturnLabel({ storeId: store.id, returnId: r.id, owner, now: Date.now, moved: returnMoved });
    // w1 claims the purchase, then hangs on EasyPost's shipment creation (a GC pause, a frozen VM)...
    emu.inject({ path: '/v2/shipments', method: 'POST', delayMs: 1_500 });
    const paused = buy('w1');
    await waitUntil(() => emu.calls.some((c) => c.method === 'POST' && c.path === '/v2/shipments'));
    // ... past its lease (by the database's clock), and w2 takes the purchase over and finishes it.
    await passLeaseTime(60_001);
    expect(await buy('w2')).toBe('bought');
    const bought = await returnRow(r.id);
    // w1 wakes with its own new shipment: it neither stores it nor buys it.
    expect(await paused).toBe('busy');
    expect(buys()).toHaveLength(1);
    expect(await returnRow(r.id)).toMatchObject({
      labelState: 'bought',
      easypostShipmentId: bought.easypostShipmentId,
      trackingCode: bought.trackingCode,
    });
    expect(await db().select().from(schema.shipments).where(eq(schema.shipments.returnId, r.id))).toHaveLength(1);
  });

  it('records no purchase after its lease ran out, even untaken; the next attempt finds the label bought and records it', async () => {
    const { store, orderId } = await returnsScenario();
    const r = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('paused-worker-key-02'),
      now: Date.now(),
    });
    const buy = (owner: string) => buyReturnLabel({ storeId: store.id, returnId: r.id, owner, now: Date.now, moved: returnMoved });
    // w1 pauses after EasyPost bought the label, before recording it; its lease runs out meanwhile.
    emu.inject({ path: /\/buy$/, method: 'POST', delayMs: 1_500 });
    const paused = buy('w1');
    await waitUntil(() => buys().length === 1);
    await passLeaseTime(60_001);
    expect(await paused).toBe('busy');
    expect(await returnRow(r.id)).toMatchObject({ labelState: 'pending', labelBoughtAt: null, labelError: null });
    // The next holder reads the stored shipment back (bought) and records it without buying again.
    expect(await buy('w2')).toBe('bought');
    expect(buys()).toHaveLength(1);
    expect((await returnRow(r.id)).labelState).toBe('bought');
  });
});

describe('following the parcel home', () => {
  async function boughtReturn(refundReleasedOn: string) {
    const { store, orderId } = await returnsScenario({ returns: { refundReleasedOn } });
    const r = await confirm(store.id, orderId, tentReturn(`follow-${refundReleasedOn}-key-1`, { resolution: 'store_credit' }), 'page');
    const row = await returnRow(r.id);
    const base = Date.now();
    emu.script(row.trackingCode!, [
      { afterMs: 0, status: 'pre_transit', statusDetail: 'label_created', message: 'Label created' },
      {
        afterMs: 60_000,
        status: 'in_transit',
        statusDetail: 'departed_facility',
        message: 'Accepted at USPS origin',
        city: 'Portland',
        state: 'OR',
      },
      { afterMs: 120_000, status: 'delivered', statusDetail: 'arrived_at_destination', message: 'Delivered', city: 'Reno', state: 'NV' },
    ]);
    return { store, row, base };
  }

  async function syncAt(t: number) {
    const sync = startSyncWorker({ autoStart: false, now: () => t });
    await transaction((tx) => tx.update(schema.shipments).set({ nextSyncAt: 0 }));
    await sync.runOnce();
  }

  it('released on the first scan: in transit and credited by itself', async () => {
    const { row } = await boughtReturn('first_scan');
    await new Promise((r) => setTimeout(r, 10));
    await syncAt(Date.now());
    expect((await returnRow(row.id)).status).toBe('label_ready');
    emu.script(row.trackingCode!, [
      { afterMs: 0, status: 'in_transit', statusDetail: 'departed_facility', message: 'Accepted at USPS origin' },
    ]);
    await emu.tick();
    await syncAt(Date.now());
    const after = await returnRow(row.id);
    expect(after.status).toBe('credited');
    expect(after.refundReleasedAt).not.toBeNull();
    expect(after.inTransitAt).not.toBeNull();
    expect(after.receivedAt).toBeNull();
    // The same news again moves nothing and records nothing more.
    const eventsBefore = await db().select().from(schema.returnEvents).where(eq(schema.returnEvents.returnId, row.id));
    await syncAt(Date.now());
    expect((await returnRow(row.id)).status).toBe('credited');
    expect(await db().select().from(schema.returnEvents).where(eq(schema.returnEvents.returnId, row.id))).toHaveLength(eventsBefore.length);
  });

  it('released on delivery: in transit first, then received and credited', async () => {
    const { row } = await boughtReturn('delivered');
    emu.script(row.trackingCode!, [
      { afterMs: 0, status: 'in_transit', statusDetail: 'departed_facility', message: 'Accepted at USPS origin' },
    ]);
    await emu.tick();
    await syncAt(Date.now());
    expect((await returnRow(row.id)).status).toBe('in_transit');
    emu.script(row.trackingCode!, [{ afterMs: 0, status: 'delivered', statusDetail: 'arrived_at_destination', message: 'Delivered' }]);
    await emu.tick();
    await syncAt(Date.now());
    const after = await returnRow(row.id);
    expect(after.status).toBe('credited');
    expect(after.receivedAt).not.toBeNull();
  });

  it('released after inspection: received by the carrier, then waits for the store', async () => {
    const { row } = await boughtReturn('inspected');
    emu.script(row.trackingCode!, [{ afterMs: 0, status: 'delivered', statusDetail: 'arrived_at_destination', message: 'Delivered' }]);
    await emu.tick();
    await syncAt(Date.now());
    const after = await returnRow(row.id);
    expect(after.status).toBe('received');
    expect(after.refundReleasedAt).toBeNull();
  });

  it('an unused label is voided through EasyPost near its refund deadline', async () => {
    const { store, orderId } = await returnsScenario();
    const r = await confirm(store.id, orderId, tentReturn('void-unused-label-key1'), 'page');
    const worker = startReturnsWorker({ moved: returnMoved, autoStart: false, now: () => Date.now() + VOID_AFTER_MS + 1 });
    await worker.runOnce();
    const after = await returnRow(r.id);
    expect(after).toMatchObject({ status: 'cancelled', labelState: 'voided' });
    expect(emu.calls.filter((c) => c.method === 'POST' && /\/refund$/.test(c.path))).toHaveLength(1);
    // The units are free again: the shopper may start a new return while the window is open.
    const again = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('void-unused-label-key2'),
      now: Date.now(),
    });
    expect(again.created).toBe(true);
  });
});
