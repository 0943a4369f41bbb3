// The estimated delivery date, from a chain of sources: the store's promised date, else the
// carrier's estimate, else the store's rule (processing plus transit business days). A date that
// has passed without a delivery scan is never shown as if it still held: the next source still in
// the future is used as a revised estimate, and when none is left the shopper is told we are checking.
import { addBusinessDays } from '../../lib/dates.ts';

type EstimateSource = 'store' | 'carrier' | 'rule';

export type Estimate =
  | { kind: 'delivered'; date: string }
  | { kind: 'expected'; date: string; source: EstimateSource; revised: boolean; originalDate: string }
  | { kind: 'checking'; originalDate: string }
  | { kind: 'none' };

export interface EstimateInput {
  /** Calendar day of delivery in the order's zone, when delivered. */
  deliveredDay: string | null;
  promisedDate: string | null;
  /** The carrier's estimate as a calendar day. */
  carrierDay: string | null;
  /** The day the parcel was first scanned (or the label created), if it has shipped. */
  shippedDay: string | null;
  placedDay: string;
  processingDays: number;
  transitDays: number;
  /** Today in the order's zone. */
  today: string;
  /** True when the parcel is stuck in an exception that no date can describe. */
  exception: boolean;
}

/** The rule's date: dispatch after processing days, then transit days, all business days. */
export function ruleDay(i: Pick<EstimateInput, 'shippedDay' | 'placedDay' | 'processingDays' | 'transitDays'>): string {
  const dispatch = i.shippedDay ?? addBusinessDays(i.placedDay, i.processingDays);
  return addBusinessDays(dispatch, i.transitDays);
}

/** Decides what the shopper is told about when the parcel arrives. */
export function estimateDelivery(i: EstimateInput): Estimate {
  if (i.deliveredDay) return { kind: 'delivered', date: i.deliveredDay };
  if (i.exception) return { kind: 'none' };
  const chain: [EstimateSource, string | null][] = [
    ['store', i.promisedDate],
    ['carrier', i.carrierDay],
    ['rule', ruleDay(i)],
  ];
  const known = chain.filter((c): c is [EstimateSource, string] => c[1] !== null);
  const first = known[0];
  if (!first) return { kind: 'none' };
  if (first[1] >= i.today) return { kind: 'expected', date: first[1], source: first[0], revised: false, originalDate: first[1] };
  const later = known.find((c) => c[1] >= i.today);
  if (later) return { kind: 'expected', date: later[1], source: later[0], revised: true, originalDate: first[1] };
  return { kind: 'checking', originalDate: first[1] };
}
