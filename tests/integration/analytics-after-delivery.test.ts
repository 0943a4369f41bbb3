// After-delivery figures in analytics, through the real code paths on a controllable clock against
// the real server's database: three parcels delivered, the check-in scan asks all three, one
// shopper answers all good and one reports a problem, one registers a warranty, and the lifecycle
// scan sends a follow-up and a replenishment reminder through a real SMTP server; then
// GET /api/v1/analytics and /admin/analytics give exactly those figures, each with its formula.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCheckin } from '../../src/server/checkins/answer-checkin.ts';
import { scanCheckins } from '../../src/server/checkins/scan-checkins.ts';
import { upsertOrder } from '../../src/server/changes/order-written.ts';
import { manualClock } from '../../src/server/clock.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { scanLifecycle } from '../../src/server/lifecycle/scan-lifecycle.ts';
import { startEmailSender } from '../../src/server/messages/run-email-sender.ts';
import { loadOrder } from '../../src/server/orders/load-order.ts';
import { putProduct } from '../../src/server/products/put-product.ts';
import { registerProduct } from '../../src/server/registrations/register-product.ts';
import { getStoreBySlug } from '../../src/server/stores/get-store.ts';
import type { Store } from '../../src/server/stores/store.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { apply, DAY, event, snap, type ManualClock } from '../unit/notices/helpers.ts';

const PASSWORD = 'after-delivery-password-2026';
const DELIVERED = '2026-11-20T15:00:00Z';
const period = 'from=2026-11-20&to=2026-12-05';
let smtp: SmtpSink;
let server: TestServer;
let key: string;
let cookie: string;
let store: Store;
let clock: ManualClock;

async function product(id: string, title: string, over: Record<string, unknown> = {}) {
  await putProduct({
    storeId: store.id,
    productId: id,
    now: clock.now(),
    body: { title, url: `https://shop.example/p/${id}`, variants: [{ sku: id, title: 'One size', available: true }], ...over },
  });
}

/** An order of these products (SKU = product id), delivered at DELIVERED; returns its view later. */
async function deliveredOrder(number: string, email: string, products: string[], where: { carrier?: string; country?: string } = {}) {
  const body = orderBody({
    number,
    email,
    timeZone: 'UTC',
    placedAt: '2026-11-17T10:00:00Z',
    marketingConsent: true,
    ...(where.country
      ? { shippingAddress: { name: 'Cy Roy', street1: '2 King St', city: 'Toronto', postalCode: 'M5H 1A1', country: where.country } }
      : {}),
    items: products.map((p) => ({ sku: p, productId: p, title: `Item ${p}`, quantity: 1, unitAmount: 1000 })),
    shipments: [{ carrier: where.carrier ?? 'USPS', trackingCode: `AD${number}`, items: products.map((p) => ({ sku: p, quantity: 1 })) }],
  });
  const { orderId } = await upsertOrder({ storeId: store.id, clock, body });
  const [s] = await db().select().from(schema.shipments).where(eq(schema.shipments.orderId, orderId));
  await apply(store, clock, s!.id, snap('delivered', [event(DELIVERED, 'delivered', 'Delivered')]));
  return { orderId, trackingCode: `AD${number}` };
}
const view = async (orderId: string) => (await loadOrder(store, { id: orderId }, clock.now()))!;

beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.WAYPOST_SMTP_URL = smtp.url;
  process.env.WAYPOST_MAIL_FROM = 'updates@waypost.test';
  resetConfig();
  // No worker in the server: the jobs run here, on the manual clock.
  server = await startTestServer({ WAYPOST_WORKER: '0' });
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'after', '--name', 'After']).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'after', '--email', 'sam@after.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  const patched = await api(server.url, key, 'PATCH', '/api/v1/store', {
    notifications: { quietHours: { enabled: false } },
  });
  expect(patched.status, patched.text).toBe(200);
  useDatabase(server.database);
  store = (await getStoreBySlug('after'))!;
  clock = manualClock('2026-11-18T10:00:00Z');
  await product('TENT', 'Two-person tent', { related: ['PEGS'] });
  await product('PEGS', 'Titanium pegs');
  await product('KETTLE', 'Steel kettle', { warrantyMonths: 24 });
  await product('COFFEE', 'Coffee beans', { replenishAfterDays: 14 });
  const good = await deliveredOrder('A1', 'ann@example.com', ['TENT', 'KETTLE']);
  // Apart by the filters: A2 goes by UPS, A3 to Canada (A1 and A2 to the US).
  const bad = await deliveredOrder('A2', 'bo@example.com', ['KETTLE'], { carrier: 'UPS' });
  await deliveredOrder('A3', 'cy@example.com', ['COFFEE'], { country: 'CA' });

  clock.set(Date.parse(DELIVERED) + 2 * DAY);
  expect(await scanCheckins(clock.now())).toEqual({ asked: 3, skipped: 0 });
  clock.set(clock.now() + 3_600_000);
  await answerCheckin({ order: await view(good.orderId), input: { shipment: good.trackingCode, answer: 'all_good' }, now: clock.now() });
  await answerCheckin({
    order: await view(bad.orderId),
    input: { shipment: bad.trackingCode, answer: 'problem', message: 'The lid is cracked' },
    now: clock.now(),
  });
  await registerProduct({ order: await view(good.orderId), input: { sku: 'KETTLE', serial: 'K-1', reminders: 'on' }, now: clock.now() });

  clock.set(Date.parse(DELIVERED) + 12 * DAY);
  expect(await scanLifecycle(clock.now())).toEqual({ followUps: 1, replenishments: 1 });
  const sender = startEmailSender({ now: clock.now, autoStart: false });
  await sender.runOnce();
  await sender.runOnce();
  await sender.stop();

  const signIn = await postForm(server.url, '/admin/login', { email: 'sam@after.example', password: PASSWORD });
  expect(signIn.status).toBe(303);
  cookie = /wp_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
}, 180_000);
afterAll(async () => {
  delete process.env.WAYPOST_SMTP_URL;
  delete process.env.WAYPOST_MAIL_FROM;
  resetConfig();
  await server?.stop();
  await smtp?.close();
});

describe('after-delivery figures', () => {
  it('the API gives check-ins, warranty registrations and follow-up/replenishment messages, each with its formula', async () => {
    const r = await api(server.url, key, 'GET', `/api/v1/analytics?${period}`);
    expect(r.status, r.text).toBe(200);
    const none = { asked: 0, allGood: 0, problem: 0, unanswered: 0, problemPercent: null };
    expect(r.json.checkIns).toMatchObject({ asked: 3, allGood: 1, problem: 1, unanswered: 1, problemPercent: 50, previous: none });
    expect(r.json.checkIns.formula.checkIns).toMatch(/asked − all good − problem/);
    expect(r.json.checkIns.formula.problemPercent).toMatch(/problem answers ÷ answered check-ins/);
    expect(r.json.warranty).toMatchObject({ registrations: 1, withReminders: 1, previous: { registrations: 0, withReminders: 0 } });
    expect(r.json.warranty.formula).toMatch(/warranty registrations made in \[from, to\]/);
    // Of the 3 parcels delivered, A1's had its kettle registered (A2's kettle was not): 1 of 3.
    expect(r.json.warranty).toMatchObject({ registeredParcels: 1, registeredParcelPercent: 33.3 });
    expect(r.json.warranty.previous).toMatchObject({ registeredParcels: 0, registeredParcelPercent: null });
    expect(r.json.warranty.formulaRegisteredParcelPercent).toMatch(
      /with at least one item registered for warranty by now ÷ parcels delivered/,
    );
    expect(r.json.afterDeliveryMessages).toMatchObject({ followUp: 1, replenishment: 1, previous: { followUp: 0, replenishment: 0 } });
    expect(r.json.afterDeliveryMessages.formula).toMatch(/status sent/);

    // Inclusive local days: the day the check-ins went is in, the day before is not.
    const askedDay = await api(server.url, key, 'GET', '/api/v1/analytics?from=2026-11-22&to=2026-11-22');
    expect(askedDay.json.checkIns).toMatchObject({ asked: 3, allGood: 1, problem: 1 });
    expect(askedDay.json.warranty.registrations).toBe(1);
    expect(askedDay.json.afterDeliveryMessages).toMatchObject({ followUp: 0, replenishment: 0 });
    const before = await api(server.url, key, 'GET', '/api/v1/analytics?from=2026-11-21&to=2026-11-21');
    expect(before.json.checkIns).toMatchObject(none);
    expect(before.json.warranty.registrations).toBe(0);

    const csv = await api(server.url, key, 'GET', `/api/v1/analytics?${period}&format=csv&table=check-ins`);
    expect(csv.text.split('\r\n').slice(0, 2)).toEqual([
      'Period,Asked,All good,Problem,Unanswered,Problem %',
      '2026-11-20 to 2026-12-05,3,1,1,1,50',
    ]);
    const after = await api(server.url, key, 'GET', `/api/v1/analytics?${period}&format=csv&table=after-delivery`);
    expect(after.text.split('\r\n').slice(0, 2)).toEqual([
      'Period,Warranty registrations,With reminders,Registered parcels,Registered parcels %,Follow-ups sent,Replenishment reminders sent',
      '2026-11-20 to 2026-12-05,1,1,1,33.3,1,1',
    ]);
  });

  it('the carrier, service and destination filters apply to them through the parcel, as to delivery', async () => {
    const figures = async (filter: string) => {
      const r = await api(server.url, key, 'GET', `/api/v1/analytics?${period}&${filter}`);
      expect(r.status, r.text).toBe(200);
      const j = r.json;
      return {
        parcels: j.delivery.overall.parcels,
        checkIns: [j.checkIns.asked, j.checkIns.allGood, j.checkIns.problem],
        warranty: [j.warranty.registrations, j.warranty.registeredParcels, j.warranty.registeredParcelPercent],
        messages: [j.afterDeliveryMessages.followUp, j.afterDeliveryMessages.replenishment],
      };
    };
    // USPS: A1 (all good, kettle registered, follow-up) and A3 (unanswered, replenishment).
    expect(await figures('carrier=USPS')).toEqual({ parcels: 2, checkIns: [2, 1, 0], warranty: [1, 1, 50], messages: [1, 1] });
    // UPS: A2 only (the problem answer; its kettle was never registered).
    expect(await figures('carrier=UPS')).toEqual({ parcels: 1, checkIns: [1, 0, 1], warranty: [0, 0, 0], messages: [0, 0] });
    expect(await figures('country=CA')).toEqual({ parcels: 1, checkIns: [1, 0, 0], warranty: [0, 0, 0], messages: [0, 1] });
    expect(await figures('country=us&carrier=USPS')).toEqual({ parcels: 1, checkIns: [1, 1, 0], warranty: [1, 1, 100], messages: [1, 0] });
    expect(await figures('service=Express')).toEqual({ parcels: 0, checkIns: [0, 0, 0], warranty: [0, 0, null], messages: [0, 0] });
  });

  it('the back office page shows them beside their formulas', async () => {
    const r = await fetch(`${server.url}/admin/analytics?${period}`, { headers: { cookie }, redirect: 'manual' });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toMatch(/data-figure="checkInsAsked">\s*3\s*</);
    expect(html).toMatch(/data-figure="checkInAnswers">\s*1 \/ 1 \/ 1\s*</);
    expect(html).toMatch(/data-figure="checkInProblemPercent">\s*50%\s*</);
    expect(html).toMatch(/data-figure="warrantyRegistrations">\s*1\s*</);
    expect(html).toMatch(/data-figure="warrantyRegisteredParcelPercent">\s*33.3%\s*</);
    expect(html).toContain('with at least one item registered for warranty by now');
    expect(html).toMatch(/data-figure="afterDeliveryMessages">\s*1 \/ 1\s*</);
    expect(html).toContain('100 × problem answers ÷ answered check-ins');
    expect(html).toContain('follow-up and replenishment messages sent in [from, to]');
    expect(html).toContain('table=after-delivery');
  });
});
