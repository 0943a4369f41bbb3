// "How we collect and check reviews": generated from the store's policy, so what the store says
// is always what Waypost does. Shown with the reviews, on its own page and in the embed, in the
// shopper's language.
import type { Translator } from '../i18n/translator.ts';
import type { ReviewsPolicy } from '../policies/reviews-policy.ts';
import { REJECT_REASONS } from './publication.ts';

/** The statement's paragraphs, in plain words. */
export function describeReviewPolicy(policy: ReviewsPolicy, storeName: string, { t, locale }: Translator): string[] {
  const reasons = new Intl.ListFormat(locale, { type: 'unit' }).format(REJECT_REASONS.map((r) => t(`reviews.reject.${r}`)));
  return [
    t('reviews.disclosure.invite', {
      store: storeName,
      delay: policy.requestDelayDays,
      fallback: policy.fallbackDaysAfterFulfillment,
    }),
    t('reviews.disclosure.verified', { edit: policy.editWindowDays }),
    policy.publishMode === 'after_hold' && policy.holdDays > 0
      ? t('reviews.disclosure.publishHold', { days: policy.holdDays })
      : t('reviews.disclosure.publishNow'),
    t('reviews.disclosure.rules', { reasons }),
    policy.incentiveDisclosure
      ? t('reviews.disclosure.incentive', { incentive: policy.incentiveDisclosure })
      : t('reviews.disclosure.noIncentive'),
  ];
}
