import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { addShipment, upsertOrder } from '../../../src/server/changes/order-written.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';
import { rowCounts } from '../helpers/row-counts.ts';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const mugParcel = (trackingCode: string, quantity = 1) => ({ carrier: 'UPS', trackingCode, items: [{ sku: 'MUG', quantity }] });

describe('addShipment', () => {
  let store: Store;
  let orderId: string;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    await freshDatabase();
    clock = manualClock('2026-11-21T09:00:00Z');
    store = (await makeStore({}, clock)).store;
    // 1001: TENT-2P ×1 (shipped in 9400…0001) and MUG ×2 (not shipped yet).
    orderId = (await upsertOrder({ storeId: store.id, body: orderBody(), clock })).orderId;
  });

  const add = (body: unknown, orderNumber = '1001', storeId = store.id) => addShipment({ storeId, orderNumber, body, clock });

  it('adds a shipment with its items', async () => {
    const r = await add({ ...mugParcel('1Z999AA10123456784', 2), service: 'Ground', promisedDeliveryDate: '2026-11-26' });
    expect(r).toEqual({ created: true, orderId, shipmentId: r.shipmentId });
    const row = (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.id, r.shipmentId))))!;
    expect(row).toMatchObject({
      storeId: store.id,
      orderId,
      carrier: 'UPS',
      trackingCode: '1Z999AA10123456784',
      service: 'Ground',
      promisedDate: '2026-11-26',
      status: 'unknown',
      createdAt: clock.now(),
    });
    const items = await db().select().from(schema.shipmentItems).where(eq(schema.shipmentItems.shipmentId, r.shipmentId));
    expect(items.map((i) => [i.sku, i.quantity, i.storeId])).toEqual([['MUG', 2, store.id]]);
  });

  it('finds the order by its number with a #, spaces or another case', async () => {
    await upsertOrder({ storeId: store.id, body: orderBody({ number: 'wp-7', shipments: [] }), clock });
    expect((await add(mugParcel('1Z999AA10123456784'), ' #WP-7 ')).created).toBe(true);
  });

  it('is idempotent by tracking code: the same code again writes nothing', async () => {
    const first = await add(mugParcel('1Z999AA10123456784'));
    const before = await rowCounts();
    clock.advance(60_000);
    const again = await add(mugParcel('1Z999AA10123456784'));
    expect(again).toEqual({ created: false, orderId, shipmentId: first.shipmentId });
    expect(await rowCounts()).toEqual(before);
    // the shipment that came in with the order body counts too
    const fromBody = await add({ carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'TENT-2P', quantity: 1 }] });
    expect(fromBody.created).toBe(false);
    expect(await rowCounts()).toEqual(before);
  });

  it('adds one shipment when the same one arrives twice at once', async () => {
    const [a, b] = await Promise.all([add(mugParcel('1Z999AA10123456784')), add(mugParcel('1Z999AA10123456784'))]);
    expect(a.shipmentId).toBe(b.shipmentId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await rowCounts()).shipments).toBe(2);
  });

  it('refuses a tracking code used by another order of the store', async () => {
    await upsertOrder({ storeId: store.id, body: orderBody({ number: '1002', shipments: [] }), clock });
    const before = await rowCounts();
    const err = await refusal(
      add({ carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'TENT-2P', quantity: 1 }] }, '1002'),
    );
    expect(err.kind).toBe('conflict');
    expect(err.errors.map((e) => e.pointer)).toEqual(['/trackingCode']);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a SKU that is not on the order', async () => {
    const before = await rowCounts();
    const err = await refusal(
      add({
        carrier: 'UPS',
        trackingCode: '1Z999AA10123456784',
        items: [
          { sku: 'MUG', quantity: 1 },
          { sku: 'STOVE', quantity: 1 },
        ],
      }),
    );
    expect(err.kind).toBe('invalid');
    expect(err.errors.map((e) => e.pointer)).toEqual(['/items/1/sku']);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses to ship more units than were ordered, across shipments', async () => {
    await add(mugParcel('1Z999AA10123456784', 1));
    const before = await rowCounts();
    const err = await refusal(add(mugParcel('1Z999AA10123456785', 2)));
    expect(err.kind).toBe('invalid');
    expect(err.errors).toEqual([{ pointer: '/items/0/quantity', detail: 'only 2 ordered; this would ship 3' }]);
    expect(await rowCounts()).toEqual(before);
    expect((await add(mugParcel('1Z999AA10123456785', 1))).created).toBe(true);
  });

  it('refuses the same SKU twice in one parcel', async () => {
    const err = await refusal(
      add({
        carrier: 'UPS',
        trackingCode: '1Z999AA10123456784',
        items: [
          { sku: 'MUG', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ],
      }),
    );
    expect(err.errors.map((e) => e.pointer)).toContain('/items/1/sku');
  });

  it.each([
    ['a short tracking code', { carrier: 'UPS', trackingCode: 'ab', items: [{ sku: 'MUG', quantity: 1 }] }, ['/trackingCode']],
    [
      'a tracking code with spaces inside',
      { carrier: 'UPS', trackingCode: '1Z 999', items: [{ sku: 'MUG', quantity: 1 }] },
      ['/trackingCode'],
    ],
    ['no carrier', { trackingCode: '1Z999AA10123456784', items: [{ sku: 'MUG', quantity: 1 }] }, ['/carrier']],
    ['no items', { carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [] }, ['/items']],
    [
      'a zero quantity',
      { carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [{ sku: 'MUG', quantity: 0 }] },
      ['/items/0/quantity'],
    ],
    ['an impossible promised date', { ...mugParcel('1Z999AA10123456784'), promisedDeliveryDate: '2026-02-30' }, ['/promisedDeliveryDate']],
  ])('refuses %s', async (_name, body, expected) => {
    const before = await rowCounts();
    const err = await refusal(add(body));
    expect(err.kind).toBe('invalid');
    expect([...new Set(err.errors.map((e) => e.pointer))]).toEqual(expected);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers not_found for an order the store does not have', async () => {
    const err = await refusal(add(mugParcel('1Z999AA10123456784'), '9999'));
    expect(err.kind).toBe('not_found');
  });

  describe('tenants', () => {
    it('store B cannot add a shipment to store A’s order', async () => {
      const storeB = (await makeStore({}, clock)).store;
      const before = await rowCounts();
      const err = await refusal(add(mugParcel('1Z999AA10123456784'), '1001', storeB.id));
      expect(err.kind).toBe('not_found');
      expect(await rowCounts()).toEqual(before);
    });

    it('store B’s shipment goes to B’s own order with the same number', async () => {
      const storeB = (await makeStore({}, clock)).store;
      const bOrder = await upsertOrder({ storeId: storeB.id, body: orderBody({ shipments: [] }), clock });
      // the same tracking code as A's parcel: a separate shipment in B
      const r = await add(
        { carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'TENT-2P', quantity: 1 }] },
        '1001',
        storeB.id,
      );
      expect(r).toMatchObject({ created: true, orderId: bOrder.orderId });
      const aShipments = await db().select().from(schema.shipments).where(eq(schema.shipments.orderId, orderId));
      expect(aShipments).toHaveLength(1);
      expect(aShipments[0]!.storeId).toBe(store.id);
    });
  });
});
