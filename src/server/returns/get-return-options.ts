// What the "Start a return" page offers for an order: each item's eligibility, the store's reasons,
// the resolutions and exchange variants, under the policy version in force.
import { db } from '../db.ts';
import { availableVariants, type VariantChoice } from '../products/exchange-variants.ts';
import { decideForOrder, type OrderDecision } from './decide-for-order.ts';
import { offeredResolutions, type Resolution } from './quote.ts';

export interface ReturnOptions {
  decision: OrderDecision;
  resolutions: Resolution[];
  variants: Record<string, VariantChoice[]>;
}

/** The options for the store's order, or null when there is no such order. */
export async function getReturnOptions(opts: { storeId: string; orderId: string; now: number }): Promise<ReturnOptions | null> {
  const decision = await decideForOrder(db(), opts);
  if (!decision) return null;
  const variants = await availableVariants(db(), opts.storeId, [...new Set(decision.items.map((i) => i.productId))]);
  return { decision, resolutions: offeredResolutions(decision.policy), variants };
}
