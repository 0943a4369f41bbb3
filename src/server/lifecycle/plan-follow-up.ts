// What the follow-up suggests and when it goes (issue #15), as pure decisions over plain data so
// a unit test can stand "ten days after delivery" without a database. Suggestions are the store's
// own `related` lists for what was bought; only when those offer nothing, what the store's own
// customers bought together with it. Never what this customer already has (bought or returned,
// any order) and never a product that cannot be bought now.
import type { AfterDeliveryPolicy } from '../policies/after-delivery-policy.ts';

const DAY = 86_400_000;
/** A follow-up this long past its day is no longer "after your order": it is not sent at all. */
export const FOLLOW_UP_WINDOW_MS = 14 * DAY;
/** At most this many products in one suggestion. */
const MAX_SUGGESTIONS = 4;

export interface SuggestionInput {
  /** Product ids of this order, in the order's item order. */
  bought: readonly string[];
  /** The store's related lists, by product id (only the bought products are read). */
  related: Readonly<Record<string, readonly string[]>>;
  /** Product ids of each other order of the store holding at least one of the bought products. */
  boughtTogether: readonly (readonly string[])[];
  /** Everything this customer ever ordered (any order, returned or not). */
  owned: ReadonlySet<string>;
  /** Products with at least one available variant. */
  available: ReadonlySet<string>;
  limit?: number;
}

/** The products to suggest for an order, best first: related, else bought together; at most four. */
export function suggestProducts(i: SuggestionInput): string[] {
  const limit = i.limit ?? MAX_SUGGESTIONS;
  const bought = new Set(i.bought);
  const fits = (id: string) => !bought.has(id) && !i.owned.has(id) && i.available.has(id);
  const fromRelated = unique(i.bought.flatMap((p) => i.related[p] ?? [])).filter(fits);
  if (fromRelated.length) return fromRelated.slice(0, limit);
  // Bought together: how many of the store's orders hold the product beside something bought here.
  const counts = new Map<string, number>();
  for (const order of i.boughtTogether) {
    const ids = new Set(order);
    if (![...ids].some((id) => bought.has(id))) continue;
    for (const id of ids) if (fits(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([id]) => id);
}

export type FollowUpDecision =
  { send: true } | { send: false; why: 'not_yet' | 'too_late' | 'held' | 'recently_contacted' | 'no_consent' | 'nothing_to_suggest' };

export interface FollowUpFacts {
  /** The order's latest delivery scan. */
  deliveredAt: number;
  now: number;
  policy: Pick<AfterDeliveryPolicy, 'followUpDays' | 'followUpGapDays'>;
  marketingConsent: boolean;
  /** A case or a return is open for the order: wait until it is settled. */
  held: boolean;
  /** The last follow-up this customer was sent by the store (any order), if any. */
  lastFollowUpAt: number | null;
  suggestions: number;
}

/** Whether the order's follow-up goes now. */
export function decideFollowUp(f: FollowUpFacts): FollowUpDecision {
  const due = f.deliveredAt + f.policy.followUpDays * DAY;
  if (f.now < due) return { send: false, why: 'not_yet' };
  if (f.now >= due + FOLLOW_UP_WINDOW_MS) return { send: false, why: 'too_late' };
  if (!f.marketingConsent) return { send: false, why: 'no_consent' };
  if (f.held) return { send: false, why: 'held' };
  if (f.lastFollowUpAt !== null && f.now - f.lastFollowUpAt < f.policy.followUpGapDays * DAY)
    return { send: false, why: 'recently_contacted' };
  if (f.suggestions === 0) return { send: false, why: 'nothing_to_suggest' };
  return { send: true };
}

/** The follow-up's dedupe key: one per order, on every channel. */
export const followUpKey = (orderId: string) => `follow-up:${orderId}`;

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
