// review.published: a review went public (at once, after its hold, or by staff). Once per review.
import type { Tx } from '../db.ts';
import { reviewFacts } from './event-facts.ts';
import { recordEvent } from './record-event.ts';

/** Records review.published for a review just published, in the publisher's transaction. */
export async function recordReviewPublished(tx: Tx, storeId: string, reviewId: string, now: number): Promise<void> {
  const facts = await reviewFacts(tx, storeId, reviewId);
  if (facts)
    await recordEvent(tx, {
      storeId,
      orderId: facts.orderId,
      type: 'review.published',
      data: facts.data,
      dedupeKey: `review:${reviewId}:published`,
      now,
    });
}
