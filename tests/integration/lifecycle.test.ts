// After delivery (issue #15) on a controllable clock, through the real domain, a real SQLite file
// and a real SMTP server in this process: the follow-up suggesting related, unbought, available
// products ten days after delivery (else what the store's customers bought together), never
// without consent, while a case is open, or twice within the gap; the replenishment reminder from
// the product's own interval or one learned from repeat orders, suppressed by a reorder, a return
// or an unsubscribe; every scan twice sends once.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { upsertOrder } from '../../src/server/changes/order-written.ts';
import { openCase } from '../../src/server/cases/open-case.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, schema, transaction } from '../../src/server/db.ts';
import { startJobs } from '../../src/server/jobs/registry.ts';
import { scanLifecycle } from '../../src/server/lifecycle/scan-lifecycle.ts';
import { suggestFollowUp } from '../../src/server/lifecycle/suggest-follow-up.ts';
import { unsubscribe } from '../../src/server/messages/list-messages.ts';
import { startEmailSender } from '../../src/server/messages/run-email-sender.ts';
import { putProduct } from '../../src/server/products/put-product.ts';
import { createReturn } from '../../src/server/returns/create-return.ts';
import type { Store } from '../../src/server/stores/store.ts';
import { orderBody } from '../fixtures/factories.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';
import { apply, DAY, event, snap, world, type ManualClock } from '../unit/notices/helpers.ts';
import { withLinkTargets } from '../support/email-links.ts';

let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.WAYPOST_SMTP_URL = smtp.url;
  process.env.WAYPOST_MAIL_FROM = 'updates@waypost.test';
  resetConfig();
});
afterAll(async () => {
  delete process.env.WAYPOST_SMTP_URL;
  delete process.env.WAYPOST_MAIL_FROM;
  resetConfig();
  await smtp?.close();
});

const START = '2026-11-18T10:00:00Z';
const DELIVERED = '2026-11-20T15:00:00Z';
const SETTINGS = { timeZone: 'UTC', notifications: { quietHours: { enabled: false } }, returnAddress: RETURN_ADDRESS };

/** A product of the catalogue: one variant (SKU = id), available unless said otherwise. */
async function product(store: Store, clock: ManualClock, id: string, title: string, over: Record<string, unknown> = {}) {
  const { available = true, ...rest } = over;
  await putProduct({
    storeId: store.id,
    productId: id,
    now: clock.now(),
    body: {
      title,
      url: `https://shop.example/p/${id.toLowerCase()}`,
      imageUrl: `https://shop.example/i/${id.toLowerCase()}.jpg`,
      variants: [{ sku: id, title: 'One size', available }],
      ...rest,
    },
  });
}

let n = 0;
/** An order of these products (SKU = product id); delivered at `deliveredAt` when given, else not shipped. */
async function order(
  store: Store,
  clock: ManualClock,
  email: string,
  products: string[],
  opts: { deliveredAt?: string; placedAt?: string; consent?: boolean } = {},
) {
  n++;
  const code = `LC${process.pid}${n}`;
  const body = orderBody({
    number: `L${n}`,
    email,
    timeZone: 'UTC',
    placedAt: opts.placedAt ?? '2026-11-17T10:00:00Z',
    marketingConsent: opts.consent ?? true,
    items: products.map((p) => ({ sku: p, productId: p, title: `Item ${p}`, quantity: 1, unitAmount: 1000 })),
    shipments: opts.deliveredAt ? [{ carrier: 'USPS', trackingCode: code, items: products.map((p) => ({ sku: p, quantity: 1 })) }] : [],
  });
  const { orderId } = await upsertOrder({ storeId: store.id, clock, body });
  if (opts.deliveredAt) {
    const [s] = await db().select().from(schema.shipments).where(eq(schema.shipments.orderId, orderId));
    await apply(store, clock, s!.id, snap('delivered', [event(opts.deliveredAt, 'delivered', 'Delivered')]));
  }
  return { orderId, number: `L${n}` };
}

/** One round of the email job at the clock's time: what is due goes to the SMTP server. */
async function sendEmails(clock: ManualClock) {
  const sender = startEmailSender({ now: clock.now, autoStart: false });
  await sender.runOnce();
  await sender.stop();
}
const mailTo = (address: string, kind: 'follow_up' | 'replenishment') =>
  smtp.received.filter((m) => m.to.includes(address) && m.mail.subject !== undefined && SUBJECTS[kind].test(m.mail.subject));
const SUBJECTS = { follow_up: /^Picked for you after order/, replenishment: /^Running low on/ };
const ledger = (orderId: string, kind: string) =>
  db()
    .select()
    .from(schema.messages)
    .where(and(eq(schema.messages.orderId, orderId), eq(schema.messages.kind, kind)));

describe('the follow-up', () => {
  it('ten days after delivery: one email naming related, unbought, available products; a second scan sends nothing more', async () => {
    const { clock, store } = await world(START, SETTINGS);
    await product(store, clock, 'TENT', 'Two-person tent', { related: ['PEGS', 'FLASK', 'LAMP', 'MUG', 'MAT', 'STOVE', 'POT'] });
    await product(store, clock, 'MUG', 'Camp mug');
    await product(store, clock, 'PEGS', 'Titanium pegs');
    await product(store, clock, 'FLASK', 'Steel flask');
    await product(store, clock, 'LAMP', 'Lantern', { available: false });
    await product(store, clock, 'MAT', 'Sleeping mat');
    await product(store, clock, 'STOVE', 'Gas stove');
    await product(store, clock, 'POT', 'Cook pot');
    // Bought before (the address spelt differently): the pegs kept, the flask sent back.
    const earlier = await order(store, clock, 'Ann@Example.com', ['PEGS', 'FLASK'], {
      placedAt: '2026-10-30T10:00:00Z',
      deliveredAt: '2026-11-01T12:00:00Z',
    });
    await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId: earlier.orderId,
      fields: { key: 'k'.repeat(20) + 'FLASK00001', resolution: 'refund', 'qty[FLASK]': '1', 'reason[FLASK]': 'changed_mind' },
      now: clock.now(),
    });
    const o = await order(store, clock, 'ann@example.com', ['TENT', 'MUG'], { deliveredAt: DELIVERED });
    expect((await suggestFollowUp({ storeId: store.id, orderId: o.orderId })).map((p) => p.productId)).toEqual(['MAT', 'STOVE', 'POT']);

    clock.set(Date.parse(DELIVERED) + 10 * DAY - 60_000);
    expect(await scanLifecycle(clock.now())).toEqual({ followUps: 0, replenishments: 0 });
    clock.set(Date.parse(DELIVERED) + 10 * DAY);
    expect(await scanLifecycle(clock.now())).toEqual({ followUps: 1, replenishments: 0 });
    await sendEmails(clock);
    const mails = mailTo('ann@example.com', 'follow_up');
    expect(mails).toHaveLength(1);
    const { mail } = mails[0]!;
    expect(mail.subject).toBe(`Picked for you after order #${o.number}`);
    const text = await withLinkTargets(mail.text ?? '');
    const html = await withLinkTargets(String(mail.html), { html: true });
    // Ann ordered before: the wording of the store's "repeat" customers.
    expect(text).toContain('Good to have you back. These go well with your latest order: Sleeping mat, Gas stove, and Cook pot.');
    for (const id of ['MAT', 'STOVE', 'POT']) {
      expect(text).toContain(`https://shop.example/p/${id.toLowerCase()}`);
      expect(html).toContain(`https://shop.example/i/${id.toLowerCase()}.jpg`);
    }
    for (const title of ['Titanium pegs', 'Steel flask', 'Lantern', 'Camp mug', 'Two-person tent']) expect(html).not.toContain(title);
    expect(mails[0]!.raw).toMatch(/^List-Unsubscribe:\s+<https:\/\/track\.example\.test\/[^/]+\/unsubscribe\//m); // marketing

    // Again now, and the next day: the dedupe key holds; nothing more is recorded or sent.
    expect(await scanLifecycle(clock.now())).toEqual({ followUps: 0, replenishments: 0 });
    clock.advance(DAY);
    const jobs = startJobs({ autoStart: false, now: clock.now, only: ['after-delivery'] });
    expect(await jobs.job('after-delivery').runOnce()).toBe(0);
    await jobs.stop();
    await sendEmails(clock);
    expect(mailTo('ann@example.com', 'follow_up')).toHaveLength(1);
    expect((await ledger(o.orderId, 'follow_up')).map((m) => [m.channel, m.status, m.messageClass])).toEqual([
      ['email', 'sent', 'marketing'],
    ]);
    // The earlier order's day passed long ago (and its return is open): nothing for it.
    expect(await ledger(earlier.orderId, 'follow_up')).toEqual([]);
  });

  it('without related products: what the store’s customers bought together, most often first', async () => {
    const { clock, store } = await world(START, SETTINGS);
    for (const [id, title] of [
      ['TENT', 'Two-person tent'],
      ['STOVE', 'Gas stove'],
      ['MAT', 'Sleeping mat'],
      ['CHAIR', 'Camp chair'],
    ])
      await product(store, clock, id!, title!);
    await product(store, clock, 'LAMP', 'Lantern', { available: false });
    await order(store, clock, 'c1@example.com', ['TENT', 'STOVE'], { consent: false });
    await order(store, clock, 'c2@example.com', ['TENT', 'STOVE', 'LAMP'], { consent: false });
    await order(store, clock, 'c3@example.com', ['TENT', 'MAT'], { consent: false });
    await order(store, clock, 'c4@example.com', ['CHAIR'], { consent: false });
    const o = await order(store, clock, 'bo@example.com', ['TENT'], { deliveredAt: DELIVERED });
    clock.set(Date.parse(DELIVERED) + 10 * DAY);
    expect((await scanLifecycle(clock.now())).followUps).toBe(1);
    await sendEmails(clock);
    const [m] = mailTo('bo@example.com', 'follow_up');
    expect(m!.mail.text).toContain(
      'Thank you for your first order with us: we hope you are enjoying it. These go well with it: Gas stove and Sleeping mat.',
    );
    expect(String(m!.mail.html)).not.toContain('Lantern');
    expect(String(m!.mail.html)).not.toContain('Camp chair');
    expect(await ledger(o.orderId, 'follow_up')).toHaveLength(1);
  });

  it('speaks to the store’s VIP customers as such, by the store’s own rule', async () => {
    const { clock, store } = await world(START, { ...SETTINGS, customers: { vipOrders: 2 } });
    await product(store, clock, 'TENT', 'Two-person tent', { related: ['MAT'] });
    await product(store, clock, 'MAT', 'Sleeping mat');
    await order(store, clock, 'vi@example.com', ['TENT'], { placedAt: '2026-10-30T10:00:00Z', deliveredAt: '2026-11-01T12:00:00Z' });
    await order(store, clock, 'vi@example.com', ['TENT'], { deliveredAt: DELIVERED });
    clock.set(Date.parse(DELIVERED) + 10 * DAY);
    expect((await scanLifecycle(clock.now())).followUps).toBe(1);
    await sendEmails(clock);
    const [m] = mailTo('vi@example.com', 'follow_up');
    expect(m!.mail.text).toContain('You are one of our most loyal customers, so here are our picks for you first: Sleeping mat.');
  });

  it('nothing without marketing consent, and nothing when there is nothing to suggest', async () => {
    const { clock, store } = await world(START, SETTINGS);
    await product(store, clock, 'TENT', 'Two-person tent', { related: ['MAT'] });
    await product(store, clock, 'MAT', 'Sleeping mat');
    await product(store, clock, 'SOLO', 'Solo item');
    const noConsent = await order(store, clock, 'cy@example.com', ['TENT'], { deliveredAt: DELIVERED, consent: false });
    const nothing = await order(store, clock, 'di@example.com', ['SOLO'], { deliveredAt: DELIVERED });
    clock.set(Date.parse(DELIVERED) + 10 * DAY);
    expect(await scanLifecycle(clock.now())).toEqual({ followUps: 0, replenishments: 0 });
    await sendEmails(clock);
    expect(await ledger(noConsent.orderId, 'follow_up')).toEqual([]);
    expect(await ledger(nothing.orderId, 'follow_up')).toEqual([]);
    expect(mailTo('cy@example.com', 'follow_up')).toEqual([]);
  });

  it('never while a case is open for the order; once it is resolved, within the fortnight', async () => {
    const { clock, store } = await world(START, SETTINGS);
    await product(store, clock, 'TENT', 'Two-person tent', { related: ['MAT'] });
    await product(store, clock, 'MAT', 'Sleeping mat');
    const o = await order(store, clock, 'ed@example.com', ['TENT'], { deliveredAt: DELIVERED });
    const c = await transaction((tx) =>
      openCase(tx, {
        storeId: store.id,
        orderId: o.orderId,
        shipmentId: null,
        source: 'problem_report',
        kind: 'damaged',
        message: 'Torn',
        now: clock.now(),
      }),
    );
    clock.set(Date.parse(DELIVERED) + 10 * DAY);
    expect((await scanLifecycle(clock.now())).followUps).toBe(0);
    clock.advance(3 * DAY);
    expect((await scanLifecycle(clock.now())).followUps).toBe(0);
    expect(await ledger(o.orderId, 'follow_up')).toEqual([]);
    await transaction((tx) =>
      tx.update(schema.cases).set({ status: 'resolved', resolvedAt: clock.now() }).where(eq(schema.cases.id, c.id)),
    );
    expect((await scanLifecycle(clock.now())).followUps).toBe(1);
    await sendEmails(clock);
    expect(mailTo('ed@example.com', 'follow_up')).toHaveLength(1);
  });

  it('at most one per customer per followUpGapDays, across their orders', async () => {
    const { clock, store } = await world(START, SETTINGS);
    await product(store, clock, 'TENT', 'Two-person tent', { related: ['MAT'] });
    await product(store, clock, 'BOOTS', 'Hiking boots', { related: ['SOCKS'] });
    await product(store, clock, 'MAT', 'Sleeping mat');
    await product(store, clock, 'SOCKS', 'Wool socks');
    const first = await order(store, clock, 'flo@example.com', ['TENT'], { deliveredAt: DELIVERED });
    const second = await order(store, clock, 'FLO@example.com', ['BOOTS'], { deliveredAt: '2026-11-25T15:00:00Z' });
    clock.set(Date.parse(DELIVERED) + 10 * DAY);
    expect((await scanLifecycle(clock.now())).followUps).toBe(1);
    clock.set(Date.parse('2026-11-25T15:00:00Z') + 10 * DAY);
    expect((await scanLifecycle(clock.now())).followUps).toBe(0);
    clock.advance(13 * DAY); // the second order's fortnight ends: still within 30 days of the first
    expect((await scanLifecycle(clock.now())).followUps).toBe(0);
    await sendEmails(clock);
    expect(mailTo('flo@example.com', 'follow_up')).toHaveLength(1);
    expect(await ledger(first.orderId, 'follow_up')).toHaveLength(1);
    expect(await ledger(second.orderId, 'follow_up')).toEqual([]);
  });
});

describe('the replenishment reminder', () => {
  it('from an interval learned from five customers’ repeat orders, delivered + interval − lead days, once', async () => {
    const { clock, store } = await world(START, SETTINGS);
    await product(store, clock, 'COFFEE', 'Ground coffee');
    // Repeat buyers: gaps of 28, 30, 30, 32 days (four customers: not enough to learn from yet).
    const day = (d: number) => new Date(Date.parse('2026-05-01T10:00:00Z') + d * DAY).toISOString();
    for (const [i, gap] of [28, 30, 30, 32].entries()) {
      await order(store, clock, `r${i}@example.com`, ['COFFEE'], { placedAt: day(0), consent: false });
      await order(store, clock, `r${i}@example.com`, ['COFFEE'], { placedAt: day(gap), consent: false });
    }
    const o = await order(store, clock, 'gus@example.com', ['COFFEE'], { deliveredAt: DELIVERED });
    const due = Date.parse(DELIVERED) + (30 - 3) * DAY;
    clock.set(due);
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    // A fifth customer buys again (after 31 days): the median of 28, 30, 30, 31, 32 is 30.
    await order(store, clock, 'r9@example.com', ['COFFEE'], { placedAt: day(10), consent: false });
    await order(store, clock, 'r9@example.com', ['COFFEE'], { placedAt: day(41), consent: false });
    clock.set(due - 60_000);
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    clock.set(due);
    expect(await scanLifecycle(clock.now())).toEqual({ followUps: 0, replenishments: 1 });
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    await sendEmails(clock);
    const mails = mailTo('gus@example.com', 'replenishment');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.mail.subject).toBe('Running low on Ground coffee?');
    expect(await withLinkTargets(mails[0]!.mail.text ?? '')).toContain('Reorder: https://shop.example/p/coffee');
    expect(await ledger(o.orderId, 'replenishment')).toHaveLength(1);
  });

  it('from the product’s replenishAfterDays; a reorder, a return or an unsubscribe suppresses it', async () => {
    const { clock, store } = await world(START, SETTINGS);
    await product(store, clock, 'SOAP', 'Olive soap', { replenishAfterDays: 20 });
    const kept = await order(store, clock, 'hal@example.com', ['SOAP'], { deliveredAt: DELIVERED });
    const reordered = await order(store, clock, 'ida@example.com', ['SOAP'], { deliveredAt: DELIVERED });
    const returned = await order(store, clock, 'jo@example.com', ['SOAP'], { deliveredAt: DELIVERED });
    const gone = await order(store, clock, 'kim@example.com', ['SOAP'], { deliveredAt: DELIVERED });
    clock.set('2026-12-01T10:00:00Z');
    await order(store, clock, 'Ida@example.com', ['SOAP'], { placedAt: '2026-12-01T10:00:00Z', consent: false });
    await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId: returned.orderId,
      fields: { key: 'k'.repeat(20) + 'SOAP000001', resolution: 'refund', 'qty[SOAP]': '1', 'reason[SOAP]': 'changed_mind' },
      now: clock.now(),
    });
    await unsubscribe(store.id, 'kim@example.com', clock.now());
    const due = Date.parse(DELIVERED) + (20 - 3) * DAY;
    clock.set(due - 60_000);
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    clock.set(due);
    expect((await scanLifecycle(clock.now())).replenishments).toBe(1);
    clock.advance(DAY);
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    await sendEmails(clock);
    expect(mailTo('hal@example.com', 'replenishment').map((m) => m.mail.subject)).toEqual(['Running low on Olive soap?']);
    for (const o of [reordered, returned, gone]) expect(await ledger(o.orderId, 'replenishment')).toEqual([]);
    expect(await ledger(kept.orderId, 'replenishment')).toHaveLength(1);
  });

  it('two consumables of one customer due the same day: one email listing both, once, however many scans run', async () => {
    const { clock, store } = await world(START, SETTINGS);
    await product(store, clock, 'COFFEE', 'Ground coffee', { replenishAfterDays: 20 });
    await product(store, clock, 'FILTER', 'Paper filters', { replenishAfterDays: 30 });
    await product(store, clock, 'SOAP', 'Olive soap', { replenishAfterDays: 21 });
    // Filters delivered ten days before the coffee (and soap), in another order, both due on 2026-12-07:
    // the coffee at 15:00 (20 − 3 days), the filters at 20:00 (30 − 3 days). The soap is due the next day.
    const filters = await order(store, clock, 'lou@example.com', ['FILTER'], { deliveredAt: '2026-11-10T20:00:00Z' });
    const coffee = await order(store, clock, 'Lou@Example.com', ['COFFEE', 'SOAP'], { deliveredAt: DELIVERED });
    clock.set('2026-12-07T14:59:00Z');
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    clock.set('2026-12-07T15:00:00Z');
    // Two workers at once, then a later round and a restart's first round: one reminder.
    const [a, b] = await Promise.all([scanLifecycle(clock.now()), scanLifecycle(clock.now())]);
    expect(a.replenishments + b.replenishments).toBe(1);
    clock.set('2026-12-07T20:30:00Z');
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    await sendEmails(clock);
    const mails = mailTo('Lou@example.com', 'replenishment');
    expect(mails.map((m) => m.mail.subject)).toEqual(['Running low on Ground coffee and Paper filters?']);
    const text = await withLinkTargets(mails[0]!.mail.text ?? '');
    expect(text).toContain('Your Ground coffee and Paper filters are probably running low about now.');
    expect(text).toContain('https://shop.example/p/coffee');
    expect(text).toContain('https://shop.example/p/filter');
    expect(text).not.toContain('Olive soap');
    const rows = [...(await ledger(coffee.orderId, 'replenishment')), ...(await ledger(filters.orderId, 'replenishment'))];
    expect(rows.map((r) => [r.channel, r.orderId, r.dedupeKey])).toEqual([
      ['email', coffee.orderId, `email:replenishment-day:${coffee.orderId}:2026-12-07`],
    ]);
    // The next day the soap has its own reminder; nothing already reminded comes again.
    clock.set('2026-12-08T15:00:00Z');
    expect((await scanLifecycle(clock.now())).replenishments).toBe(1);
    expect((await scanLifecycle(clock.now())).replenishments).toBe(0);
    await sendEmails(clock);
    expect(mailTo('Lou@example.com', 'replenishment').map((m) => m.mail.subject)).toEqual([
      'Running low on Ground coffee and Paper filters?',
      'Running low on Olive soap?',
    ]);
  });
});
