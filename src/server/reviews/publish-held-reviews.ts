// The end of a hold: every pending review nobody rejected is published when its time comes,
// whatever its rating. Run by the worker loop; reads only due rows (an index on publish_at).
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { recordReviewPublished } from '../events/record-review-published.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { recordPageChange } from '../pagecache/record-change.ts';

const BATCH = 200;
const SYSTEM = { userId: null, label: 'Waypost (hold ended)' };

/** Held reviews whose hold has ended, oldest first: read by the partial index on publish_at. */
export function dueHeldReviews(now: number) {
  return db()
    .select({ id: schema.reviews.id })
    .from(schema.reviews)
    .where(and(isNotNull(schema.reviews.publishAt), lte(schema.reviews.publishAt, now)))
    .orderBy(asc(schema.reviews.publishAt))
    .limit(BATCH);
}

/** Publishes held reviews whose hold has ended by `now`; returns how many. */
export async function publishHeldReviews(now: number): Promise<number> {
  let published = 0;
  for (;;) {
    const due = await dueHeldReviews(now);
    published += await transaction(async (tx) => {
      let n = 0;
      for (const { id } of due) {
        // Re-read inside the write: a rejection a moment ago wins.
        const r = await firstRow(
          tx
            .update(schema.reviews)
            .set({ status: 'published', publishedAt: now, publishAt: null, updatedAt: now })
            .where(
              and(
                eq(schema.reviews.id, id),
                eq(schema.reviews.status, 'pending'),
                isNotNull(schema.reviews.publishAt),
                lte(schema.reviews.publishAt, now),
              ),
            )
            .returning({
              storeId: schema.reviews.storeId,
              orderId: schema.reviews.orderId,
              productId: schema.reviews.productId,
              rating: schema.reviews.rating,
            }),
        );
        if (!r) {
          await tx.update(schema.reviews).set({ publishAt: null }).where(eq(schema.reviews.id, id));
          continue;
        }
        await recordAudit(tx, {
          storeId: r.storeId,
          actor: SYSTEM,
          action: 'review.published',
          detail: { reviewId: id, productId: r.productId, rating: r.rating, from: 'pending', reason: 'hold ended' },
          now,
        });
        await recordReviewPublished(tx, r.storeId, id, now);
        await recordPageChange(tx, r.storeId, r.orderId, now);
        n++;
      }
      return n;
    });
    if (due.length < BATCH) break;
  }
  return published;
}
