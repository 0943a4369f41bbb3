// Every request: the database ready (dev server), security headers, the shopper's store (and order
// or return) or the admin's session into locals, cached page capture.
import { defineMiddleware, sequence } from 'astro:middleware';
import { deleteSessionCookie, setSessionCookie } from './server/auth/cookies.ts';
import { SESSION_COOKIE, validateSessionToken } from './server/auth/session.ts';
import { ensureDatabase } from './server/bootstrap.ts';
import { isAppError } from './server/errors.ts';
import { apiMethodTable } from './server/http/api-methods.ts';
import { isCrossSiteWrite } from './server/http/origin-check.ts';
import { problem } from './server/http/problem.ts';
import { SECURITY_HEADERS } from './server/http/security-headers.ts';
import { isShopperRoute, resolveShopperContext, SHOPPER_ENDPOINTS } from './server/http/shopper-context.ts';
import { renderEpoch, storePage } from './server/pagecache/page-cache.ts';

const ready = defineMiddleware(async (_ctx, next) => {
  await ensureDatabase();
  return next();
});

const originCheck = defineMiddleware(async (ctx, next) => {
  if (isCrossSiteWrite(ctx.request, ctx.url)) {
    return new Response('This form was sent from another site, so it was refused. Go back to the page and send it again.', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return next();
});

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

/** Keeps a page's HTML when the page asked for it (order pages), for the front server to answer. */
const pageCache = defineMiddleware(async (ctx, next) => {
  const startedAt = renderEpoch();
  const response = await next();
  const tags = ctx.locals.pageCacheTags;
  if (!tags || response.status !== 200 || ctx.request.method !== 'GET' || ctx.url.search) return response;
  const html = await response.text();
  const headers = [...response.headers.entries()].filter(([k]) => k !== 'content-length');
  storePage(ctx.url.pathname, html, headers, tags, startedAt);
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
  Object.assign(ctx.locals, await resolveShopperContext(ctx.params));
  if (!ctx.locals.store && !SHOPPER_ENDPOINTS.has(ctx.routePattern)) return ctx.rewrite('/404');
  return next();
});

export const onRequest = sequence(ready, securityHeaders, expectedErrors, apiRoutes, originCheck, adminSession, shopperContext, pageCache);
