import { describe, expect, it } from 'vitest';
import { milestoneFor } from '../../../src/server/tracking/milestone.ts';
import {
  EXCEPTION_STATUSES,
  isShipmentStatus,
  MILESTONES,
  SETTLED_STATUSES,
  SHIPMENT_STATUSES,
  statusRank,
  type ShipmentStatus,
} from '../../../src/server/tracking/statuses.ts';

describe('milestoneFor', () => {
  // status, scanned, step, milestone, headline, exception
  const table: [ShipmentStatus | null, boolean, number, string, string, string | null][] = [
    [null, false, 0, 'ordered', 'Preparing your order', null],
    ['unknown', false, 1, 'shipped', 'Label created', null],
    ['pre_transit', false, 1, 'shipped', 'Label created', null],
    ['pre_transit', true, 1, 'shipped', 'Label created', null],
    ['in_transit', true, 2, 'in_transit', 'In transit', null],
    ['out_for_delivery', true, 3, 'out_for_delivery', 'Out for delivery', null],
    ['available_for_pickup', true, 3, 'out_for_delivery', 'Ready for pickup', null],
    ['delivered', true, 4, 'delivered', 'Delivered', null],
    ['return_to_sender', true, 2, 'in_transit', 'Returning to the store', 'return_to_sender'],
    ['return_to_sender', false, 1, 'shipped', 'Returning to the store', 'return_to_sender'],
    ['failure', true, 2, 'in_transit', 'Delivery problem', 'failure'],
    ['failure', false, 1, 'shipped', 'Delivery problem', 'failure'],
    ['cancelled', false, 1, 'shipped', 'Shipment cancelled', 'cancelled'],
    ['cancelled', true, 1, 'shipped', 'Shipment cancelled', 'cancelled'],
    ['error', false, 1, 'shipped', 'Tracking unavailable', 'error'],
    ['error', true, 1, 'shipped', 'Tracking unavailable', 'error'],
  ];

  it.each(table)('%s (scanned: %s) → step %i %s, "%s", exception %s', (status, scanned, step, milestone, headline, exception) => {
    const v = milestoneFor(status, scanned);
    expect(v.step).toBe(step);
    expect(v.milestone).toBe(milestone);
    expect(MILESTONES[v.step]).toBe(v.milestone);
    expect(v.headline).toBe(headline);
    expect(v.exception).toBe(exception);
    expect(v.detail.length).toBeGreaterThan(10);
  });

  it('covers every EasyPost status', () => {
    for (const s of SHIPMENT_STATUSES) {
      const v = milestoneFor(s, true);
      expect(v.step, s).toBeGreaterThanOrEqual(1);
      expect(v.step, s).toBeLessThanOrEqual(4);
      expect(v.exception !== null, s).toBe(EXCEPTION_STATUSES.has(s));
    }
  });
});

describe('statuses', () => {
  it('lists the ten EasyPost statuses', () => {
    expect([...SHIPMENT_STATUSES].sort()).toEqual([
      'available_for_pickup',
      'cancelled',
      'delivered',
      'error',
      'failure',
      'in_transit',
      'out_for_delivery',
      'pre_transit',
      'return_to_sender',
      'unknown',
    ]);
    expect(isShipmentStatus('in_transit')).toBe(true);
    expect(isShipmentStatus('lost')).toBe(false);
    expect(isShipmentStatus('IN_TRANSIT')).toBe(false);
  });

  it('ranks statuses along the journey, exceptions with in-transit', () => {
    expect(statusRank('unknown')).toBe(1);
    expect(statusRank('pre_transit')).toBe(1);
    expect(statusRank('in_transit')).toBe(2);
    expect(statusRank('out_for_delivery')).toBe(3);
    expect(statusRank('available_for_pickup')).toBe(3);
    expect(statusRank('delivered')).toBe(4);
    for (const s of ['return_to_sender', 'failure', 'cancelled', 'error'] as const) expect(statusRank(s)).toBe(2);
  });

  it('knows which statuses settle a parcel and which are exceptions', () => {
    expect([...SETTLED_STATUSES].sort()).toEqual(['cancelled', 'delivered', 'return_to_sender']);
    expect([...EXCEPTION_STATUSES].sort()).toEqual(['cancelled', 'error', 'failure', 'return_to_sender']);
  });
});
