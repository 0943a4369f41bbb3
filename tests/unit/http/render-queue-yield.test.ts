// The render queue makes room for carrier webhooks: while grouped writes keep arriving it renders
// one page at a time and pauses after each (renders take about a fifth of the core), and once the
// burst is over it renders what is left at full speed. Nothing is dropped: every changed page is
// rendered in the end. Real SQLite file, real commits (recordPageChange → onOwnChange), a real
// loopback front door that takes RENDER_MS to answer each render.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, groupedTransaction, transaction } from '../../../src/server/db.ts';
import { renderQueueStats, startRenderQueue, stopRenderQueue } from '../../../src/server/http/render-queue.ts';
import { clearPages, encodePage, keepPage, renderEpoch } from '../../../src/server/pagecache/page-cache.ts';
import { recordPageChange } from '../../../src/server/pagecache/record-change.ts';
import { freshDatabase } from '../../support/database.ts';

const STORE = 'store-yield';
const ORDERS = Array.from({ length: 12 }, (_, i) => `order-${i + 1}`);
const pageOf = (order: string) => `/shop/t/${order.padEnd(22, 'A')}.BBBBBBBBBBBBBBBBBBBBBB`;
const RENDER_MS = 30;

let server: Server;
/** When each render reached the door and when it was answered (ms, performance.now()). */
const renders: { path: string; began: number; ended: number }[] = [];
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  await freshDatabase();
  server = createServer((req, res) => {
    const began = performance.now();
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      renders.push({ path: req.url ?? '', began, ended: performance.now() });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>rendered</p>');
    }, RENDER_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  startRenderQueue((server.address() as AddressInfo).port);
});
afterAll(async () => {
  stopRenderQueue();
  clearPages();
  await new Promise((resolve) => server.close(resolve));
  await closeDatabase();
});

/** Each order's page is held in memory (what a shopper opened), so its change queues a render of it. */
function keepOrderPages() {
  for (const order of ORDERS) {
    keepPage(
      {
        pageKey: pageOf(order),
        lang: 'en',
        ownLanguage: true,
        ...encodePage(`<p>${order}</p>`),
        headers: [['content-type', 'text/html; charset=utf-8']],
        storeId: STORE,
        orderId: order,
        version: 0,
        renderedAt: Date.now(),
        localDay: '2026-12-02',
        staleAt: Date.now() + 3_600_000,
      },
      renderEpoch(),
    );
  }
}

const changeAll = async () => {
  for (const order of ORDERS) await transaction((tx) => recordPageChange(tx, STORE, order, Date.now()));
};
const queueEmpty = async (timeoutMs: number) => {
  const until = performance.now() + timeoutMs;
  while (renderQueueStats().waiting > 0) {
    if (performance.now() > until) throw new Error(`the render queue still has ${renderQueueStats().waiting} waiting`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the render queue during a burst of carrier webhooks', () => {
  it('renders one page at a time with pauses while grouped writes arrive, then the rest at full speed', async () => {
    keepOrderPages();
    // A burst: a grouped write (what a carrier webhook runs) every 10 ms for 1.2 s.
    let burst = true;
    const writes = (async () => {
      while (burst) {
        await groupedTransaction(async () => undefined);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    const rendered0 = renderQueueStats().rendered;
    await changeAll();
    await new Promise((r) => setTimeout(r, 1200));
    const duringBurst = renders.length;
    const concurrencyInBurst = mostInFlight;
    burst = false;
    await writes;
    const burstEnded = performance.now();

    // In the burst: one at a time, each followed by a pause of about four renders.
    expect(concurrencyInBurst).toBe(1);
    expect(duringBurst).toBeGreaterThanOrEqual(1);
    expect(duringBurst).toBeLessThan(ORDERS.length);
    for (let i = 1; i < duringBurst; i++) {
      const gap = renders[i]!.began - renders[i - 1]!.ended;
      expect(gap).toBeGreaterThanOrEqual(3 * RENDER_MS);
    }

    // After it: everything left, none lost, each changed page once, two at a time.
    await queueEmpty(3000);
    expect(renderQueueStats().rendered - rendered0).toBe(ORDERS.length);
    expect(new Set(renders.map((r) => r.path)).size).toBe(ORDERS.length);
    expect(renders.at(-1)!.ended - burstEnded).toBeLessThan(((ORDERS.length - duringBurst) / 2) * RENDER_MS + 1500);
    expect(mostInFlight).toBe(2);
  });
});
