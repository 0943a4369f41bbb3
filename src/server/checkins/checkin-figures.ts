// The check-in's figures for analytics: of the parcels asked in a period, how many shoppers said
// all good, how many reported a problem, and how many have not answered. Parcels never asked (a
// case or return already open, or past the cut-off) are left out; a parcel answered from the page
// before the question went counts from its answer's time.
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';

export interface CheckinFigures {
  asked: number;
  allGood: number;
  problem: number;
  unanswered: number;
}

const c = schema.checkins;

/** Counts the store's check-ins asked (or first answered) in [from, to), epoch milliseconds. */
export async function checkinFigures(opts: { storeId: string; from: number; to: number }): Promise<CheckinFigures> {
  const at = sql`coalesce(${c.askedAt}, ${c.answeredAt})`;
  const row = await firstRow(
    db()
      .select({
        asked: sql<number>`count(*)`.mapWith(Number),
        allGood: sql<number>`coalesce(sum(case when ${c.answer} = 'all_good' then 1 else 0 end), 0)`.mapWith(Number),
        problem: sql<number>`coalesce(sum(case when ${c.answer} = 'problem' then 1 else 0 end), 0)`.mapWith(Number),
      })
      .from(c)
      .where(and(eq(c.storeId, opts.storeId), gte(at, opts.from), lt(at, opts.to))),
  );
  const asked = row?.asked ?? 0;
  const allGood = row?.allGood ?? 0;
  const problem = row?.problem ?? 0;
  return { asked, allGood, problem, unanswered: asked - allGood - problem };
}
