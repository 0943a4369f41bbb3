// schema.org markup for a product's reviews: one Product under one @id, carrying one
// AggregateRating and the Reviews shown beside it, so search engines read what people see.
import type { ProductReviews } from './list-product-reviews.ts';

/** The JSON-LD object for the reviews shown. */
export function productJsonLd(p: ProductReviews, id: string): Record<string, unknown> {
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    '@id': id,
    name: p.productTitle ?? p.productId,
    productID: p.productId,
  };
  if (p.productImageUrl) ld.image = p.productImageUrl;
  if (p.aggregate.count > 0) {
    ld.aggregateRating = {
      '@type': 'AggregateRating',
      ratingValue: p.aggregate.average,
      reviewCount: p.aggregate.count,
      bestRating: 5,
      worstRating: 1,
    };
    ld.review = p.reviews.map((r) => ({
      '@type': 'Review',
      author: { '@type': 'Person', name: r.author },
      datePublished: new Date(r.publishedAt).toISOString().slice(0, 10),
      ...(r.title ? { name: r.title } : {}),
      ...(r.body ? { reviewBody: r.body } : {}),
      reviewRating: { '@type': 'Rating', ratingValue: r.rating, bestRating: 5, worstRating: 1 },
    }));
  }
  return ld;
}

/** JSON for inside a <script type="application/ld+json">: no "<" can close the element. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
