// When a shopper is asked for a review, and when what they write is published.
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
});
export type ReviewsPolicy = z.infer<typeof ReviewsPolicySchema>;
