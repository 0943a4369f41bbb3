// What a follow-up or replenishment message is about, read when it is rendered: the follow-up's
// suggestions as they are now (a product sold out since is not pushed), the product to reorder.
import { productOfReplenishment } from './plan-replenishment.ts';
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
  const productId = productOfReplenishment(row.dedupeKey, row.orderId);
  return productId ? hydrate(row.storeId, [productId]) : [];
}
