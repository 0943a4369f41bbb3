// POST /api/v1/webhook-endpoints {url, events, description?}: 201 {id, url, events, …, secret} (the
// secret shown once); GET: the store's endpoints, never a secret. See README "Events out".
import { apiActor, apiRoute, json, readJson } from '../../../../server/http/api-route.ts';
import { createEndpoint, listEndpoints } from '../../../../server/webhooks/manage-endpoints.ts';

export const POST = apiRoute(async ({ ctx, store }) =>
  json(await createEndpoint(store.id, await readJson(ctx.request), apiActor(ctx), Date.now()), 201),
);

export const GET = apiRoute(async ({ store }) => json({ endpoints: await listEndpoints(store.id, Date.now()) }));
