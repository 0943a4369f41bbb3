// When a parcel's check-in ("Did everything arrive as it should?") is due, and until when it is
// still worth asking. Pure: the scan and the order page decide from the same rules.
import type { AfterDeliveryPolicy } from '../policies/after-delivery-policy.ts';
import type { NotificationSettings } from '../stores/notification-settings.ts';

const DAY = 86_400_000;

/**
 * A check-in that fell due more than this long ago is not asked by email or push: an order
 * imported weeks after its delivery (or a delivery scan that reached us very late) would get a
 * question about something the shopper has long dealt with. A week covers a scan job that was
 * down for days, quiet hours and weekends.
 */
const ASK_LATE_CUTOFF_MS = 7 * DAY;

/** The widest window the scan reads: the longest checkinDays a store may set (30) plus the cut-off. */
export const SCAN_WINDOW_MS = 30 * DAY + ASK_LATE_CUTOFF_MS;

/** The instant the parcel's check-in falls due: the delivery scan plus the store's days. */
export function checkinDueAt(deliveredAt: number, policy: Pick<AfterDeliveryPolicy, 'checkinDays'>): number {
  return deliveredAt + policy.checkinDays * DAY;
}

/** 'early' before it is due, 'due' while it may be asked, 'late' past the cut-off. */
export function checkinTiming(
  deliveredAt: number,
  policy: Pick<AfterDeliveryPolicy, 'checkinDays'>,
  now: number,
): 'early' | 'due' | 'late' {
  const due = checkinDueAt(deliveredAt, policy);
  if (now < due) return 'early';
  return now - due > ASK_LATE_CUTOFF_MS ? 'late' : 'due';
}

/**
 * The store switched check-ins off on every channel (`notifications.kinds.checkin`, email and push
 * both false): nobody is asked, not by email, not by push and not on the order page. One channel
 * off leaves the question on the other and on the page. A shop platform that emails its own
 * check-in (`platformSends`) does not count: the store still wants the answers here.
 */
export function checkinSwitchedOff(n: Pick<NotificationSettings, 'kinds'>): boolean {
  return !n.kinds.checkin.email && !n.kinds.checkin.push;
}
