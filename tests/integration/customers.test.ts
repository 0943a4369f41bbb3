// A shopper's data on request, over real HTTP against the real server: GET /api/v1/customers/{email}
// exports what the store holds (orders, parcels, messages, cases, reviews), and DELETE erases it —
// afterwards no table of the database holds the address, the name or the street, while the orders,
// the review's rating and the store's counts stay. Another store's orders from the same address,
// and other customers, are untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { PgTable } from 'drizzle-orm/pg-core';
import { signBody } from '../../src/emulator/index.ts';
import { db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { newId } from '../../src/server/ids.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const SECRET = 'customers-webhook-secret';
const PASSWORD = 'customers-password-2026';
const EMAIL = 'Ann.Lee@Example.com';
const NAME = 'Ann Lee';
const STREET = '1 Main St';
let server: TestServer;
let receiver: WebhookReceiver;
let keyA: string;
let keyB: string;
const links: Record<string, string> = {};

const pathOf = (url: string) => new URL(url).pathname;

async function placeOrder(key: string, number: string, code: string, over: Record<string, unknown> = {}) {
  const shipments = [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }] }];
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({ number, shipments, email: EMAIL, placedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(), ...over }),
  );
  expect(r.status).toBe(201);
  links[`${key}:${number}`] = r.json.trackingUrl;
  return r.json.trackingUrl as string;
}

async function delivered(slug: string, code: string) {
  const at = new Date(Date.now() - 3 * 86_400_000).toISOString(); // the check-in is due
  const detail = {
    object: 'TrackingDetail',
    message: 'Delivered',
    status: 'delivered',
    status_detail: 'arrived_at_destination',
    datetime: at,
    tracking_location: { city: 'Portland', state: 'OR', country: 'US', zip: '97201' },
  };
  const body = JSON.stringify({
    object: 'Event',
    id: `evt_${code}`,
    description: 'tracker.updated',
    result: {
      id: `trk_${code}`,
      object: 'Tracker',
      tracking_code: code,
      status: 'delivered',
      status_detail: 'arrived_at_destination',
      updated_at: at,
      signed_by: 'ANN LEE',
      tracking_details: [detail],
    },
  });
  const r = await fetch(`${server.url}/api/webhooks/easypost/${slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, SECRET) },
    body,
  });
  expect(r.status).toBe(200);
}

/** Every row of every table, as text (blobs read as UTF-8), with the table's name. */
async function everyRow(): Promise<{ table: string; text: string }[]> {
  const out: { table: string; text: string }[] = [];
  for (const t of Object.values(schema)) {
    if (!is(t, SQLiteTable) && !is(t, PgTable)) continue;
    const rows = await db()
      .select()
      .from(t as typeof schema.orders);
    for (const row of rows) {
      const text = JSON.stringify(row, (_k, v: unknown) =>
        v && typeof v === 'object' && 'type' in v && v.type === 'Buffer'
          ? Buffer.from((v as unknown as { data: number[] }).data).toString('utf8')
          : v,
      );
      out.push({ table: getTableName(t as typeof schema.orders), text });
    }
  }
  return out;
}

const naming = (rows: { table: string; text: string }[], term: string) =>
  rows.filter((r) => r.text.toLowerCase().includes(term.toLowerCase())).map((r) => r.table);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_WEBHOOK_HOSTS: receiver.host });
  useDatabase(server.database);
  keyA = cli<{ apiKey: string }>(server.dataDir, [
    'stores:create',
    '--slug',
    'alpha',
    '--name',
    'Alpha',
    '--webhook-secret',
    SECRET,
  ]).apiKey;
  keyB = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'beta', '--name', 'Beta']).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'alpha', '--email', 'owner@alpha.example', '--role', 'owner'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  cli(server.dataDir, ['users:create', '--store', 'alpha', '--email', 'staff@alpha.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  const endpoint = await api(server.url, keyA, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url, events: ['*'] });
  expect(endpoint.status).toBe(201);
  receiver.secrets.push(endpoint.json.secret);

  await placeOrder(keyA, '5001', 'CU5001');
  const product = { title: 'Two-person tent', variants: [{ sku: 'TENT-2P', title: 'Green', available: true }], warrantyMonths: 24 };
  expect((await api(server.url, keyA, 'PUT', '/api/v1/products/TENT-2P', product)).status).toBe(201);
  await delivered('alpha', 'CU5001');
  const registered = await postForm(server.url, `${pathOf(links[`${keyA}:5001`]!)}/registrations`, {
    sku: 'TENT-2P',
    serial: 'SN-4411',
    reminders: '1',
  });
  expect(registered.status).toBe(303);
  const checkin = await postForm(server.url, `${pathOf(links[`${keyA}:5001`]!)}/checkin`, {
    shipment: 'CU5001',
    answer: 'problem',
    message: 'Ann Lee: the pole was bent',
  });
  expect(checkin.status).toBe(303);
  const second = await placeOrder(keyA, '5002', 'CU5002', { marketingConsent: true });
  const report = await postForm(server.url, `${pathOf(second)}/problem`, {
    shipment: 'CU5002',
    kind: 'damaged',
    message: `Box crushed. Ann Lee, call me at ${EMAIL}`,
  });
  expect(report.status).toBe(303);
  await placeOrder(keyA, '5003', 'CU5003', {
    email: 'bo@example.com',
    customerName: 'Bo Park',
    shippingAddress: { name: 'Bo Park', street1: '9 Elm Rd', city: 'Austin', state: 'TX', postalCode: '73301', country: 'US' },
  });
  await placeOrder(keyB, '5001', 'CUB5001');

  // A published review of the first order, as the review form leaves it.
  const order = await firstRow(db().select().from(schema.orders).where(eqNumber('5001')));
  const store = await firstRow(db().select().from(schema.stores).where(eqSlug('alpha')));
  await transaction((tx) =>
    tx.insert(schema.reviews).values({
      id: newId(),
      storeId: store!.id,
      orderId: order!.id,
      productId: 'TENT-2P',
      skus: ['TENT-2P'],
      productTitle: 'Two-person tent',
      rating: 4,
      title: 'Sturdy',
      body: 'Ann Lee here: it kept us dry.',
      displayName: 'Ann L.',
      status: 'published',
      editableUntil: Date.now(),
      policyVersion: 1,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    }),
  );
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

const eqNumber = (n: string) => eq(schema.orders.number, n);
const eqSlug = (s: string) => eq(schema.stores.slug, s);

describe('GET /api/v1/customers/{email}', () => {
  it('exports what the store holds about the shopper, whatever the case of the address', async () => {
    const r = await api(server.url, keyA, 'GET', `/api/v1/customers/${encodeURIComponent('ann.lee@example.COM')}`);
    expect(r.status).toBe(200);
    expect(r.json.customer).toMatchObject({ email: EMAIL, orders: 2, segments: ['repeat'], country: 'US', categories: ['camping'] });
    expect(r.json.customer.spend).toEqual([{ currency: 'USD', amount: 2 * (24900 + 2 * 1500) }]);
    const numbers = r.json.orders.map((o: { number: string }) => o.number);
    expect(numbers).toEqual(['5001', '5002']);
    const [first, second] = r.json.orders;
    expect(first).toMatchObject({ customerName: NAME, shippingAddress: { street1: STREET } });
    expect(first.shipments[0]).toMatchObject({ trackingCode: 'CU5001', status: 'delivered' });
    expect(first.reviews[0]).toMatchObject({ rating: 4, displayName: 'Ann L.' });
    expect(first.registrations).toEqual([expect.objectContaining({ sku: 'TENT-2P', serial: 'SN-4411', reminders: true })]);
    expect(first.checkins).toEqual([expect.objectContaining({ answer: 'problem', message: 'Ann Lee: the pole was bent' })]);
    expect(second.cases[0]).toMatchObject({ kind: 'damaged', status: 'open' });
    expect(second.marketingConsent).toBe(true);
  });

  it('puts the customer in the store’s own segments: VIP by spend or by orders', async () => {
    const path = `/api/v1/customers/${encodeURIComponent(EMAIL)}`;
    const patch = (customers: unknown) => api(server.url, keyA, 'PATCH', '/api/v1/store', { customers });
    expect((await api(server.url, keyA, 'GET', '/api/v1/store')).json.customers).toEqual({ vipOrders: null, vipSpend: null });
    expect((await patch({ vipOrders: 2 })).status).toBe(200);
    expect((await api(server.url, keyA, 'GET', path)).json.customer.segments).toEqual(['repeat', 'vip']);
    expect((await patch({ vipOrders: null, vipSpend: { amount: 60000, currency: 'USD' } })).status).toBe(200);
    expect((await api(server.url, keyA, 'GET', path)).json.customer.segments).toEqual(['repeat']);
    expect((await patch({ vipSpend: { amount: 55800, currency: 'USD' } })).status).toBe(200);
    expect((await api(server.url, keyA, 'GET', path)).json.customer.segments).toEqual(['repeat', 'vip']);
    const bad = await patch({ vipSpend: { amount: 100, currency: 'usd' }, vipOrders: 1 });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/customers/vipOrders',
      '/customers/vipSpend/currency',
    ]);
    expect((await api(server.url, keyA, 'GET', '/api/v1/store')).json.customers).toEqual({
      vipOrders: null,
      vipSpend: { amount: 55800, currency: 'USD' },
    });
  });

  it('is the store’s own: another store sees only its own orders, an unknown address is a 404, a bad one a 400', async () => {
    const b = await api(server.url, keyB, 'GET', `/api/v1/customers/${encodeURIComponent(EMAIL)}`);
    expect(b.json.orders.map((o: { number: string }) => o.number)).toEqual(['5001']);
    expect(b.json.orders[0].cases).toEqual([]);
    expect((await api(server.url, keyA, 'GET', '/api/v1/customers/nobody%40example.com')).status).toBe(404);
    const bad = await api(server.url, keyA, 'GET', '/api/v1/customers/not-an-email');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${server.url}/api/v1/customers/${encodeURIComponent(EMAIL)}`)).status).toBe(401);
  });
});

async function signIn(email: string): Promise<string> {
  const r = await postForm(server.url, '/admin/login', { email, password: PASSWORD });
  expect(r.status).toBe(303);
  return /wp_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
}
const page = (cookie: string, path: string, init: RequestInit = {}) =>
  fetch(server.url + path, { ...init, redirect: 'manual', headers: { cookie, origin: server.url, ...(init.headers ?? {}) } });
const confirmErase = (cookie: string, email: string, confirm: string) =>
  page(cookie, `/admin/customers/${encodeURIComponent(email)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ confirm }).toString(),
  });

describe('/admin/customers', () => {
  it('lists the store’s customers, finds one by name, and shows what they bought', async () => {
    const cookie = await signIn('staff@alpha.example');
    const list = await (await page(cookie, '/admin/customers')).text();
    expect(list).toContain(EMAIL);
    expect(list).toContain('bo@example.com');
    const found = await (await page(cookie, '/admin/customers?q=park')).text();
    expect(found).toContain('bo@example.com');
    expect(found).not.toContain(EMAIL);
    const one = await page(cookie, `/admin/customers/${encodeURIComponent(EMAIL)}`);
    expect(one.status).toBe(200);
    const html = await one.text();
    expect(html).toContain('5001');
    expect(html).toContain('5002');
    expect(html).toContain('Repeat');
    expect(html).toContain('$558.00');
    // Staff see the data but cannot erase; an unknown address is a 404.
    expect(html).not.toContain('Erase this customer');
    expect((await page(cookie, '/admin/customers/nobody%40example.com')).status).toBe(404);
    const data = await page(cookie, `/admin/customers/data.json?email=${encodeURIComponent(EMAIL)}`);
    expect(data.headers.get('content-disposition')).toContain('attachment');
    expect((await data.json()).orders).toHaveLength(2);
  });

  it('lets an owner erase a customer once the address is typed again', async () => {
    const cookie = await signIn('owner@alpha.example');
    expect(await (await page(cookie, '/admin/customers/bo%40example.com')).text()).toContain('Erase this customer');
    const wrong = await confirmErase(cookie, 'bo@example.com', 'someone@example.com');
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Type the customer’s email address exactly');
    expect(naming(await everyRow(), 'Bo Park').length).toBeGreaterThan(0);
    const right = await confirmErase(cookie, 'bo@example.com', 'BO@example.com');
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/admin/customers?done=erased');
    expect(naming(await everyRow(), 'Bo Park')).toEqual([]);
    expect(naming(await everyRow(), 'bo@example.com')).toEqual([]);
    const audit = await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, 'customer.erased'));
    expect(audit.map((a) => a.actor)).toEqual(['owner@alpha.example']);
  });
});

describe('DELETE /api/v1/customers/{email}', () => {
  it('erases the shopper everywhere in the store and keeps the counts', async () => {
    const before = await everyRow();
    expect(naming(before, EMAIL).length).toBeGreaterThan(3); // orders, messages, events, deliveries, …
    const link = links[`${keyA}:5001`]!;
    expect((await fetch(link)).status).toBe(200);

    const r = await api(server.url, keyA, 'DELETE', `/api/v1/customers/${encodeURIComponent(EMAIL)}`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ erased: true, orders: 2 });

    const storeA = (await firstRow(db().select().from(schema.stores).where(eqSlug('alpha'))))!;
    const storeB = (await firstRow(db().select().from(schema.stores).where(eqSlug('beta'))))!;
    const after = await everyRow();
    // Beta's own order from the same address is Beta's business, not Alpha's erasure.
    const outsideBeta = after.filter((row) => !row.text.includes(storeB.id));
    expect(naming(outsideBeta, EMAIL)).toEqual([]);
    expect(naming(outsideBeta, NAME)).toEqual([]);
    expect(naming(outsideBeta, STREET)).toEqual([]);
    expect(
      naming(
        after.filter((row) => row.text.includes(storeB.id)),
        EMAIL,
      ),
    ).toContain('orders');

    // The orders, their parcels and the rating stay, without a person behind them.
    const orders = await db().select().from(schema.orders).where(eq(schema.orders.storeId, storeA.id));
    expect(orders).toHaveLength(3);
    const review = (await firstRow(db().select().from(schema.reviews).where(eq(schema.reviews.storeId, storeA.id))))!;
    expect(review).toMatchObject({ rating: 4, status: 'published', displayName: 'Verified buyer', body: '[erased] here: it kept us dry.' });
    const registration = (await firstRow(db().select().from(schema.registrations).where(eq(schema.registrations.storeId, storeA.id))))!;
    expect(registration).toMatchObject({ sku: 'TENT-2P', serial: null, reminders: false, remindAt: null });
    const shipment = (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.trackingCode, 'CU5001'))))!;
    expect(shipment).toMatchObject({ status: 'delivered', signedBy: null });
    // The old links are revoked; the erasure is in the audit log, with no address in it.
    expect((await fetch(link)).status).toBe(404);
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.storeId, storeA.id), eq(schema.auditLog.action, 'customer.erased')));
    expect(audit.map((a) => [a.actor, a.detail])).toEqual([
      ['owner@alpha.example', { orders: 1 }],
      [expect.stringMatching(/^API key /), { orders: 2 }],
    ]);

    expect((await api(server.url, keyA, 'GET', `/api/v1/customers/${encodeURIComponent(EMAIL)}`)).status).toBe(404);
    expect((await api(server.url, keyA, 'DELETE', `/api/v1/customers/${encodeURIComponent(EMAIL)}`)).status).toBe(404);
    expect((await api(server.url, keyB, 'GET', `/api/v1/customers/${encodeURIComponent(EMAIL)}`)).status).toBe(200);
  });
});
