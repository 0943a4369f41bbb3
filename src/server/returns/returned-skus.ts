// What of an order is already coming back: units per SKU in open or completed returns (a rejected
// or cancelled return frees its units). Used by eligibility and by the reviews feature.
import { and, eq, notInArray, sql } from 'drizzle-orm';
import { db, schema, type Tx } from '../db.ts';
import { VOID_STATUSES } from './return-machine.ts';

type Reader = Pick<Tx, 'select'>;

/** Units per SKU of the order in returns that are not rejected or cancelled (inside a transaction when given one). */
export async function returnedQuantitiesWith(r: Reader, opts: { storeId: string; orderId: string }): Promise<Record<string, number>> {
  const rows = await r
    .select({ sku: schema.returnItems.sku, units: sql<number>`sum(${schema.returnItems.quantity})` })
    .from(schema.returnItems)
    .innerJoin(schema.returns, eq(schema.returns.id, schema.returnItems.returnId))
    .where(
      and(
        eq(schema.returns.storeId, opts.storeId),
        eq(schema.returns.orderId, opts.orderId),
        notInArray(schema.returns.status, [...VOID_STATUSES]),
      ),
    )
    .groupBy(schema.returnItems.sku);
  return Object.fromEntries(rows.map((x) => [x.sku, Number(x.units)]));
}

/** Units per SKU of the order already in an open or completed return. */
async function returnedQuantities(opts: { storeId: string; orderId: string }): Promise<Record<string, number>> {
  return returnedQuantitiesWith(db(), opts);
}

/** The SKUs of the order with an open or completed return (not rejected or cancelled). */
export async function returnedSkus(opts: { storeId: string; orderId: string }): Promise<Set<string>> {
  return new Set(Object.keys(await returnedQuantities(opts)));
}
