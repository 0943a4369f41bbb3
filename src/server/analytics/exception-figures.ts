// Delays and exceptions by kind and carrier (notices opened in the period, open or since cleared),
// and how fast cases were resolved. Filters by carrier, service and destination apply through the parcel.
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import type { AnalyticsQuery } from './analytics-query.ts';
import { percentileNearestRank } from './formulas.ts';
import { destinationCondition, shipmentConditions } from './parcel-filter.ts';
import { periodBounds } from './period-bounds.ts';

/** Notices opened in the period by kind (and the exception's reason) and carrier. */
export interface NoticeRow {
  kind: string;
  reason: string | null;
  carrier: string;
  parcels: number;
}

/** Cases opened in the period by kind: how many, how many resolved, hours to resolve. */
export interface CaseRow {
  kind: string;
  opened: number;
  resolved: number;
  hoursToResolve: { p50: number | null; p90: number | null };
}

/** Reads the notices opened in the period, grouped. */
export async function readNoticeFigures(storeId: string, q: AnalyticsQuery, timeZone: string): Promise<NoticeRow[]> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const n = schema.notices;
  const s = schema.shipments;
  const filters: (SQL | undefined)[] = [...shipmentConditions(q), destinationCondition(q, s.orderId)];
  // An exception's reason is "<status>/<detail>"; other kinds have none worth grouping by.
  const reason = sql<string | null>`case when ${n.kind} = 'exception' then ${n.reason} end`;
  const rows = await db()
    .select({ kind: n.kind, reason, carrier: s.carrier, parcels: sql<number>`count(distinct ${n.shipmentId})` })
    .from(n)
    .innerJoin(s, eq(s.id, n.shipmentId))
    .where(and(eq(n.storeId, storeId), gte(n.openedAt, start), lt(n.openedAt, end), ...filters))
    .groupBy(n.kind, reason, s.carrier);
  return rows
    .map((r) => ({ kind: r.kind, reason: r.reason, carrier: r.carrier, parcels: Number(r.parcels) }))
    .sort((a, b) => b.parcels - a.parcels || a.kind.localeCompare(b.kind));
}

/** Reads the cases opened in the period and how fast they were resolved, by kind (and "all"). */
export async function readCaseFigures(storeId: string, q: AnalyticsQuery, timeZone: string): Promise<CaseRow[]> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const c = schema.cases;
  const rows = await db()
    .select({ kind: c.kind, createdAt: c.createdAt, resolvedAt: c.resolvedAt, status: c.status })
    .from(c)
    .where(and(eq(c.storeId, storeId), gte(c.createdAt, start), lt(c.createdAt, end)));
  const byKind = new Map<string, { opened: number; hours: Map<number, number> }>();
  const add = (kind: string, hours: number | null) => {
    let k = byKind.get(kind);
    if (!k) byKind.set(kind, (k = { opened: 0, hours: new Map() }));
    k.opened++;
    if (hours !== null) k.hours.set(hours, (k.hours.get(hours) ?? 0) + 1);
  };
  for (const r of rows) {
    // Whole hours, rounded up: a case resolved in 10 minutes took "1 hour or less".
    const hours =
      r.status === 'resolved' && r.resolvedAt !== null
        ? Math.max(0, Math.ceil((Number(r.resolvedAt) - Number(r.createdAt)) / 3_600_000))
        : null;
    add(r.kind, hours);
    add('all', hours);
  }
  return [...byKind]
    .map(([kind, k]) => ({
      kind,
      opened: k.opened,
      resolved: [...k.hours.values()].reduce((a, b) => a + b, 0),
      hoursToResolve: { p50: percentileNearestRank(k.hours, 50), p90: percentileNearestRank(k.hours, 90) },
    }))
    .sort((a, b) => (a.kind === 'all' ? -1 : b.kind === 'all' ? 1 : b.opened - a.opened));
}
