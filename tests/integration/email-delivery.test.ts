// Email end to end: signed carrier webhooks → the message ledger → the email job → a real SMTP
// server in this process (smtp-server), each message parsed with mailparser.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../src/server/config.ts';
import { db, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { api } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';
import { withLinkTargets } from '../support/email-links.ts';

let smtp: SmtpSink;
let server: TestServer;
let key: string;

const ONE_ITEM = [{ sku: 'TENT-2P', title: 'Two-person tent', variant: 'Green', quantity: 1, unitAmount: 24900, category: 'camping' }];
const promised = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  key = createPushStore(server, 'mailco', 'Mail & Co');
  const r = await api(server.url, key, 'PATCH', '/api/v1/store', {
    branding: { supportEmail: 'help@mailco.test', primaryColor: '#ffee00' },
    notifications: { senderName: 'Mail & Co', quietHours: { enabled: false } },
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
const order = (number: string, code: string, email: string, over: Record<string, unknown> = {}) =>
  createOrder(server, key, number, code, {
    email,
    items: ONE_ITEM,
    shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }], promisedDeliveryDate: promised }],
    ...over,
  });
const messagesOf = (email: string) =>
  db()
    .select()
    .from(schema.messages)
    .where(and(eq(schema.messages.recipient, email), eq(schema.messages.channel, 'email')))
    .orderBy(asc(schema.messages.createdAt)); // oldest first (PostgreSQL keeps no order of its own)

describe('email from carrier events', () => {
  it('sends one dispatch email under duplicate webhooks, with carrier, tracking, link, estimate, support and returns policy', async () => {
    const o = await order('8001', 'MAIL8001', 'ann@example.com');
    await carrierEvent(server, 'mailco', 'MAIL8001', 'in_transit', 'arrived_at_facility', 60);
    await carrierEvent(server, 'mailco', 'MAIL8001', 'in_transit', 'arrived_at_facility', 60); // duplicate
    await waitUntil(() => to('ann@example.com').length === 1);
    await settle();
    expect(to('ann@example.com')).toHaveLength(1);
    const { mail } = to('ann@example.com')[0]!;
    expect(mail.subject).toBe('Your order #8001 has shipped');
    expect(mail.from?.value[0]).toMatchObject({ name: 'Mail & Co', address: 'updates@waypost.test' });
    expect(mail.replyTo?.value[0]?.address).toBe('help@mailco.test');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]+@localhost>$/);
    expect(mail.headers.has('list-unsubscribe')).toBe(false); // a service email
    const html = await withLinkTargets(String(mail.html), { html: true });
    const text = await withLinkTargets(mail.text ?? '');
    for (const part of [html, text]) {
      expect(part).toContain('MAIL8001');
      expect(part).toContain('USPS');
      expect(part).toContain(o.trackingUrl);
      expect(part).toContain(`${new URL(o.trackingUrl).origin}/mailco/returns`);
      expect(part).toContain('help@mailco.test');
      expect(part).toContain(`${o.trackingUrl}/preferences`);
    }
    const day = new Date(`${promised}T12:00:00Z`).toLocaleDateString('en-US', {
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    });
    expect(text).toContain(`Estimated delivery: ${day}`);
    expect(html).toContain('prefers-color-scheme: dark');
    // The yellow brand colour never carries white text: the contrast guard picked black.
    expect(html).not.toMatch(/color:#ffffff[^>]*>Mail &amp; Co/);
    const [row] = await messagesOf('ann@example.com');
    expect(row).toMatchObject({
      status: 'sent',
      kind: 'shipped',
      providerId: mail.messageId,
      subject: mail.subject,
      messageClass: 'service',
    });

    // Delivered, then a late out-for-delivery: one delivered email, nothing older after it.
    await carrierEvent(server, 'mailco', 'MAIL8001', 'delivered', 'arrived_at_destination', 5);
    await carrierEvent(server, 'mailco', 'MAIL8001', 'out_for_delivery', 'out_for_delivery', 30);
    await waitUntil(() => to('ann@example.com').length === 2);
    await settle();
    expect(to('ann@example.com').map((m) => m.mail.subject)).toEqual([
      'Your order #8001 has shipped',
      'Your order #8001 has been delivered',
    ]);
    const delivered = await withLinkTargets(String(to('ann@example.com')[1]!.mail.html), { html: true });
    expect(delivered).toContain(`${o.trackingUrl}/review`);
    expect(delivered).toContain(`${o.trackingUrl}/returns/new`);

    // The ledger through the API, every channel.
    const r = await api(server.url, key, 'GET', '/api/v1/messages?order=8001');
    expect(r.status).toBe(200);
    expect((r.json.messages as { kind: string; status: string; channel: string }[]).map((m) => [m.channel, m.kind, m.status])).toEqual([
      ['email', 'shipped', 'sent'],
      ['email', 'delivered', 'sent'],
    ]);
    expect((await api(server.url, key, 'GET', '/api/v1/messages?order=nope')).status).toBe(404);
    expect((await api(server.url, key, 'GET', '/api/v1/messages')).status).toBe(400);
  });

  it('writes in the order’s language', async () => {
    await order('8002', 'MAIL8002', 'bea@example.com', { locale: 'de-DE' });
    await carrierEvent(server, 'mailco', 'MAIL8002', 'in_transit', 'arrived_at_facility', 60);
    await waitUntil(() => to('bea@example.com').length === 1);
    const { mail } = to('bea@example.com')[0]!;
    expect(mail.subject).toBe('Ihre Bestellung #8002 wurde versandt');
    expect(mail.text).toContain('Sendungsnummer: MAIL8002');
    expect(String(mail.html)).toContain('lang="de"');
  });

  it('tells of a carrier exception and says a person will be in touch', async () => {
    await order('8003', 'MAIL8003', 'cy@example.com');
    await carrierEvent(server, 'mailco', 'MAIL8003', 'in_transit', 'arrived_at_facility', 60);
    await carrierEvent(server, 'mailco', 'MAIL8003', 'failure', 'address_not_found', 1);
    await waitUntil(() => to('cy@example.com').some((m) => m.mail.subject?.includes('delivery problem')));
    const problem = to('cy@example.com').find((m) => m.mail.subject?.includes('delivery problem'))!;
    expect(problem.mail.text).toContain('a member of our team will contact you');
  });

  it('suppresses an address refused with 550 for this store, and later messages are not attempted', async () => {
    smtp.refuse.set('gone@example.com', { code: 550 });
    await order('8004', 'MAIL8004', 'gone@example.com');
    await carrierEvent(server, 'mailco', 'MAIL8004', 'in_transit', 'arrived_at_facility', 60);
    await waitUntil(async () => (await messagesOf('gone@example.com'))[0]?.status === 'suppressed');
    const s = await db().select().from(schema.emailSuppressions).where(eq(schema.emailSuppressions.emailNorm, 'gone@example.com'));
    expect(s).toMatchObject([{ reason: 'bounce' }]);
    await carrierEvent(server, 'mailco', 'MAIL8004', 'delivered', 'arrived_at_destination', 1);
    await waitUntil(async () => (await messagesOf('gone@example.com')).length === 2);
    const rows = await messagesOf('gone@example.com');
    expect(rows.map((r) => [r.kind, r.status, r.attempts])).toEqual([
      ['shipped', 'suppressed', 1],
      ['delivered', 'suppressed', 0],
    ]);
    expect(to('gone@example.com')).toHaveLength(0);
  });

  it('retries after a 451 with the same Message-ID, and sends once', async () => {
    smtp.refuse.set('grey@example.com', { code: 451, once: true });
    await order('8005', 'MAIL8005', 'grey@example.com');
    await carrierEvent(server, 'mailco', 'MAIL8005', 'in_transit', 'arrived_at_facility', 60);
    // One read for both fields: two reads could see "queued" before the claim and attempt 1 while "sending".
    const first = await waitUntil(async () => {
      const [m] = await messagesOf('grey@example.com');
      return m?.status === 'queued' && m.attempts === 1 ? m : null;
    });
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first!.lastError).toContain('451');
    expect(first!.nextAttemptAt!).toBeGreaterThan(Date.now() + 10_000); // backed off
    // Time passes: the retry falls due.
    await transaction(async (tx) => {
      await tx.update(schema.messages).set({ nextAttemptAt: Date.now() }).where(eq(schema.messages.id, first!.id));
    });
    await waitUntil(() => to('grey@example.com').length === 1);
    // The ledger records the SMTP server's answer just after it came.
    const sent = await waitUntil(async () => {
      const [m] = await messagesOf('grey@example.com');
      return m?.status === 'sent' ? m : null;
    });
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, providerId: first!.providerId });
    expect(to('grey@example.com')[0]!.mail.messageId).toBe(first!.providerId);
  });

  it('one-click unsubscribe (RFC 8058) needs no cookie, Origin or token, and refuses a forged link', async () => {
    const { createUnsubscribeToken } = await import('../../src/server/messages/unsubscribe-token.ts');
    const store = (await db().select().from(schema.stores).where(eq(schema.stores.slug, 'mailco')))[0]!;
    // The token is signed with the server's secret (startTestServer's), which this process shares through WAYPOST_SECRET.
    process.env.WAYPOST_SECRET = 'test-server-secret-test-server-secret-01';
    resetConfig(); // the secret is read once per process
    const token = createUnsubscribeToken(store.id, 'fan@example.com');
    const forged = await fetch(`${server.url}/mailco/unsubscribe/${token.slice(0, -2)}xx`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
    });
    expect(forged.status).toBe(404);
    const r = await fetch(`${server.url}/mailco/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(r.status).toBe(200);
    const s = await db().select().from(schema.emailSuppressions).where(eq(schema.emailSuppressions.emailNorm, 'fan@example.com'));
    expect(s).toMatchObject([{ reason: 'unsubscribe' }]);
    // Service email still goes to an unsubscribed address: it is about their order.
    await order('8006', 'MAIL8006', 'fan@example.com');
    await carrierEvent(server, 'mailco', 'MAIL8006', 'in_transit', 'arrived_at_facility', 60);
    await waitUntil(() => to('fan@example.com').length === 1);
  });

  it('holds news in the quiet hours of the shopper’s time zone, and sends nothing stale', async () => {
    // Quiet all day except one minute that has just passed: whatever the time, the email is held.
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const start = hhmm(now);
    const end = hhmm(new Date(now.getTime() - 60_000));
    expect(
      (await api(server.url, key, 'PATCH', '/api/v1/store', { notifications: { quietHours: { enabled: true, start, end } } })).status,
    ).toBe(200);
    await order('8007', 'MAIL8007', 'night@example.com', { timeZone: 'UTC' });
    await carrierEvent(server, 'mailco', 'MAIL8007', 'in_transit', 'arrived_at_facility', 60);
    const held = await waitUntil(async () => (await messagesOf('night@example.com'))[0]);
    expect(held).toMatchObject({ status: 'scheduled', kind: 'shipped' });
    expect(held!.nextAttemptAt!).toBeGreaterThan(Date.now() + 22 * 3_600_000);
    // Delivered overnight supersedes the held "shipped": never "shipped" after "delivered".
    await carrierEvent(server, 'mailco', 'MAIL8007', 'delivered', 'arrived_at_destination', 1);
    await waitUntil(async () => (await messagesOf('night@example.com')).length === 2);
    expect((await messagesOf('night@example.com')).map((m) => `${m.kind}:${m.status}`)).toEqual([
      'shipped:superseded',
      'delivered:scheduled',
    ]);
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { notifications: { quietHours: { enabled: false } } })).status).toBe(200);

    // News four days old when it arrives (an order imported after the fact) sends nothing.
    await order('8008', 'MAIL8008', 'late@example.com');
    await carrierEvent(server, 'mailco', 'MAIL8008', 'delivered', 'arrived_at_destination', 4 * 24 * 60);
    const stale = await waitUntil(async () => (await messagesOf('late@example.com'))[0]);
    expect(stale).toMatchObject({ kind: 'delivered', status: 'expired' });
    await settle();
    expect(to('late@example.com')).toHaveLength(0);
  });
});
