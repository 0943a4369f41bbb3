// Each product's replenishment interval for one store: the catalogue's replenishAfterDays, else
// the interval learned from the store's own repeat purchases (plan-replenishment.ts decides).
import { and, eq, isNotNull, notInArray } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import { intervalFor, learnIntervals } from './plan-replenishment.ts';

export interface ReplenishableProduct {
  productId: string;
  intervalDays: number;
  /** explicit: the store set it; learned: from repeat orders. */
  basis: 'explicit' | 'learned';
}

/** Every product of the store with an interval, explicit ones first. */
export async function replenishmentIntervals(storeId: string): Promise<ReplenishableProduct[]> {
  const explicitRows = await db()
    .select({ productId: schema.products.productId, days: schema.products.replenishAfterDays })
    .from(schema.products)
    .where(and(eq(schema.products.storeId, storeId), isNotNull(schema.products.replenishAfterDays)));
  const explicit = new Map(explicitRows.flatMap((r) => (r.days !== null ? [[r.productId, r.days] as const] : [])));
  const purchaseRows = await db()
    .select({
      customer: schema.orders.emailNorm,
      productId: schema.orderItems.productId,
      orderId: schema.orderItems.orderId,
      at: schema.orders.placedAt,
    })
    .from(schema.orderItems)
    .innerJoin(schema.orders, eq(schema.orders.id, schema.orderItems.orderId))
    .where(
      and(eq(schema.orders.storeId, storeId), explicit.size ? notInArray(schema.orderItems.productId, [...explicit.keys()]) : undefined),
    );
  const learned = learnIntervals(purchaseRows);
  const ids = [...explicit.keys(), ...[...learned.keys()].filter((id) => !explicit.has(id))];
  return ids.map((productId) => ({
    productId,
    intervalDays: intervalFor(productId, explicit, learned)!,
    basis: explicit.has(productId) ? 'explicit' : 'learned',
  }));
}
