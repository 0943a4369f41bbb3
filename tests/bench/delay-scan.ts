// The delay scan over a million active parcels, in a temp SQLite file of its own: rows are
// bulk-inserted with raw prepared statements, ~0.1% of them due now, then scanForDelays() is timed
// twice (the second time nothing is due).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, isNotNull, lte } from 'drizzle-orm';
import { closeDatabase, db, migrateDatabase, queryPlan, schema, useDatabase } from '../../src/server/db.ts';
import { scanForDelays, type ScanResult } from '../../src/server/changes/deadlines-passed.ts';

/** What benchDelayScan measured. */
export interface DelayScanFigures {
  shipments: number;
  orders: number;
  /** Rows whose stored deadline had passed when the scan ran. */
  due: number;
  insertMs: number;
  dbBytes: number;
  firstScanMs: number;
  firstScan: ScanResult;
  opened: number;
  secondScanMs: number;
  secondScan: ScanResult;
  /** PostgreSQL: statements sent per notice opened by the first scan (each a round trip), BEGIN and COMMIT included. */
  statementsPerNotice?: number;
  /** SQLite's plan for the scan's "late and due" query. */
  plan: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const SHIPMENTS_PER_ORDER = 4;
const BATCH = 50_000;
const pad = (i: number) => String(i).padStart(7, '0');
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A connection of its own to the benchmark's SQLite file, for bulk loading: a million rows through
 * drizzle would take minutes, raw prepared statements in one transaction per batch take seconds.
 * (The portal's own client refuses writes outside transaction(); this is not the portal writing.)
 */
export function bulkLoader(path: string): Database.Database {
  const raw = new Database(path);
  raw.pragma('busy_timeout = 5000');
  return raw;
}

/** Fills the database with one store, n parcels (4 per order), every 1000th due now; returns the due count. */
function fillShipments(raw: Database.Database, n: number, now: number): number {
  raw
    .prepare(`insert into stores (id, slug, name, branding, settings, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)`)
    .run(
      'st_bench',
      'bench',
      'Bench Store',
      '{}',
      JSON.stringify({ timeZone: 'America/New_York', processingDays: 1, transitDays: 4 }),
      now,
      now,
    );
  const order = raw.prepare(
    `insert into orders (id, store_id, number, number_norm, email, email_norm, postal_norm, customer_name, placed_at, currency, locale,
       time_zone, shipping_address, access_id, body_hash, dispatch_due_at, created_at, updated_at)
     values (?, 'st_bench', ?, ?, ?, ?, '11201', 'Bench Shopper', ?, 'USD', 'en-US', null, ?, ?, 'bench', null, ?, ?)`,
  );
  const shipment = raw.prepare(
    `insert into shipments (id, store_id, order_id, carrier, tracking_code, service, status, promised_date, first_scan_at, last_event_at,
       late_at, quiet_at, created_at, updated_at)
     values (?, 'st_bench', ?, 'FedEx', ?, 'FEDEX_GROUND', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const address = JSON.stringify({ name: 'Bench Shopper', street1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US' });
  const orders = Math.ceil(n / SHIPMENTS_PER_ORDER);
  const placedAt = now - 12 * DAY;
  const insertOrders = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++)
      order.run(
        `o${pad(i)}`,
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
  });
  for (let i = 0; i < orders; i += BATCH) insertOrders(i, Math.min(orders, i + BATCH));

  let due = 0;
  const inFuture = isoDay(now + 5 * DAY);
  const insertShipments = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `s${pad(i)}`;
      const orderId = `o${pad(Math.floor(i / SHIPMENTS_PER_ORDER))}`;
      const code = `BN${pad(i)}`;
      if (i % 1000 === 500) {
        due++;
        const passed = now - ((i * 7919) % DAY); // the stored deadline passed within the last day
        const kind = Math.floor(i / 1000) % 3;
        const created = now - 10 * DAY;
        if (kind === 0) {
          // late: promised ten days ago, still moving
          shipment.run(
            id,
            orderId,
            code,
            'in_transit',
            isoDay(now - 10 * DAY),
            now - 9 * DAY,
            now - 2 * HOUR,
            passed,
            now + 2 * DAY,
            created,
            created,
          );
        } else if (kind === 1) {
          // not scanned: a label ten days old and never a scan
          shipment.run(id, orderId, code, 'pre_transit', inFuture, null, null, now + 5 * DAY, passed, created, created);
        } else {
          // stalled: no scan for eight days
          shipment.run(id, orderId, code, 'in_transit', inFuture, now - 10 * DAY, now - 8 * DAY, now + 5 * DAY, passed, created, created);
        }
      } else {
        const lateAt = now + HOUR + ((i * 7919) % (30 * 86_400)) * 1000; // spread over the next 30 days
        const quietAt = now + HOUR + ((i * 104_729) % (10 * 86_400)) * 1000; // and the next 10
        shipment.run(id, orderId, code, 'in_transit', inFuture, now - DAY, now - 6 * HOUR, lateAt, quietAt, now - DAY, now - DAY);
      }
    }
  });
  for (let i = 0; i < n; i += BATCH) insertShipments(i, Math.min(n, i + BATCH));
  return due;
}

/** The scan's "late and due" query, for its plan. */
export const lateDue = (now: number) =>
  db()
    .select({ id: schema.shipments.id })
    .from(schema.shipments)
    .where(and(isNotNull(schema.shipments.lateAt), lte(schema.shipments.lateAt, now)))
    .orderBy(asc(schema.shipments.lateAt))
    .limit(500);

/** Builds a temp database of n active parcels, times the insert and two delay scans, then deletes it. */
export async function benchDelayScan(n = 1_000_000): Promise<DelayScanFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-scan-'));
  const path = join(dir, 'scan.db');
  try {
    useDatabase(path);
    await migrateDatabase();
    const now = Date.now();
    let t0 = performance.now();
    const raw = bulkLoader(path);
    let due: number;
    try {
      due = fillShipments(raw, n, now);
      raw.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      raw.close();
    }
    const insertMs = performance.now() - t0;
    const dbBytes = statSync(path).size;
    const plan = await queryPlan(lateDue(now));

    t0 = performance.now();
    const firstScan = await scanForDelays(now);
    const firstScanMs = performance.now() - t0;
    t0 = performance.now();
    const secondScan = await scanForDelays(now);
    const secondScanMs = performance.now() - t0;
    const opened = Object.values(firstScan).reduce((a, b) => a + b, 0);
    return {
      shipments: n,
      orders: Math.ceil(n / SHIPMENTS_PER_ORDER),
      due,
      insertMs,
      dbBytes,
      firstScanMs,
      firstScan,
      opened,
      secondScanMs,
      secondScan,
      plan,
    };
  } finally {
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scan's rows for the benchmark table; suffix names the database (" (PostgreSQL)") when not SQLite. */
export function delayScanRows(row: (name: string, value: string, target: string) => void, d: DelayScanFigures, suffix: string): void {
  const n = (v: number) => v.toLocaleString('en-US');
  row(
    `delay scan: insert ${n(d.shipments)} parcels + ${n(d.orders)} orders${suffix}`,
    `${(d.insertMs / 1000).toFixed(1)} s (${(d.dbBytes / 1e6).toFixed(0)} MB)`,
    '',
  );
  row(`delay scan: first scan, ${n(d.due)} due${suffix}`, `${d.firstScanMs.toFixed(0)} ms`, '< 1000 ms');
  row(
    `delay scan: notices opened (late/stalled/not scanned)${suffix}`,
    `${d.opened} (${d.firstScan.late}/${d.firstScan.stalled}/${d.firstScan.notScanned})`,
    String(d.due),
  );
  if (d.statementsPerNotice !== undefined)
    row(`delay scan: statements per notice, first scan${suffix}`, d.statementsPerNotice.toFixed(1), '');
  row(
    `delay scan: second scan, nothing due${suffix}`,
    `${d.secondScanMs.toFixed(1)} ms (${Object.values(d.secondScan).reduce((a, b) => a + b, 0)} opened)`,
    '~ms',
  );
  // SQLite's plan says "USING INDEX shipments_late_idx"; PostgreSQL's "Index Scan using …" or
  // "Bitmap Index Scan on …" (a few due rows among many); anything else is printed whole.
  const byIndex = /USING INDEX shipments_late_idx|Index Scan (using|on) shipments_late_idx/.test(d.plan);
  row(`delay scan: due rows found by${suffix}`, byIndex ? 'index shipments_late_idx' : d.plan, 'index');
}
