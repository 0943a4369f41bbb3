import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { schema, transaction } from '../../../src/server/db.ts';
import { openNotice } from '../../../src/server/notices/open-notice.ts';
import { refreshParcel } from '../../../src/server/changes/parcel-changed.ts';
import { revisedDate } from '../../../src/server/notices/refresh-shipment-alerts.ts';
import { scanForDelays } from '../../../src/server/changes/deadlines-passed.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore } from '../../fixtures/factories.ts';
import {
  apply,
  casesOf,
  counts,
  event,
  H,
  newOrder,
  noticesOf,
  NY,
  openKinds,
  shipmentRow,
  snap,
  world,
  type ManualClock,
} from './helpers.ts';

const at = (iso: string) => Date.parse(iso);

// The default order: placed Friday 2026-11-20 in New York, one USPS parcel promised for
// Wednesday 2026-11-25 (late from Friday 27th 00:00 EST = 05:00Z), label made Friday 10:00 EST.
const accepted = event('2026-11-20T18:00:00Z', 'in_transit', 'Accepted at USPS origin facility');
const departed = event('2026-11-21T02:00:00Z', 'in_transit', 'Departed USPS facility');
const arrived = event('2026-11-23T14:00:00Z', 'in_transit', 'Arrived at USPS regional facility');

describe('refreshShipmentAlerts', () => {
  let store: Store;
  let clock: ManualClock;
  let orderId: string;
  let shipmentId: string;
  let body: Record<string, unknown>;

  beforeEach(async () => {
    ({ store, clock } = await world('2026-11-20T15:00:00Z'));
    ({ orderId, shipmentId, body } = await newOrder(store, clock));
  });

  const openNow = (kind: 'late' | 'stalled' | 'not_scanned', over: { revisedDate?: string } = {}) =>
    transaction((tx) => openNotice(tx, { storeId: store.id, orderId, shipmentId, kind, now: clock.now(), ...over }));

  describe('deadlines', () => {
    it('a new parcel gets its late and not-scanned deadlines', async () => {
      expect(await shipmentRow(shipmentId)).toMatchObject({
        lateAt: at('2026-11-27T05:00:00Z'),
        quietAt: at('2026-11-24T15:00:00Z'), // Friday 10:00 EST + 48 business hours
      });
    });

    it('the first scan turns the silence deadline into a stall deadline from the newest event', async () => {
      await apply(store, clock, shipmentId, snap('in_transit', [accepted, departed]));
      // Last event Friday 21:00 EST: 3 h on Friday, Monday 24, Tuesday 24, Wednesday 21 → 72.
      expect(await shipmentRow(shipmentId)).toMatchObject({ lateAt: at('2026-11-27T05:00:00Z'), quietAt: at('2026-11-26T02:00:00Z') });
    });

    it('out for delivery: no silence deadline; delivered: no deadline at all', async () => {
      await apply(
        store,
        clock,
        shipmentId,
        snap('out_for_delivery', [accepted, event('2026-11-24T13:00:00Z', 'out_for_delivery', 'Out for delivery')]),
      );
      expect(await shipmentRow(shipmentId)).toMatchObject({ lateAt: at('2026-11-27T05:00:00Z'), quietAt: null });
      await apply(store, clock, shipmentId, snap('delivered', [event('2026-11-24T18:00:00Z', 'delivered', 'Delivered')]));
      expect(await shipmentRow(shipmentId)).toMatchObject({ lateAt: null, quietAt: null });
    });

    it('uses the store’s zone when the order has none', async () => {
      const w = await world('2026-11-20T15:00:00Z', { timeZone: 'Asia/Tokyo' });
      const o = await newOrder(w.store, w.clock, { timeZone: undefined });
      expect((await shipmentRow(o.shipmentId)).lateAt).toBe(at('2026-11-26T15:00:00Z')); // 2026-11-27 00:00 JST
    });
  });

  describe('delivered', () => {
    it('clears every parcel notice and both deadlines, but no order-level notice', async () => {
      await apply(store, clock, shipmentId, snap('in_transit', [accepted]));
      clock.set('2026-11-27T06:00:00Z');
      expect(await scanForDelays(clock.now())).toEqual({ late: 1, stalled: 1, notScanned: 0, delayedDispatch: 1 });
      await openNow('stalled');
      clock.set('2026-11-27T12:00:00Z');
      await apply(
        store,
        clock,
        shipmentId,
        snap('failure', [event('2026-11-27T11:00:00Z', 'failure', 'Address not found')], { statusDetail: 'address_not_found' }),
      );
      expect(await openKinds(shipmentId)).toEqual(['exception', 'late']); // the new event cleared the stall
      clock.set('2026-11-27T18:00:00Z');
      await apply(store, clock, shipmentId, snap('delivered', [event('2026-11-27T17:00:00Z', 'delivered', 'Delivered, front porch')]));
      expect(await openKinds(shipmentId)).toEqual([]);
      const cleared = Object.fromEntries((await noticesOf(shipmentId)).map((n) => [n.kind, n.clearedAt]));
      expect(cleared).toEqual({
        late: at('2026-11-27T18:00:00Z'),
        exception: at('2026-11-27T18:00:00Z'),
        stalled: at('2026-11-27T12:00:00Z'),
      });
      expect(await shipmentRow(shipmentId)).toMatchObject({ lateAt: null, quietAt: null });
      expect(await openKinds(orderId)).toEqual(['delayed_dispatch']); // the TENT parcel arriving ships no mug
    });
  });

  describe('movement', () => {
    it('a new event clears stalled and not_scanned, but not late', async () => {
      clock.set('2026-11-27T06:00:00Z');
      expect(await scanForDelays(clock.now())).toMatchObject({ late: 1, notScanned: 1 });
      expect(await openKinds(shipmentId)).toEqual(['late', 'not_scanned']);
      await apply(store, clock, shipmentId, snap('in_transit', [accepted]));
      expect(await openKinds(shipmentId)).toEqual(['late']);
      await openNow('stalled');
      await apply(
        store,
        clock,
        shipmentId,
        snap('in_transit', [accepted, event('2026-11-27T05:30:00Z', 'in_transit', 'In transit to next facility')]),
      );
      expect(await openKinds(shipmentId)).toEqual(['late']);
    });

    it('a newer snapshot with no new event clears nothing', async () => {
      await apply(store, clock, shipmentId, snap('in_transit', [accepted]));
      await openNow('stalled');
      clock.advance(H);
      await apply(store, clock, shipmentId, snap('in_transit', [accepted], { updatedAt: accepted.occurredAt + H }));
      expect(await openKinds(shipmentId)).toEqual(['stalled']);
      // …and while the stall is told, nothing is scheduled for the scan to tell again
      expect((await shipmentRow(shipmentId)).quietAt).toBeNull();
    });
  });

  describe('exceptions', () => {
    it.each([
      ['failure', 'address_not_found', 'delivery_failed'],
      ['return_to_sender', 'return_to_sender', 'return_to_sender'],
      ['in_transit', 'lost', 'lost'],
      ['in_transit', 'damaged', 'damaged'],
    ] as const)('%s/%s opens a notice for the shopper and a %s case for a person', async (status, detail, caseKind) => {
      await apply(
        store,
        clock,
        shipmentId,
        snap(status, [accepted, event('2026-11-23T18:00:00Z', status, 'Carrier exception')], { statusDetail: detail }),
      );
      expect(await noticesOf(shipmentId)).toEqual([
        expect.objectContaining({
          kind: 'exception',
          reason: `${status}/${detail}`,
          needsPerson: true,
          clearedAt: null,
          openedAt: clock.now(),
        }),
      ]);
      expect(await casesOf(orderId)).toEqual([
        expect.objectContaining({
          shipmentId,
          source: 'exception',
          kind: caseKind,
          status: 'open',
          message: `Carrier reported ${status}/${detail}`,
        }),
      ]);
    });

    it.each([
      ['available_for_pickup', 'arrived_at_destination'],
      ['in_transit', 'address_correction'],
      ['error', 'unknown'],
    ] as const)('%s/%s opens a notice but no case', async (status, detail) => {
      await apply(
        store,
        clock,
        shipmentId,
        snap(status, [accepted, event('2026-11-23T18:00:00Z', status, 'Carrier said so')], { statusDetail: detail }),
      );
      expect(await noticesOf(shipmentId)).toEqual([
        expect.objectContaining({ kind: 'exception', reason: `${status}/${detail}`, needsPerson: false }),
      ]);
      expect(await casesOf(orderId)).toEqual([]);
    });

    it('the same exception again opens nothing new', async () => {
      const s = snap('failure', [accepted, event('2026-11-23T18:00:00Z', 'failure', 'Address not found')], {
        statusDetail: 'address_not_found',
      });
      await apply(store, clock, shipmentId, s);
      clock.advance(H);
      await apply(store, clock, shipmentId, { ...s, updatedAt: s.updatedAt + H });
      await transaction((tx) => refreshParcel(tx, { storeId: store.id, shipmentId, moved: false, now: clock.now() }));
      expect(await noticesOf(shipmentId)).toHaveLength(1);
      expect(await casesOf(orderId)).toHaveLength(1);
      expect((await casesOf(orderId))[0]!.message).toBe('Carrier reported failure/address_not_found');
    });

    it('a different exception updates the open notice and opens the case a person now needs', async () => {
      await apply(
        store,
        clock,
        shipmentId,
        snap('in_transit', [accepted, event('2026-11-23T18:00:00Z', 'in_transit', 'Address corrected')], {
          statusDetail: 'address_correction',
        }),
      );
      await apply(
        store,
        clock,
        shipmentId,
        snap('return_to_sender', [event('2026-11-24T18:00:00Z', 'return_to_sender', 'Returning to sender')], {
          statusDetail: 'return_to_sender',
        }),
      );
      expect(await noticesOf(shipmentId)).toEqual([
        expect.objectContaining({ kind: 'exception', reason: 'return_to_sender/return_to_sender', needsPerson: true, clearedAt: null }),
      ]);
      expect((await casesOf(orderId)).map((c) => c.kind)).toEqual(['return_to_sender']);
    });

    it('movement after an exception clears its notice; the case stays for the person', async () => {
      await apply(
        store,
        clock,
        shipmentId,
        snap('failure', [accepted, event('2026-11-23T18:00:00Z', 'failure', 'Address not found')], { statusDetail: 'address_not_found' }),
      );
      clock.advance(H);
      await apply(
        store,
        clock,
        shipmentId,
        snap('in_transit', [event('2026-11-24T12:00:00Z', 'in_transit', 'Address corrected, on its way')], {
          statusDetail: 'arrived_at_facility',
        }),
      );
      expect(await openKinds(shipmentId)).toEqual([]);
      expect((await noticesOf(shipmentId))[0]!.clearedAt).toBe(clock.now());
      expect(await casesOf(orderId)).toEqual([expect.objectContaining({ kind: 'delivery_failed', status: 'open' })]);
    });
  });

  describe('the late notice', () => {
    const late = async () => (await noticesOf(shipmentId)).filter((n) => n.kind === 'late');
    beforeEach(async () => {
      await apply(store, clock, shipmentId, snap('in_transit', [accepted]));
      clock.set('2026-11-27T06:00:00Z');
      expect((await scanForDelays(clock.now())).late).toBe(1);
      expect(await late()).toEqual([expect.objectContaining({ kind: 'late', revisedDate: null, openedAt: clock.now() })]);
    });

    it('stays open while the parcel moves, and its revised date follows the carrier’s estimate', async () => {
      clock.set('2026-11-27T15:00:00Z');
      await apply(store, clock, shipmentId, snap('in_transit', [accepted, arrived], { estDeliveryAt: at('2026-11-30T00:00:00Z') }));
      expect(await late()).toEqual([expect.objectContaining({ revisedDate: '2026-11-30', clearedAt: null })]);
      clock.set('2026-11-28T15:00:00Z');
      await apply(
        store,
        clock,
        shipmentId,
        snap('in_transit', [accepted, arrived], { updatedAt: at('2026-11-28T14:00:00Z'), estDeliveryAt: at('2026-12-01T00:00:00Z') }),
      );
      expect(await late()).toEqual([expect.objectContaining({ revisedDate: '2026-12-01', clearedAt: null })]);
      // the carrier drops its estimate: no new date to give
      await apply(
        store,
        clock,
        shipmentId,
        snap('in_transit', [accepted, arrived], { updatedAt: at('2026-11-28T14:30:00Z'), estDeliveryAt: null }),
      );
      expect(await late()).toEqual([expect.objectContaining({ revisedDate: null, clearedAt: null })]);
      expect((await shipmentRow(shipmentId)).lateAt).toBeNull();
    });

    it('an estimate already in the past is no new date', async () => {
      await apply(
        store,
        clock,
        shipmentId,
        snap('in_transit', [accepted, arrived], { updatedAt: at('2026-11-27T05:30:00Z'), estDeliveryAt: at('2026-11-26T00:00:00Z') }),
      );
      expect((await late())[0]!.revisedDate).toBeNull();
    });

    it('clears when the parcel is delivered', async () => {
      await apply(store, clock, shipmentId, snap('delivered', [accepted, event('2026-11-27T05:30:00Z', 'delivered', 'Delivered')]));
      expect((await late())[0]!.clearedAt).toBe(clock.now());
    });

    it('clears when it is no longer late: the store moved its promise', async () => {
      clock.set('2026-11-27T07:00:00Z');
      const shipments = [{ ...(body.shipments as Record<string, unknown>[])[0], promisedDeliveryDate: '2026-12-02' }];
      await upsertOrder({ storeId: store.id, clock, body: { ...body, shipments } });
      expect((await late())[0]!.clearedAt).toBe(at('2026-11-27T07:00:00Z'));
      expect((await shipmentRow(shipmentId)).lateAt).toBe(at('2026-12-04T05:00:00Z'));
    });

    it('a second scan while it is open tells nothing new', async () => {
      clock.set('2026-11-28T06:00:00Z');
      expect(await scanForDelays(clock.now())).toMatchObject({ late: 0 });
      expect(await late()).toHaveLength(1);
    });
  });

  describe('the late notice of a parcel the store made no promise for', () => {
    it('stays open when the carrier pushes its estimate out, giving the new date', async () => {
      // The carrier's first estimate, Tuesday 24th, is the date the shopper was given; late from Thursday 26th.
      const w = await world('2026-11-20T15:00:00Z');
      const o = await newOrder(w.store, w.clock, {
        shipments: [{ carrier: 'USPS', trackingCode: '9400100000000000000002', items: [{ sku: 'MUG', quantity: 2 }] }],
      });
      await apply(w.store, w.clock, o.shipmentId, snap('in_transit', [accepted], { estDeliveryAt: at('2026-11-24T00:00:00Z') }));
      expect((await shipmentRow(o.shipmentId)).lateAt).toBe(at('2026-11-26T05:00:00Z'));
      expect((await scanForDelays(at('2026-11-26T06:00:00Z'))).late).toBe(1);
      w.clock.set('2026-11-26T15:00:00Z');
      await apply(
        w.store,
        w.clock,
        o.shipmentId,
        snap('in_transit', [accepted, event('2026-11-26T14:00:00Z', 'in_transit', 'Delayed in transit')], {
          estDeliveryAt: at('2026-11-30T00:00:00Z'),
        }),
      );
      expect((await noticesOf(o.shipmentId)).filter((n) => n.kind === 'late')).toEqual([
        expect.objectContaining({ clearedAt: null, revisedDate: '2026-11-30' }),
      ]);
    });
  });

  it('does nothing when asked for the parcel under another store', async () => {
    const other = (await makeStore({}, clock)).store;
    await transaction((tx) =>
      tx
        .update(schema.shipments)
        .set({ status: 'failure', statusDetail: 'lost', lateAt: 1, quietAt: 1 })
        .where(eq(schema.shipments.id, shipmentId)),
    );
    const before = { counts: await counts(), row: await shipmentRow(shipmentId) };
    await transaction((tx) => refreshParcel(tx, { storeId: other.id, shipmentId, moved: true, now: clock.now() }));
    expect(await counts()).toEqual(before.counts);
    expect(await shipmentRow(shipmentId)).toEqual(before.row);
    // under its own store the same call opens the lost parcel's notice and case
    await transaction((tx) => refreshParcel(tx, { storeId: store.id, shipmentId, moved: true, now: clock.now() }));
    expect(await openKinds(shipmentId)).toEqual(['exception']);
    expect((await casesOf(orderId)).map((c) => c.kind)).toEqual(['lost']);
  });
});

describe('revisedDate', () => {
  it('is the carrier’s estimate day while it is today or later in the zone', () => {
    const now = at('2026-11-27T03:00:00Z'); // Thursday 26th 22:00 EST
    expect(revisedDate(null, now, NY)).toBeNull();
    expect(revisedDate(at('2026-11-26T00:00:00Z'), now, NY)).toBe('2026-11-26');
    expect(revisedDate(at('2026-11-26T00:00:00Z'), now, 'UTC')).toBeNull();
    expect(revisedDate(at('2026-11-30T00:00:00Z'), now, NY)).toBe('2026-11-30');
    expect(revisedDate(at('2026-11-25T00:00:00Z'), now, NY)).toBeNull();
  });
});
