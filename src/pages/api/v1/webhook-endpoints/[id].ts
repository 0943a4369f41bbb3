// GET /api/v1/webhook-endpoints/{id}: the endpoint; DELETE: 204, it and its deliveries are gone.
import { apiActor, apiRoute, json } from '../../../../server/http/api-route.ts';
import { deleteEndpoint, getEndpoint } from '../../../../server/webhooks/manage-endpoints.ts';

export const GET = apiRoute(async ({ ctx, store }) => json(await getEndpoint(store.id, ctx.params.id ?? '', Date.now())));

export const DELETE = apiRoute(async ({ ctx, store }) => {
  await deleteEndpoint(store.id, ctx.params.id ?? '', apiActor(ctx), Date.now());
  return new Response(null, { status: 204 });
});
