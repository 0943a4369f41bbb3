// Webhook deliveries sent per second: 1,000 events queued for one endpoint, then the real sender
// (Standard Webhooks signing, HTTP to a loopback receiver that verifies every delivery with the
// standardwebhooks package) drains them. Runs in this process on a temp database of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { resetConfig } from '../../src/server/config.ts';
import { closeDatabase, db, firstRow, migrateDatabase, schema, useDatabase } from '../../src/server/db.ts';
import { createStore } from '../../src/server/stores/create-store.ts';
import { createEndpoint, sendTestEvent } from '../../src/server/webhooks/manage-endpoints.ts';
import { startWebhookSender } from '../../src/server/webhooks/run-webhook-sender.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

export interface WebhookDeliveryFigures {
  queued: number;
  seconds: number;
  perSecond: number;
  received: number;
  /** Deliveries the receiver could not verify, and ids it saw twice. */
  unverified: number;
  repeated: number;
}

/** Queues n events for one endpoint and times the sender draining them. */
export async function benchWebhookDeliveries(n: number): Promise<WebhookDeliveryFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-bench-hooks-'));
  const receiver = await startWebhookReceiver();
  const saved = { ...process.env };
  Object.assign(process.env, { WAYPOST_DATA_DIR: dir, WAYPOST_WEBHOOK_HOSTS: receiver.host, WAYPOST_LOG_LEVEL: 'error' });
  resetConfig();
  try {
    useDatabase(join(dir, 'waypost.db'));
    await migrateDatabase();
    const { store } = await createStore({ slug: 'bench-hooks', name: 'Bench Hooks' });
    const actor = { userId: null, label: 'bench' };
    const ep = await createEndpoint(store.id, { url: receiver.url, events: ['*'] }, actor, Date.now());
    receiver.secrets = [ep.secret];
    for (let i = 0; i < n; i++) await sendTestEvent(store.id, ep.id, Date.now());
    const sender = startWebhookSender({ autoStart: false, concurrency: 32 });
    const t0 = performance.now();
    while ((await pendingCount()) > 0) await sender.runOnce();
    const seconds = (performance.now() - t0) / 1000;
    await sender.stop();
    const ids = receiver.received.map((r) => r.id);
    return {
      queued: n,
      seconds,
      perSecond: n / seconds,
      received: receiver.received.length,
      unverified: receiver.received.filter((r) => r.verifiedBy.length === 0).length,
      repeated: ids.length - new Set(ids).size,
    };
  } finally {
    await closeDatabase();
    process.env = saved;
    resetConfig();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pendingCount(): Promise<number> {
  const d = schema.webhookDeliveries;
  const r = await firstRow(
    db()
      .select({ n: sql<number>`count(*)` })
      .from(d)
      .where(sql`${d.status} in ('pending', 'sending')`),
  );
  return r?.n ?? 0;
}

/** Adds this piece's figures to the benchmark's table (tests/bench/run.ts). */
export async function webhookDeliveryBenchRows(row: (name: string, value: string, target: string) => void): Promise<void> {
  const f = await benchWebhookDeliveries(Number(process.env.WAYPOST_BENCH_HOOK_EVENTS ?? 1000));
  row(`events out: ${f.queued} queued deliveries sent/s to a local receiver`, `${f.perSecond.toFixed(0)}/s`, '');
  row('events out: received, unverified, repeated ids', `${f.received}, ${f.unverified}, ${f.repeated}`, `${f.queued}, 0, 0`);
}
