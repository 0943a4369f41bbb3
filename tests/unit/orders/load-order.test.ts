import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { addShipment, upsertOrder } from '../../../src/server/changes/order-written.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { getOrderByToken } from '../../../src/server/orders/get-order-by-token.ts';
import { loadOrder } from '../../../src/server/orders/load-order.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

describe('getOrderByNumber and loadOrder', () => {
  let store: Store;
  let orderId: string;
  // Saturday 21 Nov 2026: the parcel 9400…0001 is created (label) on this day.
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    await freshDatabase();
    clock = manualClock('2026-11-21T10:00:00Z');
    store = (await makeStore({}, clock)).store;
    orderId = (await upsertOrder({ storeId: store.id, body: orderBody(), clock })).orderId;
  });

  it('finds the order by number with or without #, and with spaces', async () => {
    for (const n of ['1001', '#1001', ' # 1001 ']) {
      const o = await getOrderByNumber(store, n, clock);
      expect(o?.id, n).toBe(orderId);
    }
    expect(await getOrderByNumber(store, '1002', clock)).toBeNull();
  });

  it('loads items, shipments and the units still to ship', async () => {
    const o = (await getOrderByNumber(store, '1001', clock))!;
    expect(o).toMatchObject({
      storeId: store.id,
      number: '1001',
      email: 'ann@example.com',
      customerName: 'Ann Lee',
      placedAt: Date.parse('2026-11-20T14:03:00Z'),
      currency: 'USD',
      locale: 'en-US',
      timeZone: 'UTC', // the store's default, since the order has none
    });
    expect(o.items.map((i) => [i.sku, i.quantity])).toEqual([
      ['TENT-2P', 1],
      ['MUG', 2],
    ]);
    expect(o.shipments).toHaveLength(1);
    const s = o.shipments[0]!;
    expect(s).toMatchObject({
      carrier: 'USPS',
      carrierName: 'USPS',
      trackingCode: '9400100000000000000001',
      status: 'unknown',
      promisedDate: '2026-11-25',
    });
    expect(s.carrierUrl).toBe('https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000001');
    expect(s.milestone).toMatchObject({ step: 1, milestone: 'shipped', exception: null });
    expect(s.items.map((i) => [i.sku, i.shippedQuantity])).toEqual([['TENT-2P', 1]]);
    expect(s.events).toEqual([]);
    expect(o.unshipped.map((i) => [i.sku, i.pendingQuantity])).toEqual([['MUG', 2]]);
  });

  it('counts units shipped across several parcels', async () => {
    await addShipment({
      storeId: store.id,
      orderNumber: '1001',
      body: { carrier: 'UPS', trackingCode: '1Z0001', items: [{ sku: 'MUG', quantity: 1 }] },
      clock,
    });
    let o = (await getOrderByNumber(store, '1001', clock))!;
    expect(o.unshipped.map((i) => [i.sku, i.pendingQuantity])).toEqual([['MUG', 1]]);
    await addShipment({
      storeId: store.id,
      orderNumber: '1001',
      body: { carrier: 'UPS', trackingCode: '1Z0002', items: [{ sku: 'MUG', quantity: 1 }] },
      clock,
    });
    o = (await getOrderByNumber(store, '1001', clock))!;
    expect(o.unshipped).toEqual([]);
    expect(o.shipments.map((s) => s.trackingCode)).toEqual(['9400100000000000000001', '1Z0001', '1Z0002']);
  });

  it('estimates from the promised date, then revises to the rule once it has passed', async () => {
    let o = (await getOrderByNumber(store, '1001', clock))!;
    expect(o.shipments[0]!.estimate).toEqual({
      kind: 'expected',
      date: '2026-11-25',
      source: 'store',
      revised: false,
      originalDate: '2026-11-25',
    });
    // Label Saturday 21; rule: 5 business days → Friday 27.
    clock.set('2026-11-26T12:00:00Z');
    o = (await getOrderByNumber(store, '1001', clock))!;
    expect(o.shipments[0]!.estimate).toEqual({
      kind: 'expected',
      date: '2026-11-27',
      source: 'rule',
      revised: true,
      originalDate: '2026-11-25',
    });
    clock.set('2026-11-28T12:00:00Z');
    o = (await getOrderByNumber(store, '1001', clock))!;
    expect(o.shipments[0]!.estimate).toEqual({ kind: 'checking', originalDate: '2026-11-25' });
  });

  it('estimates the unshipped units from the store’s rule in the order’s time zone', async () => {
    // Placed Thu 19 Nov 16:00 UTC = Fri 20 Nov 01:00 in Tokyo.
    const body = orderBody({ number: '2001', placedAt: '2026-11-19T16:00:00Z', shipments: [] });
    await upsertOrder({ storeId: store.id, body, clock });
    const utc = (await getOrderByNumber(store, '2001', clock))!;
    expect(utc.unshippedEstimate).toMatchObject({ kind: 'expected', date: '2026-11-30', source: 'rule' }); // Thu +2 = Mon 23, +5 = Mon 30
    await upsertOrder({ storeId: store.id, body: { ...body, timeZone: 'Asia/Tokyo' }, clock });
    const tokyo = (await getOrderByNumber(store, '2001', clock))!;
    expect(tokyo.timeZone).toBe('Asia/Tokyo');
    expect(tokyo.unshippedEstimate).toMatchObject({ kind: 'expected', date: '2026-12-01', source: 'rule' }); // Fri +2 = Tue 24, +5 = Tue Dec 1
  });

  it('opens the order through its token, and only in its store', async () => {
    const o = (await getOrderByNumber(store, '1001', clock))!;
    expect((await getOrderByToken(store, o.token, clock))?.id).toBe(orderId);
    const storeB = (await makeStore({}, clock)).store;
    expect(await getOrderByToken(storeB, o.token, clock)).toBeNull();
  });

  describe('tenants', () => {
    it('store B cannot read store A’s order, by number or by id', async () => {
      const storeB = (await makeStore({}, clock)).store;
      expect(await getOrderByNumber(storeB, '1001', clock)).toBeNull();
      expect(await loadOrder(storeB, { id: orderId }, clock.now())).toBeNull();
    });

    it('store B’s order with the same number is its own', async () => {
      const storeB = (await makeStore({}, clock)).store;
      const b = await upsertOrder({ storeId: storeB.id, body: orderBody({ customerName: 'Bob Roe', shipments: [] }), clock });
      const seenByB = (await getOrderByNumber(storeB, '1001', clock))!;
      const seenByA = (await getOrderByNumber(store, '1001', clock))!;
      expect(seenByB.id).toBe(b.orderId);
      expect(seenByB.customerName).toBe('Bob Roe');
      expect(seenByB.shipments).toEqual([]);
      expect(seenByA.id).toBe(orderId);
      expect(seenByA.customerName).toBe('Ann Lee');
      expect(seenByA.shipments).toHaveLength(1);
    });
  });
});
