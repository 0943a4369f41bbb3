// Carrier event to open order page: order pages hold their live stream (server-sent events) open
// while signed webhooks arrive one at a time; for each we time the `changed` event on that order's
// stream, fresh GETs of the order page until one shows the new scan, and the GET the open page
// makes itself when told `changed` (src/components/order/LiveUpdates.astro).
import http from 'node:http';
import type { Client } from './client.ts';
import { signedTrackerEvent, type BenchParcel } from './tracker-events.ts';
import { percentile } from './stats.ts';

/** What benchLiveLatency measured (times in ms from sending the webhook). */
export interface LiveFigures {
  webhooks: number;
  streams: number;
  /** Webhook sent → `changed` on the order's stream. */
  changedP50Ms: number;
  changedP99Ms: number;
  /** Webhook sent → a GET of the order page shows the new scan's message. */
  pageP50Ms: number;
  pageP99Ms: number;
  /** Webhooks whose `changed` event never came (within 5 s). */
  missedChanged: number;
  /** Webhooks whose page never showed the scan (within 10 s). */
  missedPage: number;
  non2xx: number;
  /** Order page GETs answered from the page cache (the front server adds an ETag), of all GETs. */
  cacheHits: number;
  pageGets: number;
  /** Times a second GET right after the page showed the scan came from the cache (the render was kept). */
  recached: number;
  /** Webhook sent → the open page, told by `changed`, has fetched itself again with the scan in it. */
  refreshedP50Ms: number;
  refreshedP99Ms: number;
  /** Those refetches answered from the page cache. */
  refetchHits: number;
  /** Refetches on `changed` that did not show the scan. */
  missedRefresh: number;
}

interface Stream {
  /** Resolves with the performance.now() time of the next `changed` event. */
  nextChanged(): Promise<number>;
  close(): void;
}

/** Opens the order page's live stream and resolves once the server has answered with its first bytes. */
function openLiveStream(base: string, pagePath: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let waiters: ((t: number) => void)[] = [];
    let buffered = '';
    const req = http.get(`${base}${pagePath}/live`, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`live stream ${pagePath}: ${res.statusCode}`));
      res.setEncoding('utf8');
      let opened = false;
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (/^event: changed$/m.test(block)) {
            const ws = waiters;
            waiters = [];
            for (const w of ws) w(at);
          }
        }
        if (!opened) {
          opened = true;
          resolve({
            nextChanged: () => new Promise<number>((r) => waiters.push(r)),
            close: () => req.destroy(),
          });
        }
      });
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timeout = <T>(p: Promise<T>, ms: number): Promise<T | null> => Promise.race([p, sleep(ms).then(() => null)]);

// Every parcel's stream is opened and scan 0 sent to each (warm-up); then the webhooks go one
// after another, round-robin over the parcels, at a random phase of the change feed's poll.
/** Times webhook → `changed` on the stream, → a GET showing the scan, → the open page's own refetch. */
export async function benchLiveLatency(client: Client, parcels: BenchParcel[], webhooks = 100): Promise<LiveFigures> {
  const streams = await Promise.all(parcels.map((p) => openLiveStream(client.base, p.pagePath)));
  const base = Date.now() - 36 * 3_600_000;
  const changed: number[] = [];
  const page: number[] = [];
  let missedChanged = 0;
  let missedPage = 0;
  let non2xx = 0;
  let cacheHits = 0;
  let pageGets = 0;
  let recached = 0;
  const refreshed: number[] = [];
  let refetchHits = 0;
  let missedRefresh = 0;
  try {
    for (const p of parcels) {
      const e = signedTrackerEvent(p, 0, base);
      await client.request('POST', '/api/webhooks/easypost/demo', e.body, e.headers);
    }
    await sleep(500); // the warm-up's `changed` events go by
    for (let w = 0; w < webhooks; w++) {
      const i = w % parcels.length;
      const p = parcels[i]!;
      const e = signedTrackerEvent(p, 1 + Math.floor(w / parcels.length), base);
      await sleep(Math.random() * 150); // off the change feed's 150 ms poll rhythm, so its phase is sampled fairly
      // What the open page does on `changed`: fetch itself again and swap the content in.
      const onChanged = timeout(streams[i]!.nextChanged(), 5000).then(async (at) => {
        if (at === null) return null;
        const g = await client.request('GET', p.pagePath);
        return { at, done: performance.now(), hit: Boolean(g.headers.etag), shows: g.status === 200 && g.body.includes(e.message) };
      });
      const t0 = performance.now();
      const r = await client.request('POST', '/api/webhooks/easypost/demo', e.body, e.headers);
      if (r.status < 200 || r.status > 299) non2xx++;
      let shown: number | null = null;
      while (performance.now() - t0 < 10_000) {
        const g = await client.request('GET', p.pagePath);
        pageGets++;
        if (g.headers.etag) cacheHits++;
        if (g.status === 200 && g.body.includes(e.message)) {
          shown = performance.now() - t0;
          break;
        }
        await sleep(5);
      }
      if (shown === null) missedPage++;
      else {
        page.push(shown);
        const again = await client.request('GET', p.pagePath);
        if (again.headers.etag) recached++;
      }
      const c = await onChanged;
      if (c === null) missedChanged++;
      else {
        changed.push(c.at - t0);
        if (c.hit) refetchHits++;
        if (c.shows) refreshed.push(c.done - t0);
        else missedRefresh++;
      }
    }
  } finally {
    for (const s of streams) s.close();
  }
  return {
    webhooks,
    streams: streams.length,
    changedP50Ms: percentile(changed, 50),
    changedP99Ms: percentile(changed, 99),
    pageP50Ms: percentile(page, 50),
    pageP99Ms: percentile(page, 99),
    missedChanged,
    missedPage,
    non2xx,
    cacheHits,
    pageGets,
    recached,
    refreshedP50Ms: percentile(refreshed, 50),
    refreshedP99Ms: percentile(refreshed, 99),
    refetchHits,
    missedRefresh,
  };
}
