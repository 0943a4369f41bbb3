// Every request: the database ready (dev server), security headers, the shopper's store (and order
// or return) or the admin's session into locals, cached page capture.
import type { APIContext } from 'astro';
import { defineMiddleware, sequence } from 'astro:middleware';
import { deleteSessionCookie, setSessionCookie } from './server/auth/cookies.ts';
import { SESSION_COOKIE, validateSessionToken } from './server/auth/session.ts';
import { ensureDatabase } from './server/bootstrap.ts';
import { isAppError } from './server/errors.ts';
import { apiMethodTable } from './server/http/api-methods.ts';
import { isCrossSiteWrite } from './server/http/origin-check.ts';
import { problem } from './server/http/problem.ts';
import { RENDER_AT_HEADER, RENDER_HEADER } from './server/http/render-queue.ts';
import { SECURITY_HEADERS } from './server/http/security-headers.ts';
import { isLanguage } from './server/i18n/languages.ts';
import { isShopperRoute, LANGUAGE_COOKIE, resolveShopperContext, SHOPPER_ENDPOINTS, wordsOf } from './server/http/shopper-context.ts';
import { bestAccepted } from './server/i18n/pick-language.ts';
import { translator, type Translator } from './server/i18n/translator.ts';
import { countOrderPageView } from './server/analytics/count-page-view.ts';
import { keepRenderedPage } from './server/pagecache/keep-rendered.ts';
import { renderEpoch } from './server/pagecache/page-cache.ts';
import { currentVersion } from './server/pagecache/page-store.ts';

const ready = defineMiddleware(async (_ctx, next) => {
  await ensureDatabase();
  return next();
});

const originCheck = defineMiddleware(async (ctx, next) => {
  if (isCrossSiteWrite(ctx.request, ctx.url)) {
    const { t } = await refusalWords(ctx);
    return new Response(t('errors.crossSite'), {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  return next();
});

/** The refused shopper's language: on a store's pages theirs (order, chosen, store default), elsewhere the browser's, else English. */
async function refusalWords(ctx: APIContext): Promise<Translator> {
  const acceptLanguage = ctx.request.headers.get('accept-language');
  if (!isShopperRoute(ctx.routePattern)) return translator((acceptLanguage && bestAccepted(acceptLanguage)) || 'en');
  const request = { url: ctx.url, acceptLanguage, chosenLanguage: ctx.cookies.get(LANGUAGE_COOKIE)?.value ?? null };
  return wordsOf(await resolveShopperContext(ctx.params, request));
}

const API_METHODS = apiMethodTable(import.meta.glob<Record<string, unknown>>('./pages/api/**/*.ts', { eager: true }));

/** Under /api every answer is problem+json: an unknown path is a 404, a method the route lacks a 405 with Allow. */
const apiRoutes = defineMiddleware(async (ctx, next) => {
  if (!ctx.url.pathname.startsWith('/api/')) return next();
  const allowed = API_METHODS.get(ctx.routePattern);
  if (!allowed) return problem(404, 'There is no API route at this address.');
  if (!allowed.includes(ctx.request.method)) {
    return problem(405, `This address answers ${allowed.join(', ')}.`, [], { allow: allowed.join(', ') });
  }
  return next();
});

/**
 * An expected failure that a page did not turn into its own answer (a body over the size limit,
 * say) is still an expected failure: its status and plain words, never the 500 page.
 */
const expectedErrors = defineMiddleware(async (ctx, next) => {
  try {
    return await next();
  } catch (err) {
    if (!isAppError(err)) throw err;
    if (ctx.url.pathname.startsWith('/api/')) return problem(err.status, err.message, err.errors);
    return new Response(`${err.message}\n`, {
      status: err.status,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
});

/**
 * A NUL byte in the path names nothing (no slug, token, order number or id holds one), and
 * PostgreSQL refuses text holding one with an error (a 500) where SQLite found no row: such a path
 * is answered 404 here, before any look-up.
 */
const nulInPath = defineMiddleware((ctx, next) => {
  if (!/%00/i.test(ctx.url.pathname)) return next();
  if (ctx.url.pathname.startsWith('/api/')) return problem(404, 'There is no API route at this address.');
  const acceptLanguage = ctx.request.headers.get('accept-language');
  const { t } = translator((acceptLanguage && bestAccepted(acceptLanguage)) || 'en');
  return new Response(`${t('errors.notFound.body')}\n`, {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
});

/** A query string the page store keys by: none, or only the language asked for. */
const STORABLE_QUERY = /^(\?lang=[a-z]{2,3}(-[A-Za-z0-9]{2,8})?)?$/;

/** The pages the page store keeps: the order page and the return page. */
const STORED_ROUTES: ReadonlySet<string> = new Set(['/[store]/t/[token]', '/[store]/r/[returnToken]']);

/** Keeps a page's HTML in the page store when the page asked for it (order and return pages), for the front server to answer. */
const pageCache = defineMiddleware(async (ctx, next) => {
  if (ctx.request.method !== 'GET' || !STORED_ROUTES.has(ctx.routePattern) || !STORABLE_QUERY.test(ctx.url.search)) return next();
  // Both before anything is read (the store and order too, in shopperContext): a change committed
  // after them means this render is not kept.
  const epoch = renderEpoch();
  const version = await currentVersion();
  // The midnight sweep renders as of the next local day (the front server keeps the header only with the render secret).
  const renderAt = ctx.request.headers.has(RENDER_HEADER) ? Number(ctx.request.headers.get(RENDER_AT_HEADER) ?? NaN) : NaN;
  if (Number.isFinite(renderAt)) ctx.locals.renderAt = renderAt;
  const response = await next();
  const tags = ctx.locals.pageCacheTags;
  // An order page Astro rendered for a shopper (not for the render queue): a visit, for deflection analytics.
  if (tags && response.status === 200 && ctx.routePattern === '/[store]/t/[token]' && !ctx.request.headers.has(RENDER_HEADER)) {
    countOrderPageView(tags.storeId, tags.orderId);
  }
  // One entry per language: the bare path (the order's own language) and `?lang=xx` for each other
  // supported one. A page in the language a shopper's cookie chose is theirs alone: never kept.
  const lang = ctx.url.searchParams.get('lang');
  const keyed = ctx.url.search === '' ? !ctx.cookies.has(LANGUAGE_COOKIE) : isLanguage(lang);
  if (!tags || response.status !== 200 || !keyed) return response;
  const html = await response.text();
  const headers = [...response.headers.entries()].filter(([k]) => k !== 'content-length');
  const kept = keepRenderedPage({
    pageKey: ctx.url.pathname,
    requestedLang: ctx.url.searchParams.get('lang'),
    html,
    headers,
    tags,
    epoch,
    version,
    now: ctx.locals.renderAt ?? Date.now(),
    ahead: ctx.locals.renderAt !== undefined,
    readAt: ctx.request.headers.has(RENDER_HEADER) ? undefined : Date.now(),
  });
  // The render queue waits for the stored page; a shopper's request does not.
  if (ctx.request.headers.has(RENDER_HEADER)) await kept;
  return new Response(html, { status: 200, headers: response.headers });
});

const securityHeaders = defineMiddleware(async (_ctx, next) => {
  const response = await next();
  for (const [k, v] of SECURITY_HEADERS) {
    if (!response.headers.has(k)) response.headers.set(k, v);
  }
  return response;
});

/** Admin pages: the session from its cookie into locals; no session, no page (but sign-in and reset). */
const adminSession = defineMiddleware(async (ctx, next) => {
  if (ctx.url.pathname !== '/admin' && !ctx.url.pathname.startsWith('/admin/')) return next();
  const token = ctx.cookies.get(SESSION_COOKIE)?.value;
  const valid = token ? await validateSessionToken(token, Date.now()) : null;
  if (valid && token) {
    ctx.locals.user = valid.user;
    ctx.locals.session = valid.session;
    setSessionCookie(ctx.cookies, ctx.url, token, valid.session.expiresAt);
  } else if (token) deleteSessionCookie(ctx.cookies, ctx.url);
  const open = /^\/admin\/(login|reset)(\/|$)/.test(ctx.url.pathname);
  if (!valid && !open) return ctx.redirect('/admin/login', 303);
  const response = await next();
  response.headers.set('cache-control', 'no-store');
  return response;
});

/**
 * Shopper routes: the store from the slug, and the order or return from its token, resolved once
 * into locals. An unknown store is the 404 page (endpoints answer it themselves).
 */
const shopperContext = defineMiddleware(async (ctx, next) => {
  if (!isShopperRoute(ctx.routePattern)) return next();
  const asked = ctx.url.searchParams.get('lang');
  Object.assign(
    ctx.locals,
    await resolveShopperContext(ctx.params, {
      url: ctx.url,
      acceptLanguage: ctx.request.headers.get('accept-language'),
      chosenLanguage: ctx.cookies.get(LANGUAGE_COOKIE)?.value ?? null,
    }),
  );
  // A language picked in the switcher stays picked on the store's pages that follow (links, forms).
  if (isLanguage(asked) && ctx.locals.store) {
    ctx.cookies.set(LANGUAGE_COOKIE, asked, { path: `/${ctx.locals.store.slug}`, maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true });
  }
  if (!ctx.locals.store && !SHOPPER_ENDPOINTS.has(ctx.routePattern)) return ctx.rewrite('/404');
  return next();
});

// pageCache before shopperContext: a render notes where it began before the store and order are read.
export const onRequest = sequence(
  ready,
  securityHeaders,
  expectedErrors,
  nulInPath,
  apiRoutes,
  originCheck,
  adminSession,
  pageCache,
  shopperContext,
);
