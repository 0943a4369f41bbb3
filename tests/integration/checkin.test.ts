// The check-in after delivery on a controllable clock and over real HTTP: delivered + 2 days asks
// "Did everything arrive as it should?" once per parcel (one ledger row, one email read from a real
// SMTP server, however often the scan runs); not before, and never with a case or a return open;
// the answer route keeps all_good, opens a case for a problem, and refuses bad input with 422
// recording nothing.
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkinFigures } from '../../src/server/checkins/checkin-figures.ts';
import { scanCheckins } from '../../src/server/checkins/scan-checkins.ts';
import { applyCarrierNews } from '../../src/server/changes/carrier-news.ts';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { openCase } from '../../src/server/cases/open-case.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { startJobs } from '../../src/server/jobs/registry.ts';
import { createReturn } from '../../src/server/returns/create-return.ts';
import type { Store } from '../../src/server/stores/store.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';
import { apply, DAY, event, H, newOrder, snap, world, type ManualClock } from '../unit/notices/helpers.ts';
import { withLinkTargets } from '../support/email-links.ts';

const DELIVERED = '2026-11-20T15:00:00Z';
const T = (iso: string) => Date.parse(iso);

let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.WAYPOST_SMTP_URL = smtp.url;
  process.env.WAYPOST_MAIL_FROM = 'updates@waypost.test';
  resetConfig();
});
afterAll(async () => {
  delete process.env.WAYPOST_SMTP_URL;
  resetConfig();
  await smtp?.close();
});

const SETTINGS = { timeZone: 'UTC', returnAddress: RETURN_ADDRESS, notifications: { quietHours: { enabled: false } } };

async function deliveredOrder(store: Store, clock: ManualClock, code: string, email: string) {
  const o = await newOrder(store, clock, {
    email,
    timeZone: 'UTC',
    items: [
      { sku: 'TENT-G', title: 'Two-person tent', quantity: 1, unitAmount: 24900 },
      { sku: 'MUG', title: 'Camp mug', quantity: 1, unitAmount: 1500 },
    ],
    shipments: [
      {
        carrier: 'USPS',
        trackingCode: code,
        items: [
          { sku: 'TENT-G', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ],
      },
    ],
  });
  clock.set(DELIVERED);
  await apply(store, clock, o.shipmentId, snap('delivered', [event(DELIVERED, 'delivered', 'Delivered')]));
  return o;
}
const checkinEmails = (orderId: string) =>
  db()
    .select()
    .from(schema.messages)
    .where(and(eq(schema.messages.orderId, orderId), eq(schema.messages.kind, 'checkin')));
const checkinOf = async (shipmentId: string) =>
  await firstRow(db().select().from(schema.checkins).where(eq(schema.checkins.shipmentId, shipmentId)));
const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address) && m.mail.subject?.includes('arrive as it should'));

describe('the check-in scan', () => {
  it('delivered + 1 day asks nothing; + 2 days asks once (one ledger row, one email) however often the scan runs', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', SETTINGS);
    const o = await deliveredOrder(store, clock, 'CK0001', 'ann@example.com');
    const jobs = startJobs({ autoStart: false, now: clock.now, only: ['checkins', 'email'] });
    try {
      clock.set(T(DELIVERED) + DAY);
      expect(await scanCheckins(clock.now())).toEqual({ asked: 0, skipped: 0 });
      expect(await checkinEmails(o.orderId)).toEqual([]);
      expect(await checkinOf(o.shipmentId)).toBeUndefined();

      clock.set(T(DELIVERED) + 2 * DAY);
      expect(await jobs.job('checkins').runOnce()).toBe(1);
      expect(await jobs.job('checkins').runOnce()).toBe(0);
      expect(await scanCheckins(clock.now() + H)).toEqual({ asked: 0, skipped: 0 });
      const rows = await checkinEmails(o.orderId);
      expect(rows.map((r) => [r.channel, r.status, r.messageClass, r.dedupeKey])).toEqual([
        ['email', 'queued', 'service', `email:checkin:${o.shipmentId}`],
      ]);
      expect(await checkinOf(o.shipmentId)).toMatchObject({ askedAt: clock.now(), answer: null, skipped: null, orderId: o.orderId });

      await jobs.job('email').runOnce();
      await jobs.job('email').runOnce();
      await expect.poll(() => mailsTo('ann@example.com').length).toBe(1);
      const { mail } = mailsTo('ann@example.com')[0]!;
      expect(mail.subject).toBe(`Did your order #${o.body.number} arrive as it should?`);
      const text = await withLinkTargets(mail.text ?? '');
      expect(text).toContain('Did everything arrive as it should?');
      // Two one-tap answers, each only opening the order page's card with the choice made.
      expect(text).toMatch(
        /Yes, all good: https:\/\/track\.example\.test\/[^/]+\/t\/[^?\s]+\?checkin=CK0001&answer=all_good#checkin-CK0001/,
      );
      expect(text).toMatch(/No, something’s wrong: https:\/\/[^\s]+\?checkin=CK0001&answer=problem#checkin-CK0001/);
      expect(await withLinkTargets(String(mail.html), { html: true })).toContain('answer=problem');
      expect(mail.headers.has('list-unsubscribe')).toBe(false); // a service email
      expect((await checkinEmails(o.orderId)).map((r) => r.status)).toEqual(['sent']);

      // The figures analytics can read: asked and not answered yet.
      expect(await checkinFigures({ storeId: store.id, from: T(DELIVERED), to: clock.now() + DAY })).toEqual({
        asked: 1,
        allGood: 0,
        problem: 0,
        unanswered: 1,
      });
    } finally {
      await jobs.stop();
    }
  });

  it('asks nothing while a case is open for the parcel, or a return is open for its items', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', SETTINGS);
    const withCase = await deliveredOrder(store, clock, 'CK0002', 'bo@example.com');
    await transaction((tx) =>
      openCase(tx, {
        storeId: store.id,
        orderId: withCase.orderId,
        shipmentId: withCase.shipmentId,
        source: 'problem_report',
        kind: 'damaged',
        message: 'The box was crushed',
        now: clock.now(),
      }),
    );
    const withReturn = await deliveredOrder(store, clock, 'CK0003', 'cy@example.com');
    clock.set(T(DELIVERED) + DAY);
    await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId: withReturn.orderId,
      fields: { key: 'checkin-return-key-00001', resolution: 'refund', 'qty[MUG]': '1', 'reason[MUG]': 'changed_mind' },
      now: clock.now(),
    });

    clock.set(T(DELIVERED) + 2 * DAY + H);
    expect(await scanCheckins(clock.now())).toEqual({ asked: 0, skipped: 2 });
    expect(await scanCheckins(clock.now())).toEqual({ asked: 0, skipped: 0 });
    expect(await checkinEmails(withCase.orderId)).toEqual([]);
    expect(await checkinEmails(withReturn.orderId)).toEqual([]);
    expect(await checkinOf(withCase.shipmentId)).toMatchObject({ askedAt: null, skipped: 'case_open' });
    expect(await checkinOf(withReturn.shipmentId)).toMatchObject({ askedAt: null, skipped: 'return_open' });
    // Not asked is not "unanswered".
    expect((await checkinFigures({ storeId: store.id, from: 0, to: clock.now() + DAY })).asked).toBe(0);
  });

  it('an order imported long after its delivery is not asked late; quiet hours hold the question until they end', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { ...SETTINGS, notifications: { quietHours: { enabled: true } } });
    const old = await deliveredOrder(store, clock, 'CK0004', 'di@example.com');
    clock.set(T(DELIVERED) + 2 * DAY + 8 * DAY); // due 8 days ago: past the week's cut-off
    expect(await scanCheckins(clock.now())).toEqual({ asked: 0, skipped: 1 });
    expect(await checkinOf(old.shipmentId)).toMatchObject({ askedAt: null, skipped: 'too_late' });

    const night = await deliveredOrder(store, clock, 'CK0005', 'ed@example.com');
    clock.set('2026-11-22T23:00:00Z'); // due at 15:00; 23:00 is inside the default quiet hours (21:00–08:00, UTC)
    expect(await scanCheckins(clock.now())).toEqual({ asked: 0, skipped: 0 });
    clock.set('2026-11-23T08:00:00Z');
    expect(await scanCheckins(clock.now())).toEqual({ asked: 1, skipped: 0 });
    expect(await checkinEmails(night.orderId)).toHaveLength(1);
  });

  it('a store that switched check-ins off on email and push asks nobody: no message, and the parcel is not counted as asked', async () => {
    const off = { ...SETTINGS, notifications: { quietHours: { enabled: false }, kinds: { checkin: { email: false, push: false } } } };
    const { clock, store } = await world('2026-11-18T10:00:00Z', off);
    const o = await deliveredOrder(store, clock, 'CK0006', 'fay@example.com');
    clock.set(T(DELIVERED) + 2 * DAY + H);
    expect(await scanCheckins(clock.now())).toEqual({ asked: 0, skipped: 1 });
    expect(await checkinEmails(o.orderId)).toEqual([]);
    expect(await checkinOf(o.shipmentId)).toMatchObject({ askedAt: null, skipped: 'switched_off' });
    expect((await checkinFigures({ storeId: store.id, from: 0, to: clock.now() + DAY })).asked).toBe(0);

    // Email off but push on still asks (by push, to any device following the order).
    const pushOnly = { ...SETTINGS, notifications: { quietHours: { enabled: false }, kinds: { checkin: { email: false, push: true } } } };
    const other = await world('2026-11-18T10:00:00Z', pushOnly);
    const p = await deliveredOrder(other.store, other.clock, 'CK0007', 'gus@example.com');
    other.clock.set(T(DELIVERED) + 2 * DAY + H);
    expect(await scanCheckins(other.clock.now())).toEqual({ asked: 1, skipped: 0 });
    expect(await checkinOf(p.shipmentId)).toMatchObject({ askedAt: other.clock.now(), skipped: null });
    expect(await checkinEmails(p.orderId)).toEqual([]);
  });
});

describe('answering over HTTP', () => {
  let server: TestServer;
  let key: string;
  const pathOf = async (number: string) =>
    new URL((await api(server.url, key, 'GET', `/api/v1/orders/${number}`)).json.trackingUrl).pathname;
  const page = async (path: string) => {
    const r = await fetch(server.url + path);
    return { status: r.status, html: await r.text() };
  };
  const rows = async () => ({
    checkins: (await firstRow(db().select({ n: count() }).from(schema.checkins)))!.n,
    cases: (await firstRow(db().select({ n: count() }).from(schema.cases)))!.n,
  });
  /** Marks the parcel delivered `daysAgo` (written into the server's database). */
  async function deliver(trackingCode: string, daysAgo: number) {
    const s = (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.trackingCode, trackingCode))))!;
    const at = Date.now() - daysAgo * DAY;
    await applyCarrierNews({
      storeId: s.storeId,
      shipmentId: s.id,
      snapshot: snap('delivered', [event(at, 'delivered', 'Delivered')]),
      now: at,
    });
  }
  const order = (number: string, code: string) =>
    orderBody({
      number,
      timeZone: 'UTC',
      placedAt: new Date(Date.now() - 6 * DAY).toISOString(),
      shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }] }],
    });

  beforeAll(async () => {
    server = await startTestServer();
    key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'ck', '--name', 'Check Shop']).apiKey;
    for (const [n, c] of [
      ['C-1', 'CKH0001'],
      ['C-2', 'CKH0002'],
      ['C-3', 'CKH0003'],
    ] as const)
      expect((await api(server.url, key, 'POST', '/api/v1/orders', order(n, c))).status).toBe(201);
    useDatabase(server.database);
    await deliver('CKH0001', 3);
    await deliver('CKH0002', 3);
    await deliver('CKH0003', 1);
  });
  afterAll(() => server?.stop());

  it('shows the card from the moment it is due; the email’s link preselects the choice and records nothing', async () => {
    const p1 = await pathOf('C-1');
    expect((await page(p1)).html).toContain('Did everything arrive as it should?');
    expect((await page(await pathOf('C-3'))).html).not.toContain('Did everything arrive as it should?'); // delivered yesterday
    const linked = (await page(`${p1}?checkin=CKH0001&answer=problem`)).html;
    expect(linked).toMatch(/<input[^>]*value="problem"[^>]*checked/);
    expect(linked).not.toMatch(/<input[^>]*value="all_good"[^>]*checked/);
    const get = await fetch(`${server.url}${p1}/checkin?answer=all_good&shipment=CKH0001`, { redirect: 'manual' });
    expect(get.status).toBe(303);
    expect(await rows()).toEqual({ checkins: 0, cases: 0 });
  });

  it('refuses bad input with 422 and a page saying why, recording nothing', async () => {
    const p1 = await pathOf('C-1');
    const cases: [string, Record<string, string>, string][] = [
      [p1, { shipment: 'CKH0001', answer: 'maybe' }, 'Choose whether everything arrived as it should.'],
      [p1, { shipment: 'CKH0001' }, 'Choose whether everything arrived as it should.'],
      [p1, { shipment: 'NOPE', answer: 'all_good' }, 'We couldn’t find that parcel in this order.'],
      [p1, { shipment: 'CKH0002', answer: 'all_good' }, 'We couldn’t find that parcel in this order.'], // another order's parcel
      [p1, { shipment: 'CKH0001', answer: 'problem', message: 'x'.repeat(2001) }, 'Please keep your message to 2,000 characters or fewer.'],
    ];
    for (const [path, fields, why] of cases) {
      const r = await postForm(server.url, `${path}/checkin`, fields);
      expect(r.status, JSON.stringify(fields).slice(0, 80)).toBe(422);
      expect(await r.text()).toContain(why);
    }
    // A parcel still on its way.
    expect((await api(server.url, key, 'POST', '/api/v1/orders', order('C-4', 'CKH0004'))).status).toBe(201);
    const p4 = await pathOf('C-4');
    const r = await postForm(server.url, `${p4}/checkin`, { shipment: 'CKH0004', answer: 'all_good' });
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('That parcel has not been delivered yet');
    expect(await rows()).toEqual({ checkins: 0, cases: 0 });
  });

  it('all_good: 303 back to the order page, which thanks them; the answer is kept and the first one stands', async () => {
    const p1 = await pathOf('C-1');
    const r = await postForm(server.url, `${p1}/checkin`, { shipment: 'CKH0001', answer: 'all_good' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`${p1}?checkedin=CKH0001&said=all_good#checkin-CKH0001`);
    const thanks = (await page(r.headers.get('location')!)).html;
    expect(thanks).toContain('Thanks — glad it all arrived');
    expect(thanks).not.toContain('name="answer"');
    const row = (await firstRow(db().select().from(schema.checkins)))!;
    expect(row).toMatchObject({ answer: 'all_good', message: null, caseId: null });
    expect(row.answeredAt).toBeGreaterThan(Date.now() - 60_000);
    // The card is gone from the order page; a second answer changes nothing and opens no case.
    expect((await page(p1)).html).not.toContain('name="answer"');
    const again = await postForm(server.url, `${p1}/checkin`, { shipment: 'CKH0001', answer: 'problem', message: 'Actually…' });
    expect(again.headers.get('location')).toContain('said=all_good');
    expect(await rows()).toEqual({ checkins: 1, cases: 0 });
  });

  it('problem with a message: a case for a person with the order attached, in the cases queue; never two', async () => {
    const p2 = await pathOf('C-2');
    const r = await postForm(server.url, `${p2}/checkin`, { shipment: 'CKH0002', answer: 'problem', message: 'The mug was chipped' });
    expect(r.status).toBe(303);
    const thanks = (await page(r.headers.get('location')!)).html;
    expect(thanks).toContain('We’ve passed this on; someone from Check Shop will reply');
    const again = await postForm(server.url, `${p2}/checkin`, { shipment: 'CKH0002', answer: 'problem', message: 'Hello?' });
    expect(again.status).toBe(303);
    const list = await api(server.url, key, 'GET', '/api/v1/cases');
    expect(list.json.cases).toHaveLength(1);
    expect(list.json.cases[0]).toMatchObject({
      kind: 'checkin_problem',
      source: 'checkin',
      status: 'open',
      message: 'The mug was chipped',
      orderNumber: 'C-2',
      trackingCode: 'CKH0002',
    });
    const row = (await firstRow(db().select().from(schema.checkins).where(eq(schema.checkins.answer, 'problem'))))!;
    expect(row).toMatchObject({ message: 'The mug was chipped', caseId: list.json.cases[0].id });
    const store = (await firstRow(db().select().from(schema.stores).where(eq(schema.stores.slug, 'ck'))))!;
    expect(await checkinFigures({ storeId: store.id, from: Date.now() - DAY, to: Date.now() + DAY })).toEqual({
      asked: 2,
      allGood: 1,
      problem: 1,
      unanswered: 0,
    });
  });

  it('the order page follows the store: check-ins off on email and push shows no card; one channel on shows it again', async () => {
    expect((await api(server.url, key, 'POST', '/api/v1/orders', order('C-5', 'CKH0005'))).status).toBe(201);
    await deliver('CKH0005', 3);
    const p5 = await pathOf('C-5');
    const ask = 'Did everything arrive as it should?';
    expect((await page(p5)).html).toContain(ask);
    const kinds = (email: boolean, push: boolean) =>
      api(server.url, key, 'PATCH', '/api/v1/store', { notifications: { kinds: { checkin: { email, push } } } });
    try {
      expect((await kinds(false, false)).status).toBe(200);
      const off = (await page(p5)).html;
      expect(off).not.toContain(ask);
      expect(off).not.toContain('name="answer"');
      // Even the email's old link preselecting a choice opens no card.
      expect((await page(`${p5}?checkin=CKH0005&answer=problem`)).html).not.toContain('name="answer"');
      expect((await kinds(false, true)).status).toBe(200);
      expect((await page(p5)).html).toContain(ask);
    } finally {
      await kinds(true, true);
    }
  });
});
