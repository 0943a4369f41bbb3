// POST /api/v1/webhook-endpoints/{id}/rotate: a new secret (shown once); the old one keeps signing
// beside it for 24 hours (both signatures in webhook-signature).
import { apiActor, apiRoute, json } from '../../../../../server/http/api-route.ts';
import { rotateEndpointSecret } from '../../../../../server/webhooks/manage-endpoints.ts';

export const POST = apiRoute(async ({ ctx, store }) =>
  json(await rotateEndpointSecret(store.id, ctx.params.id ?? '', apiActor(ctx), Date.now())),
);
