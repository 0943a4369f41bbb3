// GET /api/v1/store/dkim: whether the store's emails are DKIM-signed ({ dkim: { domain, selector } } or { dkim: null }).
// PUT: sets the key ({ domain, selector, privateKey } with an RSA (2048+ bits) or Ed25519 private key in PEM); the key is
// write-only and never answered. DELETE: 204, emails go unsigned from then on.
import { apiActor, apiRoute, json, readJson } from '../../../../server/http/api-route.ts';
import { dkimStatus, removeDkimKey, setDkimKey } from '../../../../server/stores/dkim-key.ts';

export const GET = apiRoute(async ({ store }) => json({ dkim: await dkimStatus(store.id) }));

export const PUT = apiRoute(async ({ ctx, store }) => {
  const input = await readJson(ctx.request);
  return json({ dkim: await setDkimKey(store.id, input, apiActor(ctx), Date.now()) });
});

export const DELETE = apiRoute(async ({ ctx, store }) => {
  await removeDkimKey(store.id, apiActor(ctx), Date.now());
  return new Response(null, { status: 204 });
});
