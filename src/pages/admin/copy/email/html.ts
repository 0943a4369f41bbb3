// GET /admin/copy/email/html?kind=…&order=…&lang=…&patch=…: the previewed email's HTML as the
// shopper's mail app gets it, shown in the preview page's frame under a policy that runs nothing
// (sandbox) and loads only images. Reads nothing but the store's own order; writes nothing.
import type { APIRoute } from 'astro';
import { isAppError } from '../../../../server/errors.ts';
import { readPreviewFields } from '../../../../server/messages/email-preview-fields.ts';
import { previewEmail } from '../../../../server/messages/preview-email.ts';
import { getStoreById } from '../../../../server/stores/get-store.ts';

const notFound = (why: string) => new Response(why, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export const GET: APIRoute = async ({ locals, url }) => {
  const store = locals.user ? await getStoreById(locals.user.storeId) : null;
  if (!store) return notFound('Not found');
  const { input } = readPreviewFields(url.searchParams, store, null);
  if (!input) return notFound('Pick an order.');
  try {
    const preview = await previewEmail(store.id, input, Date.now());
    return new Response(preview.html, {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-frame-options': 'SAMEORIGIN',
        'content-security-policy':
          "sandbox; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
      },
    });
  } catch (err) {
    if (isAppError(err, 'not_found')) return notFound(err.message);
    throw err;
  }
};
