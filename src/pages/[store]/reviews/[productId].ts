// GET /{slug}/reviews/{productId}: the embeddable HTML fragment of a product's published reviews,
// with its JSON-LD; public and cacheable (ETag, 304). `?cursor=` pages on.
import type { APIRoute } from 'astro';
import { config } from '../../../server/config.ts';
import { isAppError } from '../../../server/errors.ts';
import { cacheable } from '../../../server/http/cacheable.ts';
import { readPublicReviews } from '../../../server/reviews/read-public-reviews.ts';
import { renderReviewsFragment } from '../../../server/reviews/render-reviews-fragment.ts';

export const GET: APIRoute = async (ctx) => {
  try {
    const slug = ctx.params.store ?? '';
    const productId = ctx.params.productId ?? '';
    const { store, reviews } = await readPublicReviews({ productId, query: ctx.url.searchParams, slug });
    const self = `${config().publicUrl}/${store.slug}/reviews/${encodeURIComponent(productId)}`;
    return cacheable(ctx.request, renderReviewsFragment(store, reviews, self), 'text/html; charset=utf-8');
  } catch (err) {
    if (!isAppError(err)) throw err;
    return new Response(err.message, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
};
