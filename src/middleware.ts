// Every request: the database ready (dev server), cached page capture, security headers.
import { defineMiddleware, sequence } from 'astro:middleware';
import { deleteSessionCookie, setSessionCookie } from './server/auth/cookies.ts';
import { SESSION_COOKIE, validateSessionToken } from './server/auth/session.ts';
import { ensureDatabase } from './server/bootstrap.ts';
import { isCrossSiteWrite } from './server/http/origin-check.ts';
import { SECURITY_HEADERS } from './server/http/security-headers.ts';
import { renderEpoch, storePage } from './server/pagecache/page-cache.ts';

const ready = defineMiddleware(async (_ctx, next) => {
  ensureDatabase();
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

export const onRequest = sequence(ready, securityHeaders, originCheck, adminSession, pageCache);
