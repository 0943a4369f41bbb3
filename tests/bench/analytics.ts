// Analytics over a year of a big store: n delivered parcels (one per order, one of 50 products
// each, one "delivered" email each in the message ledger) spread over the last 365 days are
// bulk-inserted into a fresh data directory with raw SQLite prepared statements (a connection of
// its own, as tests/bench/delay-scan.ts does), with the rollups
// (delivery_daily, product_delivery_daily) summed from the same parcels by the function the portal
// uses (contributionOf); then a real server on that directory answers GET /api/v1/analytics over
// the whole year, timed several times, and the answer's parcel count is checked against n.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, dayInZone, startOfDayInZone } from '../../src/lib/dates.ts';
import { contributionOf, encodeContribution, type Contribution } from '../../src/server/analytics/parcel-contribution.ts';
import { api, cli } from '../support/http.ts';
import { startTestServer } from '../support/server.ts';
import { bulkLoader } from './delay-scan.ts';

/** What benchAnalytics measured. */
export interface AnalyticsBenchFigures {
  parcels: number;
  rollupRows: number;
  productRollupRows: number;
  insertMs: number;
  dbBytes: number;
  /** Answer times of GET /api/v1/analytics over the year, after one warm-up. */
  answerMs: number[];
  /** The answer's delivered parcels (must equal parcels). */
  answeredParcels: number;
  answerBytes: number;
}

const DAY = 86_400_000;
const BATCH = 50_000;
const ZONE = 'America/New_York';
const CARRIERS = [
  ['USPS', 'Priority'],
  ['USPS', 'Ground'],
  ['UPS', 'Ground'],
  ['FedEx', 'FEDEX_GROUND'],
  ['DHL', 'Express'],
] as const;
const COUNTRIES = ['US', 'US', 'US', 'CA', 'GB', 'DE'];
const PRODUCTS = 50;
const pad = (i: number) => String(i).padStart(7, '0');

/** Builds the year, starts a server on it, times the analytics answer `runs` times, and deletes everything. */
export async function benchAnalytics(n = 1_000_000, runs = 5): Promise<AnalyticsBenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-analytics-'));
  try {
    // The store and its key through the command line (which also migrates the file).
    const created = cli<{ apiKey: string }>(dir, ['stores:create', '--slug', 'bench', '--name', 'Bench Store']);
    const path = join(dir, 'waypost.db');
    const now = Date.now();
    const today = dayInZone(now, ZONE);
    const from = addDays(today, -364);
    let t0 = performance.now();
    const raw = bulkLoader(path);
    let rollupRows = 0;
    let productRollupRows = 0;
    try {
      const storeId = (raw.prepare(`select id from stores where slug = 'bench'`).get() as { id: string }).id;
      raw.prepare(`update stores set settings = json_set(settings, '$.timeZone', ?) where id = ?`).run(ZONE, storeId);
      const order = raw.prepare(
        `insert into orders (id, store_id, number, number_norm, email, email_norm, postal_norm, customer_name, placed_at, currency, locale,
           time_zone, shipping_address, access_id, body_hash, dispatch_due_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, '11201', 'Bench Shopper', ?, 'USD', 'en-US', null, ?, ?, 'bench', null, ?, ?)`,
      );
      const item = raw.prepare(
        `insert into order_items (id, store_id, order_id, sku, product_id, title, quantity, unit_amount, position)
         values (?, ?, ?, ?, ?, ?, ?, 2500, 0)`,
      );
      const shipment = raw.prepare(
        `insert into shipments (id, store_id, order_id, carrier, tracking_code, service, status, first_scan_at, delivered_at, last_event_at,
           first_estimate_date, first_estimate_source, counted_as, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, 'delivered', ?, ?, ?, ?, 'carrier', ?, ?, ?)`,
      );
      const shipmentItem = raw.prepare(`insert into shipment_items (shipment_id, store_id, sku, quantity) values (?, ?, ?, ?)`);
      const message = raw.prepare(
        `insert into messages (id, store_id, order_id, shipment_id, kind, channel, recipient, language, message_class, dedupe_key, status,
           attempts, created_at, updated_at, sent_at)
         values (?, ?, ?, ?, 'delivered', 'email', ?, 'en', 'service', ?, 'sent', 1, ?, ?, ?)`,
      );
      const dayStarts = Array.from({ length: 365 }, (_, k) => startOfDayInZone(addDays(today, -k), ZONE));
      const rollup = new Map<string, { c: Contribution; n: number[] }>();
      const products = new Map<string, { day: string; productId: string; units: number; parcels: number }>();
      const insert = raw.transaction((start: number, end: number) => {
        for (let i = start; i < end; i++) {
          // Within the day i % 365 days ago (the store's zone), never later than now.
          const deliveredAt = Math.min(now, dayStarts[i % 365]! + (6 * 3600 + ((i * 7919) % 50_400)) * 1000);
          const firstScanAt = deliveredAt - (1 + (i % 6)) * DAY;
          const [carrier, service] = CARRIERS[i % CARRIERS.length]!;
          const country = COUNTRIES[i % COUNTRIES.length]!;
          const productId = `P${i % PRODUCTS}`;
          const units = 1 + (i % 3 === 0 ? 1 : 0);
          const estimate = dayInZone(deliveredAt + (i % 5 === 0 ? -DAY : DAY), ZONE);
          const c = contributionOf({
            status: 'delivered',
            carrier,
            service,
            country,
            timeZone: ZONE,
            firstScanAt,
            deliveredAt,
            firstEstimateDate: estimate,
            failedAttempt: i % 17 === 0,
            toldLate: i % 23 === 0,
            hadException: i % 41 === 0,
            products: [{ productId, units }],
          })!;
          const orderId = `o${pad(i)}`;
          const shipmentId = `s${pad(i)}`;
          const address = JSON.stringify({ name: 'Bench Shopper', street1: '1 Main St', city: 'Town', postalCode: '11201', country });
          const placedAt = firstScanAt - DAY;
          order.run(
            orderId,
            storeId,
            `B${i}`,
            `B${i}`,
            `s${i}@example.com`,
            `s${i}@example.com`,
            placedAt,
            address,
            `a${pad(i)}`,
            placedAt,
            placedAt,
          );
          item.run(`i${pad(i)}`, storeId, orderId, productId, productId, `Product ${productId}`, units);
          shipment.run(
            shipmentId,
            storeId,
            orderId,
            carrier,
            `BN${pad(i)}`,
            service,
            firstScanAt,
            deliveredAt,
            deliveredAt,
            estimate,
            encodeContribution(c),
            placedAt,
            deliveredAt,
          );
          shipmentItem.run(shipmentId, storeId, productId, units);
          message.run(
            `m${pad(i)}`,
            storeId,
            orderId,
            shipmentId,
            `s${i}@example.com`,
            `email:${shipmentId}:delivered`,
            deliveredAt,
            deliveredAt,
            deliveredAt,
          );
          const key = `${c.day}|${c.carrier}|${c.service}|${c.country}|${c.transitDays}`;
          const r = rollup.get(key) ?? { c, n: [0, 0, 0, 0, 0] };
          r.n[0]! += 1;
          r.n[1]! += c.onTime;
          r.n[2]! += c.firstAttempt;
          r.n[3]! += c.toldLate;
          r.n[4]! += c.hadException;
          rollup.set(key, r);
          const pkey = `${c.day}|${productId}`;
          const p = products.get(pkey) ?? { day: c.day, productId, units: 0, parcels: 0 };
          p.units += units;
          p.parcels += 1;
          products.set(pkey, p);
        }
      });
      for (let i = 0; i < n; i += BATCH) insert(i, Math.min(n, i + BATCH));
      const daily = raw.prepare(
        `insert into delivery_daily (store_id, day, carrier, service, country, transit_days, parcels, on_time, first_attempt, told_late, had_exception)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const productDaily = raw.prepare(
        `insert into product_delivery_daily (store_id, day, product_id, units, parcels) values (?, ?, ?, ?, ?)`,
      );
      raw.transaction(() => {
        for (const { c, n: k } of rollup.values()) daily.run(storeId, c.day, c.carrier, c.service, c.country, c.transitDays, ...k);
        for (const p of products.values()) productDaily.run(storeId, p.day, p.productId, p.units, p.parcels);
      })();
      rollupRows = rollup.size;
      productRollupRows = products.size;
      raw.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      raw.close();
    }
    const insertMs = performance.now() - t0;
    const dbBytes = statSync(path).size;

    const server = await startTestServer({ WAYPOST_DATA_DIR: dir, WAYPOST_LOG_LEVEL: 'error', WAYPOST_WORKER: '0' });
    try {
      const query = `/api/v1/analytics?from=${from}&to=${today}`;
      const warm = await api(server.url, created.apiKey, 'GET', query);
      if (warm.status !== 200) throw new Error(`analytics answered ${warm.status}: ${warm.text.slice(0, 300)}`);
      const answerMs: number[] = [];
      for (let r = 0; r < runs; r++) {
        t0 = performance.now();
        const res = await api(server.url, created.apiKey, 'GET', query);
        answerMs.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`analytics answered ${res.status}`);
      }
      return {
        parcels: n,
        rollupRows,
        productRollupRows,
        insertMs,
        dbBytes,
        answerMs,
        answeredParcels: (warm.json as { delivery: { overall: { parcels: number } } }).delivery.overall.parcels,
        answerBytes: warm.text.length,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scenario's rows for the bench table. */
export async function analyticsBenchRows(row: (name: string, value: string, target: string) => void, n: number): Promise<void> {
  const f = await benchAnalytics(n);
  const fmt = (v: number) => v.toLocaleString('en-US');
  const sorted = [...f.answerMs].sort((a, b) => a - b);
  row(
    `analytics: insert a year of ${fmt(f.parcels)} delivered parcels (+ orders, items, ledger, rollups)`,
    `${(f.insertMs / 1000).toFixed(1)} s (${(f.dbBytes / 1e6).toFixed(0)} MB)`,
    '',
  );
  row('analytics: rollup rows (delivery / product)', `${fmt(f.rollupRows)} / ${fmt(f.productRollupRows)}`, '');
  row(
    `analytics: GET /api/v1/analytics over the year, median / worst of ${f.answerMs.length}`,
    `${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} / ${sorted.at(-1)!.toFixed(0)} ms`,
    '< 300 ms',
  );
  row('analytics: parcels in the answer', fmt(f.answeredParcels), fmt(f.parcels));
}
