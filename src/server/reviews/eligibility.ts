// When a parcel's items may be reviewed. Pure: the clock, the store's policy, the order's time
// zone and what has been returned or invited already are all handed in, so a test can stand on
// any day in any zone. Invitations go out at 09:00 local time on the due day: a shopper in
// Sydney is not asked at 3 am because the store runs on New York time.
import { addDays, dayInZone, startOfDayInZone, zoneOffsetMs } from '../../lib/dates.ts';
import type { ReviewsPolicy } from '../policies/reviews-policy.ts';
import { EXCEPTION_STATUSES, type ShipmentStatus } from '../tracking/statuses.ts';

/** The local hour at which items become reviewable on their due day. */
const INVITE_HOUR = 9;

export interface ParcelForReview {
  id: string;
  status: ShipmentStatus;
  /** The carrier's delivery scan. */
  deliveredAt: number | null;
  /** Fulfilment: when the store created the parcel. */
  createdAt: number;
  items: { sku: string; productId: string }[];
}

export type ReviewBasis = 'delivery' | 'fulfilment';

export interface ReviewableItem {
  sku: string;
  productId: string;
  shipmentId: string;
  basis: ReviewBasis;
  reviewableAt: number;
}

/** The instant of `hour`:00 on a calendar day in the zone (daylight-saving days included). */
export function localHour(isoDate: string, hour: number, timeZone: string): number {
  const start = startOfDayInZone(isoDate, timeZone);
  const guess = start + hour * 3_600_000;
  return guess - (zoneOffsetMs(guess, timeZone) - zoneOffsetMs(start, timeZone));
}

/**
 * When a parcel's items become reviewable, and from what: the delivery scan plus the store's
 * delay, or (no delivery scan) fulfilment plus the fallback. Null for a parcel the carrier lost,
 * returned or cancelled: nobody is asked about something they may never have received.
 */
export function parcelReviewableAt(
  p: Pick<ParcelForReview, 'status' | 'deliveredAt' | 'createdAt'>,
  policy: Pick<ReviewsPolicy, 'requestDelayDays' | 'fallbackDaysAfterFulfillment'>,
  timeZone: string,
): { at: number; basis: ReviewBasis } | null {
  if (p.status === 'delivered' && p.deliveredAt !== null) {
    const at = localHour(addDays(dayInZone(p.deliveredAt, timeZone), policy.requestDelayDays), INVITE_HOUR, timeZone);
    return { at: Math.max(at, p.deliveredAt), basis: 'delivery' }; // never before the parcel arrived
  }
  if (EXCEPTION_STATUSES.has(p.status)) return null;
  const at = localHour(addDays(dayInZone(p.createdAt, timeZone), policy.fallbackDaysAfterFulfillment), INVITE_HOUR, timeZone);
  return { at, basis: 'fulfilment' };
}

/**
 * The items that are reviewable now and not yet invited: each item once (the parcel that became
 * reviewable first wins when an item was split), never one with a return.
 */
export function reviewableItems(opts: {
  parcels: ParcelForReview[];
  policy: Pick<ReviewsPolicy, 'requestDelayDays' | 'fallbackDaysAfterFulfillment'>;
  timeZone: string;
  now: number;
  returnedSkus: ReadonlySet<string>;
  invitedSkus: ReadonlySet<string>;
}): ReviewableItem[] {
  const best = new Map<string, ReviewableItem>();
  for (const p of opts.parcels) {
    const due = parcelReviewableAt(p, opts.policy, opts.timeZone);
    if (!due || due.at > opts.now) continue;
    for (const i of p.items) {
      if (opts.returnedSkus.has(i.sku) || opts.invitedSkus.has(i.sku)) continue;
      const seen = best.get(i.sku);
      if (!seen || due.at < seen.reviewableAt)
        best.set(i.sku, { sku: i.sku, productId: i.productId, shipmentId: p.id, basis: due.basis, reviewableAt: due.at });
    }
  }
  return [...best.values()];
}
