// The thin node:http server in front of Astro. It answers cached order pages from memory (plain
// or pre-compressed bytes), serves the built static files, and hands everything else to Astro's
// handler (@astrojs/node in middleware mode). See README, "Why the order page is served from bytes".
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import send from 'send';
import { answerEasyPostWebhook, MAX_WEBHOOK_BYTES } from '../carriers/answer-easypost-webhook.ts';
import { log } from '../log.ts';
import { getPage, type CachedPage } from '../pagecache/page-cache.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

export type AstroHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => unknown;

/** Paths whose pages may be cached: an order page, without a query string. */
const ORDER_PAGE = /^\/[a-z0-9-]{1,40}\/t\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/;

/** Carrier webhooks: answered here, before Astro, because they come in bursts. */
const EASYPOST_WEBHOOK = /^\/api\/webhooks\/easypost\/([a-z0-9-]{1,40})$/;

export interface FrontServerOptions {
  astro: AstroHandler;
  /** Astro's built client folder (dist/client). */
  clientDir: string;
}

/** Creates the HTTP server (not yet listening). */
export function createFrontServer(opts: FrontServerOptions): Server {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if ((req.method === 'GET' || req.method === 'HEAD') && ORDER_PAGE.test(url)) {
      const page = getPage(url);
      if (page) return serveCached(req, res, page);
    }
    const webhook = req.method === 'POST' ? EASYPOST_WEBHOOK.exec(url) : null;
    if (webhook) return serveWebhook(req, res, webhook[1]!);
    if ((req.method === 'GET' || req.method === 'HEAD') && url.startsWith('/_astro/')) {
      return serveStatic(req, res, opts, true);
    }
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      /^\/(favicon\.svg|favicon\.ico|robots\.txt|sw\.js|icons\/[\w.-]+|fonts\/[\w.-]+)$/.test(url.split('?')[0]!)
    ) {
      return serveStatic(req, res, opts, false);
    }
    toAstro(req, res, opts);
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

function toAstro(req: IncomingMessage, res: ServerResponse, opts: FrontServerOptions): void {
  Promise.resolve(opts.astro(req, res)).catch((err: unknown) => {
    log.error({ err, url: req.url }, 'request failed');
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Something went wrong on our side. Please try again.');
    } else res.destroy();
  });
}

function serveWebhook(req: IncomingMessage, res: ServerResponse, slug: string): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_WEBHOOK_BYTES + 1) chunks.push(c);
  });
  req.on('end', () => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    void answerEasyPostWebhook(slug, Buffer.concat(chunks), headers, Date.now()).then((r) => {
      for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
      res.writeHead(r.status, r.headers).end(r.body);
    });
  });
  req.on('error', () => res.destroy());
}

function serveCached(req: IncomingMessage, res: ServerResponse, page: CachedPage): void {
  for (const [k, v] of page.headers) res.setHeader(k, v);
  for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
  res.setHeader('etag', page.etag);
  res.setHeader('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === page.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? page.gzip : page.body;
  if (gzip) res.setHeader('content-encoding', 'gzip');
  res.setHeader('content-length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, opts: FrontServerOptions, immutable: boolean): void {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
  for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
  send(req, path, { root: opts.clientDir, dotfiles: 'deny', immutable, maxAge: immutable ? '1y' : '1h', index: false })
    .on('error', () => {
      res.removeHeader('cache-control');
      toAstro(req, res, opts);
    })
    .pipe(res);
}
