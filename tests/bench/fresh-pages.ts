// Fresh pages: distinct order pages each read once, cold (just created) and right after a signed
// carrier event changed each, against a bare node:http server answering the same bytes in the same
// run; webhook ingest while the render queue renders; the page store's memory and disk per page.
// The reads are wrk's (read-each-once.lua, core 0); the bare server runs in a process of its own on
// the portal's core (bare-server.ts), so the two are read by the same client on the same terms.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from './client.ts';
import { pinTo } from './cores.ts';
import { readEachOnce, type EachOnceResult } from './load.ts';
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

/** Reads every path once through the node client, `concurrency` at a time, for the bodies. */
async function bodiesOf(client: Client, paths: string[], concurrency: number): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) bodies.set(paths[i]!, (await client.request('GET', paths[i]!)).body);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bodies;
}

/** A bare node:http server in a child process on core 1 (the portal's), answering each path with its body. */
async function bareServer(dir: string, bodies: Map<string, string>): Promise<{ origin: string; close(): void }> {
  const file = join(dir, 'bodies.json');
  writeFileSync(file, JSON.stringify(Object.fromEntries(bodies)));
  const script = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', script, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [port] = (await once(child.stdout.setEncoding('utf8'), 'data')) as [string];
  pinTo(child.pid!, 1);
  return { origin: `http://127.0.0.1:${port.trim()}`, close: () => child.kill() };
}

const figuresOf = (r: EachOnceResult): ReadFigures => ({
  perSecond: r.requestsPerSecond,
  p50Ms: r.p50Ms,
  p99Ms: r.p99Ms,
  errors: r.non200,
});

/**
 * Each path read once by wrk from the portal (the reads measured), then the same bytes from the bare
 * server, read once each the same way. `marker`: what every page must show; returns how many lacked it.
 */
async function againstBare(portal: Client, dir: string, paths: string[], concurrency: number, marker: string) {
  const pathsFile = join(dir, 'paths.txt');
  writeFileSync(pathsFile, paths.join('\n') + '\n');
  const measured = await readEachOnce(portal.base, pathsFile, { connections: concurrency, marker });
  if (measured.read !== paths.length) throw new Error(`wrk read ${measured.read} of ${paths.length} pages`);
  const bare = await bareServer(dir, await bodiesOf(portal, paths, concurrency));
  try {
    const bareRead = await readEachOnce(bare.origin, pathsFile, { connections: concurrency });
    return { portal: figuresOf(measured), bare: figuresOf(bareRead), lacking: measured.stale };
  } finally {
    bare.close();
  }
}

/** Runs the scenario on parcels created just before (their pages rendering in the queue). */
export async function benchFreshPages(portal: Client, parcels: BenchParcel[], concurrency = 32): Promise<FreshFigures> {
  const paths = parcels.map((p) => p.pagePath);
  const renderWaitMs = await drained(portal);
  const dir = mkdtempSync(join(tmpdir(), 'waypost-fresh-'));
  try {
    return await measure(portal, parcels, paths, concurrency, dir, renderWaitMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What every page shows once its carrier event is in (scan 1's message, tracker-events.ts), and no page shows before. */
const CHANGED_MARKER = 'Processed at sorting hub';

async function measure(
  portal: Client,
  parcels: BenchParcel[],
  paths: string[],
  concurrency: number,
  dir: string,
  renderWaitMs: number,
): Promise<FreshFigures> {
  const cold = await againstBare(portal, dir, paths, concurrency, CHANGED_MARKER);
  // The marker must tell the pages apart: no page shows it before its event.
  if (cold.lacking !== paths.length) throw new Error(`${paths.length - cold.lacking} cold pages already show "${CHANGED_MARKER}"`);

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
  // Each page's first read after its event: every one must show it.
  const changed = await againstBare(portal, dir, paths, concurrency, CHANGED_MARKER);
  const stale = changed.lacking;

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
