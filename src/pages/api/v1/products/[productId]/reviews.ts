// GET /api/v1/products/{productId}/reviews?store={slug}: public, cacheable (ETag, 304), paginated.
import type { APIRoute } from 'astro';
import { cacheable } from '../../../../../server/http/cacheable.ts';
import { problemFromError } from '../../../../../server/http/problem.ts';
import { readPublicReviews } from '../../../../../server/reviews/read-public-reviews.ts';

export const GET: APIRoute = async (ctx) => {
  try {
    const { reviews } = await readPublicReviews({ productId: ctx.params.productId ?? '', query: ctx.url.searchParams });
    const body = {
      ...reviews,
      reviews: reviews.reviews.map((r) => ({
        ...r,
        publishedAt: new Date(r.publishedAt).toISOString(),
        reply: r.reply && { body: r.reply.body, at: new Date(r.reply.at).toISOString() },
      })),
    };
    return cacheable(ctx.request, JSON.stringify(body), 'application/json');
  } catch (err) {
    const res = problemFromError(err);
    res.headers.set('access-control-allow-origin', '*');
    return res;
  }
};
