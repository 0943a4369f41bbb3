// A delivered parcel's row in the daily rollup: days in the order's zone, no first scan, never delivered.
import { describe, expect, it } from 'vitest';
import {
  contributionOf,
  countryOf,
  decodeContribution,
  encodeContribution,
  type ParcelFacts,
} from '../../../src/server/analytics/parcel-contribution.ts';

const base: ParcelFacts = {
  status: 'delivered',
  carrier: 'USPS',
  service: 'Priority',
  country: 'US',
  timeZone: 'America/Los_Angeles',
  firstScanAt: Date.parse('2026-11-21T03:00:00Z'), // 20 Nov, 19:00 in Los Angeles
  deliveredAt: Date.parse('2026-11-25T02:00:00Z'), // 24 Nov, 18:00 in Los Angeles
  firstEstimateDate: '2026-11-24',
  failedAttempt: false,
  toldLate: false,
  hadException: false,
};

describe('contributionOf', () => {
  it('takes the delivery day and transit days in the order’s time zone', () => {
    const c = contributionOf(base)!;
    expect(c.day).toBe('2026-11-24'); // in UTC it would be the 25th, and late
    expect(c.transitDays).toBe(4); // 20 → 24 November; in UTC 21 → 25 is also 4, but the day differs
    expect(c.onTime).toBe(1);
    expect(c.firstAttempt).toBe(1);
    expect({ service: c.service, country: c.country }).toEqual({ service: 'Priority', country: 'US' });
  });

  it('judges the same instants late in a zone where delivery falls a day later', () => {
    const c = contributionOf({ ...base, timeZone: 'Europe/Berlin' })!;
    expect(c.day).toBe('2026-11-25');
    expect(c.onTime).toBe(0);
    expect(c.transitDays).toBe(4); // 21 → 25 November in Berlin
  });

  it('keeps a parcel with no first scan in the count but out of the transit histogram (-1)', () => {
    const c = contributionOf({ ...base, firstScanAt: null })!;
    expect(c.transitDays).toBe(-1);
    expect(c.onTime).toBe(1);
  });

  it('counts nothing for a parcel never delivered, and a failed attempt as not first-attempt', () => {
    expect(contributionOf({ ...base, status: 'in_transit', deliveredAt: null })).toBeNull();
    expect(contributionOf({ ...base, status: 'return_to_sender' })).toBeNull();
    expect(contributionOf({ ...base, failedAttempt: true, toldLate: true, hadException: true })).toMatchObject({
      firstAttempt: 0,
      toldLate: 1,
      hadException: 1,
    });
  });

  it('counts a parcel without a first estimate as not on time, and no service or country as empty', () => {
    expect(contributionOf({ ...base, firstEstimateDate: null, service: null, country: null })).toMatchObject({
      onTime: 0,
      service: '',
      country: '',
    });
  });

  it('round-trips through the text kept on the parcel', () => {
    const c = contributionOf(base);
    expect(decodeContribution(encodeContribution(c))).toEqual(c);
    expect(encodeContribution(null)).toBeNull();
  });

  it('reads the destination from the address as either dialect returns it', () => {
    expect(countryOf('{"country":"DE"}')).toBe('DE');
    expect(countryOf({ country: 'FR' })).toBe('FR');
    expect(countryOf(null)).toBeNull();
  });
});
