// Events are written by the change that causes them, in its transaction: a parcel's steps (each
// once, a duplicate snapshot adds none), its exception with the staff's case, and nothing at all
// when the change rolls back. Each event queues one delivery per endpoint that wants its type, and
// its data fits the catalogue's schema.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { resetConfig } from '../../../src/server/config.ts';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { applyCarrierNews } from '../../../src/server/changes/carrier-news.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { eventType } from '../../../src/server/events/catalogue.ts';
import { recordEvent } from '../../../src/server/events/record-event.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import type { ShipmentStatus } from '../../../src/server/tracking/statuses.ts';
import type { TrackerSnapshot } from '../../../src/server/tracking/tracker-snapshot.ts';
import { createEndpoint } from '../../../src/server/webhooks/manage-endpoints.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

const T0 = Date.parse('2026-11-21T08:00:00Z');
const H = 3_600_000;
const actor = { userId: null, label: 'test' };

const snap = (hours: number, status: ShipmentStatus, statusDetail: string | null = null): TrackerSnapshot => ({
  trackerId: 'trk_1',
  status,
  statusDetail,
  updatedAt: T0 + hours * H,
  estDeliveryAt: null,
  signedBy: null,
  publicUrl: null,
  details: [
    { occurredAt: T0 + hours * H, status, statusDetail, message: status, city: 'Portland', state: 'OR', country: 'US', postalCode: null },
  ],
});

describe('events of a parcel', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  let n = 0;
  let parcelsEndpoint: string;
  let allEndpoint: string;

  beforeAll(() => {
    process.env.WAYPOST_WEBHOOK_HOSTS = 'hooks.example.test:443';
    resetConfig();
  });
  afterAll(() => {
    delete process.env.WAYPOST_WEBHOOK_HOSTS;
    resetConfig();
  });
  beforeEach(async () => {
    await freshDatabase();
    clock = manualClock('2026-11-21T07:00:00Z');
    store = (await makeStore({}, clock)).store;
    allEndpoint = (await createEndpoint(store.id, { url: 'https://hooks.example.test/all', events: ['*'] }, actor, clock.now())).id;
    parcelsEndpoint = (
      await createEndpoint(store.id, { url: 'https://hooks.example.test/d', events: ['shipment.delivered'] }, actor, clock.now())
    ).id;
  });

  async function newShipment(): Promise<string> {
    n++;
    const { orderId } = await upsertOrder({
      storeId: store.id,
      clock,
      body: orderBody({
        number: `E${n}`,
        shipments: [{ carrier: 'USPS', trackingCode: `9400${String(n).padStart(18, '0')}`, items: [{ sku: 'MUG', quantity: 1 }] }],
      }),
    });
    return (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.orderId, orderId))))!.id;
  }
  const apply = (shipmentId: string, s: TrackerSnapshot) =>
    applyCarrierNews({ storeId: store.id, shipmentId, snapshot: s, now: clock.now() });
  const events = () => db().select().from(schema.events).where(eq(schema.events.storeId, store.id)).orderBy(schema.events.createdAt);
  const deliveries = () => db().select().from(schema.webhookDeliveries);

  it('records each step once, with data fitting the catalogue, and queues it for the endpoints that want it', async () => {
    const id = await newShipment();
    await apply(id, snap(2, 'in_transit'));
    clock.advance(60_000);
    await apply(id, snap(2, 'in_transit')); // the same news again
    clock.advance(60_000);
    await apply(id, snap(30, 'out_for_delivery'));
    clock.advance(60_000);
    await apply(id, snap(34, 'delivered'));
    const rows = await events();
    expect(rows.map((e) => e.type)).toEqual(['shipment.shipped', 'shipment.out_for_delivery', 'shipment.delivered']);
    for (const e of rows) {
      expect(e.id).toMatch(/^evt_/);
      expect(e.version).toBe(1);
      expect(() => eventType(e.type)!.schema.parse(e.data)).not.toThrow();
    }
    expect(rows[2]!.data).toMatchObject({
      store: store.slug,
      orderNumber: `E${n}`,
      trackingUrl: expect.stringContaining(`/${store.slug}/t/`),
      shipment: {
        trackingCode: `9400${String(n).padStart(18, '0')}`,
        status: 'delivered',
        lastScanAt: new Date(T0 + 34 * H).toISOString(),
      },
      items: [expect.objectContaining({ sku: 'MUG', quantity: 1 })],
    });
    const d = await deliveries();
    expect(d.filter((x) => x.endpointId === allEndpoint)).toHaveLength(3);
    expect(d.filter((x) => x.endpointId === parcelsEndpoint).map((x) => x.eventId)).toEqual([rows[2]!.id]);
    expect(JSON.parse(d.find((x) => x.endpointId === parcelsEndpoint)!.body)).toEqual({
      type: 'shipment.delivered',
      timestamp: new Date(rows[2]!.createdAt).toISOString(),
      data: rows[2]!.data,
    });
  });

  it('a carrier exception records shipment.exception and the case it opens (case.opened)', async () => {
    const id = await newShipment();
    await apply(id, snap(2, 'in_transit'));
    clock.advance(60_000);
    await apply(id, snap(20, 'return_to_sender', 'return'));
    const types = (await events()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['shipment.shipped', 'shipment.exception', 'case.opened']));
    const c = (await events()).find((e) => e.type === 'case.opened')!;
    expect(c.data).toMatchObject({
      case: { kind: 'return_to_sender', source: 'exception', trackingCode: `9400${String(n).padStart(18, '0')}` },
    });
    expect(() => eventType('case.opened')!.schema.parse(c.data)).not.toThrow();
  });

  it('a change that rolls back records no event and queues nothing', async () => {
    await expect(
      transaction(async (tx) => {
        await recordEvent(tx, {
          storeId: store.id,
          orderId: null,
          type: 'case.opened',
          data: {},
          dedupeKey: 'rolled-back',
          now: clock.now(),
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await events()).toEqual([]);
    expect(await deliveries()).toEqual([]);
  });
});
