// What a shopper may review on an order: the products of its invited items, less any with a
// return, each with the review already written (to edit it).
import { and, eq } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import { returnedSkus as defaultReturnedSkus } from '../returns/returned-skus.ts';

export interface ReviewableProduct {
  productId: string;
  skus: string[];
  title: string;
  variant: string | null;
  imageUrl: string | null;
  review: typeof schema.reviews.$inferSelect | null;
}

/** The order's reviewable products, in the order's item order. */
export async function listReviewableProducts(opts: {
  storeId: string;
  orderId: string;
  returnedSkus?: (o: { storeId: string; orderId: string }) => Promise<Set<string>>;
}): Promise<ReviewableProduct[]> {
  const where = (t: typeof schema.reviewInvitations | typeof schema.reviews) =>
    and(eq(t.storeId, opts.storeId), eq(t.orderId, opts.orderId));
  // Most orders have no invitation: one indexed query answers them (the order page asks every time).
  const invited = await db()
    .select({ sku: schema.reviewInvitations.sku })
    .from(schema.reviewInvitations)
    .where(where(schema.reviewInvitations));
  if (invited.length === 0) return [];
  const [items, reviews, returned] = await Promise.all([
    db()
      .select()
      .from(schema.orderItems)
      .where(and(eq(schema.orderItems.storeId, opts.storeId), eq(schema.orderItems.orderId, opts.orderId)))
      .orderBy(schema.orderItems.position),
    db().select().from(schema.reviews).where(where(schema.reviews)),
    (opts.returnedSkus ?? defaultReturnedSkus)({ storeId: opts.storeId, orderId: opts.orderId }),
  ]);
  const invitedSkus = new Set(invited.map((i) => i.sku));
  const byProduct = new Map<string, ReviewableProduct>();
  for (const i of items) {
    if (!invitedSkus.has(i.sku) || returned.has(i.sku)) continue;
    const p = byProduct.get(i.productId);
    if (p) p.skus.push(i.sku);
    else
      byProduct.set(i.productId, {
        productId: i.productId,
        skus: [i.sku],
        title: i.title,
        // Several variants of one product are one review: the variant name would mislead.
        variant: i.variant,
        imageUrl: i.imageUrl,
        review: reviews.find((r) => r.productId === i.productId) ?? null,
      });
  }
  for (const p of byProduct.values()) if (p.skus.length > 1) p.variant = null;
  return [...byProduct.values()];
}
