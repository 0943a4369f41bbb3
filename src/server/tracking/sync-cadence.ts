// How often the reconciling poll re-reads a tracker. Webhooks come first; the poll catches what
// they missed: more often when the parcel is out for delivery, never once it has settled.
import { SETTLED_STATUSES, type ShipmentStatus } from '../tracking/statuses.ts';

const MINUTE = 60_000;
const CADENCE: Record<ShipmentStatus, number> = {
  unknown: 6 * 60 * MINUTE,
  pre_transit: 6 * 60 * MINUTE,
  in_transit: 4 * 60 * MINUTE,
  out_for_delivery: 30 * MINUTE,
  available_for_pickup: 12 * 60 * MINUTE,
  failure: 12 * 60 * MINUTE,
  error: 12 * 60 * MINUTE,
  delivered: 0,
  return_to_sender: 0,
  cancelled: 0,
};

/** When to poll next after a successful read; null once the parcel has settled. */
export function nextSyncAfter(status: ShipmentStatus, now: number): number | null {
  return SETTLED_STATUSES.has(status) ? null : now + CADENCE[status];
}

/** Backoff after a failed call: exponential from 30 s to 1 h, with ±50% jitter so retries spread out. */
export function backoffAfter(attempts: number, now: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * MINUTE);
  return now + Math.round(base * (0.5 + random()));
}
