// After delivery in analytics: check-in answers, warranty registrations, and the follow-up and
// replenishment messages sent, over a period of calendar days in the store's zone (these records
// belong to the store, not to one order's zone, as returns and ratings do). The carrier, service
// and destination filters apply through the parcel (parcel-filter.ts).
import { and, between, eq, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { addDays } from '../../lib/dates.ts';
import { checkinFigures, type CheckinFigures } from '../checkins/checkin-figures.ts';
import { db, firstRow, schema } from '../db.ts';
import { percent } from './formulas.ts';
import { decodeContribution } from './parcel-contribution.ts';
import { destinationCondition, parcelMatches, shipmentConditions, type ParcelFilters } from './parcel-filter.ts';
import { periodBounds } from './period-bounds.ts';

type Period = { from: string; to: string } & ParcelFilters;

/** Check-ins of a period with the share of answers that reported a problem. */
export interface CheckinReportFigures extends CheckinFigures {
  problemPercent: number | null;
}

/** Warranty registrations made in a period, and the delivered parcels of the period with an item registered. */
export interface WarrantyFigures {
  registrations: number;
  withReminders: number;
  /** Parcels delivered in the period (as delivery_daily counts them) with at least one item registered by now. */
  registeredParcels: number;
}

/** Follow-up and replenishment messages sent in a period, every channel. */
export interface AfterDeliveryMessageFigures {
  followUp: number;
  replenishment: number;
}

/** The check-in figures of the period: asked, all good, problem, unanswered, and problem % of answers. */
export async function readCheckinFigures(storeId: string, q: Period, timeZone: string): Promise<CheckinReportFigures> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const c = schema.checkins;
  const where = parcelMatches(q, { shipmentId: c.shipmentId, orderId: c.orderId });
  const f = await checkinFigures({ storeId, from: start, to: end, where });
  return { ...f, problemPercent: percent(f.problem, f.allGood + f.problem) };
}

/** Registrations whose registration time falls in the period (a registration updated later counts once). */
export async function readWarrantyFigures(storeId: string, q: Period, timeZone: string): Promise<WarrantyFigures> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const r = schema.registrations;
  const row = await firstRow(
    db()
      .select({
        registrations: sql<number>`count(*)`.mapWith(Number),
        withReminders: sql<number>`coalesce(sum(case when ${r.reminders} then 1 else 0 end), 0)`.mapWith(Number),
      })
      .from(r)
      .where(
        and(
          eq(r.storeId, storeId),
          gte(r.registeredAt, start),
          lt(r.registeredAt, end),
          parcelMatches(q, { orderId: r.orderId, sku: r.sku }),
        ),
      ),
  );
  return {
    registrations: row?.registrations ?? 0,
    withReminders: row?.withReminders ?? 0,
    registeredParcels: await countRegisteredParcels(storeId, q, start),
  };
}

/**
 * Of the parcels delivered in the period (delivery day in the order's zone, return parcels left
 * out: exactly the ones delivery_daily counts, read from their shipments.counted_as), how many had
 * an item registered for warranty by now. Read from the registrations side: an item is registered
 * after its delivery, so only registrations from the period's start on (a day's slack for the
 * order's zone) whose delivery day is near the period are read, then each parcel's day is checked.
 */
async function countRegisteredParcels(storeId: string, q: Period, start: number): Promise<number> {
  const r = schema.registrations;
  const s = schema.shipments;
  const si = schema.shipmentItems;
  const rows = await db()
    .selectDistinct({ id: s.id, countedAs: s.countedAs })
    .from(r)
    .innerJoin(s, and(eq(s.orderId, r.orderId), isNull(s.returnId), isNotNull(s.countedAs)))
    .innerJoin(si, and(eq(si.shipmentId, s.id), eq(si.sku, r.sku)))
    .where(
      and(
        eq(r.storeId, storeId),
        eq(s.storeId, storeId),
        gte(r.registeredAt, start - 2 * 86_400_000),
        between(r.deliveredOn, addDays(q.from, -1), addDays(q.to, 1)),
        ...shipmentConditions(q),
        destinationCondition(q, r.orderId),
      ),
    );
  return rows.filter((p) => {
    const day = decodeContribution(p.countedAs)?.day;
    return day !== undefined && day >= q.from && day <= q.to;
  }).length;
}

/** Follow-up and replenishment messages whose send time falls in the period (status sent). */
export async function readAfterDeliveryMessages(storeId: string, q: Period, timeZone: string): Promise<AfterDeliveryMessageFigures> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const m = schema.messages;
  const rows = await db()
    .select({ kind: m.kind, n: sql<number>`count(*)`.mapWith(Number) })
    .from(m)
    // By messages_store_kind_sent_idx: only the two kinds' sent messages of the period are read.
    .where(
      and(
        eq(m.storeId, storeId),
        inArray(m.kind, ['follow_up', 'replenishment']),
        eq(m.status, 'sent'),
        gte(m.sentAt, start),
        lt(m.sentAt, end),
        parcelMatches(q, { orderId: m.orderId }),
      ),
    )
    .groupBy(m.kind);
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.n ?? 0;
  return { followUp: of('follow_up'), replenishment: of('replenishment') };
}
