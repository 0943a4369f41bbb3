// PUT /api/v1/store/logo: the store's logo as the image's own bytes (Content-Type image/png,
// image/jpeg or image/webp, up to 1 MB), checked exactly as the branding page checks an upload and
// served from our own origin. Answers the store document, as GET /api/v1/store does.
import { apiActor, apiRoute, HttpProblem, json } from '../../../../server/http/api-route.ts';
import { problem } from '../../../../server/http/problem.ts';
import { readBytes } from '../../../../server/http/read-body.ts';
import { getStoreDocument } from '../../../../server/stores/get-store-document.ts';
import { toStoreJson } from '../../../../server/stores/store-json.ts';
import { updateBranding } from '../../../../server/changes/store-settings-changed.ts';
import { MAX_LOGO_BYTES } from '../../../../server/stores/upload-logo.ts';

const TYPES = /^image\/(png|jpeg|webp)\s*(;|$)/i;

export const PUT = apiRoute(async ({ ctx, store }) => {
  if (!TYPES.test(ctx.request.headers.get('content-type') ?? ''))
    throw new HttpProblem(problem(415, 'Send the logo’s bytes as image/png, image/jpeg or image/webp.'));
  const logo = await readBytes(ctx.request, MAX_LOGO_BYTES);
  await updateBranding({ storeId: store.id, branding: {}, logo, actor: apiActor(ctx), now: Date.now() });
  const current = await getStoreDocument(store.id);
  return json(toStoreJson(current!.document, current!.policyVersion));
});
