// A parcel's row with what its alerts depend on (its order's placing time and zone, the store's
// settings as stored text), in one statement: carrier news reads it once, and what follows the
// news (notices, deadlines, reviews) takes it from there (notices/refresh-shipment-alerts.ts).
import { eq, sql } from 'drizzle-orm';
import { firstRow, forUpdate, prepared, schema, type Db, type Tx } from '../db.ts';

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

/**
 * Locks the parcel's row for the rest of the transaction and reads it with its context, in one
 * statement (lockRow() then readParcelRow(), as one round trip on PostgreSQL).
 */
export async function lockParcelRow(tx: Tx, shipmentId: string): Promise<ParcelRow | undefined> {
  return firstRow(
    prepared(tx, 'parcel.rowForUpdate', (d) => forUpdate(parcelRowQuery(d), schema.shipments).prepare()).execute({ shipmentId }),
  );
}

const parcelRow = (tx: Tx) => prepared(tx, 'parcel.row', (d) => parcelRowQuery(d).prepare());

function parcelRowQuery(d: Db) {
  const { shipments } = schema;
  // Scalar subqueries, not joins: for one row SQLite answers them several times faster (a join
  // here paid for a per-run join filter), and this runs for every carrier event. (On PostgreSQL
  // FOR UPDATE OF shipments then locks the parcel's row only.)
  return d
    .select({
      s: shipments,
      placedAt: sql<number>`(select o.placed_at from orders o where o.id = shipments.order_id)`,
      orderTz: sql<string | null>`(select o.time_zone from orders o where o.id = shipments.order_id)`,
      storeSettings: sql<string>`(select st.settings from stores st where st.id = shipments.store_id)`,
    })
    .from(shipments)
    .where(eq(shipments.id, sql.placeholder('shipmentId')));
}
