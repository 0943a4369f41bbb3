// Returns by reason and by product, and ratings by product, over the period (the store's zone).
import { and, between, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import type { AnalyticsQuery } from './analytics-query.ts';
import { percent } from './formulas.ts';
import { periodBounds } from './period-bounds.ts';

/** Returned units by reason. */
export interface ReturnReasonRow {
  reason: string;
  units: number;
  returns: number;
}

/** Returned units by product, with its most common reason and its return rate. */
export interface ReturnProductRow {
  productId: string;
  title: string;
  units: number;
  topReason: string;
  /** Units of the product delivered in the period (product_delivery_daily). */
  deliveredUnits: number;
  /** 100 × returned units ÷ delivered units, one decimal; null when none was delivered in the period. */
  returnRatePercent: number | null;
}

/** Reviews by product. */
export interface RatingRow {
  productId: string;
  title: string;
  reviews: number;
  average: number;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

/** Returned units in returns requested in the period (cancelled ones left out), by reason and by product. */
export async function readReturnFigures(
  storeId: string,
  q: AnalyticsQuery,
  timeZone: string,
): Promise<{ byReason: ReturnReasonRow[]; byProduct: ReturnProductRow[] }> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const r = schema.returns;
  const ri = schema.returnItems;
  const rows = await db()
    .select({
      productId: ri.productId,
      title: sql<string>`max(${ri.title})`,
      reason: ri.reason,
      units: sql<number>`sum(${ri.quantity})`,
      returns: sql<number>`count(distinct ${r.id})`,
    })
    .from(ri)
    .innerJoin(r, eq(r.id, ri.returnId))
    .where(and(eq(r.storeId, storeId), gte(r.createdAt, start), lt(r.createdAt, end), ne(r.status, 'cancelled')))
    .groupBy(ri.productId, ri.reason);
  const reasons = new Map<string, { units: number; returns: number }>();
  const products = new Map<string, { title: string; units: number; reasons: Map<string, number> }>();
  for (const row of rows) {
    const units = Number(row.units);
    const rr = reasons.get(row.reason) ?? { units: 0, returns: 0 };
    rr.units += units;
    rr.returns += Number(row.returns);
    reasons.set(row.reason, rr);
    const p = products.get(row.productId) ?? { title: row.title, units: 0, reasons: new Map<string, number>() };
    p.units += units;
    p.reasons.set(row.reason, (p.reasons.get(row.reason) ?? 0) + units);
    products.set(row.productId, p);
  }
  const delivered = await readDeliveredUnits(storeId, q, [...products.keys()]);
  return {
    byReason: [...reasons].map(([reason, v]) => ({ reason, ...v })).sort((a, b) => b.units - a.units || a.reason.localeCompare(b.reason)),
    byProduct: [...products]
      .map(([productId, p]) => ({
        productId,
        title: p.title,
        units: p.units,
        topReason: [...p.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0],
        deliveredUnits: delivered.get(productId) ?? 0,
        returnRatePercent: percent(p.units, delivered.get(productId) ?? 0),
      }))
      .sort((a, b) => b.units - a.units || a.productId.localeCompare(b.productId)),
  };
}

/** Units delivered in the period's days (the order's zone, as the delivery figures) of the given products. */
async function readDeliveredUnits(storeId: string, q: AnalyticsQuery, productIds: string[]): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const pd = schema.productDeliveryDaily;
  const rows = await db()
    .select({ productId: pd.productId, units: sql<number>`sum(${pd.units})`.mapWith(Number) })
    .from(pd)
    .where(and(eq(pd.storeId, storeId), between(pd.day, q.from, q.to), inArray(pd.productId, productIds)))
    .groupBy(pd.productId);
  return new Map(rows.map((r) => [r.productId, r.units]));
}

/** Reviews written in the period, every status but rejected, by product. */
export async function readRatingFigures(storeId: string, q: AnalyticsQuery, timeZone: string): Promise<RatingRow[]> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const v = schema.reviews;
  const rows = await db()
    .select({ productId: v.productId, title: sql<string>`max(${v.productTitle})`, rating: v.rating, n: sql<number>`count(*)` })
    .from(v)
    .where(and(eq(v.storeId, storeId), gte(v.createdAt, start), lt(v.createdAt, end), ne(v.status, 'rejected')))
    .groupBy(v.productId, v.rating);
  const byProduct = new Map<string, RatingRow & { stars: number }>();
  for (const r of rows) {
    const p = byProduct.get(r.productId) ?? {
      productId: r.productId,
      title: r.title,
      reviews: 0,
      average: 0,
      stars: 0,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    };
    const n = Number(r.n);
    p.reviews += n;
    p.stars += n * Number(r.rating);
    const key = String(r.rating) as keyof RatingRow['distribution'];
    if (key in p.distribution) p.distribution[key] += n;
    byProduct.set(r.productId, p);
  }
  return [...byProduct.values()]
    .map(({ stars, ...p }) => ({ ...p, average: Math.round((stars / p.reviews) * 10) / 10 }))
    .sort((a, b) => b.reviews - a.reviews || a.productId.localeCompare(b.productId));
}
