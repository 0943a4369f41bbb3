// GET /api/v1/webhook-endpoints/{id}/deliveries: what this endpoint was sent, newest first (?limit= ≤ 200).
import { apiRoute, json } from '../../../../../server/http/api-route.ts';
import { listDeliveries } from '../../../../../server/webhooks/list-deliveries.ts';
import { getEndpoint } from '../../../../../server/webhooks/manage-endpoints.ts';

export const GET = apiRoute(async ({ ctx, store }) => {
  const ep = await getEndpoint(store.id, ctx.params.id ?? '', Date.now());
  const limit = Number(ctx.url.searchParams.get('limit') ?? 50);
  return json({
    deliveries: await listDeliveries(store.id, { endpointId: ep.id, limit: Number.isInteger(limit) && limit > 0 ? limit : 50 }),
  });
});
