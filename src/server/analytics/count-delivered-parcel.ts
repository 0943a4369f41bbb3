// Keeps delivery_daily true as a parcel changes, inside the writer's transaction: the parcel's
// contribution now is compared with the one it added before (shipments.counted_as), and only the
// difference is written, so a parcel counts once, moves when its delivery day or facts change, and
// leaves the rollup when it is no longer delivered. Undelivered parcels never counted cost nothing.
import { and, eq, sql } from 'drizzle-orm';
import { firstRow, prepared, schema, type Tx } from '../db.ts';
import {
  contributionOf,
  countryOf,
  decodeContribution,
  encodeContribution,
  FAILED_ATTEMPT_DETAILS,
  FAILED_ATTEMPT_STATUSES,
  type Contribution,
} from './parcel-contribution.ts';

type ShipmentRow = typeof schema.shipments.$inferSelect;

/** Brings the parcel's share of the daily delivery rollup up to date. */
export async function countDeliveredParcel(tx: Tx, s: ShipmentRow, timeZone: string): Promise<void> {
  const delivered = s.status === 'delivered' && s.returnId === null;
  if (!delivered && s.countedAs === null) return;
  let next: Contribution | null = null;
  if (delivered) {
    const f = await firstRow(parcelFacts(tx).execute({ id: s.id, orderId: s.orderId, deliveredAt: s.deliveredAt ?? 0 }));
    const products = await parcelProducts(tx).execute({ id: s.id, orderId: s.orderId });
    next = contributionOf({
      status: s.status,
      carrier: s.carrier,
      service: s.service,
      country: countryOf(f?.address),
      timeZone,
      firstScanAt: s.firstScanAt,
      deliveredAt: s.deliveredAt,
      firstEstimateDate: s.firstEstimateDate,
      failedAttempt: Number(f?.failed ?? 0) > 0,
      toldLate: Number(f?.late ?? 0) > 0,
      hadException: Number(f?.exception ?? 0) > 0,
      products: products.map((p) => ({ productId: p.productId, units: Number(p.units) })),
    });
  }
  const encoded = encodeContribution(next);
  if (encoded === s.countedAs) return;
  const before = decodeContribution(s.countedAs);
  if (before) await addToRollup(tx, s.storeId, before, -1);
  if (next) await addToRollup(tx, s.storeId, next, 1);
  await setCountedAs(tx).execute({ id: s.id, countedAs: encoded });
  s.countedAs = encoded;
}

/** Adds (sign 1) or takes away (sign -1) one parcel's counts; a row left with no parcel is deleted. */
async function addToRollup(tx: Tx, storeId: string, c: Contribution, sign: 1 | -1): Promise<void> {
  const key = { storeId, day: c.day, carrier: c.carrier, service: c.service, country: c.country, transitDays: c.transitDays };
  await upsert(tx).execute({
    ...key,
    parcels: sign,
    onTime: sign * c.onTime,
    firstAttempt: sign * c.firstAttempt,
    toldLate: sign * c.toldLate,
    hadException: sign * c.hadException,
  });
  if (sign < 0) await deleteEmpty(tx).execute(key);
  for (const p of c.products ?? []) {
    const pkey = { storeId, day: c.day, productId: p.productId };
    await upsertProduct(tx).execute({ ...pkey, units: sign * p.units, parcels: sign });
    if (sign < 0) await deleteEmptyProduct(tx).execute(pkey);
  }
}

const dd = schema.deliveryDaily;
const pd = schema.productDeliveryDaily;
const si = schema.shipmentItems;
const oi = schema.orderItems;
const te = schema.trackingEvents;
const ph = (name: string) => sql.placeholder(name);
const inList = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

const keyMatches = () =>
  and(
    eq(dd.storeId, ph('storeId')),
    eq(dd.day, ph('day')),
    eq(dd.carrier, ph('carrier')),
    eq(dd.service, ph('service')),
    eq(dd.country, ph('country')),
    eq(dd.transitDays, ph('transitDays')),
  );

/** The order's address, an earlier failed attempt, and the notices the parcel had (scalar subqueries: one row). */
const parcelFacts = (tx: Tx) =>
  prepared(tx, 'analytics.parcelFacts', (d) =>
    d
      .select({
        address: sql<unknown>`(select o.shipping_address from orders o where o.id = ${ph('orderId')})`,
        failed: sql<number>`(select count(*) from ${te} where ${te.shipmentId} = ${ph('id')} and ${te.occurredAt} <= ${ph('deliveredAt')} and (${te.status} in (${inList(FAILED_ATTEMPT_STATUSES)}) or ${te.statusDetail} in (${inList(FAILED_ATTEMPT_DETAILS)})))`,
        late: sql<number>`(select count(*) from notices n where n.shipment_id = ${ph('id')} and n.kind = 'late')`,
        exception: sql<number>`(select count(*) from notices n where n.shipment_id = ${ph('id')} and n.kind = 'exception')`,
      })
      .from(schema.shipments)
      .where(eq(schema.shipments.id, ph('id')))
      .prepare(),
  );

/** The parcel's units by product (its items, named by the order's lines). */
const parcelProducts = (tx: Tx) =>
  prepared(tx, 'analytics.parcelProducts', (d) =>
    d
      .select({ productId: oi.productId, units: sql<number>`sum(${si.quantity})` })
      .from(si)
      .innerJoin(oi, and(eq(oi.orderId, ph('orderId')), eq(oi.sku, si.sku)))
      .where(eq(si.shipmentId, ph('id')))
      .groupBy(oi.productId)
      .prepare(),
  );

const upsertProduct = (tx: Tx) =>
  prepared(tx, 'analytics.upsertProductDaily', (d) =>
    d
      .insert(pd)
      .values({ storeId: ph('storeId'), day: ph('day'), productId: ph('productId'), units: ph('units'), parcels: ph('parcels') })
      .onConflictDoUpdate({
        target: [pd.storeId, pd.day, pd.productId],
        set: { units: sql`${pd.units} + excluded.units`, parcels: sql`${pd.parcels} + excluded.parcels` },
      })
      .prepare(),
  );

const deleteEmptyProduct = (tx: Tx) =>
  prepared(tx, 'analytics.deleteEmptyProductDaily', (d) =>
    d
      .delete(pd)
      .where(and(eq(pd.storeId, ph('storeId')), eq(pd.day, ph('day')), eq(pd.productId, ph('productId')), eq(pd.parcels, 0)))
      .prepare(),
  );

const upsert = (tx: Tx) =>
  prepared(tx, 'analytics.upsertDaily', (d) =>
    d
      .insert(dd)
      .values({
        storeId: ph('storeId'),
        day: ph('day'),
        carrier: ph('carrier'),
        service: ph('service'),
        country: ph('country'),
        transitDays: ph('transitDays'),
        parcels: ph('parcels'),
        onTime: ph('onTime'),
        firstAttempt: ph('firstAttempt'),
        toldLate: ph('toldLate'),
        hadException: ph('hadException'),
      })
      .onConflictDoUpdate({
        target: [dd.storeId, dd.day, dd.carrier, dd.service, dd.country, dd.transitDays],
        set: {
          parcels: sql`${dd.parcels} + excluded.parcels`,
          onTime: sql`${dd.onTime} + excluded.on_time`,
          firstAttempt: sql`${dd.firstAttempt} + excluded.first_attempt`,
          toldLate: sql`${dd.toldLate} + excluded.told_late`,
          hadException: sql`${dd.hadException} + excluded.had_exception`,
        },
      })
      .prepare(),
  );

const deleteEmpty = (tx: Tx) =>
  prepared(tx, 'analytics.deleteEmptyDaily', (d) =>
    d
      .delete(dd)
      .where(and(keyMatches(), eq(dd.parcels, 0)))
      .prepare(),
  );

const setCountedAs = (tx: Tx) =>
  prepared(tx, 'analytics.setCountedAs', (d) =>
    d
      .update(schema.shipments)
      .set({ countedAs: sql`${ph('countedAs')}` })
      .where(eq(schema.shipments.id, ph('id')))
      .prepare(),
  );
