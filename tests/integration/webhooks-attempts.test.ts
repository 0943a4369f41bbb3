// Every attempt of a delivery is kept, over real HTTP to a local receiver with the sender in this
// process: what was sent (URL, headers, a SHA-256 of the body) and what came back (status, the
// start of the answer, the time taken, or the error), newest first in the deliveries' listing;
// "send again" adds one with the same webhook-id; only the last 20 are kept; a sender that died
// mid-send leaves an attempt saying so; a Klaviyo key never shows in the history. And the
// migration that gives deliveries queued before order_id existed their order, so the order's
// ledger lists them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertOrder } from '../../src/server/changes/order-written.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, schema, transaction } from '../../src/server/db.ts';
import { recordEvent } from '../../src/server/events/record-event.ts';
import { listOrderMessages } from '../../src/server/messages/list-messages.ts';
import { createStore } from '../../src/server/stores/create-store.ts';
import { ATTEMPTS_KEPT, claimDeliveries, recordAttempt, recoverExpiredDeliveries } from '../../src/server/webhooks/deliveries.ts';
import { setKlaviyoKey } from '../../src/server/webhooks/klaviyo-key.ts';
import { listDeliveries, resendDelivery } from '../../src/server/webhooks/list-deliveries.ts';
import { createEndpoint, sendTestEvent } from '../../src/server/webhooks/manage-endpoints.ts';
import { startWebhookSender } from '../../src/server/webhooks/run-webhook-sender.ts';
import { orderBody } from '../fixtures/factories.ts';
import { freshDatabase } from '../support/database.ts';
import { passLeaseTime } from '../support/leases.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const actor = { userId: null, label: 'test' };
let receiver: WebhookReceiver;
let storeId: string;
let database: string;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sender = (now = Date.now) => startWebhookSender({ autoStart: false, now, leaseMs: 5_000 });

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  process.env.WAYPOST_WEBHOOK_HOSTS = receiver.host;
  process.env.KLAVIYO_BASE_URL = receiver.url.replace(/\/hooks$/, '');
  resetConfig();
  database = await freshDatabase();
  storeId = (await createStore({ slug: 'attempts', name: 'Attempts' })).store.id;
});
afterAll(async () => {
  delete process.env.WAYPOST_WEBHOOK_HOSTS;
  delete process.env.KLAVIYO_BASE_URL;
  resetConfig();
  await receiver?.close();
});
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.answers = [];
  await transaction(async (tx) => {
    await tx.delete(schema.webhookDeliveries);
    await tx.delete(schema.webhookEndpoints);
  });
});

describe('delivery attempts', () => {
  it('keeps each attempt, newest first: request, answer, timing; "send again" adds one with the same webhook-id', async () => {
    let clock = Date.now();
    const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, clock);
    receiver.secrets = [ep.secret];
    receiver.answers = [500, 503];
    await sendTestEvent(storeId, ep.id, clock);
    const s = sender(() => clock);
    for (let i = 0; i < 3; i++) {
      await s.runOnce();
      const [d] = await listDeliveries(storeId);
      if (d!.nextAttemptAt) clock = Date.parse(d!.nextAttemptAt);
    }
    let [d] = await listDeliveries(storeId);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, lastStatus: 200 });
    expect(d!.attemptHistory.map((a) => [a.attempt, a.status, a.answer])).toEqual([
      [3, 200, 'ok'],
      [2, 503, 'receiver says no'],
      [1, 500, 'receiver says no'],
    ]);
    for (const a of d!.attemptHistory) {
      expect(a).toMatchObject({ webhookId: d!.eventId, url: receiver.url, bodySha256: sha256(d!.body), error: null });
      expect(a.requestHeaders['webhook-id']).toBe(d!.eventId);
      expect(a.requestHeaders['webhook-signature']).toMatch(/^v1,/);
      expect(a.durationMs).toEqual(expect.any(Number));
    }
    // What the receiver saw is what the history says was sent.
    expect(receiver.received.map((r) => [r.id, r.answered, sha256(r.body)])).toEqual([
      [d!.eventId, 500, sha256(d!.body)],
      [d!.eventId, 503, sha256(d!.body)],
      [d!.eventId, 200, sha256(d!.body)],
    ]);
    expect(receiver.received[2]!.headers['webhook-signature']).toBe(d!.attemptHistory[0]!.requestHeaders['webhook-signature']);

    await resendDelivery(storeId, d!.id, clock);
    await s.runOnce();
    [d] = await listDeliveries(storeId);
    expect(d!.attemptHistory.map((a) => [a.attempt, a.status, a.webhookId])).toEqual([
      [4, 200, d!.eventId],
      [3, 200, d!.eventId],
      [2, 503, d!.eventId],
      [1, 500, d!.eventId],
    ]);
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received[3]!.id).toBe(d!.eventId);
  });

  it('keeps only the last 20 attempts of a delivery', async () => {
    const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, Date.now());
    receiver.answers = Array(ATTEMPTS_KEPT + 5).fill(500);
    await sendTestEvent(storeId, ep.id, Date.now());
    const s = sender();
    const [first] = await listDeliveries(storeId);
    for (let i = 0; i < ATTEMPTS_KEPT + 5; i++) {
      await resendDelivery(storeId, first!.id, Date.now());
      await s.runOnce();
    }
    const [d] = await listDeliveries(storeId);
    expect(d!.attempts).toBe(ATTEMPTS_KEPT + 5);
    expect(d!.attemptHistory.map((a) => a.attempt)).toEqual(Array.from({ length: ATTEMPTS_KEPT }, (_, i) => ATTEMPTS_KEPT + 5 - i));
    const stored = await db().select().from(schema.webhookDeliveryAttempts).where(eq(schema.webhookDeliveryAttempts.deliveryId, d!.id));
    expect(stored).toHaveLength(ATTEMPTS_KEPT);
  });

  it('records an attempt that got no answer with its error, and one a dead sender left mid-send', async () => {
    const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, Date.now());
    // A sender claims the delivery and dies before recording anything.
    await sendTestEvent(storeId, ep.id, Date.now());
    const claimed = await claimDeliveries({ owner: 'dead-sender', now: Date.now(), limit: 10, leaseMs: 1_000 });
    expect(claimed).toHaveLength(1);
    await passLeaseTime(2_000); // the lease runs on the database's clock
    expect(await recoverExpiredDeliveries(Date.now())).toBe(1);
    let [d] = await listDeliveries(storeId);
    expect(d!.attemptHistory).toEqual([
      expect.objectContaining({ attempt: 1, status: null, webhookId: d!.eventId, error: 'sender stopped mid-delivery; sent again' }),
    ]);
    // The endpoint's port now refuses connections: no answer, the error kept.
    await receiver.close();
    try {
      await sender(() => Date.now() + 2_000).runOnce();
      [d] = await listDeliveries(storeId);
      expect(d!.attemptHistory.map((a) => a.attempt)).toEqual([2, 1]);
      expect(d!.attemptHistory[0]).toMatchObject({ status: null, answer: null, error: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      receiver = await startWebhookReceiver();
      process.env.WAYPOST_WEBHOOK_HOSTS = receiver.host;
      process.env.KLAVIYO_BASE_URL = receiver.url.replace(/\/hooks$/, '');
      resetConfig();
    }
  });

  it('records nothing for a sender paused past its lease: the delivery goes out again, its history untouched', async () => {
    const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, Date.now());
    await sendTestEvent(storeId, ep.id, Date.now());
    const [row] = await claimDeliveries({ owner: 'paused-sender', now: Date.now(), limit: 10, leaseMs: 1_000 });
    await passLeaseTime(1_001);
    // Its POST was answered, but the lease ran out meanwhile (by the database's clock): nothing is recorded.
    const request = { url: receiver.url, headers: {}, bodySha256: sha256(row!.body) };
    await recordAttempt(
      row!,
      'paused-sender',
      { ok: true, status: 200, answer: 'ok', durationMs: 5, request, startedAt: Date.now() },
      Date.now(),
    );
    let [d] = await listDeliveries(storeId);
    expect(d).toMatchObject({ status: 'sending', attemptHistory: [] });
    // Recovery sends it again (at least once, same webhook-id); the paused sender's late word still changes nothing.
    expect(await recoverExpiredDeliveries(Date.now())).toBe(1);
    await sender().runOnce();
    await recordAttempt(
      row!,
      'paused-sender',
      { ok: false, status: 500, answer: 'late', durationMs: 5, request, startedAt: Date.now() },
      Date.now(),
    );
    [d] = await listDeliveries(storeId);
    expect(d!.status).toBe('succeeded');
    expect(d!.attemptHistory.map((a) => [a.attempt, a.status])).toEqual([
      [2, 200],
      [1, null],
    ]);
  });

  it('never keeps a Klaviyo key in the history', async () => {
    const key = 'pk_abcdefghijklmnopqrstuvwxyz0123';
    await setKlaviyoKey(storeId, { klaviyoKey: key }, actor, Date.now());
    await transaction((tx) =>
      recordEvent(tx, { storeId, orderId: null, type: 'case.opened', data: {}, dedupeKey: `k-${Date.now()}`, now: Date.now() }),
    );
    await sender().runOnce();
    const [d] = await listDeliveries(storeId);
    expect(d!.attemptHistory).toHaveLength(1);
    const a = d!.attemptHistory[0]!;
    expect(a).toMatchObject({ url: `${process.env.KLAVIYO_BASE_URL}/api/events`, status: 200 });
    expect(a.requestHeaders.authorization).toBe('Klaviyo-API-Key pk_…');
    expect(JSON.stringify(a)).not.toContain(key.slice(3));
    expect(receiver.received[0]!.headers.authorization).toBe(`Klaviyo-API-Key ${key}`);
  });
});

describe('deliveries queued before they carried an order id', () => {
  /** Runs one migration file of the database's dialect on the test's database, as the migrator would. */
  async function runMigration(file: string) {
    if (database.startsWith('postgres')) {
      const c = new pg.Client({ connectionString: database });
      await c.connect();
      try {
        for (const statement of readFileSync(`db/migrations-pg/${file}`, 'utf8').split('--> statement-breakpoint'))
          await c.query(statement);
      } finally {
        await c.end();
      }
    } else {
      const raw = new Database(database);
      try {
        raw.pragma('busy_timeout = 5000');
        for (const statement of readFileSync(`db/migrations/${file}`, 'utf8').split('--> statement-breakpoint')) raw.exec(statement);
      } finally {
        raw.close();
      }
    }
  }

  it('get their order from the event that names it, so the order ledger lists them; test events stay without one', async () => {
    const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, Date.now());
    const { orderId } = await upsertOrder({ storeId, body: orderBody({ number: 'BF-7' }) });
    await transaction(async (tx) => {
      for (const [type, number] of [
        ['shipment.delivered', 'BF-7'],
        ['review.published', 'BF-7'],
        ['case.opened', 'NO-SUCH-ORDER'],
      ] as const)
        await recordEvent(tx, { storeId, orderId, type, data: { orderNumber: number }, dedupeKey: `bf:${type}`, now: Date.now() });
    });
    await sendTestEvent(storeId, ep.id, Date.now());
    // As they were before order_id: none of them knew its order.
    await transaction(async (tx) => {
      await tx.update(schema.webhookDeliveries).set({ orderId: null });
    });
    expect((await listOrderMessages(storeId, 'BF-7')).rows.filter((r) => r.channel === 'webhook')).toEqual([]);

    const file = database.startsWith('postgres') ? '0013_backfill_delivery_order.sql' : '0020_backfill_delivery_order.sql';
    await runMigration(file);
    const rows = await db()
      .select({ type: schema.webhookDeliveries.type, orderId: schema.webhookDeliveries.orderId })
      .from(schema.webhookDeliveries)
      .orderBy(schema.webhookDeliveries.type);
    expect(rows).toEqual([
      { type: 'case.opened', orderId: null },
      { type: 'review.published', orderId },
      { type: 'shipment.delivered', orderId },
      { type: 'webhook.test', orderId: null },
    ]);
    expect(
      (await listOrderMessages(storeId, 'BF-7')).rows
        .filter((r) => r.channel === 'webhook')
        .map((r) => r.kind)
        .sort(),
    ).toEqual(['review.published', 'shipment.delivered']);
  });
});
