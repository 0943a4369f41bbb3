// GET /assets/{id}.{png|jpg|webp}: a store's uploaded logo, re-served from our own origin with the
// type its content was checked to be. nosniff and a sandboxing CSP make sure a browser never treats
// it as anything but a picture, even opened on its own; its URL changes with its content, so it is
// cached for a year.
import type { APIRoute } from 'astro';
import { getStoreAsset } from '../../server/stores/get-store-asset.ts';

export const GET: APIRoute = async ({ params, request }) => {
  const asset = await getStoreAsset(params.id ?? '');
  if (!asset)
    return new Response('Not found', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  const etag = `"${asset.sha256}"`;
  const headers = {
    'content-type': asset.contentType,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'content-disposition': 'inline',
    'cache-control': 'public, max-age=31536000, immutable',
    etag,
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(asset.bytes), { status: 200, headers: { ...headers, 'content-length': String(asset.bytes.length) } });
};
