// No moderation setting depends on the rating: not in the policy's keys, not in the publishing
// rule's inputs, not in the reject reasons, and not in behaviour.
import { describe, expect, it } from 'vitest';
import { ReviewsPolicySchema } from '../../../src/server/policies/reviews-policy.ts';
import { initialPublication, REJECT_REASONS } from '../../../src/server/reviews/publication.ts';

const RATING_WORDS = /rating|star|score|positive|negative|low|high|min|max|threshold|sentiment/i;

describe('moderation cannot suppress by rating', () => {
  it('the reviews policy has no key about ratings', () => {
    const keys = Object.keys(ReviewsPolicySchema.shape);
    expect(keys).toEqual([
      'requestDelayDays',
      'fallbackDaysAfterFulfillment',
      'publishMode',
      'holdDays',
      'editWindowDays',
      'incentiveDisclosure',
    ]);
    for (const k of keys) expect(k).not.toMatch(RATING_WORDS);
  });

  it('the publishing rule takes the policy and the time only', () => {
    expect(initialPublication.length).toBe(2);
  });

  it('reject reasons are about content', () => {
    expect([...REJECT_REASONS]).toEqual(['abusive', 'personal_data', 'off_topic', 'spam', 'not_about_product']);
    for (const r of REJECT_REASONS) expect(r).not.toMatch(RATING_WORDS);
  });

  it.each([
    { publishMode: 'on_arrival' as const, holdDays: 3 },
    { publishMode: 'after_hold' as const, holdDays: 0 },
    { publishMode: 'after_hold' as const, holdDays: 7 },
  ])('every rating is treated alike under %j', (p) => {
    const policy = ReviewsPolicySchema.parse(p);
    const now = Date.parse('2026-11-25T10:00:00Z');
    // The same call for a 1-star and a 5-star review: there is nothing else to pass.
    const outcomes = [1, 2, 3, 4, 5].map(() => initialPublication(policy, now));
    expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
  });
});
