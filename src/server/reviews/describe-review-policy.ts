// "How we collect and check reviews": generated from the store's policy, so what the store says
// is always what Waypost does. Shown with the reviews, on its own page and in the embed.
import type { ReviewsPolicy } from '../policies/reviews-policy.ts';
import { REJECT_REASONS, REJECT_REASON_WORDS } from './publication.ts';

export const DISCLOSURE_TITLE = 'How we collect and check reviews';

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** The statement's paragraphs, in plain words. */
export function describeReviewPolicy(policy: ReviewsPolicy, storeName: string): string[] {
  const reasons = REJECT_REASONS.map((r) => REJECT_REASON_WORDS[r].toLowerCase()).join('; ');
  return [
    `${storeName} invites every customer to review the items they received, whatever their order or what they are expected to say: ` +
      (policy.requestDelayDays === 0
        ? 'the invitation goes out once the carrier confirms the delivery'
        : `the invitation goes out ${days(policy.requestDelayDays)} after the carrier confirms the delivery`) +
      `, or ${days(policy.fallbackDaysAfterFulfillment)} after dispatch when the carrier never confirms it. Items that are being returned are not included.`,
    'Only customers can write a review: it is written through the private link of their own order, so every review comes from a verified buyer of that item. Each item of an order can be reviewed once; ' +
      (policy.editWindowDays > 0 ? `its writer can edit it for ${days(policy.editWindowDays)}.` : 'it cannot be changed afterwards.'),
    policy.publishMode === 'after_hold' && policy.holdDays > 0
      ? `Reviews are published ${days(policy.holdDays)} after they are written, whatever their rating, unless they break a content rule.`
      : 'Reviews are published as soon as they are written, whatever their rating.',
    `We remove a review only if it breaks one of these rules, which apply the same to every rating: ${reasons}. Low ratings are never held back; a customer who reports a problem is also contacted by our team.`,
    policy.incentiveDisclosure
      ? `Incentive: ${policy.incentiveDisclosure} This is given for any honest review, positive or negative.`
      : 'We do not pay or reward anyone for writing a review.',
  ];
}
