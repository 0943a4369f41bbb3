// Message figures, clicks and return rates in analytics, through the real code paths on a manual
// clock against the real server: three parcels delivered, their "delivered" emails sent to a real
// SMTP server (one address refused with 550: suppressed), links of the emails followed through the
// server's redirect (twice, once, and a HEAD that counts nothing), one address unsubscribed, one
// return of a tent and a kettle; then GET /api/v1/analytics, its CSV and /admin/analytics give the
// hand-computed figures. The redirect only goes to links recorded for that message: an edited
// link id, another store's slug or an unknown message is the 404 page.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { upsertOrder } from '../../src/server/changes/order-written.ts';
import { manualClock } from '../../src/server/clock.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { eraseCustomer } from '../../src/server/customers/erase-customer.ts';
import { unsubscribe } from '../../src/server/messages/list-messages.ts';
import { pruneMessageLinks } from '../../src/server/messages/prune-message-links.ts';
import { startEmailSender } from '../../src/server/messages/run-email-sender.ts';
import { putProduct } from '../../src/server/products/put-product.ts';
import { createReturn } from '../../src/server/returns/create-return.ts';
import { getStoreBySlug } from '../../src/server/stores/get-store.ts';
import type { Store } from '../../src/server/stores/store.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { apply, event, snap, type ManualClock } from '../unit/notices/helpers.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

const PASSWORD = 'messages-figures-password-2026';
const DAY = 86_400_000;
const DELIVERED = '2026-11-20T15:00:00Z';
const period = 'from=2026-11-19&to=2026-11-25';
let smtp: SmtpSink;
let server: TestServer;
let key: string;
let cookie: string;
let store: Store;
let clock: ManualClock;
const orders = new Map<string, string>();

/** An order of these products (SKU = product id) with its units, delivered at DELIVERED. */
async function deliveredOrder(number: string, email: string, units: Record<string, number>) {
  const items = Object.entries(units);
  const body = orderBody({
    number,
    email,
    timeZone: 'UTC',
    placedAt: '2026-11-17T10:00:00Z',
    items: items.map(([p, quantity]) => ({ sku: p, productId: p, title: `Item ${p}`, quantity, unitAmount: 1000 })),
    shipments: [{ carrier: 'USPS', trackingCode: `MF${number}`, items: items.map(([p, quantity]) => ({ sku: p, quantity })) }],
  });
  const { orderId } = await upsertOrder({ storeId: store.id, clock, body });
  const [s] = await db().select().from(schema.shipments).where(eq(schema.shipments.orderId, orderId));
  await apply(store, clock, s!.id, snap('delivered', [event(DELIVERED, 'delivered', 'Delivered')]));
  orders.set(number, orderId);
}

/** The redirect links in the email sent to this address. */
function goLinksTo(address: string): string[] {
  const mail = smtp.received.find((m) => m.to.includes(address))!.mail;
  return [...new Set([...String(mail.html).matchAll(/href="([^"]*\/go\/[^"]+)"/g)].map((m) => m[1]!))];
}

/** The recorded link of the email to this address with this name. */
async function linkOf(address: string, name: string): Promise<{ path: string; url: string }> {
  const m = schema.messages;
  const l = schema.messageLinks;
  const [row] = await db()
    .select({ messageId: l.messageId, linkId: l.linkId, url: l.url })
    .from(l)
    .innerJoin(m, eq(m.id, l.messageId))
    .where(and(eq(m.recipient, address), eq(l.name, name)));
  return { path: `/msgs/go/${row!.messageId}/${row!.linkId}`, url: row!.url };
}

const follow = (path: string, method = 'GET') => fetch(`${server.url}${path}`, { method, redirect: 'manual' });
const analytics = (query = period) => api(server.url, key, 'GET', `/api/v1/analytics?${query}`);

beforeAll(async () => {
  smtp = await startSmtpSink();
  smtp.refuse.set('cy@example.com', { code: 550 });
  process.env.WAYPOST_SMTP_URL = smtp.url;
  process.env.WAYPOST_MAIL_FROM = 'updates@waypost.test';
  resetConfig();
  server = await startTestServer({ WAYPOST_WORKER: '0' });
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'msgs', '--name', 'Messages']).apiKey;
  cli(server.dataDir, ['stores:create', '--slug', 'other', '--name', 'Other']);
  cli(server.dataDir, ['users:create', '--store', 'msgs', '--email', 'sam@msgs.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  const patched = await api(server.url, key, 'PATCH', '/api/v1/store', {
    returnAddress: RETURN_ADDRESS,
    notifications: { quietHours: { enabled: false } },
  });
  expect(patched.status, patched.text).toBe(200);
  useDatabase(server.database);
  store = (await getStoreBySlug('msgs'))!;
  clock = manualClock('2026-11-18T10:00:00Z');
  for (const [id, title] of [
    ['TENT', 'Two-person tent'],
    ['KETTLE', 'Steel kettle'],
  ] as const)
    await putProduct({
      storeId: store.id,
      productId: id,
      now: clock.now(),
      body: { title, url: `https://shop.example/p/${id}`, variants: [{ sku: id, title: 'One size', available: true }] },
    });
  clock.set(Date.parse(DELIVERED) + 3_600_000);
  await deliveredOrder('M1', 'ann@example.com', { TENT: 2, KETTLE: 1 });
  await deliveredOrder('M2', 'bo@example.com', { KETTLE: 1 });
  await deliveredOrder('M3', 'cy@example.com', { TENT: 1 });
  const sender = startEmailSender({ now: clock.now, autoStart: false });
  await sender.runOnce();
  await sender.runOnce();
  await sender.stop();

  clock.set(Date.parse(DELIVERED) + 24 * 3_600_000);
  await unsubscribe(store.id, 'ann@example.com', clock.now());
  await createReturn({
    moved: returnMoved,
    storeId: store.id,
    orderId: orders.get('M1')!,
    fields: {
      key: 'r'.repeat(20) + 'TENTKETTLE',
      resolution: 'refund',
      'qty[TENT]': '1',
      'reason[TENT]': 'too_small',
      'qty[KETTLE]': '1',
      'reason[KETTLE]': 'damaged',
    },
    now: clock.now(),
  });

  const signIn = await postForm(server.url, '/admin/login', { email: 'sam@msgs.example', password: PASSWORD });
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

describe('links in emails go through our redirect', () => {
  it('every link of a sent email but the unsubscribe one is a redirect recorded for that message, and each answers 302 to its target', async () => {
    const links = goLinksTo('ann@example.com');
    expect(links.length).toBeGreaterThanOrEqual(4);
    const recorded = await db().select().from(schema.messageLinks).where(eq(schema.messageLinks.storeId, store.id));
    for (const href of links)
      expect(
        recorded.some((r) => href.endsWith(`/go/${r.messageId}/${r.linkId}`)),
        href,
      ).toBe(true);
    const names = new Set(recorded.map((r) => r.name));
    for (const name of ['order-page', 'tracking', 'return', 'review', 'preferences']) expect(names, name).toContain(name);
    // A HEAD (a link checker) answers the same redirect and counts nothing.
    const review = await linkOf('bo@example.com', 'review');
    const head = await follow(review.path, 'HEAD');
    expect(head.status).toBe(302);
    expect(head.headers.get('location')).toBe(review.url);
    expect(review.url).toMatch(/\/msgs\/t\/[^/]+\/review$/);
    expect(
      (await db().select().from(schema.messageLinks).where(eq(schema.messageLinks.storeId, store.id))).every((r) => r.clicks === 0),
    ).toBe(true);
  });

  it('counts a click once per message and link, and goes nowhere it was not sent', async () => {
    const order = await linkOf('ann@example.com', 'order-page');
    const tracking = await linkOf('ann@example.com', 'tracking');
    const review = await linkOf('bo@example.com', 'review');
    for (const [path, url] of [
      [order.path, order.url],
      [order.path, order.url],
      [tracking.path, tracking.url],
      [review.path, review.url],
    ]) {
      const r = await follow(path!);
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe(url);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    expect(tracking.url).not.toContain(server.url);
    const [row] = await db()
      .select()
      .from(schema.messageLinks)
      .where(eq(schema.messageLinks.linkId, order.path.split('/').at(-1)!));
    expect(row).toMatchObject({ clicks: 2, firstClickedAt: expect.any(Number) });
    // Edited, foreign or unknown: the 404 page, never a redirect.
    const [, , , messageId, linkId] = order.path.split('/');
    for (const path of [
      `/msgs/go/${messageId}/${linkId!.slice(0, -1)}${linkId!.endsWith('A') ? 'B' : 'A'}`,
      `/other/go/${messageId}/${linkId}`,
      `/msgs/go/00000000-0000-4000-8000-000000000000/${linkId}`,
      `/msgs/go/${messageId}/https%3A%2F%2Fevil.example`,
      `/nope/go/${messageId}/${linkId}`,
    ]) {
      const r = await follow(path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('location'), path).toBeNull();
    }
  });
});

describe('message figures and return rates', () => {
  it('gives sent, failed, suppressed, clicks and unsubscribed by channel and kind, with the previous period and formulas', async () => {
    const r = await analytics();
    expect(r.status).toBe(200);
    const zero = { sent: 0, failed: 0, suppressed: 0, clicks: 0, clickedMessages: 0, clickPercent: null };
    expect(r.json.messages.channels).toEqual([
      {
        channel: 'email',
        kind: 'delivered',
        sent: 2,
        failed: 0,
        suppressed: 1,
        clicks: 3,
        clickedMessages: 2,
        clickPercent: 100,
        previous: zero,
      },
    ]);
    expect(r.json.messages.totals).toEqual({
      sent: 2,
      failed: 0,
      suppressed: 1,
      clicks: 3,
      clickedMessages: 2,
      clickPercent: 100,
      unsubscribed: 1,
    });
    expect(r.json.messages.previous).toEqual({ ...zero, unsubscribed: 0 });
    expect(r.json.messages.formula.clicks).toMatch(/one per message and link/);
    expect(r.json.messages.formula.unsubscribed).toEqual(expect.any(String));
    // The days before: nothing. The period after: the same messages are not counted again.
    expect((await analytics('from=2026-11-26&to=2026-12-02')).json.messages.totals).toMatchObject({ sent: 0, clicks: 0, unsubscribed: 0 });
  });

  it('gives each returned product its return rate: returned units ÷ delivered units, with the formula', async () => {
    const r = await analytics();
    expect(r.json.returns.byProduct).toEqual([
      { productId: 'KETTLE', title: 'Item KETTLE', units: 1, topReason: 'damaged', deliveredUnits: 2, returnRatePercent: 50 },
      { productId: 'TENT', title: 'Item TENT', units: 1, topReason: 'too_small', deliveredUnits: 3, returnRatePercent: 33.3 },
    ]);
    expect(r.json.returns.formulaReturnRate).toMatch(/÷ units of the product delivered/);
    const csv = await analytics(`${period}&format=csv&table=return-products`);
    expect(csv.text.split('\r\n').slice(0, 3)).toEqual([
      'Product,Product id,Units returned,Units delivered,Return rate %,Most common reason',
      'Item KETTLE,KETTLE,1,2,50,damaged',
      'Item TENT,TENT,1,3,33.3,too_small',
    ]);
  });

  it('exports the messages table as CSV and shows the figures, an SVG chart and the tables on the page', async () => {
    const csv = await analytics(`${period}&format=csv&table=messages`);
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(
      'Channel,Kind,Sent,Failed,Suppressed,Clicks,Clicked messages,Clicked %,Previous sent,Previous clicks\r\nemail,delivered,2,0,1,3,2,100,0,0\r\n',
    );
    const page = await fetch(`${server.url}/admin/analytics?${period}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/data-figure="messagesSent">\s*2\s*</);
    expect(html).toMatch(/data-figure="messageClicks">\s*3 \(100%\)\s*</);
    expect(html).toMatch(/data-figure="unsubscribed">\s*1\s*</);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-messages-title chart-messages-desc"/);
    expect(html).toContain('email delivered: 2 sent, 3 clicks');
    expect(html).toContain('Item TENT: 33.3% (1 of 3 delivered units returned)');
    expect(html).toContain(`/admin/analytics?${period.replace('&', '&amp;')}&amp;format=csv&amp;table=messages`);
  });

  it('an erased shopper’s email links lead nowhere, and their clicks stay counted', async () => {
    const review = await linkOf('bo@example.com', 'review');
    expect((await follow(review.path, 'HEAD')).status).toBe(302);
    await eraseCustomer({ storeId: store.id, email: 'bo@example.com', actor: { userId: null, label: 'test' }, now: Date.now() });
    const r = await follow(review.path);
    expect(r.status).toBe(404);
    expect(r.headers.get('location')).toBeNull();
    expect((await analytics()).json.messages.totals).toMatchObject({ sent: 2, clicks: 3, clickedMessages: 2 });
  });

  it('prunes links past 400 days, keeping their clicks counted; a pruned link leads to the order look-up', async () => {
    const order = await linkOf('ann@example.com', 'order-page');
    const before = (await analytics()).json.messages;
    expect(before.totals).toMatchObject({ clicks: 3, clickedMessages: 2 });
    const links = () => db().select().from(schema.messageLinks).where(eq(schema.messageLinks.storeId, store.id));
    expect((await links()).length).toBeGreaterThan(0);
    // 399 days on, nothing goes; 401 days on, every link of these emails goes.
    expect(await pruneMessageLinks(Date.parse(DELIVERED) + 399 * DAY)).toBe(0);
    expect(await pruneMessageLinks(Date.parse(DELIVERED) + 401 * DAY)).toBeGreaterThan(0);
    expect(await links()).toEqual([]);
    // The figures of the period (and the one before it) are what they were.
    expect((await analytics()).json.messages).toEqual(before);
    // A shopper clicking an old email gets to the store's order look-up, counting nothing; a forged link is still the 404 page.
    const r = await follow(order.path);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/msgs');
    expect((await follow(order.path.replace('/msgs/', '/other/'))).status).toBe(404);
    expect((await follow(`/msgs/go/00000000-0000-4000-8000-000000000000/${order.path.split('/').at(-1)}`)).status).toBe(404);
    expect((await analytics()).json.messages).toEqual(before);
  });
});
