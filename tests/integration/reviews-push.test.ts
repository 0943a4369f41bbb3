// The review invitation reaches a following device once per order, linking to the review form:
// the real invitation scan, the real outbox, a real local push service.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../src/server/config.ts';
import { db, schema } from '../../src/server/db.ts';
import { resetPushConfig } from '../../src/server/notifications/push-config.ts';
import { startPushSender } from '../../src/server/notifications/run-push-sender.ts';
import { subscribePush } from '../../src/server/notifications/subscribe-push.ts';
import { scanReviewInvitations } from '../../src/server/reviews/scan-review-invitations.ts';
import { startPushService, type PushService } from '../support/push-service.ts';
import { apply, DAY, event, newOrder, snap, world } from '../unit/notices/helpers.ts';

let push: PushService;
beforeEach(async () => {
  push = await startPushService();
  process.env.WAYPOST_PUSH_HOSTS = push.host;
  resetConfig();
  resetPushConfig();
});
afterEach(async () => {
  await push.close();
  delete process.env.WAYPOST_PUSH_HOSTS;
  resetConfig();
  resetPushConfig();
});

describe('the review invitation by push', () => {
  it('is queued once per order and opens the review form', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC' });
    const o = await newOrder(store, clock, { timeZone: 'UTC' });
    const device = push.newDevice();
    await subscribePush({ order: { storeId: store.id, orderId: o.orderId }, input: device.subscription, now: clock.now() });
    await apply(store, clock, o.shipmentId, snap('delivered', [event('2026-11-20T15:00:00Z', 'delivered', 'Delivered')]));
    const invitations = async () =>
      (await db().select({ kind: schema.notificationOutbox.kind }).from(schema.notificationOutbox)).filter(
        (r) => r.kind === 'review_invitation',
      );

    clock.set('2026-11-25T09:00:00Z');
    await scanReviewInvitations(clock.now());
    await scanReviewInvitations(clock.now());
    expect(await invitations()).toHaveLength(1);
    const sender = startPushSender({ autoStart: false, now: clock.now });
    while ((await sender.runOnce()) > 0);
    // A day later the scan finds nothing more to tell.
    clock.advance(DAY);
    await scanReviewInvitations(clock.now());
    expect(await invitations()).toHaveLength(1);
    while ((await sender.runOnce()) > 0);
    await sender.stop();
    const sent = push.received.filter((m) => m.payload.kind === 'review_invitation');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.payload.url)).toMatch(new RegExp(`/${store.slug}/t/[\\w.-]+/review$`));
    expect(push.rejected).toEqual([]);
  });
});
