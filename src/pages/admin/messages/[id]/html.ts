// GET /admin/messages/{id}/html: the email's HTML as the shopper's mail app gets it, under a
// policy that runs nothing (sandbox) and loads only images.
import type { APIRoute } from 'astro';
import { getStoreMessage } from '../../../../server/messages/list-messages.ts';
import { renderMessage } from '../../../../server/messages/run-email-sender.ts';

export const GET: APIRoute = async ({ locals, params }) => {
  const user = locals.user;
  const m = user ? await getStoreMessage(user.storeId, params.id ?? '') : null;
  const rendered = m && m.channel === 'email' ? await renderMessage(m, Date.now()) : null;
  if (!rendered) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(rendered.email.html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "sandbox; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'",
    },
  });
};
