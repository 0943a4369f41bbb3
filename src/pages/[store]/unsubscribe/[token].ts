// The one-click unsubscribe of marketing email (RFC 8058). POST (a mailbox provider's one click,
// body "List-Unsubscribe=One-Click") needs nothing else: no cookie, Origin or form token; it is
// exempt from the cross-site check because the signed token is the whole authority and the only
// effect is fewer emails. GET (a person following the link) shows a button that posts the same.
// Both speak the shopper's language: ?lang= (or the one they chose), else their latest order's,
// as the emails did, else the store's default.
import type { APIContext, APIRoute } from 'astro';
import { LANGUAGE_COOKIE, wordsForShopper, wordsOf } from '../../../server/http/shopper-context.ts';
import type { Translator } from '../../../server/i18n/translator.ts';
import { latestOrderLocale } from '../../../server/messages/latest-order-locale.ts';
import { readUnsubscribeToken } from '../../../server/messages/unsubscribe-token.ts';
import { unsubscribe } from '../../../server/messages/list-messages.ts';
import { esc } from '../../../server/reviews/render-reviews-fragment.ts';

const page = (status: number, words: Translator, title: string, body: string) =>
  new Response(
    `<!doctype html><html lang="${esc(words.tag)}" dir="${words.dir}"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${esc(title)}</title><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );

/** The address the token names for this store, and the words to speak to its owner in. */
async function resolve(ctx: APIContext): Promise<{ email: string | null; words: Translator }> {
  const store = ctx.locals.store;
  const email = store ? readUnsubscribeToken(store.id, ctx.params.token ?? '') : null;
  if (!store || !email) return { email: null, words: wordsOf(ctx.locals) };
  const request = {
    url: ctx.url,
    acceptLanguage: ctx.request.headers.get('accept-language'),
    chosenLanguage: ctx.cookies.get(LANGUAGE_COOKIE)?.value ?? null,
  };
  return { email, words: wordsForShopper(request, store, await latestOrderLocale(store.id, email)) };
}

/** A token that does not check out (copied incompletely, edited, another store's): 404, nothing changed. */
function broken(words: Translator): Response {
  const heading = words.t('preferences.unsubscribe.brokenHeading');
  return page(404, words, heading, `<h1>${esc(heading)}</h1><p>${esc(words.t('preferences.unsubscribe.brokenBody'))}</p>`);
}

export const GET: APIRoute = async (ctx) => {
  const { email, words } = await resolve(ctx);
  if (!email) return broken(words);
  const { t } = words;
  return page(
    200,
    words,
    t('preferences.unsubscribe.title', { store: ctx.locals.store!.name }),
    `<h1>${esc(t('preferences.unsubscribe.heading'))}</h1><p>${esc(t('preferences.unsubscribe.serviceStays'))}</p><form method="post" action="${esc(ctx.url.pathname)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${esc(t('preferences.unsubscribe.button'))}</button></form>`,
  );
};

export const POST: APIRoute = async (ctx) => {
  const { email, words } = await resolve(ctx);
  if (!email) return broken(words);
  await unsubscribe(ctx.locals.store!.id, email, Date.now());
  const { t } = words;
  return page(
    200,
    words,
    t('preferences.unsubscribe.title', { store: ctx.locals.store!.name }),
    `<h1>${esc(t('preferences.unsubscribe.doneHeading'))}</h1><p>${esc(t('preferences.unsubscribe.doneBody'))}</p>`,
  );
};
