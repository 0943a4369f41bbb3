// The merchant side over real HTTP: the catalogue (PUT products), a store that reviews returns
// first (a case to review), exchanges for an available variant, GET /api/v1/returns with filters
// and cursors, PATCH to record what happened (audited, conflicts refused), the order's returns,
// the JSON-LD policy, and nothing across stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { closeDatabase, db, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

let server: TestServer;
let emu: Emulator;
let key: string;
let otherKey: string;
let orderPath: string;

beforeAll(async () => {
  emu = await startEmulator({ autoTick: false });
  server = await startTestServer({ EASYPOST_BASE_URL: emu.baseUrl });
  key = cli<{ apiKey: string }>(server.dataDir, [
    'stores:create',
    '--slug',
    'outfit',
    '--name',
    'Outfit',
    '--easypost-key',
    'EZAK_outfit_1',
  ]).apiKey;
  otherKey = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'other', '--name', 'Other']).apiKey;
  const patch = await api(server.url, key, 'PATCH', '/api/v1/store', {
    returnAddress: RETURN_ADDRESS,
    policies: { returns: { approval: 'review', resolutions: { exchange: true } } },
  });
  expect(patch.status).toBe(200);
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({
      number: 'X-1',
      items: [
        { sku: 'JACKET-M', productId: 'jacket', title: 'Rain jacket', variant: 'M', quantity: 1, unitAmount: 12000 },
        { sku: 'MUG', title: 'Camp mug', quantity: 2, unitAmount: 1500 },
      ],
      shipments: [
        {
          carrier: 'USPS',
          trackingCode: '9400122200000000000001',
          items: [
            { sku: 'JACKET-M', quantity: 1 },
            { sku: 'MUG', quantity: 2 },
          ],
        },
      ],
    }),
  );
  orderPath = new URL(r.json.trackingUrl).pathname;
  useDatabase(server.database);
  const yesterday = Date.now() - 86_400_000;
  await transaction((tx) =>
    tx.update(schema.shipments).set({ status: 'delivered', deliveredAt: yesterday, firstScanAt: yesterday, nextSyncAt: null }),
  );
});
afterAll(async () => {
  await closeDatabase();
  await server?.stop();
  await emu?.close();
});

describe('the catalogue', () => {
  it('PUT creates (201) then replaces (200) a product; a bad body is a 422 with pointers', async () => {
    const body = {
      title: 'Rain jacket',
      url: 'https://shop.example/jacket',
      variants: [
        { sku: 'JACKET-S', title: 'Small', available: true },
        { sku: 'JACKET-M', title: 'Medium', available: true },
        { sku: 'JACKET-L', title: 'Large', available: false },
      ],
    };
    expect((await api(server.url, key, 'PUT', '/api/v1/products/jacket', body)).status).toBe(201);
    expect((await api(server.url, key, 'PUT', '/api/v1/products/jacket', body)).status).toBe(200);
    const bad = await api(server.url, key, 'PUT', '/api/v1/products/jacket', {
      title: '',
      variants: [{ sku: 'A', title: 'A', available: 'yes' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/title', '/variants/0/available']));
    const moved = await api(server.url, key, 'PUT', '/api/v1/products/coat', {
      title: 'Coat',
      variants: [{ sku: 'JACKET-S', title: 'S', available: true }],
    });
    expect(moved.status).toBe(409);
  });

  it('a product carries what follows the sale: care guide, warranty, replenishment and related products', async () => {
    const put = await api(server.url, key, 'PUT', '/api/v1/products/kettle', {
      title: 'Kettle',
      variants: [{ sku: 'KETTLE-1', title: 'Steel', available: true }],
      careGuide: { title: 'Descale monthly', body: 'Boil half water, half vinegar; rinse twice.' },
      warrantyMonths: 24,
      replenishAfterDays: 60,
      related: ['jacket', 'kettle', 'jacket'],
    });
    expect(put.status).toBe(201);
    expect(put.json).toMatchObject({
      careGuide: { title: 'Descale monthly', body: 'Boil half water, half vinegar; rinse twice.', url: null },
      warrantyMonths: 24,
      replenishAfterDays: 60,
      related: ['jacket'],
    });
    const bad = await api(server.url, key, 'PUT', '/api/v1/products/kettle', {
      title: 'Kettle',
      variants: [{ sku: 'KETTLE-1', title: 'Steel', available: true }],
      careGuide: { title: 'Care', body: '', url: 'http://example.com/care' },
      warrantyMonths: 1.5,
      replenishAfterDays: 0,
      related: ['not an id'],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/careGuide/body', '/careGuide/url', '/warrantyMonths', '/replenishAfterDays', '/related/0']),
    );
    const [row] = await db().select().from(schema.products).where(eq(schema.products.productId, 'kettle'));
    expect(row).toMatchObject({ warrantyMonths: 24, replenishAfterDays: 60, related: ['jacket'] });
  });

  it('the store document has after-delivery timing with defaults, and refuses nonsense', async () => {
    const store = await api(server.url, otherKey, 'GET', '/api/v1/store');
    expect(store.json.policies.afterDelivery).toEqual({ checkinDays: 2, followUpDays: 10, followUpGapDays: 30, replenishLeadDays: 3 });
    const bad = await api(server.url, otherKey, 'PATCH', '/api/v1/store', { policies: { afterDelivery: { checkinDays: -1 } } });
    expect(bad.status).toBe(422);
    const ok = await api(server.url, otherKey, 'PATCH', '/api/v1/store', { policies: { afterDelivery: { checkinDays: 3 } } });
    expect(ok.status).toBe(200);
    expect(ok.json.policies.afterDelivery.checkinDays).toBe(3);
  });
});

describe('a store that reviews returns first', () => {
  let exchangeId: string;
  it('an exchange for an available variant waits for review, with a case for staff', async () => {
    const step = await (await fetch(`${server.url}${orderPath}/returns/new`)).text();
    expect(step).toContain('>Small<');
    expect(step).not.toContain('>Large<'); // not available
    const r = await postForm(server.url, `${orderPath}/returns`, {
      key: 'exchange-key-000000001',
      resolution: 'exchange',
      'qty[JACKET-M]': '1',
      'reason[JACKET-M]': 'too_large',
      'exchange[JACKET-M]': 'JACKET-S',
    });
    expect(r.status).toBe(303);
    const page = await (await fetch(server.url + r.headers.get('location'))).text();
    expect(page).toContain('The store is reviewing your return');
    expect(emu.calls.filter((c) => /\/buy$/.test(c.path))).toHaveLength(0);
    const cases = await api(server.url, key, 'GET', '/api/v1/cases?status=open');
    expect(cases.json.cases.map((c: { kind: string }) => c.kind)).toContain('return_review');
    // A helpdesk can ask for just these.
    const toApprove = await api(server.url, key, 'GET', '/api/v1/cases?kind=return_review');
    expect(toApprove.status).toBe(200);
    expect(toApprove.json.cases.map((c: { kind: string }) => c.kind)).toEqual(['return_review']);
    const list = await api(server.url, key, 'GET', '/api/v1/returns?status=requested');
    expect(list.status).toBe(200);
    expect(list.json.returns).toHaveLength(1);
    exchangeId = list.json.returns[0].id;
    expect(list.json.returns[0]).toMatchObject({
      resolution: 'exchange',
      items: [{ sku: 'JACKET-M', exchangeSku: 'JACKET-S', reason: 'too_large' }],
      label: { state: 'none' },
    });
  });

  it('an exchange for a variant that is not offered is refused (422) and nothing is created', async () => {
    const r = await postForm(server.url, `${orderPath}/returns`, {
      key: 'exchange-key-000000002',
      resolution: 'exchange',
      'qty[MUG]': '1',
      'reason[MUG]': 'too_small',
      'exchange[MUG]': 'JACKET-L',
    });
    expect(r.status).toBe(422);
    expect((await api(server.url, key, 'GET', '/api/v1/returns?status=all')).json.returns).toHaveLength(1);
  });

  it('PATCH rejects it with a note, audited, and the units are free again', async () => {
    const noNote = await api(server.url, key, 'PATCH', `/api/v1/returns/${exchangeId}`, { status: 'rejected' });
    expect(noNote.status).toBe(422);
    const r = await api(server.url, key, 'PATCH', `/api/v1/returns/${exchangeId}`, { status: 'rejected', note: 'Worn outdoors' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'rejected', rejectedReason: 'Worn outdoors' });
    const audit = await db().select().from(schema.auditLog);
    expect(audit.some((a) => a.action === 'return.rejected' && (a.detail as { policyVersion?: number }).policyVersion! >= 1)).toBe(true);
    const step = await (await fetch(`${server.url}${orderPath}/returns/new`)).text();
    expect(step).toContain('name="qty[JACKET-M]"');
  });
});

describe('recording what happened', () => {
  let id: string;
  it('auto-approved: label bought; received releases the refund; the same PATCH again changes nothing; a step back is a 409', async () => {
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { policies: { returns: { approval: 'auto' } } })).status).toBe(200);
    const r = await postForm(server.url, `${orderPath}/returns`, {
      key: 'auto-key-0000000000001',
      resolution: 'refund',
      'qty[MUG]': '2',
      'reason[MUG]': 'changed_mind',
    });
    expect(r.status).toBe(303);
    const list = await api(server.url, key, 'GET', '/api/v1/returns?status=label_ready');
    expect(list.json.returns).toHaveLength(1);
    id = list.json.returns[0].id;
    expect(list.json.returns[0].label).toMatchObject({ state: 'bought', carrier: 'USPS' });
    // A refund is settled as a refund: never as store credit or an exchange the shopper did not ask for.
    for (const status of ['exchanged', 'credited']) {
      const wrong = await api(server.url, key, 'PATCH', `/api/v1/returns/${id}`, { status });
      expect(wrong.status, status).toBe(409);
      expect(wrong.json.errors[0]).toMatchObject({ pointer: '/status', detail: 'one of refunded for this return' });
    }
    expect((await api(server.url, key, 'GET', '/api/v1/returns?status=label_ready')).json.returns[0].id).toBe(id);
    const received = await api(server.url, key, 'PATCH', `/api/v1/returns/${id}`, { status: 'received' });
    expect(received.json.status).toBe('refunded');
    expect(received.json.refundReleasedAt).not.toBeNull();
    expect((await api(server.url, key, 'PATCH', `/api/v1/returns/${id}`, { status: 'refunded', note: 'ref 991' })).status).toBe(200);
    expect((await api(server.url, key, 'PATCH', `/api/v1/returns/${id}`, { status: 'rejected', note: 'no' })).status).toBe(409);
    expect((await api(server.url, key, 'PATCH', `/api/v1/returns/${id}`, { status: 'lost' })).status).toBe(422);
  });

  it('lists newest first with cursors, and the order lists its returns', async () => {
    const first = await api(server.url, key, 'GET', '/api/v1/returns?status=all&limit=1');
    expect(first.json.returns[0].id).toBe(id);
    expect(first.json.nextCursor).toBeTruthy();
    const second = await api(server.url, key, 'GET', `/api/v1/returns?status=all&limit=1&cursor=${first.json.nextCursor}`);
    expect(second.json.returns[0].status).toBe('rejected');
    expect(second.json.nextCursor).toBeNull();
    expect((await api(server.url, key, 'GET', '/api/v1/returns?reason=changed_mind&status=all')).json.returns).toHaveLength(1);
    expect((await api(server.url, key, 'GET', '/api/v1/returns?product=jacket&status=all')).json.returns).toHaveLength(1);
    const order = await api(server.url, key, 'GET', '/api/v1/orders/X-1');
    expect(order.json.returns.map((x: { status: string }) => x.status)).toEqual(['refunded', 'rejected']);
  });

  it('nothing crosses stores', async () => {
    expect((await api(server.url, otherKey, 'GET', '/api/v1/returns?status=all')).json.returns).toHaveLength(0);
    expect((await api(server.url, otherKey, 'PATCH', `/api/v1/returns/${id}`, { status: 'received' })).status).toBe(404);
    expect((await fetch(`${server.url}/other/t/${orderPath.split('/t/')[1]}/returns/new`)).status).toBe(404);
  });
});

describe('the machine-readable policy', () => {
  it('is public JSON-LD from the same settings', async () => {
    const r = await fetch(`${server.url}/outfit/returns-policy.json`);
    expect(r.headers.get('content-type')).toContain('application/ld+json');
    expect(await r.json()).toMatchObject({ '@type': 'MerchantReturnPolicy', merchantReturnDays: 30, applicableCountry: 'US' });
  });
});
