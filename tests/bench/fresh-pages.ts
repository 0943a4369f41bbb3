// Fresh pages: distinct order pages each read once, cold (just created) and right after a signed
// carrier event changed each, against a bare node:http server answering the same bytes in the same
// run; webhook ingest while the render queue renders; the page store's memory and disk per page.
import http from 'node:http';
import { once } from 'node:events';
import { httpClient, type Client } from './client.ts';
import { percentile } from './stats.ts';
import { signedTrackerEvent, type BenchParcel } from './tracker-events.ts';

interface ReadFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

interface PageFigures {
  memory: { pages: number; bytes: number };
  queue: { rendered: number; waiting: number; failed: number; commitToStoredMs: number[] };
  table: { pages: number; bytes: number };
}

export interface FreshFigures {
  orders: number;
  renderWaitMs: number;
  cold: { portal: ReadFigures; bare: ReadFigures };
  changed: { portal: ReadFigures; bare: ReadFigures; stale: number };
  ingest: { perSecond: number; p99Ms: number; non2xx: number; rendersDuring: number };
  commitToStoredP50Ms: number;
  commitToStoredP99Ms: number;
  memoryPerPage: number;
  diskPerPage: number;
}

const figures = async (client: Client) =>
  (JSON.parse((await client.request('GET', '/api/health?pages=1')).body) as { pages: PageFigures }).pages;

async function drained(client: Client): Promise<number> {
  const t0 = performance.now();
  while ((await figures(client)).queue.waiting > 0) await new Promise((r) => setTimeout(r, 50));
  return performance.now() - t0;
}

/** Reads every path once, `concurrency` at a time; returns the figures and each body. */
async function readAll(client: Client, paths: string[], concurrency: number): Promise<[ReadFigures, Map<string, string>]> {
  const bodies = new Map<string, string>();
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      const t = performance.now();
      const r = await client.request('GET', paths[i]!);
      latencies.push(performance.now() - t);
      if (r.status !== 200) errors++;
      bodies.set(paths[i]!, r.body);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return [{ perSecond: paths.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), errors }, bodies];
}

/** A bare node:http server answering each path with the bytes given for it. */
async function bareServer(bodies: Map<string, string>): Promise<{ url: string; close(): void }> {
  const bytes = new Map([...bodies].map(([k, v]) => [k, Buffer.from(v)]));
  const server = http.createServer((req, res) => {
    const body = bytes.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'content-length': body?.length ?? 0 });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

async function againstBare(portal: Client, paths: string[], concurrency: number) {
  const [portalFigures, bodies] = await readAll(portal, paths, concurrency);
  const bare = await bareServer(bodies);
  const client = httpClient(bare.url, concurrency);
  try {
    const [bareFigures] = await readAll(client, paths, concurrency);
    return { portal: portalFigures, bare: bareFigures, bodies };
  } finally {
    client.close();
    bare.close();
  }
}

/** Runs the scenario on parcels created just before (their pages rendering in the queue). */
export async function benchFreshPages(portal: Client, parcels: BenchParcel[], concurrency = 32): Promise<FreshFigures> {
  const paths = parcels.map((p) => p.pagePath);
  const renderWaitMs = await drained(portal);
  const cold = await againstBare(portal, paths, concurrency);

  // Webhook ingest while pages render: one signed event per order, 32 in flight.
  const base = Date.now() - 3_600_000;
  const events = parcels.map((p) => signedTrackerEvent(p, 1, base));
  const renderedBefore = (await figures(portal)).queue.rendered;
  const latencies: number[] = [];
  let non2xx = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < events.length; i = next++) {
        const t = performance.now();
        const r = await portal.request('POST', '/api/webhooks/easypost/demo', events[i]!.body, events[i]!.headers);
        latencies.push(performance.now() - t);
        if (r.status < 200 || r.status > 299) non2xx++;
      }
    }),
  );
  const ingestSeconds = (performance.now() - t0) / 1000;
  const rendersDuring = (await figures(portal)).queue.rendered - renderedBefore;
  await drained(portal);
  const changed = await againstBare(portal, paths, concurrency);
  const stale = parcels.filter((p, i) => !changed.bodies.get(p.pagePath)?.includes(events[i]!.message)).length;

  const f = await figures(portal);
  const lat = f.queue.commitToStoredMs;
  return {
    orders: parcels.length,
    renderWaitMs,
    cold: { portal: cold.portal, bare: cold.bare },
    changed: { portal: changed.portal, bare: changed.bare, stale },
    ingest: { perSecond: events.length / ingestSeconds, p99Ms: percentile(latencies, 99), non2xx, rendersDuring },
    commitToStoredP50Ms: percentile(lat, 50),
    commitToStoredP99Ms: percentile(lat, 99),
    memoryPerPage: f.memory.pages ? f.memory.bytes / f.memory.pages : NaN,
    diskPerPage: f.table.pages ? f.table.bytes / f.table.pages : NaN,
  };
}
