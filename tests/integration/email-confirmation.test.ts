// The order confirmation end to end: POST /api/v1/orders → the message ledger → the email job → a
// real SMTP server in this process (smtp-server, parsed with mailparser). Off by default; once on,
// one email per new order, in the store's own wording, never for an order imported already shipped
// or placed days ago, never when the shop platform sends it.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { orderBody } from '../fixtures/factories.ts';
import { withLinkTargets } from '../support/email-links.ts';
import { api } from '../support/http.ts';
import { createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';

let smtp: SmtpSink;
let server: TestServer;
let key: string;

const ITEMS = [
  {
    sku: 'TENT-2P',
    title: 'Two-person tent',
    variant: 'Green',
    quantity: 1,
    unitAmount: 24900,
    imageUrl: 'https://cdn.example.com/tent.jpg',
  },
  { sku: 'MUG', title: 'Camp mug', quantity: 2, unitAmount: 1500 },
];

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  key = createPushStore(server, 'thanks', 'Thanks Outfitters');
  const r = await api(server.url, key, 'PATCH', '/api/v1/store', {
    branding: { supportEmail: 'help@thanks.test', supportPhone: '+1 503 555 0100' },
    notifications: { quietHours: { enabled: false } },
  });
  expect(r.status, r.text).toBe(200);
  useDatabase(server.database);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const to = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const settle = () => new Promise((r) => setTimeout(r, 1500));
const confirmations = (email: string) =>
  db()
    .select()
    .from(schema.messages)
    .where(and(eq(schema.messages.recipient, email), eq(schema.messages.kind, 'order_confirmed')));
const place = async (number: string, email: string, over: Record<string, unknown> = {}) => {
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({ number, email, customerName: 'Ann Lee', placedAt: new Date().toISOString(), items: ITEMS, shipments: [], ...over }),
  );
  expect([200, 201], r.text).toContain(r.status);
  return r.json as { trackingUrl: string };
};
const setConfirmation = async (notifications: Record<string, unknown>) =>
  expect((await api(server.url, key, 'PATCH', '/api/v1/store', { notifications })).status).toBe(200);

describe('order confirmation email', () => {
  it('is off by default: a new order queues nothing', async () => {
    await place('C-0', 'off@example.com');
    await settle();
    expect(await confirmations('off@example.com')).toEqual([]);
    expect(to('off@example.com')).toEqual([]);
  });

  it('once on, thanks the shopper by name with items, images, total, expected date and support, once per order', async () => {
    await setConfirmation({ kinds: { order_confirmed: { email: true } } });
    const o = await place('C-1', 'ann@example.com');
    await waitUntil(() => to('ann@example.com').length === 1);
    const { mail } = to('ann@example.com')[0]!;
    expect(mail.subject).toBe('Your order #C-1 is confirmed');
    // Links go through our redirect: read them as the targets recorded for this email.
    const html = await withLinkTargets(String(mail.html), { html: true });
    const text = await withLinkTargets(mail.text ?? '');
    for (const part of [html, text]) {
      expect(part).toContain('Hi Ann,');
      expect(part).toContain('Thank you for your order');
      expect(part).toContain('1 × Two-person tent');
      expect(part).toContain('2 × Camp mug');
      expect(part).toContain('$279.00');
      expect(part).toContain('help@thanks.test');
      expect(part).toContain('+1 503 555 0100');
      expect(part).toContain(o.trackingUrl);
    }
    expect(html).toContain('src="https://cdn.example.com/tent.jpg"');
    expect(html).toContain('alt="Two-person tent"');
    // The store's rule gives a specific day (the order page's estimate for unshipped items).
    expect(text).toMatch(/Expected delivery: (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), [A-Z][a-z]+ \d{1,2}/);

    // The same order sent again (unchanged, or updated) confirms nothing more.
    await place('C-1', 'ann@example.com');
    await place('C-1', 'ann@example.com', { customerName: 'Ann B. Lee' });
    await settle();
    expect(to('ann@example.com')).toHaveLength(1);
    const rows = await confirmations('ann@example.com');
    expect(rows.map((r) => [r.status, r.dedupeKey.startsWith('email:order_confirmed:')])).toEqual([['sent', true]]);
  });

  it('speaks in the store’s own wording when the merchant rewrote it', async () => {
    const r = await api(server.url, key, 'PATCH', '/api/v1/store', {
      copy: { en: { 'email.orderConfirmedBody': 'High fives from the whole crew! We pack it by hand and tell you when it leaves.' } },
    });
    expect(r.status, r.text).toBe(200);
    await place('C-2', 'voice@example.com');
    await waitUntil(() => to('voice@example.com').length === 1);
    expect(to('voice@example.com')[0]!.mail.text).toContain('High fives from the whole crew!');
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { copy: { en: { 'email.orderConfirmedBody': null } } })).status).toBe(200);
  });

  it('is never sent for an order imported already shipped, or placed days ago', async () => {
    await place('C-3', 'shipped@example.com', {
      shipments: [{ carrier: 'USPS', trackingCode: 'CONF0003', items: [{ sku: 'TENT-2P', quantity: 1 }] }],
    });
    await place('C-4', 'old@example.com', { placedAt: new Date(Date.now() - 5 * 86_400_000).toISOString() });
    await settle();
    expect(await confirmations('shipped@example.com')).toEqual([]);
    expect(await confirmations('old@example.com')).toEqual([]);
    expect(to('shipped@example.com')).toEqual([]);
    expect(to('old@example.com')).toEqual([]);
  });

  it('is not repeated when the shop platform sends it ("my platform already sends this")', async () => {
    await setConfirmation({ platformSends: ['order_confirmed'] });
    await place('C-5', 'platform@example.com');
    await settle();
    expect(await confirmations('platform@example.com')).toEqual([]);
    await setConfirmation({ platformSends: [] });
  });
});
