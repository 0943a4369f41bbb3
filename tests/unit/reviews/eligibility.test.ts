// When items become reviewable: a table across delivery dates, time zones, missing delivery
// scans, lost parcels, returns and items already invited.
import { describe, expect, it } from 'vitest';
import { localHour, parcelReviewableAt, reviewableItems, type ParcelForReview } from '../../../src/server/reviews/eligibility.ts';

const policy = { requestDelayDays: 5, fallbackDaysAfterFulfillment: 14 };
const T = (iso: string) => Date.parse(iso);

describe('parcelReviewableAt', () => {
  it.each([
    // delivered at, zone, expected reviewable-from (09:00 local on delivery day + 5)
    ['2026-11-20T15:00:00Z', 'UTC', '2026-11-25T09:00:00Z'],
    ['2026-11-20T15:00:00Z', 'America/New_York', '2026-11-25T14:00:00Z'],
    // 03:00Z on the 21st is still the 20th in New York
    ['2026-11-21T03:00:00Z', 'America/New_York', '2026-11-25T14:00:00Z'],
    // ... and already the 21st in Sydney (UTC+11): the 26th, 09:00 Sydney = 25th 22:00Z
    ['2026-11-20T15:00:00Z', 'Australia/Sydney', '2026-11-25T22:00:00Z'],
    // Across the end of daylight saving in New York (1 November 2026): 09:00 EST = 14:00Z
    ['2026-10-28T16:00:00Z', 'America/New_York', '2026-11-02T14:00:00Z'],
    // Berlin summer time (UTC+2)
    ['2026-07-01T10:00:00Z', 'Europe/Berlin', '2026-07-06T07:00:00Z'],
  ])('delivered %s in %s → reviewable from %s', (delivered, zone, expected) => {
    const r = parcelReviewableAt({ status: 'delivered', deliveredAt: T(delivered), createdAt: T('2026-01-01T00:00:00Z') }, policy, zone);
    expect(r).toEqual({ at: T(expected), basis: 'delivery' });
  });

  it('never before the delivery scan, even with no delay', () => {
    const delivered = T('2026-11-20T18:30:00Z');
    const r = parcelReviewableAt({ status: 'delivered', deliveredAt: delivered, createdAt: 0 }, { ...policy, requestDelayDays: 0 }, 'UTC');
    expect(r!.at).toBe(delivered); // 09:00 that day was before it arrived
  });

  it('without a delivery scan: fulfilment plus the fallback days, in the zone', () => {
    const r = parcelReviewableAt(
      { status: 'in_transit', deliveredAt: null, createdAt: T('2026-11-10T23:30:00Z') },
      policy,
      'America/Los_Angeles',
    );
    // 15:30 on the 10th in Los Angeles → the 24th at 09:00 PST = 17:00Z
    expect(r).toEqual({ at: T('2026-11-24T17:00:00Z'), basis: 'fulfilment' });
  });

  it.each(['return_to_sender', 'failure', 'cancelled', 'error'] as const)('never for a parcel that is %s', (status) => {
    expect(parcelReviewableAt({ status, deliveredAt: null, createdAt: 0 }, policy, 'UTC')).toBeNull();
  });

  it('localHour handles the day clocks change', () => {
    expect(localHour('2026-03-08', 9, 'America/New_York')).toBe(T('2026-03-08T13:00:00Z'));
    expect(localHour('2026-11-01', 9, 'America/New_York')).toBe(T('2026-11-01T14:00:00Z'));
  });
});

describe('reviewableItems', () => {
  const parcel = (over: Partial<ParcelForReview>): ParcelForReview => ({
    id: 'p1',
    status: 'delivered',
    deliveredAt: T('2026-11-20T15:00:00Z'),
    createdAt: T('2026-11-17T15:00:00Z'),
    items: [
      { sku: 'TENT-G', productId: 'TENT' },
      { sku: 'MUG', productId: 'MUG' },
    ],
    ...over,
  });
  const base = { policy, timeZone: 'UTC', returnedSkus: new Set<string>(), invitedSkus: new Set<string>() };

  it.each([
    ['the day before', '2026-11-25T08:59:59Z', 0],
    ['the moment it is due', '2026-11-25T09:00:00Z', 2],
    ['weeks later', '2026-12-25T09:00:00Z', 2],
  ])('delivered + 5 days: %s', (_label, now, n) => {
    expect(reviewableItems({ ...base, parcels: [parcel({})], now: T(now) })).toHaveLength(n);
  });

  it('never for an item with an open or completed return', () => {
    const r = reviewableItems({ ...base, parcels: [parcel({})], now: T('2026-11-26T00:00:00Z'), returnedSkus: new Set(['MUG']) });
    expect(r.map((i) => i.sku)).toEqual(['TENT-G']);
  });

  it('never twice for the same item of an order', () => {
    const r = reviewableItems({ ...base, parcels: [parcel({})], now: T('2026-11-26T00:00:00Z'), invitedSkus: new Set(['TENT-G', 'MUG']) });
    expect(r).toEqual([]);
  });

  it('an item split across parcels is invited once, from the parcel that became reviewable first', () => {
    const early = parcel({ id: 'a', items: [{ sku: 'MUG', productId: 'MUG' }] });
    const late = parcel({ id: 'b', deliveredAt: T('2026-11-22T15:00:00Z'), items: [{ sku: 'MUG', productId: 'MUG' }] });
    const r = reviewableItems({ ...base, parcels: [late, early], now: T('2026-12-01T00:00:00Z') });
    expect(r).toEqual([{ sku: 'MUG', productId: 'MUG', shipmentId: 'a', basis: 'delivery', reviewableAt: T('2026-11-25T09:00:00Z') }]);
  });

  it('one parcel delivered, another still moving: only the delivered items', () => {
    const moving = parcel({
      id: 'm',
      status: 'in_transit',
      deliveredAt: null,
      createdAt: T('2026-11-19T15:00:00Z'),
      items: [{ sku: 'LAMP', productId: 'LAMP' }],
    });
    const r = reviewableItems({ ...base, parcels: [parcel({}), moving], now: T('2026-11-26T00:00:00Z') });
    expect(r.map((i) => i.sku).sort()).toEqual(['MUG', 'TENT-G']);
  });

  it('a lost parcel is never invited, however long ago it shipped', () => {
    const lost = parcel({ status: 'failure', deliveredAt: null });
    expect(reviewableItems({ ...base, parcels: [lost], now: T('2027-06-01T00:00:00Z') })).toEqual([]);
  });
});
