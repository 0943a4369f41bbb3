// GET /api/v1/returns: the store's returns, newest first: {returns, nextCursor}; ?status= (a status,
// open or all), ?reason=, ?product= (product id or SKU), ?limit= (≤ 100), ?cursor=.
import { config } from '../../../../server/config.ts';
import { apiRoute, json } from '../../../../server/http/api-route.ts';
import { listReturns } from '../../../../server/returns/list-returns.ts';
import { toReturnJson } from '../../../../server/returns/return-json.ts';

export const GET = apiRoute(async ({ ctx, store }) => {
  const page = await listReturns({ storeId: store.id, query: ctx.url.searchParams });
  const opts = { publicUrl: config().publicUrl, slug: store.slug };
  return json({ returns: page.rows.map((r) => toReturnJson(r, opts)), nextCursor: page.nextCursor });
});
