// Which of the store's segments a customer is in, from their orders by email: what a follow-up's
// wording chooses by (the back office's customer view shows the same, customers/customer-profile.ts).
import { and, eq, sql } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { segmentsOf, type Segment } from '../stores/customer-segments.ts';
import { readSettings } from '../stores/settings.ts';

/** The one segment wording follows: vip over repeat over first_time. */
export async function customerSegment(storeId: string, emailNorm: string): Promise<Segment> {
  const [store, counts, spend] = await Promise.all([
    firstRow(db().select({ settings: schema.stores.settings }).from(schema.stores).where(eq(schema.stores.id, storeId))),
    firstRow(
      db()
        .select({ orders: sql<number>`count(*)` })
        .from(schema.orders)
        .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.emailNorm, emailNorm))),
    ),
    db()
      .select({
        currency: schema.orders.currency,
        amount: sql<number>`sum(${schema.orderItems.quantity} * ${schema.orderItems.unitAmount})`,
      })
      .from(schema.orderItems)
      .innerJoin(schema.orders, eq(schema.orders.id, schema.orderItems.orderId))
      .where(and(eq(schema.orders.storeId, storeId), eq(schema.orderItems.storeId, storeId), eq(schema.orders.emailNorm, emailNorm)))
      .groupBy(schema.orders.currency),
  ]);
  const segments = segmentsOf(
    readSettings(store?.settings).customers,
    Number(counts?.orders ?? 0),
    spend.map((s) => ({ currency: s.currency, amount: Number(s.amount) })),
  );
  return segments.includes('vip') ? 'vip' : segments[0]!;
}
