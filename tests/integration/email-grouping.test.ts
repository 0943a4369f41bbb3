// Split orders: parcels of one order whose first scans are within the same hour make ONE dispatch
// email listing both; parcels scanned two hours apart make two, the second not repeating the first.
// Signed carrier webhooks (scan times in the past) → the ledger → the email job → a real SMTP server.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { api } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';

let smtp: SmtpSink;
let server: TestServer;
let key: string;

const ITEMS = [
  { sku: 'TENT-2P', title: 'Two-person tent', quantity: 1, unitAmount: 24900 },
  { sku: 'MUG', title: 'Camp mug', quantity: 1, unitAmount: 1500 },
];

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  key = createPushStore(server, 'split', 'Split & Co');
  const r = await api(server.url, key, 'PATCH', '/api/v1/store', { notifications: { quietHours: { enabled: false } } });
  expect(r.status, r.text).toBe(200);
  useDatabase(server.database);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const to = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const settle = () => new Promise((r) => setTimeout(r, 2000));
/** An order of two items in two parcels, both labels created (nothing scanned yet). */
const twoParcels = (number: string, a: string, b: string, email: string) =>
  createOrder(server, key, number, a, {
    email,
    items: ITEMS,
    shipments: [
      { carrier: 'USPS', trackingCode: a, items: [{ sku: 'TENT-2P', quantity: 1 }] },
      { carrier: 'UPS', trackingCode: b, items: [{ sku: 'MUG', quantity: 1 }] },
    ],
  });
const shippedRows = (email: string) =>
  db()
    .select()
    .from(schema.messages)
    .where(and(eq(schema.messages.recipient, email), eq(schema.messages.kind, 'shipped'), eq(schema.messages.channel, 'email')))
    .orderBy(schema.messages.createdAt);

describe('split-order dispatch email', () => {
  it('two parcels scanned 20 minutes apart make one email listing both', async () => {
    await twoParcels('S-1', 'SPLITA01', 'SPLITB01', 'one@example.com');
    // First parcel scanned 50 minutes ago: held until an hour after its scan, since the other is still to ship.
    await carrierEvent(server, 'split', 'SPLITA01', 'in_transit', 'arrived_at_facility', 50);
    const held = (await waitUntil(async () => (await shippedRows('one@example.com'))[0]))!;
    expect(held.status).toBe('scheduled');
    expect(held.nextAttemptAt! - Date.now()).toBeGreaterThan(5 * 60_000);
    expect(held.nextAttemptAt! - Date.now()).toBeLessThan(11 * 60_000);
    await settle();
    expect(to('one@example.com')).toHaveLength(0);
    // The second parcel, scanned 20 minutes after the first: it joins, and with nothing left to ship the email goes now.
    await carrierEvent(server, 'split', 'SPLITB01', 'in_transit', 'arrived_at_facility', 30);
    await waitUntil(() => to('one@example.com').length === 1);
    await settle();
    expect(to('one@example.com')).toHaveLength(1);
    const { mail } = to('one@example.com')[0]!;
    for (const part of [String(mail.html), mail.text ?? '']) {
      expect(part).toContain('SPLITA01');
      expect(part).toContain('SPLITB01');
      expect(part).toContain('Parcel 1 of 2');
      expect(part).toContain('Parcel 2 of 2');
    }
    // The ledger keeps one line per parcel: the second parcel's says the first's email told of it.
    const rows = await shippedRows('one@example.com');
    const sent = rows.find((r) => r.status === 'sent')!;
    expect(rows.map((r) => [r.status, r.coveredBy])).toEqual([
      ['sent', null],
      ['covered', sent.id],
    ]);
    expect(sent.providerId).toBe(mail.messageId);
    // The API reads the covered parcel as the email that told it: same Message-ID, same status.
    const r = await api(server.url, key, 'GET', '/api/v1/messages?order=S-1');
    expect(r.status, r.text).toBe(200);
    const shipped = (r.json.messages as Record<string, unknown>[]).filter((x) => x.channel === 'email' && x.kind === 'shipped');
    expect(shipped.map((x) => [x.parcel, x.status, x.providerId, x.coveredBy])).toEqual([
      ['SPLITA01', 'sent', mail.messageId, null],
      ['SPLITB01', 'sent', mail.messageId, sent.id],
    ]);
    expect(shipped[1]!.subject).toBe(shipped[0]!.subject);
  });

  it('two parcels scanned two hours apart make two emails, the second about the new parcel only', async () => {
    await twoParcels('S-2', 'SPLITA02', 'SPLITB02', 'two@example.com');
    // Scanned 150 minutes ago: its hour is over, so it goes at once.
    await carrierEvent(server, 'split', 'SPLITA02', 'in_transit', 'arrived_at_facility', 150);
    await waitUntil(() => to('two@example.com').length === 1);
    const first = to('two@example.com')[0]!.mail.text ?? '';
    expect(first).toContain('SPLITA02');
    expect(first).not.toContain('SPLITB02');
    await carrierEvent(server, 'split', 'SPLITB02', 'in_transit', 'arrived_at_facility', 30);
    await waitUntil(() => to('two@example.com').length === 2);
    await settle();
    expect(to('two@example.com')).toHaveLength(2);
    const second = to('two@example.com')[1]!.mail.text ?? '';
    expect(second).toContain('SPLITB02');
    expect(second).not.toContain('SPLITA02');
    expect((await shippedRows('two@example.com')).map((r) => [r.status, r.coveredBy])).toEqual([
      ['sent', null],
      ['sent', null],
    ]);
  });
});
