// The order page's check-in cards: one per delivered parcel whose check-in is due and not yet
// answered (or not asked for a reason: a case or return open, past the cut-off), from the moment
// it falls due, whether or not the scan has sent the email yet. None at all when the store switched
// check-ins off on every channel.
import { and, eq } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import type { OrderView } from '../orders/load-order.ts';
import type { AfterDeliveryPolicy } from '../policies/after-delivery-policy.ts';
import type { NotificationSettings } from '../stores/notification-settings.ts';
import { readCheckinBlockers } from './checkin-blockers.ts';
import { checkinDueAt, checkinSwitchedOff, checkinTiming } from './checkin-window.ts';

const DAY = 86_400_000;
/** How long after falling due an unanswered check-in is still shown on the order page. */
const CARD_DAYS = 30;

interface CheckinCard {
  trackingCode: string;
  /** The parcel's place in a split order ({index, total}), or null for a single parcel. */
  parcel: { index: number; total: number } | null;
  deliveredAt: number;
}

export interface CheckinCards {
  cards: CheckinCard[];
  /** The next instant a card appears (a parcel's check-in falls due), for the kept page to go stale then; or null. */
  nextDueAt: number | null;
}

/** The check-in cards the order page shows at `now`. */
export async function getCheckinCards(opts: {
  order: OrderView;
  policy: AfterDeliveryPolicy;
  notifications: Pick<NotificationSettings, 'kinds'>;
  now: number;
}): Promise<CheckinCards> {
  const { order, policy, now } = opts;
  const delivered = order.shipments.filter((s) => s.status === 'delivered' && s.deliveredAt !== null);
  // Switched off everywhere: the page does not ask either (a settings change drops the kept pages).
  if (delivered.length === 0 || checkinSwitchedOff(opts.notifications)) return { cards: [], nextDueAt: null };
  const [rows, blockers] = await Promise.all([
    db()
      .select({ shipmentId: schema.checkins.shipmentId, askedAt: schema.checkins.askedAt, answer: schema.checkins.answer })
      .from(schema.checkins)
      .where(and(eq(schema.checkins.orderId, order.id), eq(schema.checkins.storeId, order.storeId))),
    readCheckinBlockers(db(), { storeId: order.storeId, orderId: order.id }),
  ]);
  // Any row settles the parcel: answered, or not to be asked (a row with askedAt is asked and unanswered).
  const settled = new Set(rows.map((r) => r.shipmentId));
  const asked = new Set(rows.filter((r) => r.askedAt !== null && r.answer === null).map((r) => r.shipmentId));
  const cards: CheckinCard[] = [];
  let nextDueAt: number | null = null;
  for (const s of delivered) {
    const deliveredAt = s.deliveredAt!;
    const timing = checkinTiming(deliveredAt, policy, now);
    // Asked and unanswered: the card stays a while (the page asks quietly; it never nags).
    const fresh = now - checkinDueAt(deliveredAt, policy) <= CARD_DAYS * DAY;
    const open = fresh && (asked.has(s.id) || (!settled.has(s.id) && timing === 'due'));
    if (timing === 'early' && !settled.has(s.id)) {
      const due = checkinDueAt(deliveredAt, policy);
      nextDueAt = nextDueAt === null ? due : Math.min(nextDueAt, due);
    }
    if (!open || blockers.reasonFor({ id: s.id, skus: s.items.map((i) => i.sku) })) continue;
    const index = order.shipments.indexOf(s) + 1;
    cards.push({
      trackingCode: s.trackingCode,
      parcel: order.shipments.length > 1 ? { index, total: order.shipments.length } : null,
      deliveredAt,
    });
  }
  return { cards, nextDueAt };
}
