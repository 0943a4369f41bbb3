// The events-out sender in this process, over real HTTP to local receivers: rotation sends both
// signatures; a name that resolved to a public address at registration and to loopback at send
// time is refused at the connection; two senders never send one delivery at once; an endpoint
// failing for three days is disabled and the owner told; Klaviyo gets its documented request and
// a 429 is retried after Retry-After.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../src/server/config.ts';
import { db, schema, transaction } from '../../src/server/db.ts';
import { recordEvent } from '../../src/server/events/record-event.ts';
import { createStore } from '../../src/server/stores/create-store.ts';
import { setWebhookResolver } from '../../src/server/webhooks/address-guard.ts';
import { setKlaviyoKey } from '../../src/server/webhooks/klaviyo-key.ts';
import { listDeliveries } from '../../src/server/webhooks/list-deliveries.ts';
import { createEndpoint, rotateEndpointSecret, sendTestEvent } from '../../src/server/webhooks/manage-endpoints.ts';
import { startWebhookSender } from '../../src/server/webhooks/run-webhook-sender.ts';
import { freshDatabase } from '../support/database.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const actor = { userId: null, label: 'test' };
let receiver: WebhookReceiver;
let storeId: string;

/** Klaviyo's Create Event as documented: private-key auth, a revision, JSON:API in, 202 with no body out. */
async function startKlaviyoStandIn() {
  const requests: { headers: IncomingHttpHeaders; body: any; path: string }[] = [];
  const answers: { status: number; headers?: Record<string, string> }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ headers: req.headers, body, path: req.url ?? '' });
      if (req.method !== 'POST' || req.url !== '/api/events') return res.writeHead(404).end();
      if (!/^Klaviyo-API-Key pk_\w+$/.test(req.headers.authorization ?? ''))
        return res
          .writeHead(401, { 'content-type': 'application/vnd.api+json' })
          .end('{"errors":[{"status":401,"code":"not_authenticated"}]}');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(req.headers.revision)))
        return res.writeHead(400, { 'content-type': 'application/vnd.api+json' }).end('{"errors":[{"status":400,"code":"invalid"}]}');
      const a = answers.shift() ?? { status: 202 };
      if (a.status === 429)
        return res
          .writeHead(429, { 'content-type': 'application/vnd.api+json', ...a.headers })
          .end('{"errors":[{"status":429,"code":"throttled"}]}');
      res.writeHead(a.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, requests, answers, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let klaviyo: Awaited<ReturnType<typeof startKlaviyoStandIn>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  klaviyo = await startKlaviyoStandIn();
  process.env.WAYPOST_WEBHOOK_HOSTS = receiver.host;
  process.env.KLAVIYO_BASE_URL = klaviyo.url;
  resetConfig();
  await freshDatabase();
  storeId = (await createStore({ slug: 'senders', name: 'Senders' })).store.id;
});
afterAll(async () => {
  setWebhookResolver(null);
  delete process.env.WAYPOST_WEBHOOK_HOSTS;
  delete process.env.KLAVIYO_BASE_URL;
  resetConfig();
  await receiver?.close();
  await klaviyo?.close();
});
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.answers = [];
  await transaction(async (tx) => {
    await tx.delete(schema.webhookDeliveries);
    await tx.delete(schema.webhookEndpoints);
  });
});

const sender = (now = Date.now) => startWebhookSender({ autoStart: false, now, leaseMs: 5_000 });

it('during a rotation both secrets sign every delivery, each verifiable on its own', async () => {
  const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, Date.now());
  const { secret } = await rotateEndpointSecret(storeId, ep.id, actor, Date.now());
  receiver.secrets = [ep.secret, secret];
  await sendTestEvent(storeId, ep.id, Date.now());
  await sender().runOnce();
  expect(receiver.received).toHaveLength(1);
  const [r] = receiver.received;
  expect(r!.signatures).toHaveLength(2);
  expect(r!.signatures.every((s) => s.startsWith('v1,'))).toBe(true);
  expect(r!.verifiedBy).toEqual([0, 1]);
  expect(JSON.parse(r!.body)).toMatchObject({ type: 'webhook.test', data: { store: 'senders' } });
});

it('refuses at send time a name that now resolves to loopback (registered while it resolved elsewhere)', async () => {
  const port = receiver.host.split(':')[1];
  let answer = '93.184.215.14';
  setWebhookResolver(async () => [{ address: answer, family: 4 }]);
  try {
    const ep = await createEndpoint(storeId, { url: `http://hooks.example.test:${port}/hooks`, events: ['*'] }, actor, Date.now());
    answer = '127.0.0.1'; // the name is re-pointed at our own machine after registration
    await sendTestEvent(storeId, ep.id, Date.now());
    await sender().runOnce();
    expect(receiver.received).toHaveLength(0);
    const [d] = await listDeliveries(storeId);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    expect(d!.lastAnswer).toMatch(/refused: hooks\.example\.test resolves only to loopback/);
    // And a registration while it resolves to loopback is refused outright.
    await expect(
      createEndpoint(storeId, { url: `http://hooks.example.test:${port}/x`, events: ['*'] }, actor, Date.now()),
    ).rejects.toMatchObject({
      kind: 'invalid',
      errors: [{ pointer: '/url', detail: expect.stringContaining('127.0.0.1') }],
    });
  } finally {
    setWebhookResolver(null);
  }
});

it('two senders at once send each delivery once', async () => {
  const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, Date.now());
  receiver.secrets = [ep.secret];
  for (let i = 0; i < 20; i++) await sendTestEvent(storeId, ep.id, Date.now());
  await Promise.all([sender().runOnce(), sender().runOnce(), sender().runOnce()]);
  expect(receiver.received).toHaveLength(20);
  expect(new Set(receiver.received.map((r) => r.id)).size).toBe(20);
  expect((await listDeliveries(storeId)).every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true);
});

it('retries on the Standard Webhooks schedule, then disables an endpoint failing for three days and tells the owner', async () => {
  let clock = Date.now();
  const ep = await createEndpoint(storeId, { url: receiver.url, events: ['*'] }, actor, clock);
  receiver.answers = Array(20).fill(500);
  await sendTestEvent(storeId, ep.id, clock);
  const s = sender(() => clock);
  const gaps: number[] = [];
  let last = clock;
  for (let i = 0; i < 15; i++) {
    await s.runOnce();
    const [d] = await listDeliveries(storeId);
    if (d!.status !== 'pending') break;
    gaps.push(Date.parse(d!.nextAttemptAt!) - last);
    last = clock = Date.parse(d!.nextAttemptAt!);
  }
  const S = 1000,
    M = 60 * S,
    H = 60 * M;
  expect(gaps.slice(0, 6)).toEqual([5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H]);
  const [d] = await listDeliveries(storeId);
  expect(d).toMatchObject({ status: 'failed', attempts: 12, lastStatus: 500 });
  const [row] = await db().select().from(schema.webhookEndpoints).where(eq(schema.webhookEndpoints.id, ep.id));
  expect(row).toMatchObject({ status: 'disabled', disabledReason: expect.stringContaining('failed') });
  const audit = await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, 'webhook_endpoint.disabled'));
  expect(audit).toHaveLength(1);
  // No new event is queued for a disabled endpoint.
  await transaction((tx) =>
    recordEvent(tx, { storeId, orderId: null, type: 'case.opened', data: {}, dedupeKey: 'x-disabled', now: clock }),
  );
  expect(await listDeliveries(storeId)).toHaveLength(1);
});

describe('Klaviyo', () => {
  it('gets the documented Create Event request, and a 429 is retried after Retry-After', async () => {
    await setKlaviyoKey(storeId, { klaviyoKey: 'pk_abcdefghijklmnopqrstuvwxyz0123' }, actor, Date.now());
    klaviyo.answers.push({ status: 429, headers: { 'retry-after': '1' } });
    const data = {
      store: 'senders',
      orderNumber: '1001',
      email: 'ann@example.com',
      trackingUrl: 'https://track.example.test/senders/t/abc',
      shipment: {
        carrier: 'USPS',
        trackingCode: 'T1',
        status: 'delivered',
        estimatedDelivery: '2026-11-25',
        lastScanAt: '2026-11-24T15:00:00.000Z',
        deliveredAt: null,
        statusDetail: null,
      },
      items: [{ sku: 'TENT-2P', title: 'Tent', variant: null, quantity: 1, imageUrl: 'https://cdn.example.com/tent.jpg' }],
      notice: null,
    };
    const eventId = await transaction((tx) =>
      recordEvent(tx, { storeId, orderId: null, type: 'shipment.delivered', data, dedupeKey: 'k1', now: Date.now() }),
    );
    const s = sender();
    await s.runOnce();
    expect(klaviyo.requests).toHaveLength(1);
    const [d1] = await listDeliveries(storeId);
    expect(d1).toMatchObject({ status: 'pending', lastStatus: 429 });
    const wait = Date.parse(d1!.nextAttemptAt!) - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
    await s.runOnce(); // not yet due
    expect(klaviyo.requests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, wait + 50));
    await s.runOnce();
    expect(klaviyo.requests).toHaveLength(2);
    const [, second] = klaviyo.requests;
    expect(second!.path).toBe('/api/events');
    expect(second!.headers.authorization).toBe('Klaviyo-API-Key pk_abcdefghijklmnopqrstuvwxyz0123');
    expect(second!.headers.revision).toBe('2025-01-15');
    expect(second!.body).toMatchObject({
      data: {
        type: 'event',
        attributes: {
          unique_id: eventId,
          metric: { data: { type: 'metric', attributes: { name: 'Waypost Parcel Delivered' } } },
          profile: { data: { type: 'profile', attributes: { email: 'ann@example.com' } } },
          properties: {
            tracking_url: data.trackingUrl,
            estimated_delivery: '2026-11-25',
            items: [{ sku: 'TENT-2P', imageUrl: 'https://cdn.example.com/tent.jpg' }],
          },
        },
      },
    });
    expect(klaviyo.requests[0]!.body.data.attributes.unique_id).toBe(eventId); // the same id on the retry: Klaviyo dedupes
    expect((await listDeliveries(storeId))[0]).toMatchObject({ status: 'succeeded', lastStatus: 202, attempts: 2 });
  });

  it('refuses a key that is not a private key, and never stores it', async () => {
    await expect(setKlaviyoKey(storeId, { klaviyoKey: 'public123' }, actor, Date.now())).rejects.toMatchObject({ kind: 'invalid' });
  });
});
