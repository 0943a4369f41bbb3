// `npm run bench`: prints the figures the issues set targets for. Servers run on core 1, the load
// generator on core 0. Nothing here passes or fails: it measures, and says where a target is missed.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../src/server/http/build.ts';
import { startTestServer, demoLinks } from '../support/server.ts';
import { ensureWrk } from './load.ts';
import { benchOrderPage } from './order-page.ts';
import { pinTo } from './cores.ts';
import { httpClient } from './client.ts';
import { createBenchOrders, demoApiKey } from './bench-orders.ts';
import { benchWebhooks } from './webhooks.ts';
import { benchLiveLatency } from './live-latency.ts';
import { benchDelayScan, delayScanRows } from './delay-scan.ts';
import { benchLabels } from './labels.ts';
import { benchFreshPages } from './fresh-pages.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

// WAYPOST_BENCH_ONLY=fresh runs one scenario (a quick proof that it works); WAYPOST_BENCH_FRESH_ORDERS sizes it.
const only = process.env.WAYPOST_BENCH_ONLY;
const want = (
  scenario:
    | 'order-page'
    | 'webhooks'
    | 'live'
    | 'fresh'
    | 'delay-scan'
    | 'labels'
    | 'push'
    | 'events-out'
    | 'analytics'
    | 'email'
    | 'pg-webhooks'
    | 'pg-order-page'
    | 'pg-delay-scan',
) => !only || only === scenario;
const FRESH_ORDERS = Number(process.env.WAYPOST_BENCH_FRESH_ORDERS ?? 2000);
// WAYPOST_BENCH_WEBHOOK_PARCELS and WAYPOST_BENCH_WEBHOOK_SECONDS size webhook ingest (a smoke run: 20 parcels, 1 s).
const WEBHOOK_PARCELS = Number(process.env.WAYPOST_BENCH_WEBHOOK_PARCELS ?? 200);
const WEBHOOK_SECONDS = Number(process.env.WAYPOST_BENCH_WEBHOOK_SECONDS ?? 8);
// WAYPOST_BENCH_ANALYTICS_PARCELS sizes the analytics year (a smoke run: a few thousand).
const ANALYTICS_PARCELS = Number(process.env.WAYPOST_BENCH_ANALYTICS_PARCELS ?? 1_000_000);
// WAYPOST_BENCH_SCAN_PARCELS sizes the delay scan on SQLite (WAYPOST_BENCH_PG_PARCELS on PostgreSQL).
const SCAN_PARCELS = Number(process.env.WAYPOST_BENCH_SCAN_PARCELS ?? 1_000_000);

const root = fileURLToPath(new URL('../..', import.meta.url));
// Other work on the machine skews every figure; the load average before and after says how much.
const loadBefore = loadavg()[0]!;
ensureWrk();
ensureBuilt(root);

// No carrier-sync worker: only the benchmark's webhooks change parcels. A local receiver stands
// for a store's system when ingest runs with an events-out endpoint attached.
const receiver = await startWebhookReceiver();
const server = await startTestServer({
  WAYPOST_DEMO: '1',
  WAYPOST_LOG_LEVEL: 'error',
  WAYPOST_WORKER: '0',
  WAYPOST_WEBHOOK_HOSTS: receiver.host,
});
spawnSync('taskset', ['-pc', '1', String(server.process.pid)], { stdio: 'ignore' });
spawnSync('taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
const rows: [string, string, string][] = [];
const row = (name: string, value: string, target: string) => rows.push([name, value, target]);

try {
  const url = demoLinks(server.output)['Split across two parcels']!.replace('localhost', '127.0.0.1');
  if (want('order-page')) {
    const f = await benchOrderPage(url);
    row('order page: requests/s (portal)', f.portal.requestsPerSecond.toFixed(0), '');
    row('order page: requests/s (bare node:http, same bytes)', f.bare.requestsPerSecond.toFixed(0), '');
    row('order page: portal / bare', f.ratio.toFixed(2), '>= 0.50');
    row('order page: p50 / p99 latency (portal)', `${f.portal.p50Ms.toFixed(2)} / ${f.portal.p99Ms.toFixed(2)} ms`, '');
    row('order page: p50 / p99 latency (bare)', `${f.bare.p50Ms.toFixed(2)} / ${f.bare.p99Ms.toFixed(2)} ms`, '');
    row('order page: HTML bytes', String(f.pageBytes), '');
    row('order page: script shipped (gzip)', `${f.scriptBytesGzip} B in ${f.scripts} script(s)`, '< 15 KB');
    row('order page: failed responses under load', String(f.portal.errors), '0');
  }

  // Webhooks and live updates: the load comes from this process on core 0, every server thread on core 1.
  pinTo(server.process.pid!, 1);
  pinTo(process.pid, 0);
  const key = demoApiKey(server.output);
  const client = httpClient(server.url, 32);
  try {
    if (want('webhooks')) {
      const wh = await benchWebhooks(client, key, await createBenchOrders(client, key, 'wh', WEBHOOK_PARCELS), WEBHOOK_SECONDS, 32);
      row('webhooks: events applied/s (SQLite, 32 in flight)', `${wh.perSecond.toFixed(0)}/s`, '>= 2000/s');
      row('webhooks: events timed', `${wh.events} in ${wh.seconds.toFixed(1)} s (${wh.parcels} parcels)`, '');
      row('webhooks: p50 / p99 answer time', `${wh.p50Ms.toFixed(1)} / ${wh.p99Ms.toFixed(1)} ms`, '');
      row('webhooks: non-2xx answers', String(wh.non2xx), '0');
      row('webhooks: 2xx but not "applied"', String(wh.notApplied), '0');
      row('webhooks: parcels the last event delivered', `${wh.delivered}/${wh.parcels}`, '');
      row('webhooks: last status read back (API)', `${wh.verified}/${wh.parcels}`, `${wh.parcels}/${wh.parcels}`);
    }

    if (want('events-out')) {
      // The same ingest with an events-out endpoint subscribed to everything: each change also
      // records its event and queues a delivery in the same transaction (the sender runs in the worker).
      const ep = await client.request('POST', '/api/v1/webhook-endpoints', JSON.stringify({ url: receiver.url, events: ['*'] }), {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
      });
      if (ep.status !== 201) throw new Error(`endpoint not created: ${ep.status} ${ep.body}`);
      const wh = await benchWebhooks(client, key, await createBenchOrders(client, key, 'whep', 200), 8, 32);
      row('webhooks: events applied/s with an endpoint attached', `${wh.perSecond.toFixed(0)}/s`, '>= 2000/s');
      row('webhooks: p50 / p99 answer time (endpoint attached)', `${wh.p50Ms.toFixed(1)} / ${wh.p99Ms.toFixed(1)} ms`, '');
      row('webhooks: non-2xx, not applied (endpoint attached)', `${wh.non2xx}, ${wh.notApplied}`, '0, 0');
    }

    if (want('fresh')) {
      const fp = await benchFreshPages(client, await createBenchOrders(client, key, 'fresh', FRESH_ORDERS), 32);
      const ms = (v: number) => `${v.toFixed(2)} ms`;
      const ratio = (a: { perSecond: number }, b: { perSecond: number }) => (a.perSecond / b.perSecond).toFixed(2);
      row(
        `fresh pages: ${fp.orders} new orders rendered into the store after their commits`,
        `${(fp.renderWaitMs / 1000).toFixed(1)} s wait`,
        '',
      );
      row(
        'fresh pages: cold reads/s portal / bare (32 conn)',
        `${fp.cold.portal.perSecond.toFixed(0)} / ${fp.cold.bare.perSecond.toFixed(0)}`,
        '',
      );
      row('fresh pages: cold, portal / bare', ratio(fp.cold.portal, fp.cold.bare), '>= 0.50');
      row('fresh pages: cold p50 / p99 (portal)', `${ms(fp.cold.portal.p50Ms)} / ${ms(fp.cold.portal.p99Ms)}`, 'p99 < 10 ms');
      row('fresh pages: cold p50 / p99 (bare)', `${ms(fp.cold.bare.p50Ms)} / ${ms(fp.cold.bare.p99Ms)}`, '');
      row('fresh pages: webhook ingest while pages render', `${fp.ingest.perSecond.toFixed(0)}/s, p99 ${ms(fp.ingest.p99Ms)}`, '>= 2000/s');
      row('fresh pages: renders done during ingest; non-2xx', `${fp.ingest.rendersDuring}; ${fp.ingest.non2xx}`, '; 0');
      row('fresh pages: commit -> page in the store, p50 / p99', `${ms(fp.commitToStoredP50Ms)} / ${ms(fp.commitToStoredP99Ms)}`, '');
      row(
        'fresh pages: after a carrier event, reads/s portal / bare',
        `${fp.changed.portal.perSecond.toFixed(0)} / ${fp.changed.bare.perSecond.toFixed(0)}`,
        '',
      );
      row('fresh pages: after a carrier event, portal / bare', ratio(fp.changed.portal, fp.changed.bare), '>= 0.50');
      row(
        'fresh pages: after a carrier event, p50 / p99 (portal)',
        `${ms(fp.changed.portal.p50Ms)} / ${ms(fp.changed.portal.p99Ms)}`,
        'p99 < 10 ms',
      );
      row('fresh pages: pages not showing their event (stale)', String(fp.changed.stale), '0');
      row('fresh pages: failed reads (cold, after event)', `${fp.cold.portal.errors}, ${fp.changed.portal.errors}`, '0, 0');
      row(
        'fresh pages: memory / table bytes per stored page',
        `${(fp.memoryPerPage / 1024).toFixed(1)} / ${(fp.diskPerPage / 1024).toFixed(1)} KB`,
        '',
      );
    }

    if (want('live')) {
      const l = await benchLiveLatency(client, await createBenchOrders(client, key, 'live', 20), 100);
      row(`live: webhook -> page GET shows it, p50 / p99`, `${l.pageP50Ms.toFixed(1)} / ${l.pageP99Ms.toFixed(1)} ms`, 'p99 < 2000 ms');
      row(`live: webhook -> "changed" on stream, p50 / p99`, `${l.changedP50Ms.toFixed(1)} / ${l.changedP99Ms.toFixed(1)} ms`, '');
      row(
        `live: webhook -> open page refetched on "changed", p50 / p99`,
        `${l.refreshedP50Ms.toFixed(1)} / ${l.refreshedP99Ms.toFixed(1)} ms`,
        '',
      );
      row(
        `live: ${l.webhooks} webhooks, ${l.streams} open streams: missed`,
        `${l.missedChanged} changed, ${l.missedPage} page, ${l.missedRefresh} refetch`,
        '0, 0, 0',
      );
      row('live: webhook non-2xx answers', String(l.non2xx), '0');
      row('order page cache: hits, GETs until the scan shows', `${l.cacheHits}/${l.pageGets}`, '');
      row('order page cache: hits, 2nd GET right after that', `${l.recached}/${l.webhooks - l.missedPage}`, '');
      row('order page cache: hits, refetch on "changed"', `${l.refetchHits}/${l.webhooks - l.missedChanged}`, '');
    }
  } catch (err) {
    console.error(`the portal said:\n${server.output.join('').slice(-4000)}`);
    throw err;
  } finally {
    client.close();
  }
} finally {
  await server.stop();
  await receiver.close();
}

// The delay scan in this process, on a temp database of its own, once the portal is stopped.
if (want('delay-scan')) delayScanRows(row, await benchDelayScan(SCAN_PARCELS), '');
// Analytics over a year of a store with a million parcels, on a data directory of its own.
if (want('analytics')) await (await import('./analytics.ts')).analyticsBenchRows(row, ANALYTICS_PARCELS);
if (want('labels')) await benchLabels(row);

if (want('events-out')) await (await import('./webhook-deliveries.ts')).webhookDeliveryBenchRows(row);
if (want('push')) await (await import('./push.ts')).pushBenchRows(row); // web push: notifications sent per second from the outbox
if (want('email')) await (await import('./email.ts')).emailBenchRows(row); // emails rendered and accepted by SMTP per second
// The same ingest, order page and delay scan on PostgreSQL, when a server answers (WAYPOST_BENCH_PG_URL).
await (await import('./postgres.ts')).postgresBenchRows(row, want);

const w = Math.max(...rows.map((r) => r[0].length));
console.log(
  `\nWaypost benchmark (${new Date().toISOString()}, node ${process.version}, 1-min load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after, 2 cores)`,
);
const vw = Math.max(22, ...rows.map((r) => r[1].length));
for (const [name, value, target] of rows) console.log(`${name.padEnd(w)}  ${value.padStart(vw)}  ${target ? `target ${target}` : ''}`);
