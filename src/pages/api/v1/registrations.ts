// GET /api/v1/registrations: the store's product registrations, newest first: {registrations,
// nextCursor}; ?product= (product id or SKU), ?limit= (≤ 100), ?cursor=.
import { apiRoute, json } from '../../../server/http/api-route.ts';
import { listRegistrations, toRegistrationJson } from '../../../server/registrations/list-registrations.ts';

export const GET = apiRoute(async ({ ctx, store }) => {
  const page = await listRegistrations({ storeId: store.id, query: ctx.url.searchParams });
  return json({ registrations: page.rows.map(toRegistrationJson), nextCursor: page.nextCursor });
});
