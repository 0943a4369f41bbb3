// What a follow-up or replenishment message is about, read when it is rendered: the follow-up's
// suggestions as they are now (a product sold out since is not pushed), the products to reorder.
import { productsOfReminder } from './lifecycle-facts.ts';
import { productOfReplenishment, replenishmentDayKeyOf } from './plan-replenishment.ts';
import { hydrate, suggestFollowUp, type SuggestedProduct } from './suggest-follow-up.ts';

/** The products a ledger row of kind follow_up or replenishment names (empty for every other kind). */
export async function productsForMessage(row: {
  storeId: string;
  orderId: string;
  kind: string;
  dedupeKey: string;
}): Promise<SuggestedProduct[]> {
  if (row.kind === 'follow_up') return suggestFollowUp({ storeId: row.storeId, orderId: row.orderId });
  if (row.kind !== 'replenishment') return [];
  // A day's reminder lists every product it covers; one recorded before grouping names its one product.
  const dayKey = replenishmentDayKeyOf(row.dedupeKey);
  if (dayKey) return hydrate(row.storeId, await productsOfReminder(row.storeId, dayKey));
  const productId = productOfReplenishment(row.dedupeKey, row.orderId);
  return productId ? hydrate(row.storeId, [productId]) : [];
}
