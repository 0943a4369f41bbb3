// GET /{slug}/t/{token}/manifest.webmanifest: the store's web app manifest, so "Add to Home Screen"
// (which iPhones need before they allow web push) installs the store's name, colour and icon and
// opens this order page.
import type { APIRoute } from 'astro';
import { storeManifest } from '../../../../server/notifications/store-manifest.ts';

export const GET: APIRoute = async ({ params, locals }) => {
  const { store, order } = locals;
  if (!store || !order) return new Response('Not found', { status: 404 });
  return new Response(JSON.stringify(storeManifest(store, `/${store.slug}/t/${params.token}`)), {
    headers: { 'content-type': 'application/manifest+json', 'cache-control': 'private, max-age=300' },
  });
};
