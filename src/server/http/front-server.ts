// The thin node:http server in front of Astro. It answers order and return pages from the page store (this
// process's memory, else the shared table, else one render; plain or pre-compressed bytes), serves
// the built static files, and hands everything else to Astro's handler (@astrojs/node in
// middleware mode). See README, "Why the order page is served from bytes" and "Fresh pages".
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import send from 'send';
import { countOrderPageView } from '../analytics/count-page-view.ts';
import { answerEasyPostWebhook, MAX_WEBHOOK_BYTES } from '../sync/answer-easypost-webhook.ts';
import { isLanguage } from '../i18n/languages.ts';
import { log } from '../log.ts';
import { getPage, keepPage, memoryKey, renderEpoch, type CachedPage } from '../pagecache/page-cache.ts';
import { readStoredPage } from '../pagecache/page-store.ts';
import { markPageRead } from '../pagecache/mark-page-read.ts';
import { catchUpPageChanges, pageChangesRead } from '../pagecache/change-feed.ts';
import { markClientAddress } from './client-address.ts';
import { isRenderRequest, RENDER_AT_HEADER, RENDER_HEADER, renderPage, type RenderResult } from './render-queue.ts';
import { LANGUAGE_COOKIE } from './shopper-context.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

export type AstroHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => unknown;

/**
 * Addresses answered from the page store: an order page (`/t/`) or a return page (`/r/`), without
 * a query string or with only the language asked for. The return's label files stay with Astro.
 */
const STORED_PAGE = /^(\/[a-z0-9-]{1,40}\/[tr]\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22})(?:\?lang=([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?))?$/;

/** An order page's key (a visit counted for deflection analytics); a return page is not one. */
const ORDER_PAGE_KEY = /^\/[a-z0-9-]{1,40}\/t\//;

/** Carrier webhooks: answered here, before Astro, because they come in bursts. */
const EASYPOST_WEBHOOK = /^\/api\/webhooks\/easypost\/([a-z0-9-]{1,40})$/;

export interface FrontServerOptions {
  astro: AstroHandler;
  /** Astro's built client folder (dist/client). */
  clientDir: string;
}

/** Methods Waypost answers; anything else (TRACE, CONNECT, WebDAV…) is a 405 before Astro, which cannot build a Request for some of them. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ALLOWED = [...METHODS].join(', ');

/** Larger bodies are refused from their Content-Length before anything reads them (Astro's own limit, astro.config.mjs). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Creates the HTTP server (not yet listening). Whatever a handler throws is answered with a 500 and logged; the server keeps serving. */
export function createFrontServer(opts: FrontServerOptions): Server {
  const server = createServer((req, res) => {
    try {
      route(req, res, opts);
    } catch (err) {
      fail(req, res, err);
    }
  });
  server.keepAliveTimeout = 65_000;
  // A request the HTTP parser cannot read (a malformed line or header, a method it does not know)
  // never reaches the listener: answer it plainly and close after a linger, as below.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, extra] =
      err.code === 'HPE_INVALID_METHOD' ? [405, `allow: ${ALLOWED}\r\n`] : err.code === 'HPE_HEADER_OVERFLOW' ? [431, ''] : [400, ''];
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${extra}connection: close\r\ncontent-length: 0\r\n\r\n`);
    lingerThenClose(socket);
  });
  return server;
}

function route(req: IncomingMessage, res: ServerResponse, opts: FrontServerOptions): void {
  const url = req.url ?? '/';
  const method = req.method ?? 'GET';
  if (!METHODS.has(method)) return refuse(req, res, 405, 'This method is not supported here.', { allow: ALLOWED });
  if (!isWellEncoded(url)) return refuse(req, res, 400, 'This address is not valid.');
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    return refuse(req, res, 413, 'The request body is larger than 5 MB.');
  }
  if (!isRenderRequest(req.headers[RENDER_HEADER])) {
    delete req.headers[RENDER_HEADER];
    delete req.headers[RENDER_AT_HEADER];
  }
  markClientAddress(req);
  const storedPage = method === 'GET' || method === 'HEAD' ? STORED_PAGE.exec(url) : null;
  // A shopper who chose a language (its cookie) is answered by Astro unless the address names one.
  const chosen = storedPage?.[2] === undefined && (req.headers.cookie ?? '').includes(`${LANGUAGE_COOKIE}=`);
  if (storedPage && req.headers[RENDER_HEADER] === undefined && !chosen) {
    const [, pageKey, lang] = storedPage as unknown as [string, string, string | undefined];
    // Kept in memory and no other process committed since the feed was read: fresh.
    if (pageChangesRead()) {
      const page = getPage(memoryKey(pageKey, lang ?? null));
      if (page) return serveCached(req, res, page);
    }
    return void serveStored(req, res, opts, pageKey, lang ?? null).catch((err: unknown) => fail(req, res, err));
  }
  const webhook = method === 'POST' ? EASYPOST_WEBHOOK.exec(url) : null;
  if (webhook) return serveWebhook(req, res, webhook[1]!);
  if ((method === 'GET' || method === 'HEAD') && url.startsWith('/_astro/')) {
    return serveStatic(req, res, opts, true);
  }
  if (
    (method === 'GET' || method === 'HEAD') &&
    /^\/(favicon\.svg|favicon\.ico|robots\.txt|sw\.js|icons\/[\w.-]+|fonts\/[\w.-]+)$/.test(url.split('?')[0]!)
  ) {
    return serveStatic(req, res, opts, false);
  }
  toAstro(req, res, opts);
}

function toAstro(req: IncomingMessage, res: ServerResponse, opts: FrontServerOptions): void {
  closeIfUnread(req, res);
  Promise.resolve()
    .then(() => opts.astro(req, res))
    .catch((err: unknown) => fail(req, res, err));
}

/**
 * An answer given before the whole body was read (a refusal, a body over the limit) leaves the rest
 * of that body unread, so the connection cannot carry another request. Such an answer says
 * `Connection: close`, and the socket is closed the way a careful server closes it (a lingering
 * close): the answer goes out, the write side is shut, and what the client is still sending is
 * read and discarded for a moment before the socket goes, so the client reads the answer instead
 * of a reset. Only requests that carry a body can end this way.
 */
function closeIfUnread(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return;
  const socket = req.socket;
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!req.complete && !this.headersSent) {
      this.setHeader('connection', 'close');
      socket.destroySoon = () => {
        req.resume();
        socket.end();
        lingerThenClose(socket);
      };
    }
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}
const LINGER_MS = 2000;

/** After the answer: discard whatever the client is still sending, then close. */
function lingerThenClose(socket: Socket): void {
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** The last resort: logged with what was asked, answered with a plain page that says nothing of the cause. */
function fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  log.error({ err, method: req.method, url: req.url }, 'request failed');
  if (res.headersSent) return void res.destroy();
  try {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('Something went wrong on our side. Please try again.');
  } catch {
    res.destroy();
  }
}

/**
 * A refusal before Astro: problem+json under /api (machines read it), plain words elsewhere. The
 * request's body is never read.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
  const api = (req.url ?? '').startsWith('/api/');
  const body = api ? JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail }) : `${detail}\n`;
  closeIfUnread(req, res);
  res.writeHead(status, {
    'content-type': api ? 'application/problem+json' : 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function serveWebhook(req: IncomingMessage, res: ServerResponse, slug: string): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_WEBHOOK_BYTES) return void chunks.push(c);
    // Too large is told as such at once: the body is not kept, so its signature is never checked.
    if (!res.headersSent) refuse(req, res, 413, 'The event is larger than 512 KB.');
  });
  req.on('end', () => {
    if (size > MAX_WEBHOOK_BYTES) return;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    answerEasyPostWebhook(slug, Buffer.concat(chunks), headers, Date.now())
      .then((r) => {
        for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
        res.writeHead(r.status, r.headers).end(r.body);
      })
      .catch((err: unknown) => fail(req, res, err));
  });
  req.on('error', () => res.destroy());
}

/**
 * A page not in this process's memory: the shared table's copy if it is fresh, else one render
 * (shared with every request for it meanwhile, and with the render queue) into the page store.
 */
async function serveStored(req: IncomingMessage, res: ServerResponse, opts: FrontServerOptions, pageKey: string, lang: string | null) {
  if (!pageChangesRead()) {
    await catchUpPageChanges();
    const kept = getPage(memoryKey(pageKey, lang));
    if (kept) return serveCached(req, res, kept);
  }
  const epoch = renderEpoch();
  const now = Date.now();
  const stored = await readStoredPage(pageKey, lang, now);
  if (stored) {
    keepPage(stored, epoch); // refused when a change came in since the read began; served anyway: it was fresh when read
    return serveCached(req, res, stored);
  }
  let rendered: RenderResult;
  try {
    rendered = await renderPage(pageKey, lang);
  } catch (err) {
    log.warn({ err, url: req.url }, 'rendering through the front door failed; Astro answers directly');
    return toAstro(req, res, opts);
  }
  if (rendered.page) return serveCached(req, res, rendered.page);
  serveRendered(req, res, rendered);
}

/** Astro's answer for a page that was not kept (a 404, a render that raced a change), passed on as it came. */
function serveRendered(req: IncomingMessage, res: ServerResponse, r: RenderResult): void {
  for (const [k, v] of Object.entries(r.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    res.setHeader(k, v);
  }
  res.setHeader('content-length', r.body.length);
  res.statusCode = r.status;
  res.end(req.method === 'HEAD' ? undefined : r.body);
}
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/**
 * A language picked with `?lang=xx` stays picked on the store's pages that follow (the return flow,
 * the review form): the cookie the middleware sets when Astro renders the page, set here too when
 * the page comes from memory or the page store.
 */
function languageCookie(url: string): string | null {
  const m = /^\/([a-z0-9-]{1,40})\/[tr]\/[^?]+\?lang=([a-z]{2})$/.exec(url);
  if (!m || !isLanguage(m[2])) return null;
  return `${LANGUAGE_COOKIE}=${m[2]}; Max-Age=${365 * 86_400}; Path=/${m[1]}; HttpOnly; SameSite=Lax`;
}

function serveCached(req: IncomingMessage, res: ServerResponse, page: CachedPage): void {
  // A shopper's visit (not the render queue's own read): an order page's counts for deflection analytics.
  if (req.method === 'GET' && req.headers[RENDER_HEADER] === undefined) {
    if (ORDER_PAGE_KEY.test(page.pageKey)) countOrderPageView(page.storeId, page.orderId);
    markPageRead(page);
  }
  for (const [k, v] of page.headers) if (k !== 'set-cookie') res.setHeader(k, v);
  for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
  const chosen = languageCookie(req.url ?? '');
  if (chosen) res.setHeader('set-cookie', chosen);
  res.setHeader('etag', page.etag);
  res.setHeader('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === page.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const accept = req.headers['accept-encoding'] ?? '';
  const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
  const body = encoding === 'br' ? page.brotli : encoding === 'gzip' ? page.gzip : page.body;
  if (encoding) res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, opts: FrontServerOptions, immutable: boolean): void {
  const path = (req.url ?? '/').split('?')[0]!; // send decodes it (route() checked it decodes)
  for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
  send(req, path, { root: opts.clientDir, dotfiles: 'deny', immutable, maxAge: immutable ? '1y' : '1h', index: false })
    .on('error', () => {
      res.removeHeader('cache-control');
      toAstro(req, res, opts);
    })
    .pipe(res);
}

/** True when every %-escape in the request target decodes (to valid UTF-8). */
export function isWellEncoded(target: string): boolean {
  if (!target.includes('%')) return true;
  try {
    decodeURIComponent(target);
    return true;
  } catch {
    return false;
  }
}
