// renderPage shares one render among the reads that ask for a page at the same time, but never
// hands a read the page from before a change it knows of: a render that began before the change
// (the render an order's commit queued, overtaken by another process's write to that order) is
// joined only for the page it kept, else the page is rendered once more. The front door here is a
// real HTTP server on loopback that holds each render until the test releases it, and keeps the
// page in memory the way the middleware does (epoch taken when the render begins).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderPage, startRenderQueue, stopRenderQueue } from '../../../src/server/http/render-queue.ts';
import { clearPages, encodePage, invalidatePages, keepPage, renderEpoch } from '../../../src/server/pagecache/page-cache.ts';

const PAGE = '/shop/t/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB';
const STORE = 'store-1';
const ORDER = 'order-1';

interface Held {
  path: string;
  epoch: number;
  answer: (html: string) => void;
}
let server: Server;
let held: Held[] = [];
let arrived: (() => void)[] = [];

/** Resolves once n renders have reached the front door. */
const renders = (n: number) =>
  new Promise<void>((resolve) => {
    const check = () => (held.length >= n ? resolve() : arrived.push(check));
    check();
  });

function frontDoor(req: IncomingMessage, res: ServerResponse): void {
  // As the middleware: the epoch before the page reads its data, the page kept unless a change came since.
  const epoch = renderEpoch();
  held.push({
    path: req.url ?? '',
    epoch,
    answer: (html) => {
      keepPage(
        {
          pageKey: PAGE,
          lang: 'en',
          ownLanguage: true,
          ...encodePage(html),
          headers: [['content-type', 'text/html; charset=utf-8']],
          storeId: STORE,
          orderId: ORDER,
          version: 0,
          renderedAt: Date.now(),
          localDay: '2026-12-02',
          staleAt: Date.now() + 3_600_000,
        },
        epoch,
      );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    },
  });
  for (const fn of arrived.splice(0)) fn();
}

beforeAll(async () => {
  server = createServer(frontDoor);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  startRenderQueue((server.address() as AddressInfo).port);
});
afterAll(async () => {
  stopRenderQueue();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  held = [];
  arrived = [];
  clearPages();
});

describe('renderPage', () => {
  it('renders a page once for every read that asks meanwhile, when nothing changed', async () => {
    const first = renderPage(PAGE, null);
    const second = renderPage(PAGE, null);
    await renders(1);
    held[0]!.answer('<p>Label created</p>');
    const [a, b] = await Promise.all([first, second]);
    expect(held).toHaveLength(1);
    expect(a.page?.body.toString()).toBe('<p>Label created</p>');
    expect(b.page).toBe(a.page);
  });

  it('does not hand a read that came after a change the render that began before it', async () => {
    const queued = renderPage(PAGE, null); // the render the order's commit queued
    await renders(1);
    invalidatePages(STORE, ORDER); // another process delivered the parcel; the feed told this one
    const read = renderPage(PAGE, null); // the shopper's next GET
    held[0]!.answer('<p>Label created</p>'); // rendered from the data before the delivery: not kept
    expect((await queued).page).toBeUndefined();
    // The read must not end with the old render's answer: it renders again.
    const next = await Promise.race([read.then((r) => `answered: ${r.body.toString()}`), renders(2).then(() => 'rendered again')]);
    expect(next).toBe('rendered again');
    held[1]!.answer('<p>Delivered</p>');
    const r = await read;
    expect(r.body.toString()).toBe('<p>Delivered</p>');
    expect(r.page?.body.toString()).toBe('<p>Delivered</p>');
    expect(held).toHaveLength(2);
  });

  it('takes the page a render begun before a change kept, when the change was not to its order', async () => {
    const first = renderPage(PAGE, null);
    await renders(1);
    invalidatePages(STORE, 'another-order');
    const second = renderPage(PAGE, null);
    held[0]!.answer('<p>Label created</p>');
    const [a, b] = await Promise.all([first, second]);
    expect(b.page).toBe(a.page);
    expect(b.page?.body.toString()).toBe('<p>Label created</p>');
    expect(held).toHaveLength(1);
  });
});
