// A parcel's row with what its alerts depend on (its order's placing time and zone, the store's
// settings as stored text), in one statement: carrier news reads it once, and what follows the
// news (notices, deadlines, reviews) takes it from there (notices/refresh-shipment-alerts.ts).
import { eq, sql } from 'drizzle-orm';
import { firstRow, prepared, schema, type Tx } from '../db.ts';

export interface ParcelRow {
  s: typeof schema.shipments.$inferSelect;
  placedAt: number;
  orderTz: string | null;
  storeSettings: string;
}

/** The parcel's row and context, or undefined when there is no such parcel. */
export async function readParcelRow(tx: Tx, shipmentId: string): Promise<ParcelRow | undefined> {
  return firstRow(parcelRow(tx).execute({ shipmentId }));
}

const parcelRow = (tx: Tx) =>
  prepared(tx, 'parcel.row', (d) => {
    const { shipments } = schema;
    // Scalar subqueries, not joins: for one row SQLite answers them several times faster (a join
    // here paid for a per-run join filter), and this runs for every carrier event.
    return d
      .select({
        s: shipments,
        placedAt: sql<number>`(select o.placed_at from orders o where o.id = shipments.order_id)`,
        orderTz: sql<string | null>`(select o.time_zone from orders o where o.id = shipments.order_id)`,
        storeSettings: sql<string>`(select st.settings from stores st where st.id = shipments.store_id)`,
      })
      .from(shipments)
      .where(eq(shipments.id, sql.placeholder('shipmentId')))
      .prepare();
  });
