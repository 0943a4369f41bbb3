// GET /api/v1/cases over real HTTP against the real server: the store's cases from shoppers'
// reports and a signed carrier exception, filters, cursor pages, isolation, bad values; and the
// case page's form door (a signed-in person resolves a case; another store's person gets 404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../src/emulator/index.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const SECRET = 'cases-api-webhook-secret';
const PASSWORD = 'cases-api-password-2026';
let server: TestServer;
let keyA: string;
let keyB: string;
const links: Record<string, string> = {};

const pathOf = (url: string) => new URL(url).pathname;

async function placeOrder(key: string, number: string, code: string) {
  const shipments = [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }] }];
  const r = await api(server.url, key, 'POST', '/api/v1/orders', orderBody({ number, shipments }));
  expect(r.status).toBe(201);
  links[`${key}:${number}`] = r.json.trackingUrl;
  return r.json.trackingUrl as string;
}

async function reportProblem(trackingUrl: string, shipment: string, kind: string, message: string) {
  await new Promise((r) => setTimeout(r, 5)); // each case its own millisecond, so "newest first" is certain
  const r = await postForm(server.url, `${pathOf(trackingUrl)}/problem`, { shipment, kind, message });
  expect(r.status).toBe(303);
}

async function carrierException(slug: string, code: string) {
  const at = new Date(Date.now() - 60_000).toISOString();
  const detail = {
    object: 'TrackingDetail',
    message: 'Delivery exception: incorrect address',
    status: 'failure',
    status_detail: 'address_not_found',
    datetime: at,
    tracking_location: { city: 'Tacoma', state: 'WA', country: 'US', zip: null },
  };
  const body = JSON.stringify({
    object: 'Event',
    id: `evt_${code}`,
    description: 'tracker.updated',
    result: {
      id: `trk_${code}`,
      object: 'Tracker',
      tracking_code: code,
      status: 'failure',
      status_detail: 'address_not_found',
      updated_at: at,
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

async function signIn(email: string): Promise<string> {
  const r = await postForm(server.url, '/admin/login', { email, password: PASSWORD });
  expect(r.status).toBe(303);
  return /wp_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
}

const cases = (key: string, query = '') => api(server.url, key, 'GET', `/api/v1/cases${query}`);

beforeAll(async () => {
  server = await startTestServer();
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
  for (const [store, email] of [
    ['alpha', 'ana@alpha.example'],
    ['beta', 'ben@beta.example'],
  ]) {
    cli(server.dataDir, ['users:create', '--store', store!, '--email', email!, '--role', 'staff'], { WAYPOST_PASSWORD: PASSWORD });
  }
  // Alpha: an exception first, then three reports (newest last); Beta: one report of its own.
  await placeOrder(keyA, '4001', 'AL4001');
  await carrierException('alpha', 'AL4001');
  await reportProblem(await placeOrder(keyA, '4002', 'AL4002'), 'AL4002', 'damaged', 'Crushed box');
  await reportProblem(await placeOrder(keyA, '4003', 'AL4003'), 'AL4003', 'missing_item', 'No mugs');
  await reportProblem(links[`${keyA}:4003`]!, 'AL4003', 'wrong_item', 'Blue, not green');
  await reportProblem(await placeOrder(keyB, '4001', 'BE4001'), 'BE4001', 'not_received', 'Beta’s own case');
}, 120_000);
afterAll(() => server?.stop());

describe('GET /api/v1/cases', () => {
  it('lists the store’s cases newest first with what a helpdesk needs, never another store’s', async () => {
    const r = await cases(keyA);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.json.nextCursor).toBeNull();
    expect(r.json.cases.map((c: { orderNumber: string; kind: string }) => [c.orderNumber, c.kind])).toEqual([
      ['4003', 'wrong_item'],
      ['4003', 'missing_item'],
      ['4002', 'damaged'],
      ['4001', 'delivery_failed'],
    ]);
    expect(r.json.cases[2]).toEqual({
      id: expect.any(String),
      kind: 'damaged',
      source: 'problem_report',
      status: 'open',
      message: 'Crushed box',
      orderNumber: '4002',
      customerName: 'Ann Lee',
      carrier: 'USPS',
      trackingCode: 'AL4002',
      assigneeEmail: null,
      trackingUrl: links[`${keyA}:4002`],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.+Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.+Z$/),
      resolvedAt: null,
    });
    expect(r.json.cases[3]).toMatchObject({
      source: 'exception',
      trackingCode: 'AL4001',
      message: expect.stringContaining('address_not_found'),
    });
    expect(r.text).not.toContain('BE4001');
    const b = await cases(keyB);
    expect(b.json.cases.map((c: { trackingCode: string }) => c.trackingCode)).toEqual(['BE4001']);
  });

  it('pages with an opaque cursor until nextCursor is null', async () => {
    const first = await cases(keyA, '?limit=3');
    expect(first.json.cases).toHaveLength(3);
    expect(typeof first.json.nextCursor).toBe('string');
    const second = await cases(keyA, `?limit=3&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.cases.map((c: { kind: string }) => c.kind)).toEqual(['delivery_failed']);
    expect(second.json.nextCursor).toBeNull();
    const all = await cases(keyA);
    expect([...first.json.cases, ...second.json.cases]).toEqual(all.json.cases);
  });

  it('filters by status once a person has worked a case on its page; another store’s person gets 404', async () => {
    const target = (await cases(keyA, '?status=open')).json.cases.find((c: { kind: string }) => c.kind === 'damaged');
    // Beta's person cannot see or change Alpha's case.
    const ben = await signIn('ben@beta.example');
    const peek = await fetch(`${server.url}/admin/cases/${target.id}`, { headers: { cookie: ben }, redirect: 'manual' });
    expect(peek.status).toBe(404);
    const poke = await postForm(server.url, `/admin/cases/${target.id}`, { action: 'status', status: 'resolved' }, { cookie: ben });
    expect(poke.status).toBe(404);
    expect((await cases(keyA, '?status=resolved')).json.cases).toEqual([]);
    // Alpha's person resolves it: 303 back to the case page with a flash.
    const ana = await signIn('ana@alpha.example');
    const done = await postForm(server.url, `/admin/cases/${target.id}`, { action: 'status', status: 'resolved' }, { cookie: ana });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/admin/cases/${target.id}?done=resolved`);
    await postForm(server.url, `/admin/cases/${target.id}`, { action: 'assign', assignee: '' }, { cookie: ana });
    const resolved = await cases(keyA, '?status=resolved');
    expect(resolved.json.cases.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[target.id, 'resolved']]);
    expect(resolved.json.cases[0].resolvedAt).toEqual(expect.any(String));
    const open = await cases(keyA, '?status=open');
    expect(open.json.cases.map((c: { kind: string }) => c.kind)).toEqual(['wrong_item', 'missing_item', 'delivery_failed']);
    expect((await cases(keyA, '?status=in_progress')).json.cases).toEqual([]);
    expect((await cases(keyA, '?kind=wrong_item')).json.cases).toHaveLength(1);
  });

  it('answers bad query values with 422 problem+json naming each one', async () => {
    const r = await cases(keyA, '?status=bogus');
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.json).toMatchObject({ type: 'about:blank', title: 'Unprocessable content', status: 422 });
    expect(r.json.errors).toEqual([{ pointer: '/status', detail: expect.any(String) }]);
    const many = await cases(keyA, '?cursor=forged&limit=1000&assignee=mine');
    expect(many.status).toBe(422);
    expect(many.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/cursor', '/limit']);
    const mine = await cases(keyA, '?assignee=mine');
    expect(mine.status).toBe(422);
    expect(mine.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/assignee']);
  });

  it('needs the store’s key', async () => {
    expect((await cases('wp_' + 'A'.repeat(43))).status).toBe(401);
    expect((await api(server.url, null, 'GET', '/api/v1/cases')).status).toBe(401);
  });
});
