// Split orders whose waiting dispatch email is superseded: a parcel that had joined it ("covered")
// still hears that it shipped, in an email of its own, unless its own newer news came first.
// Signed carrier webhooks → the ledger → the email job → a real SMTP server (both legs).
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
  { sku: 'STOVE', title: 'Camp stove', quantity: 1, unitAmount: 5900 },
];

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  key = createPushStore(server, 'resplit', 'Resplit & Co');
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
/** An order of three items in three parcels, every label created (nothing scanned yet). */
const threeParcels = (number: string, codes: [string, string, string], email: string) =>
  createOrder(server, key, number, codes[0], {
    email,
    items: ITEMS,
    shipments: [
      { carrier: 'USPS', trackingCode: codes[0], items: [{ sku: 'TENT-2P', quantity: 1 }] },
      { carrier: 'UPS', trackingCode: codes[1], items: [{ sku: 'MUG', quantity: 1 }] },
      { carrier: 'UPS', trackingCode: codes[2], items: [{ sku: 'STOVE', quantity: 1 }] },
    ],
  });
const shippedRows = (email: string) =>
  db()
    .select()
    .from(schema.messages)
    .where(and(eq(schema.messages.recipient, email), eq(schema.messages.kind, 'shipped'), eq(schema.messages.channel, 'email')))
    .orderBy(schema.messages.createdAt);
const subjects = (email: string) => to(email).map((m) => m.mail.subject ?? '');

describe('a covered parcel whose dispatch email was superseded', () => {
  it('gets its own dispatch email (carrier, tracking, estimate), never listing the delivered parcel', async () => {
    const email = 'orphan@example.com';
    await threeParcels('R-1', ['RSPA01', 'RSPB01', 'RSPC01'], email);
    // A scanned 50 minutes ago: its dispatch email is held (two parcels still to ship). B joins it.
    await carrierEvent(server, 'resplit', 'RSPA01', 'in_transit', 'arrived_at_facility', 50);
    await waitUntil(async () => (await shippedRows(email)).length === 1);
    await carrierEvent(server, 'resplit', 'RSPB01', 'in_transit', 'arrived_at_facility', 40);
    await waitUntil(async () => (await shippedRows(email)).length === 2);
    expect((await shippedRows(email)).map((r) => r.status)).toEqual(['scheduled', 'covered']);
    // A is delivered before the held email went: A's "delivered" supersedes it. B must still be told it shipped.
    await carrierEvent(server, 'resplit', 'RSPA01', 'delivered', 'arrived_at_destination', 5);
    await waitUntil(() => to(email).length === 1);
    const rows = await shippedRows(email);
    expect(rows.map((r) => [r.status, r.coveredBy])).toEqual([
      ['superseded', null],
      ['scheduled', null],
    ]);
    // B's own email waits out B's hour as the order still has C to ship; C scanned now joins it and releases it.
    await carrierEvent(server, 'resplit', 'RSPC01', 'in_transit', 'arrived_at_facility', 0);
    await waitUntil(() => to(email).length === 2);
    await settle();
    expect(to(email)).toHaveLength(2);
    const dispatch = to(email)[1]!.mail;
    for (const part of [String(dispatch.html), dispatch.text ?? '']) {
      expect(part).toContain('RSPB01');
      expect(part).toContain('RSPC01');
      expect(part).toContain('UPS');
      expect(part).toMatch(/Parcel \d of 3/);
      expect(part).not.toContain('RSPA01');
    }
    expect(dispatch.text).toMatch(/Estimated delivery/i);
    const after = await shippedRows(email);
    const sent = after.find((r) => r.status === 'sent')!;
    expect(sent.shipmentId).toBe(rows[1]!.shipmentId);
    expect(sent.providerId).toBe(dispatch.messageId);
    expect(after.map((r) => [r.status, r.coveredBy])).toEqual([
      ['superseded', null],
      ['sent', null],
      ['covered', sent.id],
    ]);
    // The API: B and C read as the email that told them.
    const r = await api(server.url, key, 'GET', '/api/v1/messages?order=R-1');
    expect(r.status, r.text).toBe(200);
    const shipped = (r.json.messages as Record<string, unknown>[]).filter((x) => x.channel === 'email' && x.kind === 'shipped');
    expect(shipped.map((x) => [x.parcel, x.status, x.providerId])).toEqual([
      ['RSPA01', 'superseded', null],
      ['RSPB01', 'sent', dispatch.messageId],
      ['RSPC01', 'sent', dispatch.messageId],
    ]);
  });

  it('sends nothing "shipped" for a parcel whose own newer news came first', async () => {
    const email = 'both@example.com';
    await threeParcels('R-2', ['RSPA02', 'RSPB02', 'RSPC02'], email);
    await carrierEvent(server, 'resplit', 'RSPA02', 'in_transit', 'arrived_at_facility', 50);
    await waitUntil(async () => (await shippedRows(email)).length === 1);
    await carrierEvent(server, 'resplit', 'RSPB02', 'in_transit', 'arrived_at_facility', 40);
    await waitUntil(async () => (await shippedRows(email)).length === 2);
    // B is delivered first (its own news), then A: neither parcel may hear "shipped" after "delivered".
    await carrierEvent(server, 'resplit', 'RSPB02', 'delivered', 'arrived_at_destination', 10);
    await waitUntil(() => to(email).length === 1);
    await carrierEvent(server, 'resplit', 'RSPA02', 'delivered', 'arrived_at_destination', 5);
    await waitUntil(() => to(email).length === 2);
    await settle();
    expect(to(email)).toHaveLength(2);
    expect((await shippedRows(email)).map((r) => r.status)).toEqual(['superseded', 'superseded']);
    for (const s of subjects(email)) expect(s).not.toMatch(/on its way|shipped/i);
  });

  it('leaves a covered parcel with newer news of its own out of the waiting email, and its line says so', async () => {
    const email = 'left-out@example.com';
    await threeParcels('R-3', ['RSPA03', 'RSPB03', 'RSPC03'], email);
    await carrierEvent(server, 'resplit', 'RSPA03', 'in_transit', 'arrived_at_facility', 50);
    await waitUntil(async () => (await shippedRows(email)).length === 1);
    await carrierEvent(server, 'resplit', 'RSPB03', 'in_transit', 'arrived_at_facility', 40);
    await waitUntil(async () => (await shippedRows(email)).length === 2);
    // B, covered by A's held email, is delivered: its line is superseded, A's email still waits for C.
    await carrierEvent(server, 'resplit', 'RSPB03', 'delivered', 'arrived_at_destination', 10);
    await waitUntil(() => to(email).length === 1);
    expect((await shippedRows(email)).map((r) => [r.status, r.coveredBy])).toEqual([
      ['scheduled', null],
      ['superseded', null],
    ]);
    await carrierEvent(server, 'resplit', 'RSPC03', 'in_transit', 'arrived_at_facility', 0);
    await waitUntil(() => to(email).length === 2);
    await settle();
    expect(to(email)).toHaveLength(2);
    const dispatch = to(email)[1]!.mail;
    for (const part of [String(dispatch.html), dispatch.text ?? '']) {
      expect(part).toContain('RSPA03');
      expect(part).toContain('RSPC03');
      expect(part).not.toContain('RSPB03');
    }
    const r = await api(server.url, key, 'GET', '/api/v1/messages?order=R-3');
    expect(r.status, r.text).toBe(200);
    const shipped = (r.json.messages as Record<string, unknown>[]).filter((x) => x.channel === 'email' && x.kind === 'shipped');
    expect(shipped.map((x) => [x.parcel, x.status, x.providerId])).toEqual([
      ['RSPA03', 'sent', dispatch.messageId],
      ['RSPB03', 'superseded', null],
      ['RSPC03', 'sent', dispatch.messageId],
    ]);
  });
});
