// A store's view of one customer, built from its orders by email: how many, how much, when, what
// kinds of things, where, and which of the store's segments they fall in.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { normalizeEmail } from '../orders/normalize.ts';
import { readSettings } from '../stores/settings.ts';
import { segmentsOf, type Segment } from '../stores/customer-segments.ts';

/** A customer's orders are theirs by this: the email as look-ups compare it. */
export const customerKey = normalizeEmail;

export interface CustomerProfile {
  email: string;
  orders: number;
  /** Per currency, in minor units (an order's currency is its own). */
  spend: { currency: string; amount: number }[];
  firstOrderAt: number;
  lastOrderAt: number;
  categories: string[];
  /** The country of the newest order's shipping address. */
  country: string | null;
  segments: Segment[];
}

/** The store's orders of this email, oldest first. */
export async function customerOrders(storeId: string, email: string) {
  return db()
    .select()
    .from(schema.orders)
    .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.emailNorm, customerKey(email))))
    .orderBy(asc(schema.orders.placedAt));
}

/** The customer's profile, or null when the store has no order from that email. */
export async function getCustomerProfile(storeId: string, email: string): Promise<CustomerProfile | null> {
  const orders = await customerOrders(storeId, email);
  if (orders.length === 0) return null;
  const items = await db()
    .select({
      orderId: schema.orderItems.orderId,
      quantity: schema.orderItems.quantity,
      unitAmount: schema.orderItems.unitAmount,
      category: schema.orderItems.category,
    })
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
  const currencyOf = new Map(orders.map((o) => [o.id, o.currency]));
  const spend = new Map<string, number>();
  const categories = new Set<string>();
  for (const i of items) {
    const currency = currencyOf.get(i.orderId)!;
    spend.set(currency, (spend.get(currency) ?? 0) + i.quantity * i.unitAmount);
    if (i.category) categories.add(i.category);
  }
  const newest = orders[orders.length - 1]!;
  const store = await firstRow(db().select({ settings: schema.stores.settings }).from(schema.stores).where(eq(schema.stores.id, storeId)));
  const spent = [...spend].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => b.amount - a.amount);
  return {
    email: newest.email,
    orders: orders.length,
    spend: spent,
    firstOrderAt: orders[0]!.placedAt,
    lastOrderAt: newest.placedAt,
    categories: [...categories].sort(),
    country: newest.shippingAddress.country ?? null,
    segments: segmentsOf(readSettings(store?.settings).customers, orders.length, spent),
  };
}
