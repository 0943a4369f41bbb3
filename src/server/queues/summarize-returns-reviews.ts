// The dashboard's counts for returns and reviews: what waits for a person at the store.
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';

export interface ReturnsReviewsSummary {
  /** Requests the store reviews first, not yet approved or rejected. */
  returnsToApprove: number;
  /** Labels that could not be bought yet (retried on their own, but worth a look). */
  labelProblems: number;
  /** Returns that arrived and wait for their outcome (refund, credit or exchange). */
  returnsToSettle: number;
  /** Reviews waiting for moderation (published on their own when the hold ends). */
  reviewsPending: number;
}

/** Counts for the store's dashboard. */
export async function summarizeReturnsReviews(storeId: string): Promise<ReturnsReviewsSummary> {
  const r = schema.returns;
  const [toApprove, problems, toSettle, pending] = await Promise.all([
    firstRow(
      db()
        .select({ n: count() })
        .from(r)
        .where(and(eq(r.storeId, storeId), eq(r.status, 'requested'), eq(r.needsReview, true), isNull(r.approvedAt))),
    ),
    firstRow(
      db()
        .select({ n: count() })
        .from(r)
        .where(and(eq(r.storeId, storeId), eq(r.labelState, 'failed'), inArray(r.status, ['requested', 'approved']))),
    ),
    firstRow(
      db()
        .select({ n: count() })
        .from(r)
        .where(and(eq(r.storeId, storeId), eq(r.status, 'received'))),
    ),
    firstRow(
      db()
        .select({ n: count() })
        .from(schema.reviews)
        .where(and(eq(schema.reviews.storeId, storeId), eq(schema.reviews.status, 'pending'))),
    ),
  ]);
  return {
    returnsToApprove: toApprove?.n ?? 0,
    labelProblems: problems?.n ?? 0,
    returnsToSettle: toSettle?.n ?? 0,
    reviewsPending: pending?.n ?? 0,
  };
}
