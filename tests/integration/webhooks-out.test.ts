// Events out over real HTTP: a portal (child process, its worker running), a local receiver that
// verifies every delivery with standardwebhooks' Webhook.verify, and the carrier webhooks that move
// a parcel. Proves: signed deliveries of the parcel's steps with data a receiver can order by; a
// retry after a 500 with the same webhook-id; kill -9 mid-delivery → a later delivery with the same
// id; the refusal table; endpoints listed without their secret, deleted with 204.
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, db, schema, useDatabase } from '../../src/server/db.ts';
import { api, cli, postForm } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

let receiver: WebhookReceiver;
const servers: TestServer[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
}, 30_000);
afterAll(async () => {
  await closeDatabase();
  for (const s of servers) if (s.process.signalCode === null) await s.stop();
  await receiver?.close();
});

const PASSWORD = 'correct horse battery staple';

async function signIn(server: TestServer, email: string): Promise<string> {
  const r = await postForm(server.url, '/admin/login', { email, password: PASSWORD });
  expect(r.status).toBe(303);
  return /wp_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
}

const env = () => ({ WAYPOST_WORKER: '1', WAYPOST_WEBHOOK_HOSTS: receiver.host, WAYPOST_WEBHOOK_LEASE_MS: '3000' });

async function endpoint(server: TestServer, key: string, events: string[] = ['*']) {
  const r = await api(server.url, key, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url, events });
  expect(r.status, r.text).toBe(201);
  receiver.secrets = [r.json.secret as string];
  return r.json as { id: string; secret: string };
}

// A server's deliveries, read from its database (its SQLite file or its PostgreSQL database): a
// killed server's rows as it left them. The client switches only when the server does.
let reading: string | undefined;
const deliveries = (server: TestServer) => {
  if (reading !== server.database) useDatabase((reading = server.database));
  const d = schema.webhookDeliveries;
  return db().select({ eventId: d.eventId, type: d.type, status: d.status, attempts: d.attempts }).from(d).orderBy(asc(d.createdAt));
};

describe('signed deliveries', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(env());
    servers.push(server);
    key = createPushStore(server, 'hooked', 'Hooked Goods');
  }, 90_000);

  it('sends each parcel step once, verified by standardwebhooks, with data to order events by', async () => {
    receiver.received.length = 0;
    const ep = await endpoint(server, key);
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    await createOrder(server, key, '9001', 'HOOK9001');
    await carrierEvent(server, 'hooked', 'HOOK9001', 'in_transit', 'arrived_at_facility', 60);
    await carrierEvent(server, 'hooked', 'HOOK9001', 'in_transit', 'arrived_at_facility', 60); // a duplicate: no new event
    await carrierEvent(server, 'hooked', 'HOOK9001', 'delivered', 'arrived_at_destination', 1);
    await waitUntil(() => receiver.received.length >= 2, 15_000);
    await new Promise((r) => setTimeout(r, 800));
    expect(receiver.received).toHaveLength(2);
    // Deliveries claimed in one round go out concurrently, so they may arrive in either order: the
    // receiver orders them by the data (lastScanAt, checked below), not by arrival.
    const bodies = receiver.received.map((x) => JSON.parse(x.body));
    expect(bodies.map((b) => b.type).sort()).toEqual(['shipment.delivered', 'shipment.shipped']);
    for (const x of receiver.received) {
      expect(x.verifiedBy).toEqual([0]);
      expect(x.id).toMatch(/^evt_/);
      expect(Number(x.timestamp)).toBeGreaterThan(Date.now() / 1000 - 60);
    }
    const shipped = bodies.find((b) => b.type === 'shipment.shipped');
    const delivered = bodies.find((b) => b.type === 'shipment.delivered');
    expect(Object.keys(delivered).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(delivered.data).toMatchObject({
      store: 'hooked',
      orderNumber: '9001',
      email: expect.stringContaining('@'),
      trackingUrl: expect.stringMatching(/^http:\/\/.+\/hooked\/t\//),
      shipment: { carrier: 'USPS', trackingCode: 'HOOK9001', status: 'delivered' },
    });
    expect(Date.parse(delivered.data.shipment.lastScanAt)).toBeGreaterThan(Date.parse(shipped.data.shipment.lastScanAt));
  }, 60_000);

  it('retries after a 500 with the same webhook-id', async () => {
    receiver.received.length = 0;
    receiver.answers = [500];
    await createOrder(server, key, '9002', 'HOOK9002');
    await carrierEvent(server, 'hooked', 'HOOK9002', 'in_transit', 'arrived_at_facility', 30);
    await waitUntil(() => receiver.received.length >= 2, 20_000); // the first retry comes 5 s later
    const [first, second] = receiver.received;
    expect(first!.answered).toBe(500);
    expect(second!.answered).toBe(200);
    expect(second!.id).toBe(first!.id);
    expect(second!.body).toBe(first!.body);
    expect(second!.verifiedBy).toEqual([0]);
    expect((await deliveries(server)).find((d) => d.eventId === first!.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    // Both attempts are in the endpoint's deliveries, newest first, each with the same webhook-id.
    const eps = await api(server.url, key, 'GET', '/api/v1/webhook-endpoints');
    const listed = await api(server.url, key, 'GET', `/api/v1/webhook-endpoints/${eps.json.endpoints[0].id}/deliveries`);
    const d = (
      listed.json.deliveries as { id: string; eventId: string; attemptHistory: { attempt: number; status: number; webhookId: string }[] }[]
    ).find((x) => x.eventId === first!.id)!;
    expect(d.attemptHistory.map((a) => [a.attempt, a.status, a.webhookId])).toEqual([
      [2, 200, first!.id],
      [1, 500, first!.id],
    ]);

    // The back office shows the same history on the delivery's page, newest first, to this store's staff only.
    cli(server.dataDir, ['users:create', '--store', 'hooked', '--email', 'sam@hooked.example', '--role', 'staff'], {
      WAYPOST_PASSWORD: PASSWORD,
    });
    const cookie = await signIn(server, 'sam@hooked.example');
    const page = await fetch(`${server.url}/admin/messages/${d.id}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const rows = [...(await page.text()).matchAll(/<tr data-attempt="(\d+)">\s*<td>\d+<\/td>\s*<td>[^<]*<\/td>\s*<td>([^<]*)<\/td>/g)];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['2', '200'],
      ['1', '500'],
    ]);
    createPushStore(server, 'elsewhere', 'Elsewhere');
    cli(server.dataDir, ['users:create', '--store', 'elsewhere', '--email', 'kim@elsewhere.example', '--role', 'owner'], {
      WAYPOST_PASSWORD: PASSWORD,
    });
    const other = await fetch(`${server.url}/admin/messages/${d.id}`, {
      headers: { cookie: await signIn(server, 'kim@elsewhere.example') },
    });
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain(first!.id);
  }, 60_000);

  it('lists endpoints without their secret and deletes with 204', async () => {
    const list = await api(server.url, key, 'GET', '/api/v1/webhook-endpoints');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('whsec_');
    const [ep] = list.json.endpoints as { id: string; url: string; events: string[] }[];
    expect(ep).toMatchObject({ url: receiver.url, events: ['*'], status: 'active' });
    const other = createPushStore(server, 'other-store', 'Other Store');
    expect((await api(server.url, other, 'DELETE', `/api/v1/webhook-endpoints/${ep!.id}`)).status).toBe(404); // not another store's
    expect((await api(server.url, key, 'DELETE', `/api/v1/webhook-endpoints/${ep!.id}`)).status).toBe(204);
    expect((await api(server.url, key, 'GET', `/api/v1/webhook-endpoints/${ep!.id}`)).status).toBe(404);
  }, 30_000);

  it.each([
    ['http://127.0.0.1:9/hook', '127.0.0.1'],
    ['http://10.0.0.7/hook', '10.0.0.7'],
    ['http://10.255.255.254:8443/hook', '10.255.255.254'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://[::1]:8080/hook', '::1'],
    ['http://0.0.0.0:8080/hook', '0.0.0.0'],
    ['http://192.168.1.20/hook', '192.168.1.20'],
    ['http://172.16.5.5/hook', '172.16.5.5'],
    ['http://[fe80::1]/hook', 'fe80::1'],
    ['http://[fd00::1]/hook', 'fd00::1'],
    ['http://localhost:9/hook', 'resolves to'],
  ])('refuses %s with a 422 naming the URL, and creates nothing', async (url, why) => {
    const r = await api(server.url, key, 'POST', '/api/v1/webhook-endpoints', { url, events: ['*'] });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.json.errors).toEqual([{ pointer: '/url', detail: expect.stringContaining(why) }]);
    const list = await api(server.url, key, 'GET', '/api/v1/webhook-endpoints');
    expect((list.json.endpoints as { url: string }[]).map((e) => e.url)).not.toContain(url);
  });

  it('refuses bad input with a 422 for each field', async () => {
    const r = await api(server.url, key, 'POST', '/api/v1/webhook-endpoints', {
      url: 'ftp://example.com/x',
      events: ['parcel.teleported'],
    });
    expect(r.status).toBe(422);
    expect((r.json.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/events']);
    const r2 = await api(server.url, key, 'POST', '/api/v1/webhook-endpoints', { url: 'ftp://example.com/x', events: ['*'] });
    expect(r2.status).toBe(422);
    expect(r2.json.errors).toEqual([{ pointer: '/url', detail: expect.stringContaining('http or https') }]);
  });
});

it('kill -9 in the middle of a delivery leads to a later delivery with the same id', async () => {
  receiver.received.length = 0;
  const first = await startTestServer(env());
  servers.push(first);
  const key = createPushStore(first, 'crashhook', 'Crash Hook');
  await endpoint(first, key);
  await createOrder(first, key, '9101', 'CRASHHOOK1');
  receiver.answers = ['hold']; // the receiver takes the request and never answers
  const held = receiver.held();
  await carrierEvent(first, 'crashhook', 'CRASHHOOK1', 'in_transit', 'arrived_at_facility', 30);
  await held;
  first.process.kill('SIGKILL');
  await new Promise((r) => first.process.once('exit', r));
  expect(await deliveries(first)).toMatchObject([{ status: 'sending', attempts: 1 }]);

  const second = await startTestServer({ ...env(), WAYPOST_DATA_DIR: first.dataDir });
  servers.push(second);
  await waitUntil(() => receiver.received.length >= 2, 20_000);
  const [a, b] = receiver.received;
  expect(b!.id).toBe(a!.id);
  expect(b!.body).toBe(a!.body);
  expect(b!.verifiedBy).toEqual([0]);
  await waitUntil(async () => (await deliveries(first))[0]?.status === 'succeeded', 10_000);
  expect(await deliveries(first)).toMatchObject([{ status: 'succeeded', attempts: 2 }]);
}, 120_000);
