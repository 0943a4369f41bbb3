import { describe, expect, it } from 'vitest';
import { exceptionFor } from '../../../src/server/notices/notice-kinds.ts';
import type { ShipmentStatus } from '../../../src/server/tracking/statuses.ts';
import { apply, casesOf, event, newOrder, openKinds, shipmentRow, snap, world } from './helpers.ts';

describe('exceptionFor', () => {
  it.each([
    // a person must act: a case
    ['return_to_sender', 'return_to_sender', { reason: 'return_to_sender/return_to_sender', caseKind: 'return_to_sender' }],
    ['return_to_sender', null, { reason: 'return_to_sender/unknown', caseKind: 'return_to_sender' }],
    ['failure', 'address_not_found', { reason: 'failure/address_not_found', caseKind: 'delivery_failed' }],
    ['failure', null, { reason: 'failure/unknown', caseKind: 'delivery_failed' }],
    ['failure', 'lost', { reason: 'failure/lost', caseKind: 'lost' }],
    ['in_transit', 'lost', { reason: 'in_transit/lost', caseKind: 'lost' }],
    ['in_transit', 'damaged', { reason: 'in_transit/damaged', caseKind: 'damaged' }],
    ['out_for_delivery', 'damaged', { reason: 'out_for_delivery/damaged', caseKind: 'damaged' }],
    ['in_transit', 'return_to_sender', { reason: 'in_transit/return_to_sender', caseKind: 'return_to_sender' }],
    ['in_transit', 'address_not_found', { reason: 'in_transit/address_not_found', caseKind: 'delivery_failed' }],
    ['out_for_delivery', 'delivery_exception', { reason: 'out_for_delivery/delivery_exception', caseKind: 'delivery_failed' }],
    // telling the shopper is enough
    ['available_for_pickup', 'arrived_at_destination', { reason: 'available_for_pickup/arrived_at_destination', caseKind: null }],
    ['error', 'unknown', { reason: 'error/unknown', caseKind: null }],
    ['cancelled', null, { reason: 'cancelled/unknown', caseKind: null }],
    ['in_transit', 'address_correction', { reason: 'in_transit/address_correction', caseKind: null }],
    ['out_for_delivery', 'attempted_delivery', { reason: 'out_for_delivery/attempted_delivery', caseKind: null }],
    ['in_transit', 'cancelled', { reason: 'in_transit/cancelled', caseKind: null }],
  ] as [ShipmentStatus, string | null, unknown][])('%s / %s → %o', (status, detail, expected) => {
    expect(exceptionFor(status, detail)).toEqual(expected);
  });

  it.each([
    ['unknown', null],
    ['pre_transit', 'status_update'],
    ['pre_transit', 'label_created'],
    ['in_transit', 'arrived_at_facility'],
    ['in_transit', 'departed_facility'],
    ['in_transit', 'status_update'],
    ['in_transit', 'unknown'],
    ['in_transit', null],
    ['out_for_delivery', 'out_for_delivery'],
    ['delivered', 'arrived_at_destination'],
    ['in_transit', 'toString'], // not fooled by the prototype of the lookup table
    ['in_transit', 'constructor'],
  ] as [ShipmentStatus, string | null][])('%s / %s is ordinary progress', (status, detail) => {
    expect(exceptionFor(status, detail)).toBeNull();
  });
});

describe('a carrier detail that is not in the table, applied to a parcel', () => {
  it('is stored as ordinary progress, even when named like a member of Object.prototype', async () => {
    const { store, clock } = await world('2026-11-20T15:00:00Z');
    const o = await newOrder(store, clock);
    const r = await apply(
      store,
      clock,
      o.shipmentId,
      snap('in_transit', [event('2026-11-20T18:00:00Z', 'in_transit', 'Accepted')], { statusDetail: 'constructor' }),
    );
    expect(r.statusAfter).toBe('in_transit');
    expect((await shipmentRow(o.shipmentId)).statusDetail).toBe('constructor');
    expect(await openKinds(o.shipmentId)).toEqual([]);
    expect(await casesOf(o.orderId)).toEqual([]);
  });
});
