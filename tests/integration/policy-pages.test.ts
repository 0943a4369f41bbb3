// The two shopper pages every email links to, over real HTTP: the return policy page (its words
// follow the store's real policy; its look-up opens the order's return flow) and an order's email
// preferences (stopping marketing email suppresses the next one in the ledger; resuming lets it
// through to a real SMTP server). The links in a real dispatch email answer 200.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { queueEmail } from '../../src/server/messages/queue-email.ts';
import { api, postForm } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';
import { withLinkTargets } from '../support/email-links.ts';

const RETURN_ADDRESS = {
  name: 'Returns Dept',
  street1: '500 Warehouse Way',
  city: 'Reno',
  state: 'NV',
  postalCode: '89501',
  country: 'US',
};
const ITEMS = [{ sku: 'TENT-2P', title: 'Two-person tent', quantity: 1, unitAmount: 24900, category: 'camping' }];

let smtp: SmtpSink;
let server: TestServer;
let key: string;
let order: { path: string; trackingUrl: string };

const get = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(server.url + path, { redirect: 'manual', ...init });
  return { status: r.status, headers: r.headers, html: await r.text() };
};
/** The page's text without tags, entities for quotes and spaces decoded: what a person reads. */
const text = (html: string) =>
  html
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  key = createPushStore(server, 'polco', 'Pol & Co');
  const r = await api(server.url, key, 'PATCH', '/api/v1/store', {
    branding: { supportEmail: 'help@polco.test' },
    notifications: { quietHours: { enabled: false } },
  });
  expect(r.status, r.text).toBe(200);
  order = await createOrder(server, key, 'P-100', 'POL100', {
    email: 'Pia@Example.com',
    marketingConsent: true,
    items: ITEMS,
    shipments: [{ carrier: 'USPS', trackingCode: 'POL100', items: [{ sku: 'TENT-2P', quantity: 1 }] }],
  });
  useDatabase(server.database);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

describe('GET /{slug}/returns: the return policy in plain words', () => {
  it('with no return address, says returns go through support, with the support contact', async () => {
    const { status, html } = await get('/polco/returns');
    expect(status).toBe(200);
    expect(text(html)).toContain("Returns are handled by the store's support team");
    expect(html).toContain('mailto:help@polco.test');
    expect(html).not.toContain('name="next"');
  });

  it('states the real window, exclusions, fees and refund timing, and follows a change of policy', async () => {
    let r = await api(server.url, key, 'PATCH', '/api/v1/store', {
      returnAddress: RETURN_ADDRESS,
      policies: {
        returns: {
          windowDays: 21,
          windowStartsFrom: 'delivery',
          finalSaleCategories: ['swimwear', 'gift cards'],
          finalSaleSkus: ['SOCK-1'],
          shippingFee: 595,
          restockingFeePercent: 10,
          refundReleasedOn: 'inspected',
        },
      },
    });
    expect(r.status, r.text).toBe(200);
    let page = text((await get('/polco/returns')).html);
    expect(page).toContain('You have 21 days from delivery to start a return.');
    expect(page).toContain('Items in these categories: swimwear and gift cards.');
    expect(page).toContain('These products: SOCK-1.');
    expect(page).toContain('The return label costs $5.95, taken from your refund.');
    expect(page).toContain('A restocking fee of 10% of the item');
    expect(page).toContain('No fee is charged when the reason is: Not as described, Arrived damaged, and Wrong item sent.');
    expect(page).toContain('once the store has received and checked the items.');
    expect(page).not.toContain('support team: contact them');

    r = await api(server.url, key, 'PATCH', '/api/v1/store', {
      policies: {
        returns: {
          windowDays: 45,
          windowStartsFrom: 'order',
          finalSaleCategories: [],
          finalSaleSkus: [],
          shippingFee: 0,
          restockingFeePercent: 0,
          refundReleasedOn: 'first_scan',
        },
      },
    });
    expect(r.status, r.text).toBe(200);
    page = text((await get('/polco/returns')).html);
    expect(page).toContain('You have 45 days from your order date to start a return.');
    expect(page).toContain('The return label is free.');
    expect(page).toContain('Any item can come back, unless it was sold as final sale.');
    expect(page).toContain('when the carrier first scans your parcel.');
    expect(page).not.toContain('21 days');
    expect(page).not.toContain('swimwear');
  });

  it('speaks the shopper’s language: German with Sie', async () => {
    const { html } = await get('/polco/returns?lang=de');
    expect(html).toMatch(/<html lang="de"/);
    expect(text(html)).toContain('Sie haben ab dem Bestelldatum 45 Tage Zeit, eine Rücksendung zu starten.');
  });

  it('its look-up lands on the order’s return flow; a wrong contact gets the look-up’s one message', async () => {
    const { html } = await get('/polco/returns');
    expect(html).toMatch(/<form[^>]+action="\/polco\/lookup"/);
    expect(html).toContain('name="next" value="return"');
    const ok = await postForm(server.url, '/polco/lookup', { order: '#P-100', contact: 'pia@example.com', next: 'return' });
    expect(ok.status).toBe(303);
    const to = ok.headers.get('location')!;
    expect(to).toMatch(/^\/polco\/t\/[^/]+\/returns\/new$/);
    expect((await get(to)).status).toBe(200);
    // Without the field the look-up opens the order page, as before.
    const plain = await postForm(server.url, '/polco/lookup', { order: 'P-100', contact: '89501-no' });
    expect(plain.status).toBe(422);
    const order = await postForm(server.url, '/polco/lookup', { order: 'P-100', contact: 'pia@example.com' });
    expect(order.headers.get('location')).toBe(to.replace(/\/returns\/new$/, ''));

    const wrong = await postForm(server.url, '/polco/lookup', { order: 'P-100', contact: 'someone@else.com', next: 'return' });
    const missing = await postForm(server.url, '/polco/lookup', { order: 'P-999', contact: 'pia@example.com', next: 'return' });
    expect([wrong.status, missing.status]).toEqual([422, 422]);
    const [a, b] = [text(await wrong.text()), text(await missing.text())];
    const message = 'We could not find an order with those details.';
    expect(a).toContain(message);
    expect(b).toContain(message);
    // The retry still starts a return.
    expect(a).toContain('Start my return');
  });

  it('is linked from the look-up page and the order page', async () => {
    expect((await get('/polco')).html).toContain('href="/polco/returns"');
    expect((await get(order.path)).html).toContain('href="/polco/returns"');
  });
});

describe('GET/POST {order page}/preferences: email preferences', () => {
  const marketing = async (n: number) => {
    const [store] = await db().select().from(schema.stores).where(eq(schema.stores.slug, 'polco'));
    const [o] = await db()
      .select()
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, store!.id), eq(schema.orders.number, 'P-100')));
    await transaction((tx) =>
      queueEmail(tx, { storeId: store!.id, orderId: o!.id, kind: 'review_invitation', key: `policy-test:${n}`, now: Date.now() }),
    );
    const rows = await db()
      .select()
      .from(schema.messages)
      .where(and(eq(schema.messages.dedupeKey, `email:policy-test:${n}`), eq(schema.messages.channel, 'email')));
    return rows[0]!;
  };

  it('shows service messages always and marketing on; stopping suppresses the next marketing email, resuming lets it through', async () => {
    const prefs = `${order.path}/preferences`;
    let page = await get(prefs);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toContain('no-store');
    expect(text(page.html)).toContain('These are about your order, so they always come.');
    expect(text(page.html)).toContain('On: you may get review invitations');
    expect(page.html).toContain('name="marketing" value="off"');

    const off = await postForm(server.url, prefs, { marketing: 'off' });
    expect(off.status).toBe(303);
    expect(off.headers.get('location')).toBe(`${prefs}?done=off`);
    page = await get(`${prefs}?done=off`);
    expect(text(page.html)).toContain('You will get no more marketing email from this store.');
    expect(page.html).toContain('name="marketing" value="on"');
    const suppressions = await db()
      .select()
      .from(schema.emailSuppressions)
      .where(eq(schema.emailSuppressions.emailNorm, 'pia@example.com'));
    expect(suppressions).toMatchObject([{ reason: 'unsubscribe' }]);
    expect((await marketing(1)).status).toBe('suppressed');

    const on = await postForm(server.url, prefs, { marketing: 'on' });
    expect(on.status).toBe(303);
    expect(await db().select().from(schema.emailSuppressions).where(eq(schema.emailSuppressions.emailNorm, 'pia@example.com'))).toEqual([]);
    const next = await marketing(2);
    expect(next.status).not.toBe('suppressed');
    // The email job sends it: a real SMTP server receives the review invitation.
    await waitUntil(() =>
      smtp.received.some((m) => m.to.some((t) => t.toLowerCase() === 'pia@example.com') && m.mail.subject === 'How is your order #P-100?'),
    );
    // The ledger records the SMTP server's answer just after it came.
    await waitUntil(async () => (await db().select().from(schema.messages).where(eq(schema.messages.id, next.id)))[0]?.status === 'sent');

    // Both changes are in the store's audit log.
    const audit = await db().select().from(schema.auditLog).where(eq(schema.auditLog.actor, 'Shopper (email preferences)'));
    expect(audit.map((a) => a.action).sort()).toEqual(['email.marketing_resumed', 'email.marketing_stopped']);
  });

  it('refuses a cross-site post and a value it does not know, changing nothing', async () => {
    const prefs = `${order.path}/preferences`;
    const cross = await postForm(server.url, prefs, { marketing: 'off' }, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    const odd = await postForm(server.url, prefs, { marketing: 'maybe' });
    expect(odd.status).toBe(422);
    expect(text(await odd.text())).toContain('That did not work.');
    expect(await db().select().from(schema.emailSuppressions).where(eq(schema.emailSuppressions.emailNorm, 'pia@example.com'))).toEqual([]);
  });

  it('a tampered order link is the not-found page, and another store’s slug does not open the order', async () => {
    expect((await get(`/polco/t/${'a'.repeat(22)}.${'b'.repeat(22)}/preferences`)).status).toBe(404);
    createPushStore(server, 'otherco', 'Other Co');
    const token = order.path.split('/t/')[1];
    expect((await get(`/otherco/t/${token}/preferences`)).status).toBe(404);
  });
});

describe('the links in a real dispatch email', () => {
  it('the return policy and preferences links answer 200', async () => {
    await carrierEvent(server, 'polco', 'POL100', 'in_transit', 'arrived_at_facility', 30);
    const mail = await waitUntil(() =>
      smtp.received.find((m) => m.to.some((t) => t.toLowerCase() === 'pia@example.com') && /shipped/.test(m.mail.subject ?? '')),
    );
    const html = await withLinkTargets(String(mail!.mail.html), { html: true });
    const links = [...html.matchAll(/href="([^"]+)"/g)]
      .map((m) => m[1]!.replace(/&amp;/g, '&'))
      .filter((u) => u.startsWith('http') && new URL(u).port === new URL(server.url).port);
    const policy = links.find((u) => new URL(u).pathname === '/polco/returns');
    const prefs = links.find((u) => new URL(u).pathname.endsWith('/preferences'));
    expect(policy, links.join('\n')).toBeDefined();
    expect(prefs, links.join('\n')).toBeDefined();
    for (const u of [policy!, prefs!]) expect((await fetch(u, { redirect: 'manual' })).status, u).toBe(200);
  });
});
