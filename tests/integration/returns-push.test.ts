// A device following an order hears of its return: the label ready (linking to the return's page),
// the parcel received and the refund released, each once, and never the return parcel's own
// carrier steps as if they were the order's. Real emulator, real outbox, a real local push service.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, firstRow, schema, transaction } from '../../src/server/db.ts';
import { resetPushConfig } from '../../src/server/notifications/push-config.ts';
import { startPushSender } from '../../src/server/notifications/run-push-sender.ts';
import { subscribePush } from '../../src/server/notifications/subscribe-push.ts';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { buyReturnLabel } from '../../src/server/returns/buy-return-label.ts';
import { createReturn } from '../../src/server/returns/create-return.ts';
import { startSyncWorker } from '../../src/server/sync/run-sync-worker.ts';
import { freshDatabase } from '../support/database.ts';
import { startPushService, type PushService } from '../support/push-service.ts';
import { returnsScenario, tentReturn } from '../unit/returns/scenario.ts';

let emu: Emulator;
let push: PushService;
beforeEach(async () => {
  await freshDatabase();
  emu = await startEmulator({ autoTick: false });
  push = await startPushService();
  process.env.EASYPOST_BASE_URL = emu.baseUrl;
  process.env.WAYPOST_PUSH_HOSTS = push.host;
  resetConfig();
  resetPushConfig();
});
afterEach(async () => {
  await emu.close();
  await push.close();
  delete process.env.EASYPOST_BASE_URL;
  delete process.env.WAYPOST_PUSH_HOSTS;
  resetConfig();
  resetPushConfig();
});

async function sendAll() {
  const sender = startPushSender({ autoStart: false });
  while ((await sender.runOnce()) > 0);
  await sender.stop();
}
async function syncNow() {
  await transaction((tx) => tx.update(schema.shipments).set({ nextSyncAt: 0 }));
  await startSyncWorker({ autoStart: false }).runOnce();
}

describe('push news of a return', () => {
  it('label ready and refund released reach the device once each, from the return, never as the order’s parcel', async () => {
    const { store, orderId } = await returnsScenario({ returns: { refundReleasedOn: 'delivered' } });
    const device = push.newDevice();
    await subscribePush({ order: { storeId: store.id, orderId }, input: device.subscription, now: Date.now() });

    const r = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('push-return-key-000001'),
      now: Date.now(),
    });
    expect(await buyReturnLabel({ storeId: store.id, returnId: r.id, owner: 'page', now: Date.now, moved: returnMoved })).toBe('bought');
    await sendAll();
    expect(push.received.map((m) => m.payload.body)).toEqual(['Your return label is ready.']);
    expect(String(push.received[0]!.payload.url)).toMatch(new RegExp(`/${store.slug}/r/[\\w-]+\\.[\\w-]+$`));

    // The return parcel moves: its first scan and delivery are the return's news, not "your order is on its way".
    const ret = (await firstRow(db().select().from(schema.returns).where(eq(schema.returns.id, r.id))))!;
    emu.script(ret.trackingCode!, [{ afterMs: 0, status: 'in_transit', statusDetail: 'departed_facility', message: 'Accepted' }]);
    await emu.tick();
    await syncNow();
    emu.script(ret.trackingCode!, [{ afterMs: 0, status: 'delivered', statusDetail: 'arrived_at_destination', message: 'Delivered' }]);
    await emu.tick();
    await syncNow();
    await syncNow(); // the same news again
    await sendAll();
    expect(push.rejected).toEqual([]);
    // Received and refunded came with the same scan (the store refunds on delivery): the newer news
    // replaces the older on the device's topic, so the phone shows one message, not two at once.
    expect(push.received.map((m) => m.payload.body)).toEqual(['Your return label is ready.', 'Your refund is on its way.']);
    const outbox = await db()
      .select({ kind: schema.notificationOutbox.kind, status: schema.notificationOutbox.status })
      .from(schema.notificationOutbox);
    expect(outbox.map((o) => `${o.kind}:${o.status}`).sort()).toEqual([
      'refund_released:sent',
      'return_label_ready:sent',
      'return_received:superseded',
    ]);
    expect(new Set(push.received.map((m) => m.headers.topic)).size).toBe(1);
  });
});
