// Web push end to end: signed carrier webhooks → outbox → a real local push service that checks
// the VAPID signature and decrypts each payload with the device's private key.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { topicFor } from '../../src/server/notifications/build-notification.ts';
import { api } from '../support/http.ts';
import { startPushService, type PushService } from '../support/push-service.ts';
import { carrierEvent, createOrder, createPushStore, subscribe } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';

let push: PushService;
let server: TestServer;
let key: string;

beforeAll(async () => {
  push = await startPushService();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_PUSH_HOSTS: push.host });
  key = createPushStore(server, 'gear', 'Gear & Co');
  useDatabase(server.database); // the server's database, read through the same client
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await push?.close();
});

const of = (device: string) => push.received.filter((r) => r.device === device);
const settle = () => new Promise((r) => setTimeout(r, 1500)); // several sender rounds
const ps = schema.pushSubscriptions;
const ox = schema.notificationOutbox;
const subscriptionsWith = (endpoint: string) => db().select({ id: ps.id }).from(ps).where(eq(ps.endpoint, endpoint));
const shipmentByCode = async (code: string) =>
  (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.trackingCode, code))))!;

describe('web-push updates from carrier events', () => {
  it('sends exactly one readable notification per device per step, whatever the duplicates', async () => {
    const order = await createOrder(server, key, '7001', 'PUSH7001');
    const a = push.newDevice();
    const b = push.newDevice();
    expect((await subscribe(server, order.path, a.subscription)).status).toBe(201);
    expect((await subscribe(server, order.path, b.subscription)).status).toBe(201);
    // The same device again is the same subscription (200), not a second one.
    expect((await subscribe(server, order.path, a.subscription)).status).toBe(200);
    expect(await subscriptionsWith(a.subscription.endpoint)).toHaveLength(1);

    await carrierEvent(server, 'gear', 'PUSH7001', 'in_transit', 'arrived_at_facility', 60);
    await carrierEvent(server, 'gear', 'PUSH7001', 'in_transit', 'arrived_at_facility', 60); // duplicate webhook
    await waitUntil(() => of(a.id).length === 1 && of(b.id).length === 1);

    await carrierEvent(server, 'gear', 'PUSH7001', 'delivered', 'arrived_at_destination', 5);
    await carrierEvent(server, 'gear', 'PUSH7001', 'out_for_delivery', 'out_for_delivery', 30); // late, older news
    await carrierEvent(server, 'gear', 'PUSH7001', 'delivered', 'arrived_at_destination', 5); // duplicate
    await waitUntil(() => of(a.id).length === 2 && of(b.id).length === 2);
    await settle();
    expect(push.rejected).toEqual([]);
    for (const d of [a, b]) {
      const [shipped, delivered] = of(d.id);
      expect(shipped!.payload).toMatchObject({ title: 'Gear & Co', body: 'Your order #7001 is on its way.', url: order.trackingUrl });
      expect(delivered!.payload).toMatchObject({
        title: 'Gear & Co',
        body: 'Your order #7001 has been delivered.',
        url: order.trackingUrl,
      });
      expect(delivered!.payload.icon).toMatch(/^http:\/\/localhost:\d+\/icons\/notification\.png$/);
      // One topic per parcel, so the newer update replaces the older one on the device.
      expect(shipped!.headers.topic).toBe(delivered!.headers.topic);
      expect(delivered!.payload.tag).toBe(delivered!.headers.topic);
      expect(delivered!.headers.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
      // TTL: what is left of 24 h (shipped) and 6 h (delivered) since the event was queued.
      expect(shipped!.headers.urgency).toBe('normal');
      expect(Number(shipped!.headers.ttl)).toBeGreaterThan(24 * 3600 - 30);
      expect(Number(shipped!.headers.ttl)).toBeLessThanOrEqual(24 * 3600);
      expect(Number(delivered!.headers.ttl)).toBeGreaterThan(6 * 3600 - 30);
      expect(Number(delivered!.headers.ttl)).toBeLessThanOrEqual(6 * 3600);
      expect(Buffer.byteLength(JSON.stringify(delivered!.payload))).toBeLessThan(4096);
      expect(delivered!.jwt.aud).toBe(push.origin);
    }
    const shipmentId = (await shipmentByCode('PUSH7001')).id;
    expect(of(a.id)[0]!.headers.topic).toBe(topicFor(shipmentId));
    // The message ledger records each push as its own message, one per device and step, all sent.
    const ledger = await db()
      .select({ kind: schema.messages.kind, status: schema.messages.status, recipient: schema.messages.recipient })
      .from(schema.messages)
      .where(and(eq(schema.messages.shipmentId, shipmentId), eq(schema.messages.channel, 'push')));
    expect(ledger.map((m) => `${m.kind}:${m.status}`).sort()).toEqual(['delivered:sent', 'delivered:sent', 'shipped:sent', 'shipped:sent']);
    expect(ledger[0]!.recipient).toBe(push.host);
    // The outbox holds one sent row per (device, event), nothing pending.
    const rows = await db().select({ eventKey: ox.eventKey, status: ox.status }).from(ox).orderBy(asc(ox.eventKey));
    expect(rows).toEqual(
      expect.arrayContaining([
        { eventKey: `${shipmentId}:delivered`, status: 'sent' },
        { eventKey: `${shipmentId}:shipped`, status: 'sent' },
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('tells a carrier exception urgently, once', async () => {
    const order = await createOrder(server, key, '7002', 'PUSH7002');
    const d = push.newDevice();
    expect((await subscribe(server, order.path, d.subscription)).status).toBe(201);
    await carrierEvent(server, 'gear', 'PUSH7002', 'in_transit', 'arrived_at_facility', 120);
    await waitUntil(() => of(d.id).length === 1);
    await carrierEvent(server, 'gear', 'PUSH7002', 'failure', 'delivery_exception', 10);
    await carrierEvent(server, 'gear', 'PUSH7002', 'failure', 'delivery_exception', 10);
    await waitUntil(() => of(d.id).length === 2);
    await settle();
    expect(of(d.id)).toHaveLength(2);
    expect(of(d.id)[1]!.payload.body).toBe('Your order #7002: the carrier could not deliver it.');
    expect(of(d.id)[1]!.headers.urgency).toBe('high');
  });

  it('forgets a device the push service says is gone (410), and stops a device that unsubscribed', async () => {
    const order = await createOrder(server, key, '7003', 'PUSH7003');
    const gone = push.newDevice();
    const leaving = push.newDevice();
    push.answer(gone.id, 410);
    expect((await subscribe(server, order.path, gone.subscription)).status).toBe(201);
    expect((await subscribe(server, order.path, leaving.subscription)).status).toBe(201);
    expect((await subscribe(server, order.path, { endpoint: leaving.subscription.endpoint }, 'DELETE')).status).toBe(204);
    await carrierEvent(server, 'gear', 'PUSH7003', 'in_transit', 'arrived_at_facility', 60);
    await waitUntil(async () => (await subscriptionsWith(gone.subscription.endpoint)).length === 0);
    await settle();
    expect(of(gone.id)).toEqual([]);
    expect(of(leaving.id)).toEqual([]);
    expect(await subscriptionsWith(leaving.subscription.endpoint)).toHaveLength(0);
  });

  it('retries a throttled push (429) after its Retry-After, and delivers it once', async () => {
    const order = await createOrder(server, key, '7004', 'PUSH7004');
    const d = push.newDevice();
    push.answer(d.id, 429, 503);
    expect((await subscribe(server, order.path, d.subscription)).status).toBe(201);
    await carrierEvent(server, 'gear', 'PUSH7004', 'in_transit', 'arrived_at_facility', 60);
    const { orderId } = await shipmentByCode('PUSH7004');
    const rows = await waitUntil(async () => {
      const r = await db().select().from(ox).where(eq(ox.orderId, orderId));
      return r[0]?.attempts === 1 && r[0].status === 'pending' ? r : null;
    });
    expect(rows![0]!.lastError).toBe('HTTP 429');
    expect(rows![0]!.nextAttemptAt).toBeGreaterThan(Date.now()); // backing off: at least Retry-After (1 s), about 15 s
  });
});

// Last: the tests above count every message of the server's ledger.
describe('web-push words', () => {
  it('words the body in the store’s own wording for the order’s language, as its emails and pages do', async () => {
    const voiceKey = createPushStore(server, 'voice', 'Voice & Co');
    // German words for German orders only: an English order keeps the catalogue's.
    const saved = await api(server.url, voiceKey, 'PATCH', '/api/v1/store', {
      copy: { de: { 'push.kind.shipped': '{subject} hat unsere Werkstatt verlassen.' } },
    });
    expect(saved.status, saved.text).toBe(200);
    const german = await createOrder(server, voiceKey, '7101', 'PUSH7101', { locale: 'de-DE' });
    const english = await createOrder(server, voiceKey, '7102', 'PUSH7102');
    const de = push.newDevice();
    const en = push.newDevice();
    expect((await subscribe(server, german.path, de.subscription)).status).toBe(201);
    expect((await subscribe(server, english.path, en.subscription)).status).toBe(201);
    await carrierEvent(server, 'voice', 'PUSH7101', 'in_transit', 'arrived_at_facility', 60);
    await carrierEvent(server, 'voice', 'PUSH7102', 'in_transit', 'arrived_at_facility', 60);
    await waitUntil(() => of(de.id).length === 1 && of(en.id).length === 1);
    expect(of(de.id)[0]!.payload).toMatchObject({ title: 'Voice & Co', body: 'Ihre Bestellung #7101 hat unsere Werkstatt verlassen.' });
    expect(of(en.id)[0]!.payload).toMatchObject({ title: 'Voice & Co', body: 'Your order #7102 is on its way.' });
  });
});
