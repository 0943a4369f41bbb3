// The carrier-sync job against the emulator through the real @easypost/api client: survives 429
// storms with backoff, converges after a kill -9 with no duplicate tracker, notice or case, and
// applies a shuffled, duplicated webhook stream to the same final state as the ordered one.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fc from 'fast-check';
import { eq, isNull } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { receiveEasyPostWebhook } from '../../src/server/sync/receive-easypost-webhook.ts';
import { manualClock } from '../../src/server/clock.ts';
import { config, resetConfig } from '../../src/server/config.ts';
import { db, schema } from '../../src/server/db.ts';
import { upsertOrder } from '../../src/server/changes/order-written.ts';
import { createStore } from '../../src/server/stores/create-store.ts';
import { startSyncWorker } from '../../src/server/sync/run-sync-worker.ts';
import { orderBody } from '../fixtures/factories.ts';
import { freshDatabase } from '../support/database.ts';
import { pgAdminUrl } from '../support/pg.ts';
import { waitUntil } from '../support/wait.ts';
import { startReceiver } from '../unit/emulator/helpers.ts';

const KEY = 'EZTK_sync_key';
const SECRET = 'sync-webhook-secret';
let emu: Emulator | null = null;

async function setup(opts: { clock?: () => number; autoTick?: boolean } = {}) {
  const dbPath = await freshDatabase();
  emu = await startEmulator({ clock: opts.clock, autoTick: opts.autoTick ?? false, webhookRetryDelaysMs: [50] });
  process.env.EASYPOST_BASE_URL = emu.baseUrl;
  resetConfig();
  const { store } = await createStore({
    slug: `sync-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Sync Store',
    easypostKey: KEY,
    webhookSecret: SECRET,
  });
  return { dbPath, store, emu };
}

async function addOrders(storeId: string, codes: string[]) {
  for (const [i, code] of codes.entries()) {
    await upsertOrder({
      storeId,
      body: orderBody({
        number: `N${i}`,
        items: [{ sku: 'A', title: 'A thing', quantity: 1, unitAmount: 100 }],
        shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'A', quantity: 1 }] }],
      }),
    });
  }
}

afterEach(async () => {
  await emu?.close();
  emu = null;
  delete process.env.EASYPOST_BASE_URL;
  resetConfig();
});

describe('429 storms', () => {
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock(Date.now() + 1000); // after the orders' creation, so their trackers are due
  });

  it('backs off, retries and ends with one tracker per parcel, without hammering the API', async () => {
    const { store } = await setup({ clock: clock.now });
    const codes = Array.from({ length: 30 }, (_, i) => `STORM${String(i).padStart(4, '0')}`);
    await addOrders(store.id, codes);
    emu!.inject({ path: '/v2/trackers', method: 'POST', status: 429, times: 40 });
    const worker = startSyncWorker({ autoStart: false, now: clock.now });
    let rounds = 0;
    const missing = async () => (await db().select().from(schema.shipments).where(isNull(schema.shipments.trackerId))).length;
    while ((await missing()) > 0 && rounds++ < 300) {
      await worker.runOnce();
      clock.advance(30_000);
    }
    expect(await missing()).toBe(0);
    const posts = emu!.calls.filter((c) => c.method === 'POST' && c.path === '/v2/trackers');
    expect(posts.filter((c) => c.status === 429)).toHaveLength(40);
    expect(posts.filter((c) => c.status !== 429)).toHaveLength(30);
    const rows = await db().select().from(schema.shipments);
    expect(rows.every((r) => r.syncAttempts === 0 && r.lastSyncError === null && r.nextSyncAt !== null)).toBe(true);
  });

  it('treats 5xx, broken bodies and timeouts as passing faults too', async () => {
    const { store } = await setup({ clock: clock.now });
    await addOrders(store.id, ['FAULT0001', 'FAULT0002', 'FAULT0003']);
    emu!.inject({ path: '/v2/trackers', method: 'POST', status: 503, times: 1 });
    emu!.inject({ path: '/v2/trackers', method: 'POST', status: 500, body: '<html>gateway</html>', times: 1 });
    const worker = startSyncWorker({ autoStart: false, now: clock.now });
    await worker.runOnce();
    const failed = await db().select().from(schema.shipments).where(isNull(schema.shipments.trackerId));
    expect(failed).toHaveLength(2);
    expect(failed.every((r) => r.syncAttempts === 1 && r.lastSyncError && r.nextSyncAt! > clock.now())).toBe(true);
    for (let i = 0; i < 40 && (await db().select().from(schema.shipments).where(isNull(schema.shipments.trackerId))).length; i++) {
      clock.advance(60_000);
      await worker.runOnce();
    }
    expect(await db().select().from(schema.shipments).where(isNull(schema.shipments.trackerId))).toHaveLength(0);
  });
});

describe('a worker killed mid-batch', () => {
  it('is picked up after its leases run out, with no duplicate tracker, notice or case', async () => {
    const { dbPath, store } = await setup({ autoTick: true });
    const codes = Array.from({ length: 40 }, (_, i) => `KILL${String(i).padStart(4, '0')}`);
    // Each parcel is already in trouble when its tracker is created: an exception notice and a case.
    for (const code of codes)
      emu!.script(code, [
        { afterMs: 0, status: 'failure', statusDetail: 'address_not_found', message: 'Address not found', city: 'Reno', state: 'NV' },
      ]);
    await addOrders(store.id, codes);
    // Every create takes a while, so the kill lands mid-batch.
    emu!.inject({ path: '/v2/trackers', method: 'POST', delayMs: 150, times: 1000 });

    const root = fileURLToPath(new URL('../..', import.meta.url));
    const env = {
      ...process.env,
      // The worker's database is this test's: its SQLite file (in its data dir) or its PostgreSQL database.
      ...(pgAdminUrl() ? { DATABASE_URL: dbPath } : { WAYPOST_DATA_DIR: join(dbPath, '..') }),
      EASYPOST_BASE_URL: emu!.baseUrl,
      WAYPOST_SECRET: config().secret,
      WAYPOST_LOG_LEVEL: 'silent',
      WAYPOST_SYNC_LEASE_MS: '3000',
    };
    const run = () =>
      spawn(
        process.execPath,
        ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', join(root, 'src/cli/main.ts'), 'worker'],
        { cwd: root, env, stdio: process.env.DEBUG_WORKER ? 'inherit' : 'ignore' },
      );
    const first = run();
    await waitUntil(
      () => emu!.calls.filter((c) => c.method === 'POST' && c.path === '/v2/trackers' && (c.status ?? 0) < 300).length >= 3,
      20_000,
      20,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const tracked = (await db().select().from(schema.shipments)).filter((s) => s.trackerId).length;
    expect(tracked).toBeLessThan(codes.length); // really killed mid-batch

    const second = run();
    try {
      // The killed worker's leases run out after 3 s; then the new worker takes its shipments.
      await waitUntil(
        async () => (await db().select().from(schema.shipments).where(isNull(schema.shipments.trackerId))).length === 0,
        45_000,
        100,
      );
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
    const shipments = await db().select().from(schema.shipments);
    expect(new Set(shipments.map((s) => s.trackerId)).size).toBe(codes.length);
    expect(shipments.every((s) => s.status === 'failure')).toBe(true);
    const notices = await db().select().from(schema.notices).where(eq(schema.notices.kind, 'exception'));
    expect(notices).toHaveLength(codes.length);
    const cases = await db().select().from(schema.cases);
    expect(cases).toHaveLength(codes.length);
    expect(new Set(cases.map((c) => c.shipmentId)).size).toBe(codes.length);
  }, 90_000);
});

describe('webhooks delivered at least once, in any order', () => {
  it('a shuffled stream with duplicates leaves the state of the ordered stream', async () => {
    const clock = manualClock(Date.now() + 1000);
    const { store } = await setup({ clock: clock.now });
    const receiver = await startReceiver();
    emu!.registerWebhook(KEY, receiver.url, SECRET);
    await addOrders(store.id, ['9400111899223000000001']);
    const worker = startSyncWorker({ autoStart: false, now: clock.now });
    await worker.runOnce(); // creates the tracker: a generated journey of a few days
    for (let h = 0; h < 96; h++) {
      clock.advance(3_600_000);
      await emu!.tick();
    }
    await emu!.drainWebhooks();
    const deliveries = receiver.received.filter((r) => JSON.parse(r.body.toString()).description === 'tracker.updated');
    expect(deliveries.length).toBeGreaterThanOrEqual(5);

    const slug = store.slug;
    const finalState = async () => {
      const [s] = await db().select().from(schema.shipments);
      const events = await db().select().from(schema.trackingEvents);
      return {
        status: s!.status,
        statusDetail: s!.statusDetail,
        firstScanAt: s!.firstScanAt,
        deliveredAt: s!.deliveredAt,
        lastEventAt: s!.lastEventAt,
        events: events.map((e) => `${e.occurredAt}|${e.status}|${e.message}`).sort(),
      };
    };
    // A fresh store and order for each replay, with the same slug, secret and tracking code.
    const replay = async (order: number[]) => {
      await freshDatabase();
      await createStore({ slug, name: 'Replay', easypostKey: KEY, webhookSecret: SECRET });
      const s = (await db().select().from(schema.stores))[0]!;
      await upsertOrder({
        storeId: s.id,
        body: orderBody({
          number: 'N0',
          items: [{ sku: 'A', title: 'A thing', quantity: 1, unitAmount: 100 }],
          shipments: [{ carrier: 'USPS', trackingCode: '9400111899223000000001', items: [{ sku: 'A', quantity: 1 }] }],
        }),
      });
      for (const i of order) {
        const d = deliveries[i]!;
        await receiveEasyPostWebhook({
          slug,
          body: d.body,
          headers: Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k, String(v)])),
          now: clock.now(),
        });
      }
      return finalState();
    };
    const expected = await replay(deliveries.map((_, i) => i));
    expect(expected.status).toBe('delivered');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: deliveries.length - 1 }), { minLength: deliveries.length, maxLength: deliveries.length * 2 }),
        async (extra) => {
          // Every delivery at least once, plus duplicates, in a random order.
          const order = fc.sample(
            fc.shuffledSubarray([...deliveries.keys(), ...extra], { minLength: deliveries.length + extra.length }),
            1,
          )[0]!;
          expect(await replay(order)).toEqual(expected);
        },
      ),
      { numRuns: 25, seed: 20261123 },
    );
  }, 60_000);
});
