// The order page under load, next to a bare node:http server answering the same bytes.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { load, type LoadResult } from './load.ts';

export interface OrderPageFigures {
  portal: LoadResult;
  bare: LoadResult;
  ratio: number;
  pageBytes: number;
  scriptBytesGzip: number;
  scripts: number;
}

/** Measures the order page at url against the bare server; rounds alternate to share noise. */
export async function benchOrderPage(url: string, rounds = 2): Promise<OrderPageFigures> {
  const page = await fetch(url);
  const html = await page.text();
  const headers = Object.fromEntries(page.headers);
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  const body = Buffer.from(html);
  const bare = createServer((_req, res) => {
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(body);
  });
  bare.listen(0, '127.0.0.1');
  await once(bare, 'listening');
  const port = (bare.address() as { port: number }).port;

  const portalRuns: LoadResult[] = [];
  const bareRuns: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    portalRuns.push(await load(url));
    bareRuns.push(await load(`http://127.0.0.1:${port}/`));
  }
  bare.close();

  // Script the page ships, gzip-compressed: inline scripts, <script src> files, the islands'
  // component and renderer modules, and every module those import (followed to the end).
  const origin = new URL(url).origin;
  let scriptBytesGzip = 0;
  let scripts = 0;
  const seen = new Set<string>();
  const queue = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)].map((m) => m[1]!),
    ...[...html.matchAll(/\b(?:component-url|renderer-url)="([^"]+)"/g)].map((m) => m[1]!),
  ].map((src) => new URL(src.replace(/&amp;/g, '&'), origin).href);
  while (queue.length > 0) {
    const href = queue.shift()!;
    if (seen.has(href)) continue;
    seen.add(href);
    const src = Buffer.from(await (await fetch(href)).arrayBuffer());
    scriptBytesGzip += gzipSync(src).length;
    scripts++;
    for (const m of src.toString('utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+\.js)["']/g))
      queue.push(new URL(m[1]!, href).href);
  }
  for (const m of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    if (/type="application\/(ld\+)?json"/.test(m[0])) continue;
    scriptBytesGzip += gzipSync(Buffer.from(m[1]!)).length;
    scripts++;
  }
  const best = (runs: LoadResult[]) => runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
  const portal = best(portalRuns);
  const bareBest = best(bareRuns);
  return {
    portal,
    bare: bareBest,
    ratio: portal.requestsPerSecond / bareBest.requestsPerSecond,
    pageBytes: body.length,
    scriptBytesGzip,
    scripts,
  };
}
