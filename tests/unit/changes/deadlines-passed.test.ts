import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { countPgStatements, lockRow, schema, transaction } from '../../../src/server/db.ts';
import { scanForDelays } from '../../../src/server/changes/deadlines-passed.ts';
import { addShipment, upsertOrder } from '../../../src/server/changes/order-written.ts';
import { pgAdminUrl } from '../../support/pg.ts';
import { apply, counts, event, newOrder, noticesOf, NY, openKinds, orderRow, shipmentRow, snap, world } from '../notices/helpers.ts';

const at = (iso: string) => Date.parse(iso);
const NONE = { late: 0, stalled: 0, notScanned: 0, delayedDispatch: 0 };

/** Everything in one parcel, so no delayed dispatch gets in the way. */
const allShipped = (over: Record<string, unknown> = {}) => ({
  shipments: [
    {
      carrier: 'USPS',
      trackingCode: '9400100000000000000001',
      items: [
        { sku: 'TENT-2P', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ],
      promisedDeliveryDate: '2026-11-25',
      ...over,
    },
  ],
});

describe('scanForDelays', () => {
  it('tells "not scanned" once, 48 business hours after the label, the weekend not counted', async () => {
    // Label Friday 2026-11-20 10:00 EST → due Tuesday 24th 10:00 EST (15:00Z).
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped({ promisedDeliveryDate: '2026-12-10' }));
    const before = await counts();
    expect(await scanForDelays(at('2026-11-23T15:00:00Z'))).toEqual(NONE); // 72 real hours, 24 business hours
    expect(await scanForDelays(at('2026-11-24T14:59:59.999Z'))).toEqual(NONE);
    expect(await counts()).toEqual(before);
    expect(await scanForDelays(at('2026-11-24T15:00:00Z'))).toEqual({ ...NONE, notScanned: 1 });
    expect(await scanForDelays(at('2026-11-24T15:00:00Z'))).toEqual(NONE);
    expect(await scanForDelays(at('2026-11-26T15:00:00Z'))).toEqual(NONE);
    expect(await noticesOf(shipmentId)).toEqual([
      expect.objectContaining({ kind: 'not_scanned', openedAt: at('2026-11-24T15:00:00Z'), clearedAt: null }),
    ]);
    expect((await shipmentRow(shipmentId)).quietAt).toBeNull();
    expect((await counts()).pageChanges).toBe(before.pageChanges + 1);
  });

  it('tells "late" once, from the start of the day after estimate + grace in the order’s zone', async () => {
    const { store, clock } = await world('2026-11-25T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped());
    await apply(store, clock, shipmentId, snap('in_transit', [event('2026-11-25T14:00:00Z', 'in_transit', 'Accepted')]));
    expect((await shipmentRow(shipmentId)).lateAt).toBe(at('2026-11-27T05:00:00Z'));
    expect(await scanForDelays(at('2026-11-27T04:59:59.999Z'))).toEqual(NONE);
    expect(await scanForDelays(at('2026-11-27T05:00:00Z'))).toEqual({ ...NONE, late: 1 });
    expect(await scanForDelays(at('2026-11-27T05:00:00Z'))).toEqual(NONE);
    expect(await scanForDelays(at('2026-11-28T05:00:00Z'))).toEqual(NONE);
    expect(await noticesOf(shipmentId)).toEqual([
      expect.objectContaining({ kind: 'late', revisedDate: null, openedAt: at('2026-11-27T05:00:00Z') }),
    ]);
    expect((await shipmentRow(shipmentId)).lateAt).toBeNull();
  });

  it('a late notice carries the carrier’s newer estimate as its revised date', async () => {
    const { store, clock } = await world('2026-11-25T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped());
    await apply(
      store,
      clock,
      shipmentId,
      snap('in_transit', [event('2026-11-25T14:00:00Z', 'in_transit', 'Accepted')], { estDeliveryAt: at('2026-11-30T00:00:00Z') }),
    );
    expect(await scanForDelays(at('2026-11-27T05:00:00Z'))).toEqual({ ...NONE, late: 1 });
    expect((await noticesOf(shipmentId))[0]).toMatchObject({ kind: 'late', revisedDate: '2026-11-30' });
  });

  it('late across the autumn daylight-saving change: midnight EDT on 2026-11-01', async () => {
    const { store, clock } = await world('2026-10-27T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, {
      placedAt: '2026-10-27T14:00:00Z',
      ...allShipped({ promisedDeliveryDate: '2026-10-30' }),
    });
    await apply(store, clock, shipmentId, snap('in_transit', [event('2026-10-29T14:00:00Z', 'in_transit', 'Accepted')]));
    expect(await scanForDelays(at('2026-11-01T03:59:59.999Z'))).toMatchObject({ late: 0 });
    expect(await scanForDelays(at('2026-11-01T04:00:00Z'))).toMatchObject({ late: 1 });
  });

  it('late across the spring daylight-saving change: midnight EDT on 2026-03-09', async () => {
    const { store, clock } = await world('2026-03-03T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, {
      placedAt: '2026-03-03T14:00:00Z',
      ...allShipped({ promisedDeliveryDate: '2026-03-07' }),
    });
    await apply(store, clock, shipmentId, snap('in_transit', [event('2026-03-06T14:00:00Z', 'in_transit', 'Accepted')]));
    expect((await shipmentRow(shipmentId)).lateAt).toBe(at('2026-03-09T04:00:00Z'));
    expect(await scanForDelays(at('2026-03-09T03:59:59.999Z'))).toMatchObject({ late: 0 });
    expect(await scanForDelays(at('2026-03-09T04:00:00Z'))).toMatchObject({ late: 1 });
  });

  it('tells "stalled" once after 72 business hours: the weekend does not count', async () => {
    // Last scan Friday 2026-11-20 15:00 EST (20:00Z) → due Wednesday 25th 15:00 EST.
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped({ promisedDeliveryDate: '2026-12-10' }));
    await apply(
      store,
      clock,
      shipmentId,
      snap('in_transit', [
        event('2026-11-20T18:00:00Z', 'in_transit', 'Accepted'),
        event('2026-11-20T20:00:00Z', 'in_transit', 'Departed'),
      ]),
    );
    expect((await shipmentRow(shipmentId)).quietAt).toBe(at('2026-11-25T20:00:00Z'));
    expect(await scanForDelays(at('2026-11-23T20:00:00Z'))).toEqual(NONE); // 72 real hours
    expect(await scanForDelays(at('2026-11-24T20:00:00Z'))).toEqual(NONE); // 96 real hours
    expect(await scanForDelays(at('2026-11-25T19:59:59.999Z'))).toEqual(NONE);
    expect(await scanForDelays(at('2026-11-25T20:00:00Z'))).toEqual({ ...NONE, stalled: 1 });
    expect(await scanForDelays(at('2026-11-25T20:00:00Z'))).toEqual(NONE);
    expect(await scanForDelays(at('2026-11-30T20:00:00Z'))).toEqual(NONE);
    expect(await noticesOf(shipmentId)).toEqual([expect.objectContaining({ kind: 'stalled', openedAt: at('2026-11-25T20:00:00Z') })]);
  });

  it('a parcel that moved before the scan gets no stalled notice', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped({ promisedDeliveryDate: '2026-12-10' }));
    const first = event('2026-11-20T20:00:00Z', 'in_transit', 'Departed');
    await apply(store, clock, shipmentId, snap('in_transit', [first]));
    clock.set('2026-11-25T19:00:00Z');
    await apply(store, clock, shipmentId, snap('in_transit', [first, event('2026-11-25T18:30:00Z', 'in_transit', 'Arrived at facility')]));
    expect((await shipmentRow(shipmentId)).quietAt).toBe(at('2026-11-30T18:30:00Z')); // Wed 13:30 EST + 72 business hours
    expect(await scanForDelays(at('2026-11-25T20:00:00Z'))).toEqual(NONE);
    expect(await openKinds(shipmentId)).toEqual([]);
  });

  it('a label-only update (pre_transit) is no scan: "not scanned" stays open and is told once', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped({ promisedDeliveryDate: '2026-12-10' }));
    const label = event('2026-11-20T15:10:00Z', 'pre_transit', 'Shipping Label Created, USPS Awaiting Item');
    await apply(store, clock, shipmentId, snap('pre_transit', [label]));
    expect(await scanForDelays(at('2026-11-24T15:00:00Z'))).toEqual({ ...NONE, notScanned: 1 });
    // USPS repeats that it is still waiting for the item: news, but not a scan.
    clock.set('2026-11-25T12:00:00Z');
    await apply(store, clock, shipmentId, snap('pre_transit', [label, event('2026-11-25T11:00:00Z', 'pre_transit', 'USPS Awaiting Item')]));
    expect(await scanForDelays(at('2026-11-25T12:30:00Z'))).toEqual(NONE);
    expect((await noticesOf(shipmentId)).map((n) => [n.kind, n.openedAt, n.clearedAt])).toEqual([
      ['not_scanned', at('2026-11-24T15:00:00Z'), null],
    ]);
  });

  it('an old event reported late is no movement: "stalled" stays open and is told once', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped({ promisedDeliveryDate: '2026-12-10' }));
    const departed = event('2026-11-20T20:00:00Z', 'in_transit', 'Departed');
    await apply(store, clock, shipmentId, snap('in_transit', [departed]));
    expect(await scanForDelays(at('2026-11-25T20:00:00Z'))).toEqual({ ...NONE, stalled: 1 });
    // The carrier back-fills an event from before the last one; the parcel has still not moved since Friday.
    clock.set('2026-11-26T12:00:00Z');
    await apply(store, clock, shipmentId, snap('in_transit', [event('2026-11-20T18:00:00Z', 'in_transit', 'Accepted'), departed]));
    expect(await scanForDelays(at('2026-11-26T12:30:00Z'))).toEqual(NONE);
    expect((await noticesOf(shipmentId)).map((n) => [n.kind, n.openedAt, n.clearedAt])).toEqual([
      ['stalled', at('2026-11-25T20:00:00Z'), null],
    ]);
  });

  it('re-checks a due parcel against its events, even if its stored deadline is stale', async () => {
    const { store, clock } = await world('2026-11-23T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped({ promisedDeliveryDate: '2026-12-10' }));
    await apply(store, clock, shipmentId, snap('in_transit', [event('2026-11-23T14:00:00Z', 'in_transit', 'Accepted')]));
    // Someone left old deadlines behind; the parcel itself is neither stalled nor late.
    await transaction((tx) =>
      tx
        .update(schema.shipments)
        .set({ quietAt: at('2026-11-23T16:00:00Z'), lateAt: at('2026-11-23T16:00:00Z') })
        .where(eq(schema.shipments.id, shipmentId)),
    );
    const before = await counts();
    expect(await scanForDelays(at('2026-11-23T17:00:00Z'))).toEqual(NONE);
    expect(await counts()).toEqual(before);
    expect(await shipmentRow(shipmentId)).toMatchObject({ quietAt: at('2026-11-26T14:00:00Z'), lateAt: at('2026-12-12T05:00:00Z') });
  });

  it('tells nothing about a delivered parcel', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped());
    await apply(
      store,
      clock,
      shipmentId,
      snap('delivered', [event('2026-11-20T18:00:00Z', 'in_transit', 'Accepted'), event('2026-11-21T18:00:00Z', 'delivered', 'Delivered')]),
    );
    expect(await scanForDelays(at('2026-12-31T00:00:00Z'))).toEqual(NONE);
    expect(await openKinds(shipmentId)).toEqual([]);
  });

  it('a parcel both late and never scanned gets both notices in one scan', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped());
    expect(await scanForDelays(at('2026-11-27T05:00:00Z'))).toEqual({ ...NONE, late: 1, notScanned: 1 });
    expect(await openKinds(shipmentId)).toEqual(['late', 'not_scanned']);
    expect(await scanForDelays(at('2026-11-28T05:00:00Z'))).toEqual(NONE);
  });

  it('works through more parcels than one batch, each told once', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    for (let o = 0; o < 6; o++) {
      await newOrder(store, clock, {
        items: [{ sku: 'MUG', title: 'Camp mug', quantity: 100, unitAmount: 1500 }],
        shipments: Array.from({ length: 100 }, (_, i) => ({
          carrier: 'USPS',
          trackingCode: `9400${String(o * 100 + i).padStart(18, '0')}`,
          items: [{ sku: 'MUG', quantity: 1 }],
          promisedDeliveryDate: '2026-12-10',
        })),
      });
    }
    expect(await scanForDelays(at('2026-11-24T15:00:00Z'))).toEqual({ ...NONE, notScanned: 600 });
    expect(await scanForDelays(at('2026-11-24T15:00:00Z'))).toEqual(NONE);
    expect((await counts()).notices).toBe(600);
  });

  it('judges a due parcel on what a webhook holding its row wrote, once the webhook commits', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const { shipmentId } = await newOrder(store, clock, allShipped({ promisedDeliveryDate: '2026-12-10' }));
    const scanAt = at('2026-11-24T15:00:00Z'); // "not scanned" is due
    let locked!: () => void;
    let release!: () => void;
    const rowLocked = new Promise<void>((r) => (locked = r));
    const released = new Promise<void>((r) => (release = r));
    // The carrier's first scan is being written while the scan reads its due parcels.
    const webhook = transaction(async (tx) => {
      await lockRow(tx, schema.shipments, shipmentId);
      await tx
        .update(schema.shipments)
        .set({ status: 'in_transit', firstScanAt: scanAt - 3_600_000, lastEventAt: scanAt - 3_600_000 })
        .where(eq(schema.shipments.id, shipmentId));
      locked();
      await released;
    });
    await rowLocked;
    const scan = scanForDelays(scanAt);
    await new Promise((r) => setTimeout(r, 100));
    release();
    await webhook;
    expect(await scan).toEqual(NONE);
    expect(await openKinds(shipmentId)).toEqual([]);
    expect((await shipmentRow(shipmentId)).quietAt).toBeGreaterThan(scanAt); // now "stalled" is watched for
  });

  // Each statement is a round trip to PostgreSQL: the scan's speed there is their count.
  it.skipIf(!pgAdminUrl())('opens a notice in at most 13 statements on PostgreSQL, orders of one or two parcels', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const parcel = (i: number) => ({
      carrier: 'USPS',
      trackingCode: `9400${String(i).padStart(18, '0')}`,
      items: [{ sku: 'MUG', quantity: 1 }],
      promisedDeliveryDate: '2026-12-10',
    });
    for (let o = 0; o < 12; o++) {
      const two = o % 3 === 0;
      await newOrder(store, clock, {
        items: [{ sku: 'MUG', title: 'Camp mug', quantity: two ? 2 : 1, unitAmount: 1500 }],
        shipments: two ? [parcel(o * 2), parcel(o * 2 + 1)] : [parcel(o * 2)],
      });
    }
    const statements = countPgStatements();
    expect(await scanForDelays(at('2026-11-24T15:00:00Z'))).toEqual({ ...NONE, notScanned: 16 });
    const perNotice = statements() / 16;
    expect(perNotice).toBeLessThanOrEqual(13); // 18.4 before the reads were folded
    expect((await counts()).notices).toBe(16);
  });

  describe('delayed dispatch', () => {
    it('is told once while items are unshipped, and cleared when they all ship', async () => {
      // Placed Friday 2026-11-20 in New York; 2 processing days → due from Wednesday 25th 00:00 EST.
      const { store, clock } = await world('2026-11-20T15:00:00Z');
      const { orderId, body } = await newOrder(store, clock, {
        shipments: [{ ...allShipped().shipments[0]!, items: [{ sku: 'TENT-2P', quantity: 1 }] }],
      });
      expect((await orderRow(orderId)).dispatchDueAt).toBe(at('2026-11-25T05:00:00Z'));
      expect(await scanForDelays(at('2026-11-25T04:59:59.999Z'))).toMatchObject({ delayedDispatch: 0 });
      expect(await scanForDelays(at('2026-11-25T05:00:00Z'))).toMatchObject({ delayedDispatch: 1 });
      expect(await scanForDelays(at('2026-11-25T05:00:00Z'))).toMatchObject({ delayedDispatch: 0 });
      expect(await scanForDelays(at('2026-11-26T05:00:00Z'))).toMatchObject({ delayedDispatch: 0 });
      expect(await noticesOf(orderId)).toEqual([
        expect.objectContaining({ kind: 'delayed_dispatch', shipmentId: null, openedAt: at('2026-11-25T05:00:00Z') }),
      ]);
      expect((await orderRow(orderId)).dispatchDueAt).toBeNull();
      expect(await openKinds(orderId)).toEqual(['delayed_dispatch']);

      // An update that still leaves the mugs unshipped neither reopens nor re-arms it.
      clock.set('2026-11-25T16:00:00Z');
      await upsertOrder({ storeId: store.id, clock, body: { ...body, customerName: 'Ann B. Lee' } });
      expect((await orderRow(orderId)).dispatchDueAt).toBeNull();
      expect(await noticesOf(orderId)).toHaveLength(1);

      clock.set('2026-11-26T16:00:00Z');
      await addShipment({
        storeId: store.id,
        orderNumber: String(body.number),
        clock,
        body: { carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [{ sku: 'MUG', quantity: 2 }] },
      });
      expect(await noticesOf(orderId)).toEqual([
        expect.objectContaining({ kind: 'delayed_dispatch', clearedAt: at('2026-11-26T16:00:00Z') }),
      ]);
      expect((await orderRow(orderId)).dispatchDueAt).toBeNull();
      expect(await scanForDelays(at('2026-12-31T00:00:00Z'))).toMatchObject({ delayedDispatch: 0 });
    });

    it('is never told when everything ships in time', async () => {
      const { store, clock } = await world('2026-11-20T15:00:00Z');
      const { orderId, body } = await newOrder(store, clock, { shipments: [] });
      expect((await orderRow(orderId)).dispatchDueAt).toBe(at('2026-11-25T05:00:00Z'));
      clock.set('2026-11-24T16:00:00Z');
      await addShipment({ storeId: store.id, orderNumber: String(body.number), clock, body: allShipped().shipments[0] });
      expect((await orderRow(orderId)).dispatchDueAt).toBeNull();
      expect(await scanForDelays(at('2026-11-26T05:00:00Z'))).toMatchObject({ delayedDispatch: 0 });
      expect(await noticesOf(orderId)).toEqual([]);
    });

    it('re-checks a due order against what is still unshipped before telling', async () => {
      // The scan reads the due orders first and handles them one by one, awaiting in between: an
      // order whose last items ship in that gap still has its old deadline when its turn comes.
      const { store, clock } = await world('2026-11-20T15:00:00Z');
      const { orderId } = await newOrder(store, clock, allShipped());
      await transaction((tx) =>
        tx
          .update(schema.orders)
          .set({ dispatchDueAt: at('2026-11-25T05:00:00Z') })
          .where(eq(schema.orders.id, orderId)),
      );
      expect(await scanForDelays(at('2026-11-25T06:00:00Z'))).toMatchObject({ delayedDispatch: 0 });
      expect(await openKinds(orderId)).toEqual([]);
      expect((await orderRow(orderId)).dispatchDueAt).toBeNull();
    });

    it('is never armed for an order shipped whole', async () => {
      const { store, clock } = await world('2026-11-20T15:00:00Z');
      const { orderId } = await newOrder(store, clock, allShipped());
      expect((await orderRow(orderId)).dispatchDueAt).toBeNull();
    });

    it('partly shipped in time still counts the rest: the mugs are late to leave', async () => {
      const { store, clock } = await world('2026-11-20T15:00:00Z', { processingDays: 1, timeZone: 'UTC' });
      const { orderId } = await newOrder(store, clock, {
        timeZone: undefined,
        shipments: [{ carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'MUG', quantity: 1 }] }],
      });
      // Friday + 1 business day = Monday 23rd → due Tuesday 24th 00:00 UTC.
      expect((await orderRow(orderId)).dispatchDueAt).toBe(at('2026-11-24T00:00:00Z'));
      expect(await scanForDelays(at('2026-11-24T00:00:00Z'))).toMatchObject({ delayedDispatch: 1 });
    });
  });

  it('uses the order’s zone for an order placed late on a Friday evening', async () => {
    // Friday 2026-11-20 22:00 EST is already Saturday in UTC; in New York it is Friday.
    const { store, clock } = await world('2026-11-21T03:00:00Z');
    const { orderId } = await newOrder(store, clock, { placedAt: '2026-11-21T03:00:00Z', timeZone: NY, shipments: [] });
    expect((await orderRow(orderId)).dispatchDueAt).toBe(at('2026-11-25T05:00:00Z'));
  });
});
