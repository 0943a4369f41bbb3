// The check-in's figures for analytics: of the parcels asked in a period, how many shoppers said
// all good, how many reported a problem, and how many have not answered. Parcels never asked (a
// case or return already open, past the cut-off, check-ins switched off) are left out; a parcel
// answered from the page before the question went counts from its answer's time.
import { and, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';

export interface CheckinFigures {
  asked: number;
  allGood: number;
  problem: number;
  unanswered: number;
}

const c = schema.checkins;

/**
 * Counts the store's check-ins asked (or first answered) in [from, to), epoch milliseconds. Two
 * ranges, each read by its own index: asked in the period ((store_id, asked_at)), and never asked
 * but answered in it (the partial (store_id, answered_at) where asked_at is null). One range over
 * coalesce(asked_at, answered_at) would read every row of the store.
 */
export async function checkinFigures(opts: CheckinFigureOpts): Promise<CheckinFigures> {
  const parts = await Promise.all(checkinFigureQueries(opts).map((q) => firstRow(q)));
  const sum = (k: 'asked' | 'allGood' | 'problem') => parts.reduce((n, row) => n + (row?.[k] ?? 0), 0);
  const asked = sum('asked');
  const allGood = sum('allGood');
  const problem = sum('problem');
  return { asked, allGood, problem, unanswered: asked - allGood - problem };
}

/** The store, the range [from, to) in epoch milliseconds, and optionally a condition on the check-in's row (analytics' parcel filters). */
interface CheckinFigureOpts {
  storeId: string;
  from: number;
  to: number;
  where?: SQL | undefined;
}

/** The two range queries (asked in the period; never asked but answered in it), each served by its index. */
export function checkinFigureQueries(opts: CheckinFigureOpts) {
  const inStore = eq(c.storeId, opts.storeId);
  return [
    countWhere(and(inStore, gte(c.askedAt, opts.from), lt(c.askedAt, opts.to), opts.where)!),
    countWhere(and(inStore, isNull(c.askedAt), gte(c.answeredAt, opts.from), lt(c.answeredAt, opts.to), opts.where)!),
  ];
}

function countWhere(where: SQL) {
  return db()
    .select({
      asked: sql<number>`count(*)`.mapWith(Number),
      allGood: sql<number>`coalesce(sum(case when ${c.answer} = 'all_good' then 1 else 0 end), 0)`.mapWith(Number),
      problem: sql<number>`coalesce(sum(case when ${c.answer} = 'problem' then 1 else 0 end), 0)`.mapWith(Number),
    })
    .from(c)
    .where(where);
}
