// Notifications sent per second from the outbox: n orders, one device each, one "delivered" event
// queued per order through queueNotification (the carrier-sync path), then the real sender (web-push
// encryption and VAPID signing, HTTP to a loopback push service) drains the outbox. Runs in this
// process on a temp database of its own; the push service checks and decrypts every 50th message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { resetConfig } from '../../src/server/config.ts';
import { closeDatabase, db, firstRow, migrateDatabase, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { queueNotification } from '../../src/server/notifications/queue-notification.ts';
import { resetPushConfig } from '../../src/server/notifications/push-config.ts';
import { startPushSender } from '../../src/server/notifications/run-push-sender.ts';
import { createStore } from '../../src/server/stores/create-store.ts';
import { startPushService } from '../support/push-service.ts';
import { bulkLoader } from './delay-scan.ts';

export interface PushFigures {
  sent: number;
  seconds: number;
  perSecond: number;
  /** Notifications the push service received, and how many of the checked ones failed a check. */
  received: number;
  rejected: number;
  /** A paced run: `paced` notifications at WAYPOST_PUSH_RATE=`rate`, and how long it took. */
  paced: number;
  rate: number;
  pacedSeconds: number;
}

/** Queues n notifications and times the sender draining them. */
export async function benchPush(n: number): Promise<PushFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-bench-push-'));
  const push = await startPushService({ checkEvery: 50 });
  const saved = { ...process.env };
  Object.assign(process.env, {
    WAYPOST_DATA_DIR: dir,
    WAYPOST_PUSH_HOSTS: push.host,
    WAYPOST_PUBLIC_URL: 'https://track.example.test',
    WAYPOST_LOG_LEVEL: 'error',
  });
  try {
    const drain = async (count: number, rate: number) => {
      process.env.WAYPOST_PUSH_RATE = String(rate);
      resetConfig();
      resetPushConfig();
      await queue(count, push);
      const sender = startPushSender({ autoStart: false, concurrency: 32 });
      const t0 = performance.now();
      while ((await pendingCount()) > 0) await sender.runOnce();
      const seconds = (performance.now() - t0) / 1000;
      await sender.stop();
      return seconds;
    };
    useDatabase(join(dir, 'waypost.db'));
    await migrateDatabase();
    const seconds = await drain(n, 100_000);
    const sent = (await firstRow(
      db()
        .select({ n: sql<number>`count(*)` })
        .from(schema.notificationOutbox)
        .where(eq(schema.notificationOutbox.status, 'sent')),
    ))!.n;
    const received = push.received.length;
    const paced = 1000;
    const rate = 500;
    const pacedSeconds = await drain(paced, rate);
    return { sent, seconds, perSecond: sent / seconds, received, rejected: push.rejected.length, paced, rate, pacedSeconds };
  } finally {
    await closeDatabase();
    process.env = saved;
    resetConfig();
    resetPushConfig();
    await push.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let batchNo = 0;

/** n orders with one device each, and a "delivered" notification queued for each. */
async function queue(n: number, push: Awaited<ReturnType<typeof startPushService>>): Promise<void> {
  batchNo++;
  const { store } = await createStore({ slug: `bench-push-${batchNo}`, name: 'Bench Outfitters' });
  // Bulk-loaded on a connection of its own (raw SQLite): thousands of rows in one statement loop.
  const raw = bulkLoader(join(process.env.WAYPOST_DATA_DIR!, 'waypost.db'));
  const order = raw.prepare(
    `insert into orders (id, store_id, number, number_norm, email, email_norm, postal_norm, customer_name, placed_at, currency, locale, shipping_address, access_id, body_hash, created_at, updated_at)
     values (?, ?, ?, ?, 'a@example.com', 'a@example.com', '97201', 'Ann', 0, 'USD', 'en-US', '{}', ?, '', 0, 0)`,
  );
  const device = raw.prepare(
    `insert into push_subscriptions (id, store_id, order_id, endpoint, p256dh, auth, created_at) values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: string[] = [];
  const subscribedAt = Date.now(); // a fresh subscription (older ones are pruned by the sender)
  raw.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `bo-${batchNo}-${i}`;
      order.run(id, store.id, `B${batchNo}-${i}`, `B${batchNo}-${i}`, Buffer.from(id.padEnd(16, '.')).toString('base64url').slice(0, 22));
      const d = push.newDevice().subscription;
      device.run(`bd-${batchNo}-${i}`, store.id, id, d.endpoint, d.keys.p256dh, d.keys.auth, subscribedAt);
      ids.push(id);
    }
  })();
  raw.close();
  const now = Date.now();
  for (let i = 0; i < ids.length; i += 500) {
    await transaction(async (tx) => {
      for (const orderId of ids.slice(i, i + 500))
        await queueNotification(tx, { storeId: store.id, orderId, kind: 'delivered', key: `${orderId}:delivered`, now });
    });
  }
}

async function pendingCount(): Promise<number> {
  const r = await firstRow(
    db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.notificationOutbox)
      .where(sql`${schema.notificationOutbox.status} in ('pending', 'claimed', 'sending')`),
  );
  return r?.n ?? 0;
}

/** Adds this piece's figures to the benchmark's table (tests/bench/run.ts). */
export async function pushBenchRows(row: (name: string, value: string, target: string) => void): Promise<void> {
  const p = await benchPush(5000);
  row('web push: notifications sent/s from the outbox', `${p.perSecond.toFixed(0)}/s`, '');
  row(
    'web push: sent, received, failed checks',
    `${p.sent} in ${p.seconds.toFixed(1)} s, ${p.received}, ${p.rejected}`,
    `${p.sent}, ${p.sent}, 0`,
  );
  row(`web push: ${p.paced} paced at WAYPOST_PUSH_RATE=${p.rate}`, `${p.pacedSeconds.toFixed(1)} s`, `~${(p.paced / p.rate).toFixed(1)} s`);
}

// `node tests/bench/push.ts` alone: this piece only.
if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await benchPush(Number(process.argv[2] ?? 5000));
  console.log(f);
}
