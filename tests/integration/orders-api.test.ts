// The merchant API over real HTTP against the real server and a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  server = await startTestServer();
  keyA = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'alpha', '--name', 'Alpha Goods']).apiKey;
  keyB = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'beta', '--name', 'Beta Goods']).apiKey;
});
afterAll(() => server?.stop());

describe('authentication', () => {
  it('refuses a missing, malformed or unknown key with 401 problem+json', async () => {
    for (const key of [null, 'nope', 'wp_' + 'A'.repeat(43)]) {
      const r = await api(server.url, key, 'GET', '/api/v1/orders/1001');
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(r.json).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401 });
      expect(typeof r.json.detail).toBe('string');
    }
  });
});

describe('POST /api/v1/orders', () => {
  it('creates (201), repeats (same result, nothing new), updates (200)', async () => {
    const body = orderBody({ number: '#2001' });
    const first = await api(server.url, keyA, 'POST', '/api/v1/orders', body);
    expect(first.status).toBe(201);
    expect(first.json.number).toBe('2001');
    expect(first.json.trackingUrl).toMatch(/^http:\/\/localhost:\d+\/alpha\/t\/[\w-]{22}\.[\w-]{22}$/);
    expect(first.json.shipments[0]).toMatchObject({ trackingCode: '9400100000000000000001', status: 'unknown', milestone: 'shipped' });
    expect(first.json.unshippedItems).toEqual([{ sku: 'MUG', quantity: 2 }]);

    const again = await api(server.url, keyA, 'POST', '/api/v1/orders', body);
    expect(again.status).toBe(first.status);
    expect(again.json).toEqual(first.json);

    const changed = await api(server.url, keyA, 'POST', '/api/v1/orders', { ...body, customerName: 'Ann B. Lee' });
    expect(changed.status).toBe(200);
    expect(changed.json.customerName).toBe('Ann B. Lee');
    expect(changed.json.trackingUrl).toBe(first.json.trackingUrl);
  });

  it('lists every bad field with its JSON pointer and writes nothing', async () => {
    const bad = orderBody({
      number: '2002',
      email: 'not-an-email',
      currency: 'XYZ',
      items: [{ sku: 'A', title: 'A', quantity: 0, unitAmount: 1.5 }],
      shipments: [{ carrier: 'USPS', trackingCode: 'ZZ99', items: [{ sku: 'NOPE', quantity: 1 }] }],
    });
    const r = await api(server.url, keyA, 'POST', '/api/v1/orders', bad);
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const pointers = (r.json.errors as { pointer: string }[]).map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/currency', '/email', '/items/0/quantity', '/items/0/unitAmount'].sort());
    const after = await api(server.url, keyA, 'GET', '/api/v1/orders/2002');
    expect(after.status).toBe(404);
  });

  it('refuses shipments that do not match the items, with pointers, and writes nothing', async () => {
    const r = await api(
      server.url,
      keyA,
      'POST',
      '/api/v1/orders',
      orderBody({
        number: '2003',
        shipments: [
          {
            carrier: 'USPS',
            trackingCode: 'ZZ2003',
            items: [
              { sku: 'NOPE', quantity: 1 },
              { sku: 'MUG', quantity: 3 },
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.json.errors).toEqual([
      { pointer: '/shipments/0/items/0/sku', detail: expect.stringContaining('not an item') },
      { pointer: '/shipments/0/items/1/quantity', detail: expect.stringContaining('only 2 ordered') },
    ]);
    expect((await api(server.url, keyA, 'GET', '/api/v1/orders/2003')).status).toBe(404);
  });

  it('answers 415 for a non-JSON body and 400 for broken JSON', async () => {
    const form = await api(server.url, keyA, 'POST', '/api/v1/orders', 'number=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.headers.get('content-type')).toBe('application/problem+json');
    const broken = await api(server.url, keyA, 'POST', '/api/v1/orders', '{"number": ');
    expect(broken.status).toBe(400);
    expect(broken.json.title).toBe('Bad request');
  });
});

describe('shipments', () => {
  it('adds a parcel once per tracking code and shows it on the order', async () => {
    await api(server.url, keyA, 'POST', '/api/v1/orders', orderBody({ number: '2010', shipments: [] }));
    const parcel = { carrier: 'UPS', trackingCode: '1Z2010', items: [{ sku: 'MUG', quantity: 2 }] };
    const first = await api(server.url, keyA, 'POST', '/api/v1/orders/2010/shipments', parcel);
    expect(first.status).toBe(201);
    const again = await api(server.url, keyA, 'POST', '/api/v1/orders/2010/shipments', parcel);
    expect(again.status).toBe(200);
    expect(again.json.shipments).toHaveLength(1);
    expect(again.json.shipments[0].trackingUrl).toBe(`${again.json.trackingUrl}#parcel-1Z2010`);
    const over = await api(server.url, keyA, 'POST', '/api/v1/orders/2010/shipments', { ...parcel, trackingCode: '1Z2010B' });
    expect(over.status).toBe(422);
    expect(over.json.errors[0].pointer).toBe('/items/0/quantity');
  });

  it('answers 404 for an order that is not the store’s', async () => {
    const r = await api(server.url, keyB, 'POST', '/api/v1/orders/2010/shipments', {
      carrier: 'UPS',
      trackingCode: '1Z9999',
      items: [{ sku: 'MUG', quantity: 1 }],
    });
    expect(r.status).toBe(404);
  });
});

describe('tenant isolation', () => {
  it('a store never sees another store’s order, even with the same number', async () => {
    await api(server.url, keyA, 'POST', '/api/v1/orders', orderBody({ number: '3001', customerName: 'Alpha Customer', shipments: [] }));
    expect((await api(server.url, keyB, 'GET', '/api/v1/orders/3001')).status).toBe(404);
    const b = await api(
      server.url,
      keyB,
      'POST',
      '/api/v1/orders',
      orderBody({ number: '3001', customerName: 'Beta Customer', shipments: [] }),
    );
    expect(b.status).toBe(201);
    const a = await api(server.url, keyA, 'GET', '/api/v1/orders/3001');
    expect(a.json.customerName).toBe('Alpha Customer');
    // A's link does not open under B's slug.
    const path = new URL(a.json.trackingUrl).pathname;
    expect((await fetch(server.url + path)).status).toBe(200);
    expect((await fetch(server.url + path.replace('/alpha/', '/beta/'))).status).toBe(404);
  });
});
