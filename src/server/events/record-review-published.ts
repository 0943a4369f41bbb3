// review.published: a review went public (at once, after its hold, or by staff). Once per review.
import type { Tx } from '../db.ts';
import { reviewFacts } from './event-facts.ts';
import { recordEvent } from './record-event.ts';

/** Records review.published for a review just published, in the publisher's transaction. */
export async function recordReviewPublished(tx: Tx, storeId: string, reviewId: string, now: number): Promise<void> {
  const data = await reviewFacts(tx, storeId, reviewId);
  if (data) await recordEvent(tx, { storeId, type: 'review.published', data, dedupeKey: `review:${reviewId}:published`, now });
}
