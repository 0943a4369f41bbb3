// GET /api/v1/store: the store's branding, policies and return address.
// PATCH /api/v1/store: a JSON Merge Patch (RFC 7396) of the same document, validated exactly as the
// admin's branding and policies pages validate it; audited, and a new policy version when a policy changes.
import { apiActor, apiRoute, json, readJson } from '../../../server/http/api-route.ts';
import { problem } from '../../../server/http/problem.ts';
import { getStoreDocument } from '../../../server/stores/get-store-document.ts';
import { toStoreJson } from '../../../server/stores/store-json.ts';
import { updateStore } from '../../../server/changes/store-settings-changed.ts';

export const GET = apiRoute(async ({ store }) => {
  const current = await getStoreDocument(store.id);
  if (!current) return problem(404, 'No such store.');
  return json(toStoreJson(current.document, current.policyVersion));
});

export const PATCH = apiRoute(async ({ ctx, store }) => {
  const patch = await readJson(ctx.request);
  const r = await updateStore({
    storeId: store.id,
    patch,
    actor: apiActor(ctx),
    now: Date.now(),
    message: 'The store settings were not changed',
  });
  return json(toStoreJson(r.document, r.policyVersion));
});
