// The delay scan of delay-scan.ts on PostgreSQL: the same store, orders and parcels (every 1000th
// due now, a third each late, not scanned and stalled), loaded by the server itself with
// INSERT … SELECT over generate_series (seconds for a million rows, where drizzle row by row
// would take minutes), then scanForDelays() timed twice through the portal's own data layer.
// The schema's dialect is fixed when the process starts (DATABASE_URL), so this runs as a child
// process of its own (tests/bench/postgres.ts starts it): `delay-scan-pg.ts <url> <parcels>`
// with DATABASE_URL=<url> prints its figures as JSON.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { closeDatabase, countPgStatements, migrateDatabase, useDatabase } from '../../src/server/db.ts';
import { scanForDelays } from '../../src/server/changes/deadlines-passed.ts';
import { lateDue, SHIPMENTS_PER_ORDER, type DelayScanFigures } from './delay-scan.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Fills the (migrated, empty) database at url with one store, n parcels, 4 per order; returns the due count. */
async function fillShipments(c: pg.Client, n: number, now: number): Promise<number> {
  const settings = JSON.stringify({ timeZone: 'America/New_York', processingDays: 1, transitDays: 4 });
  await c.query(
    `INSERT INTO stores (id, slug, name, branding, settings, created_at, updated_at)
     VALUES ('st_bench', 'bench', 'Bench Store', '{}', $1::jsonb, $2, $2)`,
    [settings, now],
  );
  const address = JSON.stringify({ name: 'Bench Shopper', street1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US' });
  const placedAt = now - 12 * DAY;
  await c.query(
    `INSERT INTO orders (id, store_id, number, number_norm, email, email_norm, postal_norm, customer_name, placed_at, currency,
       locale, time_zone, shipping_address, access_id, body_hash, dispatch_due_at, created_at, updated_at)
     SELECT 'o' || lpad(i::text, 7, '0'), 'st_bench', 'B' || i, 'B' || i, 's' || i || '@example.com', 's' || i || '@example.com',
       '11201', 'Bench Shopper', $2::bigint, 'USD', 'en-US', null, $3::jsonb, 'a' || lpad(i::text, 7, '0'), 'bench', null,
       $2::bigint, $2::bigint
     FROM generate_series(0, $1::int - 1) AS i`,
    [Math.ceil(n / SHIPMENTS_PER_ORDER), placedAt, address],
  );
  // Row i as delay-scan.ts builds it: due when i % 1000 = 500 (kind (i / 1000) % 3: late, not
  // scanned, stalled; its deadline passed within the last day), else deadlines spread ahead.
  const now$ = '$2::bigint';
  const ago = (ms: number) => `${now$} - ${ms}::bigint`;
  const ahead = (ms: number) => `${now$} + ${ms}::bigint`;
  const passed = `${now$} - (i::bigint * 7919) % ${DAY}`;
  const kind = `(i / 1000) % 3`;
  const when = (late: string, notScanned: string, stalled: string, other: string) =>
    `CASE WHEN i % 1000 <> 500 THEN ${other} WHEN ${kind} = 0 THEN ${late} WHEN ${kind} = 1 THEN ${notScanned} ELSE ${stalled} END`;
  await c.query(
    `INSERT INTO shipments (id, store_id, order_id, carrier, tracking_code, service, status, promised_date, first_scan_at,
       last_event_at, late_at, quiet_at, created_at, updated_at)
     SELECT 's' || lpad(i::text, 7, '0'), 'st_bench', 'o' || lpad((i / ${SHIPMENTS_PER_ORDER})::text, 7, '0'), 'FedEx',
       'BN' || lpad(i::text, 7, '0'), 'FEDEX_GROUND',
       ${when(`'in_transit'`, `'pre_transit'`, `'in_transit'`, `'in_transit'`)},
       ${when('$3', '$4', '$4', '$4')},
       ${when(ago(9 * DAY), 'null', ago(10 * DAY), ago(DAY))},
       ${when(ago(2 * HOUR), 'null', ago(8 * DAY), ago(6 * HOUR))},
       ${when(passed, ahead(5 * DAY), ahead(5 * DAY), `${ahead(HOUR)} + ((i::bigint * 7919) % ${30 * 86_400}) * 1000`)},
       ${when(ahead(2 * DAY), passed, passed, `${ahead(HOUR)} + ((i::bigint * 104729) % ${10 * 86_400}) * 1000`)},
       ${when(ago(10 * DAY), ago(10 * DAY), ago(10 * DAY), ago(DAY))},
       ${when(ago(10 * DAY), ago(10 * DAY), ago(10 * DAY), ago(DAY))}
     FROM generate_series(0, $1::int - 1) AS i`,
    [n, now, isoDay(now - 10 * DAY), isoDay(now + 5 * DAY)],
  );
  // Statistics, as autovacuum would gather them after a load this size, so the planner's choice is the production one.
  await c.query('ANALYZE stores, orders, shipments');
  return n > 500 ? Math.floor((n - 501) / 1000) + 1 : 0; // i = 500, 1500, … below n
}

/** The delay scan over n parcels in the (empty) database at url; url's database is left migrated and filled. */
async function benchDelayScanPg(url: string, n: number): Promise<DelayScanFigures> {
  useDatabase(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await migrateDatabase();
    const now = Date.now();
    let t0 = performance.now();
    const due = await fillShipments(c, n, now);
    const insertMs = performance.now() - t0;
    const size = await c.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    // The planner as the scan meets it (queryPlan() turns sequential scans off to show an index can
    // serve; here the question is whether the planner picks it on its own).
    const { sql, params } = lateDue(now).toSQL();
    const explained = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    const plan = explained.rows.map((r) => r['QUERY PLAN'].trim()).join(' | ');

    const statements = countPgStatements();
    t0 = performance.now();
    const firstScan = await scanForDelays(now);
    const firstScanMs = performance.now() - t0;
    const sent = statements();
    t0 = performance.now();
    const secondScan = await scanForDelays(now);
    const secondScanMs = performance.now() - t0;
    return {
      shipments: n,
      orders: Math.ceil(n / SHIPMENTS_PER_ORDER),
      due,
      insertMs,
      dbBytes: Number(size.rows[0]!.bytes),
      firstScanMs,
      firstScan,
      opened: Object.values(firstScan).reduce((a, b) => a + b, 0),
      statementsPerNotice:
        sent /
        Math.max(
          1,
          Object.values(firstScan).reduce((a, b) => a + b, 0),
        ),
      secondScanMs,
      secondScan,
      plan,
    };
  } finally {
    await c.end();
    await closeDatabase();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, parcels] = process.argv.slice(2);
  if (!url || process.env.DATABASE_URL !== url) throw new Error('usage: DATABASE_URL=<url> delay-scan-pg.ts <url> <parcels>');
  console.log(JSON.stringify(await benchDelayScanPg(url, Number(parcels))));
}
