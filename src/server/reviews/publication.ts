// When a review is published. By construction this reads the store's policy and the time, never
// the review: the function has no way to see its rating, so no setting can publish or hold by
// stars (tests/unit/reviews/moderation-fairness.test.ts).
import type { ReviewsPolicy } from '../policies/reviews-policy.ts';

const DAY = 86_400_000;

/** A new review's status: published at once, or pending until `publishAt` unless someone rejects it. */
export function initialPublication(
  policy: Pick<ReviewsPolicy, 'publishMode' | 'holdDays'>,
  now: number,
): { status: 'published' | 'pending'; publishAt: number | null; publishedAt: number | null } {
  if (policy.publishMode === 'on_arrival' || policy.holdDays === 0) return { status: 'published', publishAt: null, publishedAt: now };
  return { status: 'pending', publishAt: now + policy.holdDays * DAY, publishedAt: null };
}

/** The reasons a review may be rejected: about its content, the same for every rating. */
export const REJECT_REASONS = ['abusive', 'personal_data', 'off_topic', 'spam', 'not_about_product'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_REASON_WORDS: Record<RejectReason, string> = {
  abusive: 'Abusive or hateful language',
  personal_data: 'Contains personal data',
  off_topic: 'Off-topic',
  spam: 'Spam or advertising',
  not_about_product: 'Not about the product or the store’s service',
};
