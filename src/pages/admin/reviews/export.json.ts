// GET /admin/reviews/export.json: every review of the store with its verification provenance.
import type { APIRoute } from 'astro';
import { exportReviews } from '../../../server/reviews/export-reviews.ts';

export const GET: APIRoute = async (ctx) => {
  const user = ctx.locals.user!;
  const body = await exportReviews(user.storeId);
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="reviews.json"',
      'cache-control': 'no-store',
    },
  });
};
