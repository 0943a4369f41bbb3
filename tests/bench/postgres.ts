// The PostgreSQL scenarios of `npm run bench`, beside the SQLite ones: webhook ingest with one
// portal and with two portals over one database, the order page against the bare server, and the
// delay scan over a million parcels. They run when a PostgreSQL server answers at
// WAYPOST_BENCH_PG_URL (an admin connection; default postgres://postgres@127.0.0.1:5432/postgres)
// in a database of their own (waypost_bench, created fresh for each scenario and dropped at the
// end); nothing else on the server is touched. No server: one row says they were skipped, and why.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { startTestServer, demoLinks, type TestServer } from '../support/server.ts';
import { benchOrderPage } from './order-page.ts';
import { pinTo } from './cores.ts';
import { httpClient, type Client } from './client.ts';
import { createBenchOrders, demoApiKey } from './bench-orders.ts';
import { benchWebhooks, type WebhookFigures } from './webhooks.ts';
import { delayScanRows, type DelayScanFigures } from './delay-scan.ts';

type Row = (name: string, value: string, target: string) => void;
type Scenario = 'pg-webhooks' | 'pg-order-page' | 'pg-delay-scan';

const ADMIN_URL = process.env.WAYPOST_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DATABASE = 'waypost_bench';
// WAYPOST_BENCH_PG_PARCELS sizes the delay scan (a smoke run: a few thousand); WAYPOST_BENCH_PG_ORDERS the ingest's parcels.
const SCAN_PARCELS = Number(process.env.WAYPOST_BENCH_PG_PARCELS ?? 1_000_000);
const INGEST_PARCELS = Number(process.env.WAYPOST_BENCH_PG_ORDERS ?? 200);
const INGEST_SECONDS = Number(process.env.WAYPOST_BENCH_PG_SECONDS ?? 8);

/** The admin URL with its password, if any, left out (for printing). */
const shown = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** The bench database's URL on the same server. */
function benchUrl(): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Why no PostgreSQL scenario can run, or undefined when the server answers. */
async function unreachable(): Promise<string | undefined> {
  try {
    await admin((c) => c.query('SELECT 1'));
    return undefined;
  } catch (err) {
    return `no PostgreSQL at ${shown(ADMIN_URL)} (${(err as Error).message || String(err)}); set WAYPOST_BENCH_PG_URL`;
  }
}

/** (Re)creates the bench's own database, empty; returns its URL. */
async function freshBenchDatabase(): Promise<string> {
  await dropBenchDatabase();
  await admin((c) => c.query(`CREATE DATABASE ${BENCH_DATABASE}`));
  return benchUrl();
}

function dropBenchDatabase(): Promise<unknown> {
  return admin((c) => c.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`));
}

/** A portal on the bench database (it migrates at start; the first one seeds the demo store). */
function startPortal(url: string): Promise<TestServer> {
  return startTestServer({ WAYPOST_DEMO: '1', WAYPOST_LOG_LEVEL: 'error', WAYPOST_WORKER: '0', DATABASE_URL: url });
}

/** One client whose requests alternate between the given portals: the load split evenly, as a round-robin balancer does. */
function balanced(clients: Client[]): Client {
  let next = 0;
  return {
    base: clients[0]!.base,
    request: (...args) => clients[next++ % clients.length]!.request(...args),
    close: () => clients.forEach((c) => c.close()),
  };
}

function webhookRows(row: Row, wh: WebhookFigures, label: string): void {
  row(`webhooks: events applied/s (${label}, 32 in flight)`, `${wh.perSecond.toFixed(0)}/s`, '>= 2000/s');
  row(`webhooks: events timed (${label})`, `${wh.events} in ${wh.seconds.toFixed(1)} s (${wh.parcels} parcels)`, '');
  row(`webhooks: p50 / p99 answer time (${label})`, `${wh.p50Ms.toFixed(1)} / ${wh.p99Ms.toFixed(1)} ms`, '');
  row(`webhooks: non-2xx answers (${label})`, String(wh.non2xx), '0');
  row(`webhooks: 2xx but not "applied" (${label})`, String(wh.notApplied), '0');
  row(`webhooks: last status read back (API) (${label})`, `${wh.verified}/${wh.parcels}`, `${wh.parcels}/${wh.parcels}`);
}

/**
 * Webhook ingest on `portals` portals over one fresh database, sized as the SQLite scenario (200
 * parcels, a timed part of about 8 s, 32 in flight). One portal: it runs on core 1, the load on core 0. Two:
 * one portal per core and the load on core 0 beside the second. PostgreSQL is not pinned (other
 * work shares its server) and takes whatever CPU is left on either core.
 */
async function ingest(portals: 1 | 2, rounds?: number): Promise<WebhookFigures> {
  const url = await freshBenchDatabase();
  const servers: TestServer[] = [];
  try {
    for (let i = 0; i < portals; i++) servers.push(await startPortal(url));
    servers.forEach((s, i) => pinTo(s.process.pid!, i === 0 ? 1 : 0));
    pinTo(process.pid, 0);
    const key = demoApiKey(servers[0]!.output);
    const client = balanced(servers.map((s) => httpClient(s.url, 32)));
    try {
      return await benchWebhooks(client, key, await createBenchOrders(client, key, 'pgwh', INGEST_PARCELS), INGEST_SECONDS, 32, rounds);
    } finally {
      client.close();
    }
  } catch (err) {
    for (const s of servers) console.error(`a portal said:\n${s.output.join('').slice(-4000)}`);
    throw err;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** The order page on one portal over PostgreSQL against the bare server, as order-page.ts does for SQLite. */
async function orderPage(row: Row): Promise<void> {
  const server = await startPortal(await freshBenchDatabase());
  try {
    pinTo(server.process.pid!, 1);
    pinTo(process.pid, 0);
    const url = demoLinks(server.output)['Split across two parcels']!.replace('localhost', '127.0.0.1');
    const f = await benchOrderPage(url);
    row('order page: requests/s (portal) (PostgreSQL)', f.portal.requestsPerSecond.toFixed(0), '');
    row('order page: requests/s (bare node:http, same bytes) (PostgreSQL)', f.bare.requestsPerSecond.toFixed(0), '');
    row('order page: portal / bare (PostgreSQL)', f.ratio.toFixed(2), '>= 0.50');
    row('order page: p50 / p99 latency (portal) (PostgreSQL)', `${f.portal.p50Ms.toFixed(2)} / ${f.portal.p99Ms.toFixed(2)} ms`, '');
    row('order page: failed responses under load (PostgreSQL)', String(f.portal.errors), '0');
  } finally {
    await server.stop();
  }
}

/** The delay scan over n parcels in a fresh bench database, in a child process on PostgreSQL's schema (delay-scan-pg.ts). */
async function delayScan(n: number): Promise<DelayScanFigures> {
  const url = await freshBenchDatabase();
  const script = fileURLToPath(new URL('./delay-scan-pg.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', script, url, String(n)],
    {
      env: { ...process.env, DATABASE_URL: url, WAYPOST_SECRET: 'bench-secret-bench-secret-bench-secret-01', WAYPOST_LOG_LEVEL: 'error' },
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as DelayScanFigures;
}

/** Runs the wanted PostgreSQL scenarios and adds their rows; one "skipped" row when no server answers. */
export async function postgresBenchRows(row: Row, want: (scenario: Scenario) => boolean): Promise<void> {
  const scenarios = (['pg-webhooks', 'pg-order-page', 'pg-delay-scan'] as const).filter(want);
  if (scenarios.length === 0) return;
  const reason = await unreachable();
  if (reason) {
    row(`PostgreSQL scenarios (${scenarios.join(', ')}): ${reason}`, 'skipped', '');
    return;
  }
  try {
    if (want('pg-webhooks')) {
      // Two portals post the same events as one (the rounds one portal's warm-up chose), so the two rates compare.
      const one = await ingest(1);
      webhookRows(row, one, 'PostgreSQL');
      webhookRows(row, await ingest(2, one.rounds), 'PostgreSQL, 2 portals');
      row('webhooks: cores (PostgreSQL)', 'portal 1: core 1, portal 2: core 0, load: core 0, PostgreSQL: either', '');
    }
    if (want('pg-order-page')) await orderPage(row);
    if (want('pg-delay-scan')) delayScanRows(row, await delayScan(SCAN_PARCELS), ' (PostgreSQL)');
  } finally {
    await dropBenchDatabase();
  }
}
