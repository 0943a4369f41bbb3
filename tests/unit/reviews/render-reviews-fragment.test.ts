// The embeddable fragment: every value escaped, and JSON-LD that parses, cannot close its script
// element, and says what the visible part says.
import { describe, expect, it } from 'vitest';
import { ReviewsPolicySchema } from '../../../src/server/policies/reviews-policy.ts';
import type { ProductReviews } from '../../../src/server/reviews/list-product-reviews.ts';
import { strayWords, stringsIn } from '../../support/pseudo-locale.ts';
import { pseudoTranslator, translator } from '../../../src/server/i18n/translator.ts';
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
  const html = renderReviewsFragment(store, reviews, 'https://track.example/shop/reviews/TENT', translator('en'));

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
      translator('en'),
    );
    expect(empty).toContain('No reviews yet.');
    expect(JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(empty)![1]!).aggregateRating).toBeUndefined();
  });

  it('speaks the shopper’s language: every word of its own from the catalogue, numbers and dates in their locale', () => {
    const de = renderReviewsFragment(store, reviews, 'https://track.example/shop/reviews/TENT', translator('de'));
    expect(de).toContain('lang="de" dir="ltr"');
    expect(de).toContain('Bewertungen für Tent &lt;b&gt;2P&lt;/b&gt;');
    expect(de).toContain('<span class="wp-rating-value">4,5</span> von 5 · <span class="wp-review-count">2</span> Bewertungen');
    expect(de).toContain('Antwort von Shop &amp; Co');
    expect(de).toContain('Verifizierter Kauf');
    expect(de).toContain('So sammeln und prüfen wir Bewertungen');
    expect(de).toContain('aria-label="5 von 5 Sternen"');
    expect(de).not.toMatch(/Reviews of|out of 5|Verified buyer|Reply from/);
    const ar = renderReviewsFragment(store, reviews, 'https://x/y', translator('ar'));
    expect(ar).toContain('lang="ar" dir="rtl"');
  });

  it('in the pseudo-locale, has no word of its own that did not come from the catalogue (reviews and pages of them included)', () => {
    const paged = { ...reviews, nextCursor: 'next-page' };
    const html = renderReviewsFragment(store, paged, 'https://x/y', pseudoTranslator());
    expect(html).toContain('⟦');
    expect(strayWords(html, stringsIn([paged, 'Shop & Co']))).toEqual([]);
    expect(strayWords(renderReviewsFragment(store, paged, 'https://x/y', translator('en')), stringsIn([paged, 'Shop & Co']))).not.toEqual(
      [],
    );
  });
});
