// When a consumable runs low (issue #15), as pure decisions: the interval is the product's own
// replenishAfterDays, else one learned from the store's repeat purchases (the median gap between a
// customer's consecutive orders of it, once at least five customers have bought it again). The
// reminder comes that many days after delivery less the store's lead days; a customer's reminders
// due the same local day go together (groupByDay), one message listing them all.
const DAY = 86_400_000;
/** A reminder this long past its day is stale: the shopper has reordered elsewhere or moved on. */
export const REPLENISHMENT_WINDOW_MS = 14 * DAY;
/** Repeat buyers needed before an interval is learned from them. */
const MIN_REPEAT_CUSTOMERS = 5;

export interface Purchase {
  /** The customer's normalised email. */
  customer: string;
  productId: string;
  orderId: string;
  /** When the order was placed. */
  at: number;
}

/** The learned interval in whole days per product: only products at least `minCustomers` customers bought again. */
export function learnIntervals(purchases: readonly Purchase[], minCustomers = MIN_REPEAT_CUSTOMERS): Map<string, number> {
  // product → customer → order → placed at (one order of a product counts once)
  const by = new Map<string, Map<string, Map<string, number>>>();
  for (const p of purchases) {
    const customers = by.get(p.productId) ?? new Map<string, Map<string, number>>();
    by.set(p.productId, customers);
    const orders = customers.get(p.customer) ?? new Map<string, number>();
    customers.set(p.customer, orders);
    orders.set(p.orderId, p.at);
  }
  const learned = new Map<string, number>();
  for (const [productId, customers] of by) {
    const gaps: number[] = [];
    let repeaters = 0;
    for (const orders of customers.values()) {
      const times = [...orders.values()].sort((a, b) => a - b);
      if (times.length < 2) continue;
      repeaters++;
      for (let k = 1; k < times.length; k++) gaps.push((times[k]! - times[k - 1]!) / DAY);
    }
    if (repeaters < minCustomers) continue;
    const days = Math.round(median(gaps));
    if (days >= 1) learned.set(productId, days);
  }
  return learned;
}

/** The interval for a product: its own replenishAfterDays first, else the learned one, else none. */
export function intervalFor(productId: string, explicit: ReadonlyMap<string, number>, learned: ReadonlyMap<string, number>): number | null {
  return explicit.get(productId) ?? learned.get(productId) ?? null;
}

/** When the reminder is due: delivery + interval − lead (never before the day after delivery). */
export function replenishmentDueAt(deliveredAt: number, intervalDays: number, leadDays: number): number {
  return deliveredAt + Math.max(1, intervalDays - leadDays) * DAY;
}

export type ReplenishmentDecision =
  { send: true } | { send: false; why: 'not_yet' | 'too_late' | 'reordered' | 'returned' | 'no_consent' | 'held' | 'no_link' };

export interface ReplenishmentFacts {
  dueAt: number;
  now: number;
  marketingConsent: boolean;
  /** The customer ordered this product again after this order. */
  reordered: boolean;
  /** This order's units of the product are (being) returned. */
  returned: boolean;
  /** A case or a return is open for the order: wait. */
  held: boolean;
  /** The product's page, where the shopper reorders. */
  url: string | null;
}

/** Whether the reminder for one product of an order goes now. */
export function decideReplenishment(f: ReplenishmentFacts): ReplenishmentDecision {
  if (f.now < f.dueAt) return { send: false, why: 'not_yet' };
  if (f.now >= f.dueAt + REPLENISHMENT_WINDOW_MS) return { send: false, why: 'too_late' };
  if (f.reordered) return { send: false, why: 'reordered' };
  if (f.returned) return { send: false, why: 'returned' };
  if (!f.marketingConsent) return { send: false, why: 'no_consent' };
  if (!f.url) return { send: false, why: 'no_link' };
  if (f.held) return { send: false, why: 'held' };
  return { send: true };
}

const PREFIX = 'replenishment:';
const DAY_PREFIX = 'replenishment-day:';

/**
 * The reminder's dedupe key, on every channel: one per customer and local day, named after the
 * group's first reminder (its order) and that day. What it covers is in replenishment_items.
 */
export const replenishmentDayKey = (orderId: string, day: string) => `${DAY_PREFIX}${orderId}:${day}`;

/** The reminder key inside a ledger row's dedupe key (`email:` or `push:<device>:` in front), or null. */
export function replenishmentDayKeyOf(dedupeKey: string): string | null {
  const at = dedupeKey.indexOf(DAY_PREFIX);
  return at < 0 ? null : dedupeKey.slice(at);
}

/**
 * The product of a reminder recorded before they were grouped by day (`replenishment:{order}:{product}`,
 * one per order and product), read back from its dedupe key; null for any other key.
 */
export function productOfReplenishment(dedupeKey: string, orderId: string): string | null {
  const marker = `${PREFIX}${orderId}:`;
  const at = dedupeKey.indexOf(marker);
  return at < 0 ? null : dedupeKey.slice(at + marker.length) || null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface DueReminder {
  orderId: string;
  productId: string;
  /** The customer's normalised email. */
  customer: string;
  dueAt: number;
  /** The local day (YYYY-MM-DD, the order's time zone) it falls due. */
  day: string;
}

/**
 * One message per customer and local day: the reminders due on the same day, in due order (the
 * first names the group), and only the groups of which one is due by `now` (the rest of that day's
 * come forward with it; tomorrow's wait for tomorrow).
 */
export function groupByDay(due: readonly DueReminder[], now: number): DueReminder[][] {
  const groups = new Map<string, DueReminder[]>();
  const sorted = [...due].sort((a, b) => a.dueAt - b.dueAt || a.orderId.localeCompare(b.orderId) || a.productId.localeCompare(b.productId));
  for (const r of sorted) {
    const k = `${r.customer}\u0000${r.day}`;
    const g = groups.get(k) ?? [];
    groups.set(k, g);
    if (!g.some((x) => x.orderId === r.orderId && x.productId === r.productId)) g.push(r);
  }
  return [...groups.values()].filter((g) => g[0]!.dueAt <= now);
}
