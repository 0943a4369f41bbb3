// One record of what each order was told (issues #14/#19), through the real domain and a real
// SQLite file in this process, with a real HTTP receiver for events out: the order's webhook
// deliveries are ledger messages of channel "webhook" (kind = event type, to = the endpoint,
// queued then sent), merged by time with its email; another store's order never shows them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../src/server/config.ts';
import { listOrderMessages, listStoreMessages, toMessageJson } from '../../src/server/messages/list-messages.ts';
import { setKlaviyoKey } from '../../src/server/webhooks/klaviyo-key.ts';
import { createEndpoint } from '../../src/server/webhooks/manage-endpoints.ts';
import { startWebhookSender } from '../../src/server/webhooks/run-webhook-sender.ts';
import { makeStore } from '../fixtures/factories.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { apply, event, newOrder, snap, world } from '../unit/notices/helpers.ts';

const actor = { userId: null, label: 'test' };
const SETTINGS = { timeZone: 'UTC', notifications: { quietHours: { enabled: false } } };
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  process.env.WAYPOST_WEBHOOK_HOSTS = receiver.host;
  resetConfig();
});
afterAll(async () => {
  delete process.env.WAYPOST_WEBHOOK_HOSTS;
  resetConfig();
  await receiver?.close();
});

describe('the ledger lists webhook deliveries', () => {
  it('shows the order’s delivery as channel webhook, queued then sent, beside its email; never in another store', async () => {
    const { clock, store } = await world('2026-11-24T10:00:00Z', SETTINGS);
    const other = (await makeStore({ settings: SETTINGS }, clock)).store;
    const ep = await createEndpoint(store.id, { url: receiver.url, events: ['shipment.delivered'] }, actor, clock.now());
    receiver.secrets = [ep.secret];
    // The other store has an order with the same number and an endpoint of its own.
    await createEndpoint(other.id, { url: `${receiver.url}/other`, events: ['*'] }, actor, clock.now());
    const mine = await newOrder(store, clock, { number: 'L-1' });
    await newOrder(other, clock, { number: 'L-1' });
    clock.advance(60_000);
    await apply(store, clock, mine.shipmentId, snap('delivered', [event('2026-11-24T10:00:30Z', 'delivered', 'Delivered')]));

    const before = (await listOrderMessages(store.id, 'L-1')).rows.map(toMessageJson);
    const hooks = before.filter((m) => m.channel === 'webhook');
    expect(hooks).toEqual([
      {
        id: expect.any(String),
        channel: 'webhook',
        kind: 'shipment.delivered',
        to: receiver.url,
        status: 'queued',
        subject: null,
        language: null,
        class: null,
        parcel: null,
        providerId: null,
        coveredBy: null,
        createdAt: new Date(clock.now()).toISOString(),
        sentAt: null,
      },
    ]);
    // Every channel in one list, oldest first: the delivered email is there too.
    expect(before.some((m) => m.channel === 'email' && m.kind === 'delivered')).toBe(true);
    const times = before.map((m) => m.createdAt);
    expect([...times].sort()).toEqual(times);

    clock.advance(1_000);
    const sender = startWebhookSender({ autoStart: false, now: clock.now, leaseMs: 5_000 });
    await sender.runOnce();
    await sender.stop();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['shipment.delivered']);
    const after = (await listOrderMessages(store.id, 'L-1')).rows.map(toMessageJson).filter((m) => m.channel === 'webhook');
    expect(after).toMatchObject([{ id: hooks[0]!.id, status: 'sent', sentAt: new Date(clock.now()).toISOString() }]);

    // The back office list (per order and the store's newest) shows it; a kind filter names email and push kinds only.
    const listed = await listStoreMessages(store.id, { kind: null, order: 'L-1' });
    expect(listed.filter((r) => r.m.channel === 'webhook').map((r) => [r.m.kind, r.number, r.m.status])).toEqual([
      ['shipment.delivered', 'L-1', 'sent'],
    ]);
    expect((await listStoreMessages(store.id, { kind: 'delivered', order: null })).every((r) => r.m.channel !== 'webhook')).toBe(true);

    // The other store's order of the same number, and its whole list, never show this store's delivery.
    const theirs = (await listOrderMessages(other.id, 'L-1')).rows;
    expect(theirs.filter((m) => m.channel === 'webhook')).toEqual([]);
    expect((await listStoreMessages(other.id, { kind: null, order: null })).some((r) => r.m.id === hooks[0]!.id)).toBe(false);
  });

  it('names a Klaviyo endpoint “Klaviyo”, not its URL', async () => {
    const { clock, store } = await world('2026-11-24T10:00:00Z', SETTINGS);
    await setKlaviyoKey(store.id, { klaviyoKey: 'pk_abcdefghijklmnopqrstuvwxyz0123' }, actor, clock.now());
    const o = await newOrder(store, clock, { number: 'K-1' });
    clock.advance(60_000);
    await apply(store, clock, o.shipmentId, snap('delivered', [event('2026-11-24T10:00:30Z', 'delivered', 'Delivered')]));
    const hooks = (await listOrderMessages(store.id, 'K-1')).rows.filter((m) => m.channel === 'webhook');
    expect(hooks.map((m) => [m.kind, m.recipient, m.status])).toEqual([['shipment.delivered', 'Klaviyo', 'queued']]);
  });
});
