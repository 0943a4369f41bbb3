// The outbox in a real SQLite file: what carrier sync queues, once per key; what a newer update
// supersedes; how leases keep senders apart and how a crash is closed out (at most once).
import { asc, eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { claimNotifications, markSending, recordOutcome, recoverExpiredLeases } from '../../../src/server/notifications/outbox.ts';
import { pruneOutbox } from '../../../src/server/notifications/prune-outbox.ts';
import { queueNotification } from '../../../src/server/notifications/queue-notification.ts';
import { retryDelayMs } from '../../../src/server/notifications/send-notification.ts';
import { subscribePush } from '../../../src/server/notifications/subscribe-push.ts';
import { scanForDelays } from '../../../src/server/changes/deadlines-passed.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { passLeaseTime } from '../../support/leases.ts';
import { apply, DAY, event, H, newOrder, snap, world, type ManualClock } from '../notices/helpers.ts';

let clock: ManualClock;
let store: Store;
let n = 0;

beforeEach(async () => {
  ({ clock, store } = await world('2026-11-21T15:00:00Z'));
});

async function follow(orderId: string): Promise<string> {
  n++;
  const p256dh = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, n)]).toString('base64url');
  const endpoint = `https://fcm.googleapis.com/fcm/send/device-${n}`;
  await subscribePush({
    order: { storeId: store.id, orderId },
    input: { endpoint, keys: { p256dh, auth: Buffer.alloc(16, n).toString('base64url') } },
    now: clock.now(),
  });
  return (await firstRow(db().select().from(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.endpoint, endpoint))))!.id;
}
/** A second order needs its own tracking code. */
const otherOrder = () =>
  newOrder(store, clock, {
    shipments: [{ carrier: 'USPS', trackingCode: `9400100000000000000${100 + n}`, items: [{ sku: 'TENT-2P', quantity: 1 }] }],
  });
const rows = async () =>
  await db()
    .select()
    .from(schema.notificationOutbox)
    .orderBy(asc(schema.notificationOutbox.createdAt), asc(schema.notificationOutbox.kind));
const summary = async () => (await rows()).map((r) => `${r.kind}:${r.status}`);

describe('queueNotification from carrier sync', () => {
  it('queues "shipped" at the first carrier scan, once per device of that order, whatever arrives twice', async () => {
    const o = await newOrder(store, clock);
    const other = await otherOrder();
    await follow(o.orderId);
    await follow(o.orderId);
    await follow(other.orderId);
    await apply(store, clock, o.shipmentId, snap('pre_transit', [event('2026-11-21T10:00:00Z', 'pre_transit', 'Label created')]));
    expect(await rows()).toEqual([]); // a label is not news
    const scanned = [
      event('2026-11-21T10:00:00Z', 'pre_transit', 'Label created'),
      event('2026-11-21T12:00:00Z', 'in_transit', 'Accepted'),
    ];
    await apply(store, clock, o.shipmentId, snap('in_transit', scanned));
    await apply(store, clock, o.shipmentId, snap('in_transit', scanned));
    expect(await summary()).toEqual(['shipped:pending', 'shipped:pending']);
    expect((await rows()).every((r) => r.orderId === o.orderId && r.eventKey === `${o.shipmentId}:shipped`)).toBe(true);
  });

  it('lets newer news about a parcel supersede older news still waiting', async () => {
    const o = await newOrder(store, clock);
    await follow(o.orderId);
    await apply(store, clock, o.shipmentId, snap('in_transit', [event('2026-11-21T12:00:00Z', 'in_transit', 'Accepted')]));
    clock.advance(H);
    await apply(store, clock, o.shipmentId, snap('delivered', [event('2026-11-21T14:00:00Z', 'delivered', 'Delivered')]));
    expect(await summary()).toEqual(['shipped:superseded', 'delivered:pending']);
  });

  it('tells a parcel that jumps straight to delivered only that', async () => {
    const o = await newOrder(store, clock);
    await follow(o.orderId);
    await apply(
      store,
      clock,
      o.shipmentId,
      snap('delivered', [event('2026-11-21T09:00:00Z', 'in_transit', 'Accepted'), event('2026-11-21T14:00:00Z', 'delivered', 'Delivered')]),
    );
    expect(await summary()).toEqual(['delivered:pending']);
  });

  it('queues a delay found by the delay scan, and an exception from the carrier', async () => {
    const o = await newOrder(store, clock);
    const late = await otherOrder();
    await follow(o.orderId);
    await follow(late.orderId);
    await apply(store, clock, o.shipmentId, snap('failure', [event('2026-11-21T12:00:00Z', 'failure', 'Address not found')]));
    expect(await summary()).toEqual(['exception:pending']);
    await apply(store, clock, late.shipmentId, snap('in_transit', [event('2026-11-21T12:00:00Z', 'in_transit', 'Accepted')]));
    clock.advance(10 * DAY);
    await scanForDelays(clock.now());
    expect((await rows()).filter((r) => r.orderId === late.orderId).map((r) => r.kind)).toContain('delayed');
  });

  it('queues nothing for an order nobody follows, and nothing twice for the same key', async () => {
    const o = await newOrder(store, clock);
    await transaction((tx) =>
      queueNotification(tx, { storeId: store.id, orderId: o.orderId, kind: 'review_invitation', key: 'r1', now: clock.now() }),
    );
    expect(await rows()).toEqual([]);
    await follow(o.orderId);
    for (let i = 0; i < 2; i++)
      await transaction((tx) =>
        queueNotification(tx, { storeId: store.id, orderId: o.orderId, kind: 'review_invitation', key: 'r1', now: clock.now() }),
      );
    expect(await summary()).toEqual(['review_invitation:pending']);
    // Another store's id never reaches this order's devices.
    await transaction((tx) =>
      queueNotification(tx, { storeId: 'other-store', orderId: o.orderId, kind: 'delivered', key: 'x', now: clock.now() }),
    );
    expect(await rows()).toHaveLength(1);
  });
});

describe('the outbox leases', () => {
  async function queued(count: number) {
    const o = await newOrder(store, clock);
    for (let i = 0; i < count; i++) await follow(o.orderId);
    await transaction((tx) =>
      queueNotification(tx, { storeId: store.id, orderId: o.orderId, kind: 'delivered', key: 'k', now: clock.now() }),
    );
  }

  it('never hands one row to two senders', async () => {
    await queued(5);
    const now = clock.now();
    const a = await claimNotifications({ owner: 'a', now, limit: 3, leaseMs: 60_000 });
    const b = await claimNotifications({ owner: 'b', now, limit: 3, leaseMs: 60_000 });
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(2);
    expect(new Set([...a, ...b].map((r) => r.id)).size).toBe(5);
    expect(await markSending(a[0]!.id, 'b', now, 60_000)).toBe(false); // not b's row
    expect(await markSending(a[0]!.id, 'a', now, 60_000)).toBe(true);
  });

  it('after a crash: claimed rows go back to the queue, a row left "sending" is abandoned, never resent', async () => {
    await queued(3);
    const now = clock.now();
    const [sending, claimed, done] = await claimNotifications({ owner: 'dead', now, limit: 3, leaseMs: 1000 });
    await markSending(sending!.id, 'dead', now, 1000);
    await markSending(done!.id, 'dead', now, 1000);
    await recordOutcome(done!, 'dead', { kind: 'sent' }, now);
    // Leases run on the database's clock: the sender's clock moving on expires nothing.
    expect(await recoverExpiredLeases(now + 3_600_000)).toEqual({ requeued: 0, abandoned: 0 });
    await passLeaseTime(500);
    expect(await recoverExpiredLeases(now)).toEqual({ requeued: 0, abandoned: 0 });
    await passLeaseTime(600);
    expect(await recoverExpiredLeases(now)).toEqual({ requeued: 1, abandoned: 1 });
    const byId = new Map((await rows()).map((r) => [r.id, r]));
    expect(byId.get(sending!.id)).toMatchObject({ status: 'abandoned', attempts: 1 });
    expect(byId.get(claimed!.id)).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null });
    expect(byId.get(done!.id)).toMatchObject({ status: 'sent', sentAt: now });
    // The next sender gets only the requeued row; a late answer for the abandoned one changes nothing.
    const next = await claimNotifications({ owner: 'next', now: now + 2000, limit: 10, leaseMs: 1000 });
    expect(next.map((r) => r.id)).toEqual([claimed!.id]);
    await recordOutcome(sending!, 'dead', { kind: 'sent' }, now + 2000);
    expect((await rows()).find((r) => r.id === sending!.id)!.status).toBe('abandoned');
  });

  it('times leases by the database’s clock, whether the sender’s clock runs far ahead or far behind', async () => {
    await queued(2);
    const ahead = clock.now() + 30 * DAY;
    const behind = clock.now() - 30 * DAY;
    const [a] = await claimNotifications({ owner: 'fast', now: ahead, limit: 1, leaseMs: 60_000 });
    // A sender a month ahead neither sees its own fresh lease as run out, nor takes the row over.
    expect(await recoverExpiredLeases(ahead)).toEqual({ requeued: 0, abandoned: 0 });
    const [b] = await claimNotifications({ owner: 'slow', now: ahead, limit: 5, leaseMs: 60_000 });
    expect(b!.id).not.toBe(a!.id);
    await passLeaseTime(60_001);
    // ... and a sender a month behind still sees both leases run out once the database's minute is over.
    expect(await recoverExpiredLeases(behind)).toEqual({ requeued: 2, abandoned: 0 });
  });

  it('a sender paused past its lease sends nothing and records nothing, taken over or not', async () => {
    await queued(2);
    const now = clock.now();
    const [first, second] = await claimNotifications({ owner: 'paused', now, limit: 2, leaseMs: 1000 });
    await markSending(second!.id, 'paused', now, 1000);
    await passLeaseTime(1001);
    // Nobody has recovered the rows yet, but the leases ran out: no POST, and no answer recorded.
    expect(await markSending(first!.id, 'paused', now, 1000)).toBe(false);
    await recordOutcome(second!, 'paused', { kind: 'sent' }, now);
    await recordOutcome(second!, 'paused', { kind: 'retry', at: now, error: 'late' }, now);
    const byId = () => rows().then((r) => new Map(r.map((x) => [x.id, x])));
    expect((await byId()).get(first!.id)).toMatchObject({ status: 'claimed', attempts: 0, leaseOwner: 'paused' });
    expect((await byId()).get(second!.id)).toMatchObject({ status: 'sending', sentAt: null, lastError: null });
    // Another sender takes the first row over; the paused one still cannot mark it nor close it.
    expect(await recoverExpiredLeases(now)).toEqual({ requeued: 1, abandoned: 1 });
    const [taken] = await claimNotifications({ owner: 'next', now, limit: 5, leaseMs: 60_000 });
    expect(taken!.id).toBe(first!.id);
    expect(await markSending(first!.id, 'paused', now, 1000)).toBe(false);
    expect(await markSending(first!.id, 'next', now, 60_000)).toBe(true);
    expect((await byId()).get(first!.id)).toMatchObject({ status: 'sending', attempts: 1, leaseOwner: 'next' });
  });

  it('forgets the device on "gone", with its queued rows', async () => {
    await queued(1);
    const [row] = await claimNotifications({ owner: 'a', now: clock.now(), limit: 1, leaseMs: 1000 });
    await markSending(row!.id, 'a', clock.now(), 1000);
    await recordOutcome(row!, 'a', { kind: 'gone' }, clock.now());
    expect(await db().select().from(schema.pushSubscriptions)).toEqual([]);
    expect(await rows()).toEqual([]);
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially with jitter, honouring Retry-After', () => {
    const now = Date.parse('2026-11-21T15:00:00Z');
    expect(retryDelayMs(1, null, now, () => 0.5)).toBe(15_000);
    expect(retryDelayMs(3, null, now, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(20, null, now, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, null, now, () => 0)).toBe(7_500);
    expect(retryDelayMs(1, '120', now, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(1, new Date(now + 300_000).toUTCString(), now, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(1, 'soon', now, () => 0.5)).toBe(15_000);
    expect(retryDelayMs(1, String(30 * 24 * 3600), now, () => 0.5)).toBe(6 * 3_600_000);
  });
});

describe('pruneOutbox', () => {
  it('forgets finished rows after a month and devices after half a year, never what is waiting', async () => {
    const o = await newOrder(store, clock);
    const sub = await follow(o.orderId);
    const q = (key: string, now: number) =>
      transaction((tx) => queueNotification(tx, { storeId: store.id, orderId: o.orderId, kind: 'delivered', key, now }));
    await q('old-sent', clock.now());
    await q('old-pending', clock.now());
    await q('new-sent', clock.now() + 20 * DAY);
    const ox = schema.notificationOutbox;
    await transaction((tx) =>
      tx
        .update(ox)
        .set({ status: 'sent' })
        .where(inArray(ox.eventKey, ['old-sent', 'new-sent'])),
    );
    expect(await pruneOutbox(clock.now() + 31 * DAY)).toEqual({ rows: 1, subscriptions: 0 });
    expect((await rows()).map((r) => r.eventKey).sort()).toEqual(['new-sent', 'old-pending']);
    expect(await pruneOutbox(clock.now() + 181 * DAY)).toEqual({ rows: 1, subscriptions: 1 });
    expect(await db().select().from(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.id, sub))).toEqual([]);
    expect(await rows()).toEqual([]);
  });
});
