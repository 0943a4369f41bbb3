// Analytics over real HTTP against the real server: seeded deliveries (orders through the API,
// carrier news as signed EasyPost webhooks) give exactly the hand-computed figures in
// GET /api/v1/analytics and on /admin/analytics, CSV included; the rollup rebuilt from scratch by
// the command line answers the same; bad periods are a 422; stores never see each other's figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../src/emulator/index.ts';
import type { TrackerSnapshot } from '../../src/server/tracking/tracker-snapshot.ts';
import { EXPECTED, PARCELS, PERIOD, snapshotsOf } from '../fixtures/analytics-deliveries.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const SECRET = 'analytics-webhook-secret';
const PASSWORD = 'analytics-password-2026';
let server: TestServer;
let keyA: string;
let keyB: string;
let cookie: string;

/** The snapshot as EasyPost's tracker.updated webhook body. */
function easypostEventBody(s: TrackerSnapshot, trackingCode: string, carrier: string): string {
  const iso = (t: number) => new Date(t).toISOString();
  return JSON.stringify({
    object: 'Event',
    id: `evt_${trackingCode}_${s.updatedAt}`,
    description: 'tracker.updated',
    result: {
      id: s.trackerId,
      object: 'Tracker',
      tracking_code: trackingCode,
      carrier,
      status: s.status,
      status_detail: s.statusDetail,
      updated_at: iso(s.updatedAt),
      est_delivery_date: s.estDeliveryAt === null ? null : iso(s.estDeliveryAt),
      tracking_details: s.details.map((d) => ({
        object: 'TrackingDetail',
        message: d.message,
        status: d.status,
        status_detail: d.statusDetail,
        datetime: iso(d.occurredAt),
        tracking_location: { city: d.city, state: d.state, country: d.country, zip: d.postalCode },
      })),
    },
  });
}

const period = `from=${PERIOD.from}&to=${PERIOD.to}`;
const analytics = (key: string, query = period) => api(server.url, key, 'GET', `/api/v1/analytics?${query}`);
const page = (query = period) => fetch(`${server.url}/admin/analytics?${query}`, { headers: { cookie }, redirect: 'manual' });

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
  cli(server.dataDir, ['users:create', '--store', 'alpha', '--email', 'sam@alpha.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  for (const [i, p] of PARCELS.entries()) {
    const code = `AN${i}${p.number}`;
    const order = orderBody({
      number: p.number,
      timeZone: p.timeZone,
      shippingAddress: { name: 'Ann Lee', street1: '1 Main St', city: 'Town', state: 'NY', postalCode: '12207', country: p.country },
      shipments: [
        {
          carrier: p.carrier,
          service: p.service,
          trackingCode: code,
          items: [{ sku: 'MUG', quantity: 1 }],
          promisedDeliveryDate: p.promised,
        },
      ],
    });
    expect((await api(server.url, keyA, 'POST', '/api/v1/orders', order)).status).toBe(201);
    for (const s of snapshotsOf(p, `trk_${code}`)) {
      const body = easypostEventBody(s, code, p.carrier);
      const r = await fetch(`${server.url}/api/webhooks/easypost/alpha`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, SECRET) },
        body,
      });
      expect(r.status).toBe(200);
    }
  }
  const r = await postForm(server.url, '/admin/login', { email: 'sam@alpha.example', password: PASSWORD });
  expect(r.status).toBe(303);
  cookie = /wp_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
}, 180_000);
afterAll(() => server?.stop());

describe('GET /api/v1/analytics', () => {
  it('gives the hand-computed delivery figures with the formula beside each and the previous period', async () => {
    const r = await analytics(keyA);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ from: PERIOD.from, to: PERIOD.to, previous: { from: '2026-11-21', to: '2026-11-23' } });
    expect(r.json.delivery.overall).toMatchObject(EXPECTED.overall);
    expect(r.json.delivery.carriers).toMatchObject(EXPECTED.carriers);
    expect(r.json.delivery.countries).toMatchObject(EXPECTED.countries);
    expect(r.json.delivery.transitHistogram).toEqual(EXPECTED.transitHistogram);
    for (const figure of ['parcels', 'onTimePercent', 'transitDays', 'firstAttemptPercent'])
      expect(r.json.delivery.formula[figure]).toEqual(expect.any(String));
    expect(r.json.delivery.formula.transitDays).toMatch(/nearest rank/);
    // Notices count when they were opened: the webhooks arrived today, after the seeded period.
    expect(r.json.exceptions.notices).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const sinceThen = await analytics(keyA, `from=${PERIOD.from}&to=${today}`);
    expect(sinceThen.json.exceptions.notices).toEqual([
      { kind: 'exception', reason: 'failure/attempted_delivery', carrier: 'UPS', parcels: 1 },
    ]);
    expect(sinceThen.json.exceptions.cases[0]).toMatchObject({ kind: 'all', opened: 1, resolved: 0 });
    // The destination reaches notices through the parcel: the exception was C's, bound for Canada.
    expect((await analytics(keyA, `from=${PERIOD.from}&to=${today}&country=CA`)).json.exceptions.notices).toHaveLength(1);
    expect((await analytics(keyA, `from=${PERIOD.from}&to=${today}&country=US`)).json.exceptions.notices).toEqual([]);
    expect(sinceThen.json.delivery.overall.parcels).toBe(5);
    // No email went out (no SMTP server): no message was sent, failed or clicked.
    expect(r.json.messages.totals).toMatchObject({ sent: 0, failed: 0, suppressed: 0, clicks: 0, unsubscribed: 0 });
  });

  it('filters, and keeps stores apart', async () => {
    expect((await analytics(keyA, `${period}&carrier=UPS`)).json.delivery.overall).toMatchObject({ parcels: 2, onTimePercent: 50 });
    expect((await analytics(keyA, `${period}&country=CA`)).json.delivery.overall).toMatchObject({ parcels: 1, onTimePercent: 0 });
    const beta = await analytics(keyB);
    expect(beta.status).toBe(200);
    expect(beta.json.delivery.overall).toMatchObject({ parcels: 0, onTimePercent: null, transitDays: { p50: null, p90: null } });
    expect(beta.json.delivery.carriers).toEqual([]);
    expect(beta.json.exceptions.notices).toEqual([]);
  });

  it('answers a bad period with problem+json 422 naming the parameter, and needs a key', async () => {
    for (const [query, pointer] of [
      ['from=2026-11-30&to=2026-11-01', '/to'],
      ['from=2025-01-01&to=2026-06-01', '/to'],
      ['from=2026-02-30&to=2026-03-01', '/from'],
      ['from=nope', '/from'],
      [`${period}&format=csv&table=nope`, '/table'],
    ] as const) {
      const r = await analytics(keyA, query);
      expect(r.status, query).toBe(422);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(r.json.errors[0].pointer).toBe(pointer);
    }
    expect((await api(server.url, null, 'GET', `/api/v1/analytics?${period}`)).status).toBe(401);
  });

  it('exports a table as CSV', async () => {
    const r = await analytics(keyA, `${period}&format=csv&table=delivery-carriers`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = r.text.split('\r\n');
    expect(lines[0]).toMatch(/^Carrier,Parcels,On time %,Transit p50 \(days\),Transit p90 \(days\)/);
    expect(lines[1]).toMatch(/^USPS,3,66\.7,3,4,100,0,0,0,/);
    expect(lines[2]).toMatch(/^UPS,2,50,4,4,50,0,50,1,/);
  });

  it('answers the same after the rollup is rebuilt from scratch by the command line', async () => {
    const before = (await analytics(keyA)).json;
    const rebuilt = cli<{ rebuilt: { parcels: number } }>(server.dataDir, ['analytics:rebuild', '--store', 'alpha']);
    expect(rebuilt.rebuilt.parcels).toBe(6);
    expect((await analytics(keyA)).json).toEqual(before);
  });
});

describe('/admin/analytics', () => {
  it('shows the same figures, charts as accessible SVG with their tables, and CSV links', async () => {
    const r = await page();
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('data-figure="parcels">5<');
    expect(html).toContain('data-figure="onTimePercent">60%<');
    expect(html).toMatch(/data-figure="transitDays">\s*3 \/ 4 days\s*</);
    expect(html).toContain('data-figure="firstAttemptPercent">80%<');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-carriers-title chart-carriers-desc"/);
    expect(html).toContain('USPS: 66.7% of 3 parcels on time; UPS: 50% of 2 parcels on time');
    expect(html).toContain(`/admin/analytics?from=${PERIOD.from}&amp;to=${PERIOD.to}&amp;format=csv&amp;table=delivery-carriers`);
    expect(html).not.toMatch(/<script(?![^>]*type="application\/ld\+json")[^>]*src=/);
    const csv = await page(`${period}&format=csv&table=delivery-overall`);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="waypost-delivery-overall-${PERIOD.from}-${PERIOD.to}.csv"`);
    expect((await csv.text()).split('\r\n')[1]).toBe(`${PERIOD.from} to ${PERIOD.to},5,60,3,4,80,0,20,1`);
  });

  it('says what is wrong with a bad period (422) and needs a sign-in', async () => {
    const r = await page('from=2026-11-30&to=2026-11-01');
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('on or after from');
    const anon = await fetch(`${server.url}/admin/analytics?${period}`, { redirect: 'manual' });
    expect([302, 303]).toContain(anon.status);
  });
});
