// The returns policy applied to one order: which units of each item can come back, and when not,
// why in plain words. Pure: the clock, the store's time zone and what was already returned are
// passed in, so a test can stand on any day in any zone. Windows are counted in calendar days in
// the order's time zone (a daylight-saving change never moves a deadline by an hour's worth of day).
import { addDays, dayInZone, formatDay } from '../../lib/dates.ts';
import type { ReturnsPolicy } from '../policies/returns-policy.ts';

type IneligibleReason = 'no_return_address' | 'final_sale' | 'not_delivered' | 'window_closed' | 'already_returned';

export interface EligibilityItem {
  sku: string;
  productId: string;
  title: string;
  quantity: number;
  unitAmount: number;
  category: string | null;
  finalSale: boolean;
}

interface EligibilityParcel {
  /** When the label was made (fulfilment) and the carrier's first and delivery scans. */
  createdAt: number;
  firstScanAt: number | null;
  deliveredAt: number | null;
  items: { sku: string; quantity: number }[];
}

export interface EligibilityInput {
  policy: ReturnsPolicy;
  policyVersion: number;
  hasReturnAddress: boolean;
  /** The order's time zone (else the store's). */
  timeZone: string;
  locale: string;
  now: number;
  placedAt: number;
  /** Days after fulfilment a parcel without a delivery scan counts as arrived (the store's transit days). */
  transitBufferDays: number;
  items: EligibilityItem[];
  parcels: EligibilityParcel[];
  /** Units per SKU already in an open or completed return. */
  returned: Record<string, number>;
}

interface ItemEligibility {
  sku: string;
  title: string;
  quantity: number;
  deliveredQuantity: number;
  returnableQuantity: number;
  reason: IneligibleReason | null;
  /** The last day (YYYY-MM-DD, in the order's zone) a return can be started for the returnable units. */
  lastDay: string | null;
  /** Units still on their way (returnable once delivered). */
  pendingQuantity: number;
  /** Plain English words (the merchant API and the back office; shopper pages word `reason` in the shopper's language). */
  words: string;
}

export interface Eligibility {
  policyVersion: number;
  items: ItemEligibility[];
  anyReturnable: boolean;
}

/** True when the item is final sale by its own flag, its SKU or product, or its category. */
export function isFinalSale(policy: ReturnsPolicy, item: Pick<EligibilityItem, 'sku' | 'productId' | 'category' | 'finalSale'>): boolean {
  if (item.finalSale) return true;
  const skus = new Set(policy.finalSaleSkus.map((s) => s.toLowerCase()));
  if (skus.has(item.sku.toLowerCase()) || skus.has(item.productId.toLowerCase())) return true;
  const category = item.category?.trim().toLowerCase();
  return !!category && policy.finalSaleCategories.some((c) => c.trim().toLowerCase() === category);
}

/** Each item's returnable units under the policy, with the reason when none (or not all) can come back. */
export function decideEligibility(i: EligibilityInput): Eligibility {
  const today = dayInZone(i.now, i.timeZone);
  const day = (t: number) => dayInZone(t, i.timeZone);
  const items = i.items.map((item): ItemEligibility => {
    const base = { sku: item.sku, title: item.title, quantity: item.quantity };
    let open = 0;
    let closed = 0;
    let pending = 0;
    let openLastDay: string | null = null;
    let closedLastDay: string | null = null;
    for (const p of i.parcels) {
      const units = p.items.filter((x) => x.sku === item.sku).reduce((n, x) => n + x.quantity, 0);
      if (units === 0) continue;
      const fulfilledDay = day(p.firstScanAt ?? p.createdAt);
      const assumedArrival = addDays(fulfilledDay, i.transitBufferDays);
      const arrivedDay = p.deliveredAt !== null ? day(p.deliveredAt) : assumedArrival <= today ? assumedArrival : null;
      if (arrivedDay === null) {
        pending += units;
        continue;
      }
      const startDay =
        i.policy.windowStartsFrom === 'order' ? day(i.placedAt) : i.policy.windowStartsFrom === 'fulfillment' ? fulfilledDay : arrivedDay;
      const lastDay = addDays(startDay, i.policy.windowDays);
      if (today <= lastDay) {
        open += units;
        if (openLastDay === null || lastDay < openLastDay) openLastDay = lastDay;
      } else {
        closed += units;
        if (closedLastDay === null || lastDay > closedLastDay) closedLastDay = lastDay;
      }
    }
    const delivered = open + closed;
    const taken = i.returned[item.sku] ?? 0;
    const none = (reason: IneligibleReason, words: string, lastDay: string | null = null): ItemEligibility => ({
      ...base,
      deliveredQuantity: delivered,
      returnableQuantity: 0,
      reason,
      lastDay,
      pendingQuantity: pending,
      words,
    });
    if (!i.hasReturnAddress) return none('no_return_address', 'Returns are not open yet at this store. Please contact the store.');
    if (isFinalSale(i.policy, item)) return none('final_sale', 'Final sale: this item cannot be returned.');
    const returnable = Math.max(0, open - taken);
    if (returnable > 0) {
      const more =
        pending > 0 ? ` The ${pending === 1 ? 'unit' : `${pending} units`} still on the way can be returned once delivered.` : '';
      return {
        ...base,
        deliveredQuantity: delivered,
        returnableQuantity: returnable,
        reason: null,
        lastDay: openLastDay,
        pendingQuantity: pending,
        words: `Can be returned until ${formatDay(openLastDay!, i.locale)}.${more}`,
      };
    }
    if (taken > 0 && taken >= delivered && pending === 0) return none('already_returned', 'Already returned.');
    if (open > 0) return none('already_returned', 'Already returned.');
    if (closed > 0) return none('window_closed', `The return window closed on ${formatDay(closedLastDay!, i.locale)}.`, closedLastDay);
    return none('not_delivered', 'Not delivered yet: you can return it once it arrives.');
  });
  return { policyVersion: i.policyVersion, items, anyReturnable: items.some((x) => x.returnableQuantity > 0) };
}

/** True when the customer has reached the store's cap of returns per 90 days. */
export function capReached(policy: ReturnsPolicy, returnsInLast90Days: number): boolean {
  return policy.maxReturnsPer90Days !== null && returnsInLast90Days >= policy.maxReturnsPer90Days;
}
