// POST /api/v1/webhook-endpoints/{id}/pause: deliveries wait; DELETE resumes (a disabled endpoint too).
import { apiActor, apiRoute, json } from '../../../../../server/http/api-route.ts';
import { setEndpointPaused } from '../../../../../server/webhooks/manage-endpoints.ts';

export const POST = apiRoute(async ({ ctx, store }) =>
  json(await setEndpointPaused(store.id, ctx.params.id ?? '', true, apiActor(ctx), Date.now())),
);

export const DELETE = apiRoute(async ({ ctx, store }) =>
  json(await setEndpointPaused(store.id, ctx.params.id ?? '', false, apiActor(ctx), Date.now())),
);
