// "Where is my order?" deflection: order-page visits against contacts (problem reports and cases)
// opened within 48 hours after a visit. Visits are daily counters per order (order_page_views) with
// the day's first and last view: a case at time t follows some view of that day by at most 48 h
// exactly when firstAt ≤ t ≤ lastAt + 48 h, so the daily counter loses nothing this figure needs.
import { and, between, eq, sql } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import type { AnalyticsQuery } from './analytics-query.ts';
import { percent } from './formulas.ts';

const CONTACT_WINDOW_MS = 48 * 3_600_000;

/** The deflection figures of a period. */
export interface DeflectionFigures {
  visits: number;
  visitedOrders: number;
  contactedOrders: number;
  deflectionPercent: number | null;
}

/** Reads visits and contacts for the period's UTC days. */
export async function readDeflection(storeId: string, q: AnalyticsQuery): Promise<DeflectionFigures> {
  const v = schema.orderPageViews;
  const c = schema.cases;
  const where = and(eq(v.storeId, storeId), between(v.day, q.from, q.to));
  const [totals] = await db()
    .select({ visits: sql<number>`coalesce(sum(${v.views}), 0)`, orders: sql<number>`count(distinct ${v.orderId})` })
    .from(v)
    .where(where);
  const [contacted] = await db()
    .select({ orders: sql<number>`count(distinct ${v.orderId})` })
    .from(v)
    .where(
      and(
        where,
        sql`exists (select 1 from ${c} where ${c.orderId} = ${v.orderId} and ${c.storeId} = ${v.storeId} and ${c.createdAt} >= ${v.firstAt} and ${c.createdAt} <= ${v.lastAt} + ${CONTACT_WINDOW_MS})`,
      ),
    );
  const visitedOrders = Number(totals?.orders ?? 0);
  const contactedOrders = Number(contacted?.orders ?? 0);
  return {
    visits: Number(totals?.visits ?? 0),
    visitedOrders,
    contactedOrders,
    deflectionPercent: percent(visitedOrders - contactedOrders, visitedOrders),
  };
}
