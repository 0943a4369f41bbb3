// The sender in this process against the local push service: what it sends, and what it never
// sends late.
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { db, schema, transaction } from '../../../src/server/db.ts';
import { resetPushConfig } from '../../../src/server/notifications/push-config.ts';
import { queueNotification } from '../../../src/server/notifications/queue-notification.ts';
import { startPushSender } from '../../../src/server/notifications/run-push-sender.ts';
import { subscribePush } from '../../../src/server/notifications/subscribe-push.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { startPushService, type PushService } from '../../support/push-service.ts';
import { newOrder, world } from '../notices/helpers.ts';

let push: PushService;
let store: Store;

beforeAll(async () => {
  push = await startPushService();
  process.env.WAYPOST_PUSH_HOSTS = push.host;
  resetPushConfig();
});
afterAll(async () => {
  delete process.env.WAYPOST_PUSH_HOSTS;
  resetPushConfig();
  await push.close();
});
beforeEach(async () => {
  ({ store } = await world('2026-11-21T15:00:00Z'));
});

it('sends what is fresh, with the TTL it has left, and drops what went stale', async () => {
  const { orderId } = await newOrder(store, { now: () => Date.now() } as never);
  const device = push.newDevice();
  await subscribePush({ order: { storeId: store.id, orderId }, input: device.subscription, now: Date.now() });
  const H = 3_600_000;
  await transaction(async (tx) => {
    // Queued 7 hours ago while no sender ran: "delivered" lives 6 hours, so it is stale.
    await queueNotification(tx, { storeId: store.id, orderId, kind: 'delivered', key: 'old', now: Date.now() - 7 * H });
    await queueNotification(tx, { storeId: store.id, orderId, kind: 'return_received', key: 'fresh', now: Date.now() - 2 * H });
  });
  const sender = startPushSender({ autoStart: false });
  expect(await sender.runOnce()).toBe(2);
  await sender.stop();
  const rows = await db().select().from(schema.notificationOutbox).orderBy(asc(schema.notificationOutbox.createdAt));
  expect(rows.map((r) => [r.eventKey, r.status])).toEqual([
    ['old', 'expired'],
    ['fresh', 'sent'],
  ]);
  expect(push.received.map((r) => r.payload.body)).toEqual(['We have received your return.']);
  const ttl = Number(push.received[0]!.headers.ttl);
  expect(ttl).toBeLessThanOrEqual(22 * 3600);
  expect(ttl).toBeGreaterThan(22 * 3600 - 60);
});

it('two senders draining one outbox at once send every message exactly once', async () => {
  const { orderId } = await newOrder(store, { now: () => Date.now() } as never);
  const devices = Array.from({ length: 20 }, () => push.newDevice());
  for (const d of devices) await subscribePush({ order: { storeId: store.id, orderId }, input: d.subscription, now: Date.now() });
  await transaction((tx) => queueNotification(tx, { storeId: store.id, orderId, kind: 'shipped', key: 'burst', now: Date.now() }));
  const before = push.received.length;
  // 10 a second: claims of 10 rows, so the two senders interleave over the same queue.
  process.env.WAYPOST_PUSH_RATE = '10';
  resetPushConfig();
  const a = startPushSender({ autoStart: false, concurrency: 4 });
  const b = startPushSender({ autoStart: false, concurrency: 4 });
  delete process.env.WAYPOST_PUSH_RATE;
  resetPushConfig();
  for (let round = 0; round < 10; round++) {
    const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
    if (x + y === 0) break;
  }
  await Promise.all([a.stop(), b.stop()]);
  const got = push.received.slice(before).map((r) => r.device);
  expect(got).toHaveLength(20);
  expect(new Set(got)).toEqual(new Set(devices.map((d) => d.id)));
  expect((await db().select().from(schema.notificationOutbox)).every((r) => r.status === 'sent')).toBe(true);
});
