// A parcel's whole journey through the real @easypost/api client, the emulator and signed
// webhooks, watched through the merchant API and the shopper's page of a real server.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';

const SECRET = 'journey-webhook-secret';
const KEY = 'EZTK_journey_key';
let emu: Emulator;
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  // Test codes move one status per minute of scenario time; at speed 60 that is one a second.
  emu = await startEmulator({ speed: 60, webhookRetryDelaysMs: [200, 500] });
  server = await startTestServer({ EASYPOST_BASE_URL: emu.baseUrl, WAYPOST_WORKER: '1' });
  apiKey = cli<{ apiKey: string }>(server.dataDir, [
    'stores:create',
    '--slug',
    'trail',
    '--name',
    'Trail Co',
    '--webhook-secret',
    SECRET,
    '--easypost-key',
    KEY,
  ]).apiKey;
  emu.registerWebhook(KEY, `${server.url}/api/webhooks/easypost/trail`, SECRET);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await emu?.close();
});

const order = (number: string, code: string) =>
  orderBody({ number, shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }] }] });

describe('a parcel kept current from EasyPost', () => {
  it('moves through every status, and the API and the page show each', async () => {
    const created = await api(server.url, apiKey, 'POST', '/api/v1/orders', order('5001', 'EZ4000000004'));
    expect(created.status).toBe(201);
    const page = created.json.trackingUrl.replace(/^http:\/\/localhost:\d+/, server.url);
    const seen = new Set<string>();
    const headlines = new Set<string>();
    await waitUntil(
      async () => {
        const o = await api(server.url, apiKey, 'GET', '/api/v1/orders/5001');
        const status = o.json.shipments[0].status as string;
        if (!seen.has(status)) {
          seen.add(status);
          const html = await (await fetch(page)).text();
          headlines.add(/<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '');
        }
        return status === 'delivered';
      },
      30_000,
      100,
    );
    // Every status was seen in order: label created → in transit → out for delivery → delivered.
    expect([...seen].filter((s) => s !== 'unknown')).toEqual(['pre_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    expect([...headlines]).toEqual(expect.arrayContaining(['Label created', 'In transit', 'Out for delivery', 'Delivered']));
    // One tracker was created, whatever the number of rounds.
    expect(emu.calls.filter((c) => c.method === 'POST' && c.path === '/v2/trackers')).toHaveLength(1);
    const html = await (await fetch(page)).text();
    expect(html).toContain('Signed for by John Tester');
  });

  it('tells the shopper about a carrier exception and opens a case, once', async () => {
    await api(server.url, apiKey, 'POST', '/api/v1/orders', order('5002', 'EZ5000000005'));
    const o = await waitUntil(
      async () => {
        const r = await api(server.url, apiKey, 'GET', '/api/v1/orders/5002');
        return r.json.shipments[0].status === 'return_to_sender' ? r.json : null;
      },
      30_000,
      100,
    );
    expect(o.shipments[0].exception).toBe('return_to_sender');
    const html = await (await fetch(o.trackingUrl.replace(/^http:\/\/localhost:\d+/, server.url))).text();
    expect(html).toContain('The parcel is on its way back to the store');
    expect(html).toContain('A member of the Trail Co team will contact you');
  });

  it('refuses a webhook with a bad or missing signature and changes nothing', async () => {
    await api(server.url, apiKey, 'POST', '/api/v1/orders', order('5003', 'EZ1000000001'));
    const before = await waitUntil(async () => {
      const r = await api(server.url, apiKey, 'GET', '/api/v1/orders/5003');
      return r.json.shipments[0].status === 'pre_transit' ? r.json : null;
    });
    const body = JSON.stringify({
      object: 'Event',
      description: 'tracker.updated',
      result: {
        id: 'trk_forged',
        object: 'Tracker',
        tracking_code: 'EZ1000000001',
        status: 'delivered',
        updated_at: new Date().toISOString(),
        tracking_details: [],
      },
    });
    const wrong = 'hmac-sha256-hex=' + createHmac('sha256', 'not-the-secret').update(body).digest('hex');
    for (const headers of [{ 'x-hmac-signature': wrong }, {}] as Record<string, string>[]) {
      const r = await fetch(`${server.url}/api/webhooks/easypost/trail`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
    const after = await api(server.url, apiKey, 'GET', '/api/v1/orders/5003');
    expect(after.json.shipments).toEqual(before.shipments);
  });
});
