// The one-click unsubscribe of marketing email (RFC 8058). POST (a mailbox provider's one click,
// body "List-Unsubscribe=One-Click") needs nothing else: no cookie, Origin or form token; it is
// exempt from the cross-site check because the signed token is the whole authority and the only
// effect is fewer emails. GET (a person following the link) shows a button that posts the same.
import type { APIRoute } from 'astro';
import { readUnsubscribeToken } from '../../../server/messages/unsubscribe-token.ts';
import { unsubscribe } from '../../../server/messages/list-messages.ts';

const page = (status: number, body: string) =>
  new Response(
    `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>Unsubscribe</title><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );

export const GET: APIRoute = async ({ locals, params, url }) => {
  const store = locals.store;
  if (!store || !readUnsubscribeToken(store.id, params.token ?? ''))
    return page(404, '<h1>This link does not work</h1><p>It may have been copied incompletely.</p>');
  return page(
    200,
    `<h1>Stop marketing email?</h1><p>You will still get messages about your orders.</p><form method="post" action="${url.pathname}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  );
};

export const POST: APIRoute = async ({ locals, params }) => {
  const store = locals.store;
  const email = store ? readUnsubscribeToken(store.id, params.token ?? '') : null;
  if (!store || !email) return page(404, '<h1>This link does not work</h1><p>It may have been copied incompletely.</p>');
  await unsubscribe(store.id, email, Date.now());
  return page(
    200,
    '<h1>You are unsubscribed</h1><p>No more marketing email from this store. You will still get messages about your orders.</p>',
  );
};
