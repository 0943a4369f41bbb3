// GET /api/v1/cases: the store's cases for its helpdesk, newest first, cursor-paginated.
// ?status=open|in_progress|resolved (also active = not resolved, all: the default), ?kind=, ?limit=, ?cursor=.
import { config } from '../../../server/config.ts';
import { apiRoute, json } from '../../../server/http/api-route.ts';
import { toCaseJson } from '../../../server/queues/case-json.ts';
import { listCases } from '../../../server/queues/list-cases.ts';

export const GET = apiRoute(async ({ ctx, store }) => {
  const page = await listCases({
    store,
    userId: null,
    query: ctx.url.searchParams,
    defaultStatus: 'all',
    defaultLimit: 50,
    publicUrl: config().publicUrl,
  });
  return json({ cases: page.rows.map(toCaseJson), nextCursor: page.nextCursor });
});
