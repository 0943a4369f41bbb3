// Row counts of every table, to prove a refused request wrote nothing.
import { count } from 'drizzle-orm';
import { db, firstRow, schema } from '../../../src/server/db.ts';

const TABLES = {
  stores: schema.stores,
  apiKeys: schema.apiKeys,
  orders: schema.orders,
  orderItems: schema.orderItems,
  shipments: schema.shipments,
  shipmentItems: schema.shipmentItems,
  trackingEvents: schema.trackingEvents,
  rateLimits: schema.rateLimits,
  pageChanges: schema.pageChanges,
};

export async function rowCounts(): Promise<Record<keyof typeof TABLES, number>> {
  const out = {} as Record<keyof typeof TABLES, number>;
  for (const [name, table] of Object.entries(TABLES) as [keyof typeof TABLES, (typeof TABLES)[keyof typeof TABLES]][]) {
    const row = await firstRow(db().select({ n: count() }).from(table));
    out[name] = row?.n ?? 0;
  }
  return out;
}

/** Every row of every order-related table, to compare a whole state before and after. */
export async function orderTablesSnapshot() {
  return {
    orders: await db().select().from(schema.orders).orderBy(schema.orders.id),
    orderItems: await db().select().from(schema.orderItems).orderBy(schema.orderItems.id),
    shipments: await db().select().from(schema.shipments).orderBy(schema.shipments.id),
    shipmentItems: await db().select().from(schema.shipmentItems).orderBy(schema.shipmentItems.shipmentId, schema.shipmentItems.sku),
    pageChanges: await db().select().from(schema.pageChanges).orderBy(schema.pageChanges.seq),
  };
}
