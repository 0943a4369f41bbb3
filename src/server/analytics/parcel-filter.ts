// The carrier, service and destination filters applied to records that hang off a parcel or an
// order (check-ins, warranty registrations, follow-up messages), the way delivery_daily applies
// them: the parcel's carrier and service, the destination country of the order's shipping
// address (the same field the rollup's country comes from). Return parcels never match.
import { and, eq, exists, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { db, schema } from '../db.ts';

/** The filters of an analytics request. */
export interface ParcelFilters {
  carrier: string | null;
  service: string | null;
  country: string | null;
}

const s = schema.shipments;
const o = schema.orders;

/** True when any filter is set. */
function hasParcelFilters(f: ParcelFilters): boolean {
  return f.carrier !== null || f.service !== null || f.country !== null;
}

/** The conditions on a joined `shipments` row (carrier, service). */
export function shipmentConditions(f: ParcelFilters): (SQL | undefined)[] {
  return [f.carrier ? eq(s.carrier, f.carrier) : undefined, f.service ? eq(s.service, f.service) : undefined];
}

/** The destination condition on an order id: its shipping address's country is the filter's. */
export function destinationCondition(f: ParcelFilters, orderId: AnySQLiteColumn | SQL): SQL | undefined {
  if (!f.country) return undefined;
  // `->>` reads a JSON field the same way in SQLite (TEXT) and PostgreSQL (jsonb).
  return exists(
    db()
      .select({ one: sql`1` })
      .from(o)
      .where(and(eq(o.id, orderId), sql`${o.shippingAddress} ->> 'country' = ${f.country}`)),
  );
}

/**
 * The filter on a record of one parcel (`shipmentId`) or of one order (`orderId`, any of its
 * outbound parcels; with `sku`, the parcel that carried that item). Undefined without filters.
 */
export function parcelMatches(
  f: ParcelFilters,
  ref: { shipmentId: AnySQLiteColumn; orderId: AnySQLiteColumn } | { orderId: AnySQLiteColumn; sku?: AnySQLiteColumn },
): SQL | undefined {
  if (!hasParcelFilters(f)) return undefined;
  const onShipment = shipmentConditions(f);
  let parcel: SQL | undefined;
  if (onShipment.some((c) => c !== undefined)) {
    const si = schema.shipmentItems;
    const which =
      'shipmentId' in ref
        ? eq(s.id, ref.shipmentId)
        : and(
            eq(s.orderId, ref.orderId),
            isNull(s.returnId),
            ref.sku
              ? exists(
                  db()
                    .select({ one: sql`1` })
                    .from(si)
                    .where(and(eq(si.shipmentId, s.id), eq(si.sku, ref.sku))),
                )
              : undefined,
          );
    parcel = exists(
      db()
        .select({ one: sql`1` })
        .from(s)
        .where(and(which, ...onShipment)),
    );
  }
  return and(parcel, destinationCondition(f, ref.orderId));
}
