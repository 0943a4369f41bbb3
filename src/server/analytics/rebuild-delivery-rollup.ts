// Rebuilds delivery_daily exactly from the raw rows (parcels, their events and notices), for one
// store or every store, in one transaction: the rollup is deleted, every delivered parcel's
// contribution is computed by the same function the incremental path uses, and each parcel's
// counted_as is set to it. Parcels delivered before analytics existed get their first estimate
// fixed here, from what the row holds now (the store's promise, else the carrier's estimate, else the rule).
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { schema, transaction, type Tx } from '../db.ts';
import { readSettings } from '../stores/settings.ts';
import { firstEstimateToFix } from '../shipments/fix-first-estimate.ts';
import {
  contributionOf,
  countryOf,
  encodeContribution,
  FAILED_ATTEMPT_DETAILS,
  FAILED_ATTEMPT_STATUSES,
  type Contribution,
  type ProductUnits,
} from './parcel-contribution.ts';

const CHUNK = 2000;

/** Recomputes the daily delivery rollup from scratch; answers how many parcels and rows it holds. */
export async function rebuildDeliveryRollup(opts: { storeId?: string } = {}): Promise<{ parcels: number; rows: number }> {
  return transaction(async (tx) => {
    const s = schema.shipments;
    const storeFilter = opts.storeId ? eq(s.storeId, opts.storeId) : undefined;
    await tx.delete(schema.deliveryDaily).where(opts.storeId ? eq(schema.deliveryDaily.storeId, opts.storeId) : undefined);
    const pd = schema.productDeliveryDaily;
    await tx.delete(pd).where(opts.storeId ? eq(pd.storeId, opts.storeId) : undefined);
    const productRows = new Map<string, { storeId: string; day: string; productId: string; units: number; parcels: number }>();
    await tx.update(s).set({ countedAs: null }).where(storeFilter);
    const rows = new Map<string, { storeId: string; c: Contribution; n: Counts }>();
    let parcels = 0;
    let after = '';
    for (;;) {
      const chunk = await deliveredChunk(tx, storeFilter, after);
      if (chunk.length === 0) break;
      after = chunk[chunk.length - 1]!.s.id;
      const unitsOf = await productsOfChunk(
        tx,
        chunk.map((r) => r.s.id),
      );
      for (const r of chunk) {
        const settings = readSettings(r.storeSettings);
        const timeZone = r.orderTz ?? settings.timeZone;
        const fix = firstEstimateToFix(r.s, { placedAt: Number(r.placedAt), timeZone, settings });
        if (fix) await tx.update(s).set({ firstEstimateDate: fix.date, firstEstimateSource: fix.source }).where(eq(s.id, r.s.id));
        const c = contributionOf({
          status: r.s.status,
          carrier: r.s.carrier,
          service: r.s.service,
          country: countryOf(r.address),
          timeZone,
          firstScanAt: r.s.firstScanAt,
          deliveredAt: r.s.deliveredAt,
          firstEstimateDate: fix?.date ?? r.s.firstEstimateDate,
          failedAttempt: Number(r.failed) > 0,
          toldLate: Number(r.late) > 0,
          hadException: Number(r.exception) > 0,
          products: unitsOf.get(r.s.id) ?? [],
        });
        if (!c) continue;
        for (const p of c.products ?? []) {
          const pkey = JSON.stringify([r.s.storeId, c.day, p.productId]);
          const pr = productRows.get(pkey) ?? { storeId: r.s.storeId, day: c.day, productId: p.productId, units: 0, parcels: 0 };
          pr.units += p.units;
          pr.parcels++;
          productRows.set(pkey, pr);
        }
        parcels++;
        await tx
          .update(s)
          .set({ countedAs: encodeContribution(c) })
          .where(eq(s.id, r.s.id));
        const key = JSON.stringify([r.s.storeId, c.day, c.carrier, c.service, c.country, c.transitDays]);
        const row = rows.get(key) ?? {
          storeId: r.s.storeId,
          c,
          n: { parcels: 0, onTime: 0, firstAttempt: 0, toldLate: 0, hadException: 0 },
        };
        row.n.parcels++;
        row.n.onTime += c.onTime;
        row.n.firstAttempt += c.firstAttempt;
        row.n.toldLate += c.toldLate;
        row.n.hadException += c.hadException;
        rows.set(key, row);
      }
    }
    const values = [...rows.values()].map(({ storeId, c, n }) => ({
      storeId,
      day: c.day,
      carrier: c.carrier,
      service: c.service,
      country: c.country,
      transitDays: c.transitDays,
      ...n,
    }));
    for (let i = 0; i < values.length; i += 500) await tx.insert(schema.deliveryDaily).values(values.slice(i, i + 500));
    const products = [...productRows.values()];
    for (let i = 0; i < products.length; i += 500) await tx.insert(pd).values(products.slice(i, i + 500));
    return { parcels, rows: values.length };
  });
}

interface Counts {
  parcels: number;
  onTime: number;
  firstAttempt: number;
  toldLate: number;
  hadException: number;
}

const inList = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** The units by product of each parcel of a chunk. */
async function productsOfChunk(tx: Tx, ids: string[]): Promise<Map<string, ProductUnits[]>> {
  const si = schema.shipmentItems;
  const oi = schema.orderItems;
  const s = schema.shipments;
  const rows = await tx
    .select({ shipmentId: si.shipmentId, productId: oi.productId, units: sql<number>`sum(${si.quantity})` })
    .from(si)
    .innerJoin(s, eq(s.id, si.shipmentId))
    .innerJoin(oi, and(eq(oi.orderId, s.orderId), eq(oi.sku, si.sku)))
    .where(inArray(si.shipmentId, ids))
    .groupBy(si.shipmentId, oi.productId);
  const out = new Map<string, ProductUnits[]>();
  for (const r of rows) {
    const list = out.get(r.shipmentId) ?? [];
    list.push({ productId: r.productId, units: Number(r.units) });
    out.set(r.shipmentId, list);
  }
  return out;
}

function deliveredChunk(tx: Tx, storeFilter: ReturnType<typeof eq> | undefined, after: string) {
  const s = schema.shipments;
  return tx
    .select({
      s,
      // Correlated subqueries name the outer parcel as "shipments" outright: an unqualified column
      // inside them would resolve to the inner table's own (tracking_events.id, notices.id).
      placedAt: sql<number>`(select o.placed_at from orders o where o.id = shipments.order_id)`,
      orderTz: sql<string | null>`(select o.time_zone from orders o where o.id = shipments.order_id)`,
      address: sql<unknown>`(select o.shipping_address from orders o where o.id = shipments.order_id)`,
      storeSettings: sql<string>`(select st.settings from stores st where st.id = shipments.store_id)`,
      failed: sql<number>`(select count(*) from tracking_events e where e.shipment_id = shipments.id and e.occurred_at <= shipments.delivered_at and (e.status in (${inList(FAILED_ATTEMPT_STATUSES)}) or e.status_detail in (${inList(FAILED_ATTEMPT_DETAILS)})))`,
      late: sql<number>`(select count(*) from notices n where n.shipment_id = shipments.id and n.kind = 'late')`,
      exception: sql<number>`(select count(*) from notices n where n.shipment_id = shipments.id and n.kind = 'exception')`,
    })
    .from(s)
    .where(and(storeFilter, eq(s.status, 'delivered'), isNull(s.returnId), gt(s.id, after)))
    .orderBy(asc(s.id))
    .limit(CHUNK);
}
