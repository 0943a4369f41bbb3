// The embeddable fragment: every value escaped, and JSON-LD that parses, cannot close its script
// element, and says what the visible part says.
import { describe, expect, it } from 'vitest';
import { ReviewsPolicySchema } from '../../../src/server/policies/reviews-policy.ts';
import type { ProductReviews } from '../../../src/server/reviews/list-product-reviews.ts';
import { renderReviewsFragment } from '../../../src/server/reviews/render-reviews-fragment.ts';

const store = { name: 'Shop & Co', settings: { timeZone: 'UTC', reviews: ReviewsPolicySchema.parse({}) } } as never;
const reviews: ProductReviews = {
  productId: 'TENT',
  productTitle: 'Tent <b>2P</b>',
  productImageUrl: null,
  aggregate: { average: 4.5, count: 2, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 } },
  reviews: [
    {
      id: 'a',
      rating: 5,
      title: '</script><script>alert(1)</script>',
      body: 'Dry & warm',
      author: 'Ann L.',
      verifiedBuyer: true,
      publishedAt: Date.parse('2026-11-25T10:00:00Z'),
      reply: { body: 'Thanks <3', at: 0 },
    },
    {
      id: 'b',
      rating: 4,
      title: null,
      body: null,
      author: 'Bo K.',
      verifiedBuyer: true,
      publishedAt: Date.parse('2026-11-24T10:00:00Z'),
      reply: null,
    },
  ],
  nextCursor: null,
};

describe('renderReviewsFragment', () => {
  const html = renderReviewsFragment(store, reviews, 'https://track.example/shop/reviews/TENT');

  it('escapes every value and has exactly one script element, of JSON-LD', () => {
    expect(html).toContain('Reviews of Tent &lt;b&gt;2P&lt;/b&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Reply from Shop &amp; Co');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });

  it('JSON-LD: one Product under one @id, its AggregateRating matching the visible numbers, and the Reviews shown', () => {
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      '@id': 'https://track.example/shop/reviews/TENT#product',
      name: 'Tent <b>2P</b>',
      aggregateRating: { '@type': 'AggregateRating', ratingValue: 4.5, reviewCount: 2 },
    });
    expect(html).toContain('<span class="wp-rating-value">4.5</span>');
    expect(html).toContain('<span class="wp-review-count">2</span>');
    expect(ld.review.map((r: { reviewRating: { ratingValue: number } }) => r.reviewRating.ratingValue)).toEqual([5, 4]);
    expect(ld.review[0].name).toBe('</script><script>alert(1)</script>');
  });

  it('no reviews: no AggregateRating (search engines refuse an empty one)', () => {
    const empty = renderReviewsFragment(
      store,
      { ...reviews, aggregate: { ...reviews.aggregate, average: null, count: 0 }, reviews: [] },
      'https://x/y',
    );
    expect(empty).toContain('No reviews yet.');
    expect(JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(empty)![1]!).aggregateRating).toBeUndefined();
  });
});
