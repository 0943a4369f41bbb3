// When a shopper is asked for a review, and when what they write is published. Nothing here may
// depend on a review's rating: publishing or holding by stars is review suppression (see
// tests/unit/reviews/moderation-fairness.test.ts, which checks these keys).
import { z } from 'zod';
import { wholeNumber } from './whole-number.ts';

export const ReviewsPolicySchema = z.object({
  /** Days after delivery before the invitation goes out. */
  requestDelayDays: wholeNumber(0, 60).default(5),
  /** Days after fulfilment to invite anyway when the carrier never scans a delivery. */
  fallbackDaysAfterFulfillment: wholeNumber(1, 90).default(14),
  /** on_arrival: published as soon as it is written; after_hold: held `holdDays` first, so the store can answer a problem. */
  publishMode: z.enum(['on_arrival', 'after_hold']).default('on_arrival'),
  holdDays: wholeNumber(0, 7).default(3),
  /** Days the shopper may edit a review through the order link. */
  editWindowDays: wholeNumber(0, 90).default(30),
  /** What the store gives for a review, if anything, in its own words (shown in the disclosure). Empty: no incentive. */
  incentiveDisclosure: z.string().trim().max(300, { error: 'at most 300 characters' }).default(''),
});
export type ReviewsPolicy = z.infer<typeof ReviewsPolicySchema>;
