// What follows a delivery (issue #15): when the check-in is asked, when the follow-up goes, how
// often one customer may hear from the store, and how early a replenishment reminder comes.
import { z } from 'zod';
import { wholeNumber } from './whole-number.ts';

export const AfterDeliveryPolicySchema = z.object({
  /** Days after the delivery scan before the shopper is asked "Did everything arrive as it should?". */
  checkinDays: wholeNumber(0, 30).default(2),
  /** Days after delivery before the follow-up suggesting related products. */
  followUpDays: wholeNumber(1, 60).default(10),
  /** At most one follow-up per customer in this many days, across all their orders. */
  followUpGapDays: wholeNumber(1, 365).default(30),
  /** Days before a consumable should run low that the replenishment reminder comes. */
  replenishLeadDays: wholeNumber(0, 30).default(3),
});
export type AfterDeliveryPolicy = z.infer<typeof AfterDeliveryPolicySchema>;
