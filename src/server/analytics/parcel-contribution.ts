// What one delivered parcel adds to the daily delivery rollup: a key (the rollup's row) and its
// counts. The same function feeds the incremental rollup and the rebuild, so the two agree.
import { dayInZone } from '../../lib/dates.ts';
import { isOnTime, transitDays } from './formulas.ts';

/** A parcel as the rollup sees it. */
export interface ParcelFacts {
  status: string;
  carrier: string;
  service: string | null;
  country: string | null;
  timeZone: string;
  firstScanAt: number | null;
  deliveredAt: number | null;
  firstEstimateDate: string | null;
  /** An earlier failed attempt (failure, attempted delivery, …) before the delivery scan. */
  failedAttempt: boolean;
  toldLate: boolean;
  hadException: boolean;
  /** The units the parcel brought, by product (the return rate's denominator). */
  products?: readonly ProductUnits[];
}

/** Units of one product in a parcel. */
export interface ProductUnits {
  productId: string;
  units: number;
}

/** One parcel's row and counts in delivery_daily. */
export interface Contribution {
  day: string;
  carrier: string;
  service: string;
  country: string;
  transitDays: number;
  onTime: 0 | 1;
  firstAttempt: 0 | 1;
  toldLate: 0 | 1;
  hadException: 0 | 1;
  /** Units by product (product_delivery_daily), sorted by product; absent on parcels counted before products were. */
  products?: ProductUnits[];
}

/** The parcel's contribution, or null when it is not (or no longer) delivered. */
export function contributionOf(p: ParcelFacts): Contribution | null {
  if (p.status !== 'delivered' || p.deliveredAt === null) return null;
  const day = dayInZone(p.deliveredAt, p.timeZone);
  return {
    day,
    carrier: p.carrier,
    service: p.service ?? '',
    country: p.country ?? '',
    transitDays: p.firstScanAt === null || p.firstScanAt > p.deliveredAt ? -1 : transitDays(dayInZone(p.firstScanAt, p.timeZone), day),
    onTime: p.firstEstimateDate !== null && isOnTime(day, p.firstEstimateDate) ? 1 : 0,
    firstAttempt: p.failedAttempt ? 0 : 1,
    toldLate: p.toldLate ? 1 : 0,
    hadException: p.hadException ? 1 : 0,
    products: [...(p.products ?? [])]
      .filter((x) => x.units > 0)
      .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)),
  };
}

/** The contribution as the text kept on the parcel (shipments.counted_as). */
export function encodeContribution(c: Contribution | null): string | null {
  return c === null ? null : JSON.stringify(c);
}

/** Reads shipments.counted_as back. */
export function decodeContribution(text: string | null): Contribution | null {
  return text === null ? null : (JSON.parse(text) as Contribution);
}

/** Carrier signals that mean a delivery attempt failed or the parcel was held instead. */
export const FAILED_ATTEMPT_STATUSES = ['failure', 'available_for_pickup'];
export const FAILED_ATTEMPT_DETAILS = ['attempted_delivery', 'delivery_exception', 'address_not_found'];

/** The destination country of an order's shipping address (JSON text on SQLite, an object on PostgreSQL). */
export function countryOf(address: unknown): string | null {
  const parsed = typeof address === 'string' ? (JSON.parse(address) as unknown) : address;
  const country = (parsed as { country?: unknown } | null)?.country;
  return typeof country === 'string' ? country : null;
}
