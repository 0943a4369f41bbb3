// GET /{slug}/reviews/{productId}: the embeddable HTML fragment of a product's published reviews,
// with its JSON-LD; public and cacheable (ETag, 304). `?cursor=` pages on.
import type { APIRoute } from 'astro';
import { config } from '../../../server/config.ts';
import { isAppError } from '../../../server/errors.ts';
import { cacheable } from '../../../server/http/cacheable.ts';
import { wordsOf } from '../../../server/http/shopper-context.ts';
import { readPublicReviews } from '../../../server/reviews/read-public-reviews.ts';
import { renderReviewsFragment } from '../../../server/reviews/render-reviews-fragment.ts';

export const GET: APIRoute = async (ctx) => {
  try {
    const slug = ctx.params.store ?? '';
    const productId = ctx.params.productId ?? '';
    const { store, reviews } = await readPublicReviews({ productId, query: ctx.url.searchParams, slug });
    const self = `${config().publicUrl}/${store.slug}/reviews/${encodeURIComponent(productId)}`;
    // In the shopper's language: ?lang=, the one they chose on the store's pages, their browser's, the store's default.
    const html = renderReviewsFragment(store, reviews, self, wordsOf(ctx.locals));
    return cacheable(ctx.request, html, 'text/html; charset=utf-8', 60, ['accept-language', 'cookie']);
  } catch (err) {
    if (!isAppError(err)) throw err;
    // An unknown store or product is said in the shopper's words; a malformed query keeps its precise English (it is for developers).
    const text = err.status === 404 ? wordsOf(ctx.locals).t('reviews.embed.notFound') : err.message;
    return new Response(text, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
};
