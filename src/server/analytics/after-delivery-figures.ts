// After delivery in analytics: check-in answers, warranty registrations, and the follow-up and
// replenishment messages sent, over a period of calendar days in the store's zone (these records
// belong to the store, not to one order's zone, as returns and ratings do).
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { checkinFigures, type CheckinFigures } from '../checkins/checkin-figures.ts';
import { db, firstRow, schema } from '../db.ts';
import { percent } from './formulas.ts';
import { periodBounds } from './period-bounds.ts';

type Period = { from: string; to: string };

/** Check-ins of a period with the share of answers that reported a problem. */
export interface CheckinReportFigures extends CheckinFigures {
  problemPercent: number | null;
}

/** Warranty registrations made in a period. */
export interface WarrantyFigures {
  registrations: number;
  withReminders: number;
}

/** Follow-up and replenishment messages sent in a period, every channel. */
export interface AfterDeliveryMessageFigures {
  followUp: number;
  replenishment: number;
}

/** The check-in figures of the period: asked, all good, problem, unanswered, and problem % of answers. */
export async function readCheckinFigures(storeId: string, q: Period, timeZone: string): Promise<CheckinReportFigures> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const f = await checkinFigures({ storeId, from: start, to: end });
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
      .where(and(eq(r.storeId, storeId), gte(r.registeredAt, start), lt(r.registeredAt, end))),
  );
  return { registrations: row?.registrations ?? 0, withReminders: row?.withReminders ?? 0 };
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
      ),
    )
    .groupBy(m.kind);
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.n ?? 0;
  return { followUp: of('follow_up'), replenishment: of('replenishment') };
}
