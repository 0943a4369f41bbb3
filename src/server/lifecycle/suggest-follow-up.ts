// The follow-up's suggestions for one order, read from the store's catalogue and orders: what the
// order page shows under "You might also like" and what the follow-up email names.
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { availableVariants } from '../products/exchange-variants.ts';
import { suggestProducts } from './plan-follow-up.ts';

/** How many of the store's orders holding a bought product are counted for "bought together". */
const TOGETHER_ORDERS = 1000;

export interface SuggestedProduct {
  productId: string;
  title: string;
  url: string | null;
  imageUrl: string | null;
}

/** Up to four products to suggest after this order (empty when nothing fits). */
export async function suggestFollowUp(opts: { storeId: string; orderId: string }): Promise<SuggestedProduct[]> {
  const { storeId, orderId } = opts;
  const order = await firstRow(
    db()
      .select({ emailNorm: schema.orders.emailNorm })
      .from(schema.orders)
      .where(and(eq(schema.orders.id, orderId), eq(schema.orders.storeId, storeId))),
  );
  if (!order) return [];
  const items = await db()
    .select({ productId: schema.orderItems.productId })
    .from(schema.orderItems)
    .where(and(eq(schema.orderItems.orderId, orderId), eq(schema.orderItems.storeId, storeId)))
    .orderBy(asc(schema.orderItems.position));
  const bought = [...new Set(items.map((i) => i.productId))];
  if (bought.length === 0) return [];
  // Everything this customer has ever ordered here (returned units included: they had it).
  const ownedRows = await db()
    .selectDistinct({ productId: schema.orderItems.productId })
    .from(schema.orderItems)
    .innerJoin(schema.orders, eq(schema.orders.id, schema.orderItems.orderId))
    .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.emailNorm, order.emailNorm)));
  const owned = new Set(ownedRows.map((r) => r.productId));
  const relatedRows = await db()
    .select({ productId: schema.products.productId, related: schema.products.related })
    .from(schema.products)
    .where(and(eq(schema.products.storeId, storeId), inArray(schema.products.productId, bought)));
  const related = Object.fromEntries(relatedRows.map((r) => [r.productId, r.related ?? []]));
  const relatedIds = [...new Set(relatedRows.flatMap((r) => r.related ?? []))];
  const base = { bought, related, owned };
  let chosen = suggestProducts({ ...base, boughtTogether: [], available: await availableSet(storeId, relatedIds) });
  if (chosen.length === 0) {
    const together = await boughtTogether(storeId, orderId, bought);
    const ids = [...new Set(together.flat())];
    chosen = suggestProducts({ ...base, related: {}, boughtTogether: together, available: await availableSet(storeId, ids) });
  }
  return hydrate(storeId, chosen);
}

async function availableSet(storeId: string, productIds: string[]): Promise<Set<string>> {
  return new Set(Object.keys(await availableVariants(db(), storeId, productIds)));
}

/** The product ids of the store's most recent other orders holding at least one bought product. */
async function boughtTogether(storeId: string, orderId: string, bought: string[]): Promise<string[][]> {
  const orders = await db()
    .selectDistinct({ id: schema.orders.id, placedAt: schema.orders.placedAt })
    .from(schema.orderItems)
    .innerJoin(schema.orders, eq(schema.orders.id, schema.orderItems.orderId))
    .where(and(eq(schema.orders.storeId, storeId), inArray(schema.orderItems.productId, bought), ne(schema.orders.id, orderId)))
    .orderBy(desc(schema.orders.placedAt))
    .limit(TOGETHER_ORDERS);
  if (orders.length === 0) return [];
  const rows = await db()
    .select({ orderId: schema.orderItems.orderId, productId: schema.orderItems.productId })
    .from(schema.orderItems)
    .where(
      and(
        eq(schema.orderItems.storeId, storeId),
        inArray(
          schema.orderItems.orderId,
          orders.map((o) => o.id),
        ),
      ),
    );
  const by = new Map<string, string[]>();
  for (const r of rows) by.set(r.orderId, [...(by.get(r.orderId) ?? []), r.productId]);
  return [...by.values()];
}

/** The chosen products as the page and email show them, in the chosen order. */
export async function hydrate(storeId: string, productIds: string[]): Promise<SuggestedProduct[]> {
  if (productIds.length === 0) return [];
  const rows = await db()
    .select({
      productId: schema.products.productId,
      title: schema.products.title,
      url: schema.products.url,
      imageUrl: schema.products.imageUrl,
    })
    .from(schema.products)
    .where(and(eq(schema.products.storeId, storeId), inArray(schema.products.productId, productIds)));
  const byId = new Map(rows.map((r) => [r.productId, r]));
  return productIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
}
