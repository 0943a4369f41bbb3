// Return reasons by product: how many units came back for each reason, so the store can fix causes
// (a size chart, a photo, a supplier). Cancelled returns (labels never used) are left out.
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { db, schema } from '../db.ts';

export interface ReasonRow {
  productId: string;
  title: string;
  reason: string;
  units: number;
}

/** Units returned per product and reason, most first. */
export async function reportReasonsByProduct(storeId: string): Promise<ReasonRow[]> {
  const ri = schema.returnItems;
  const units = sql<number>`sum(${ri.quantity})`;
  const rows = await db()
    .select({ productId: ri.productId, title: sql<string>`max(${ri.title})`, reason: ri.reason, units })
    .from(ri)
    .innerJoin(schema.returns, eq(schema.returns.id, ri.returnId))
    .where(and(eq(ri.storeId, storeId), ne(schema.returns.status, 'cancelled')))
    .groupBy(ri.productId, ri.reason)
    .orderBy(desc(units))
    .limit(500);
  return rows.map((r) => ({ ...r, units: Number(r.units) }));
}
