// Reviews from delivery to publication on a controllable clock, through the real domain and a
// real SQLite file: delivered + N days makes items reviewable; the invitation is recorded and
// queued once; a 2-star review opens a case and is still published when its hold ends; returns,
// missing delivery scans and lost parcels; the aggregate.
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db, firstRow, schema } from '../../src/server/db.ts';
import { startJobs } from '../../src/server/jobs/registry.ts';
import { queueNotification } from '../../src/server/notifications/queue-notification.ts';
import { loadOrder } from '../../src/server/orders/load-order.ts';
import { exportReviews } from '../../src/server/reviews/export-reviews.ts';
import { listProductReviews } from '../../src/server/reviews/list-product-reviews.ts';
import { listReviewableProducts } from '../../src/server/reviews/list-reviewable-products.ts';
import { moderateReview } from '../../src/server/reviews/moderate-review.ts';
import { publishHeldReviews } from '../../src/server/reviews/publish-held-reviews.ts';
import { scanReviewInvitations } from '../../src/server/reviews/scan-review-invitations.ts';
import { submitReview } from '../../src/server/reviews/submit-review.ts';
import type { Store } from '../../src/server/stores/store.ts';
import { apply, DAY, event, newOrder, snap, world, type ManualClock } from '../unit/notices/helpers.ts';

vi.mock('../../src/server/notifications/queue-notification.ts', () => ({ queueNotification: vi.fn() }));
const queuedAll = vi.mocked(queueNotification);
/** The review invitations queued (carrier sync queues its own news through the same door). */
const invitationsQueued = () => queuedAll.mock.calls.map((c) => c[1]).filter((n) => n.kind === 'review_invitation');

const T = (iso: string) => Date.parse(iso);
const twoItems = (code: string) => ({
  timeZone: 'UTC',
  items: [
    { sku: 'TENT-G', productId: 'TENT', title: 'Two-person tent', variant: 'Green', quantity: 1, unitAmount: 24900 },
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

async function deliveredOrder(store: Store, clock: ManualClock, code: string, deliveredAt: string) {
  const o = await newOrder(store, clock, twoItems(code));
  await apply(
    store,
    clock,
    o.shipmentId,
    snap('delivered', [event('2026-11-19T12:00:00Z', 'in_transit', 'On its way'), event(deliveredAt, 'delivered', 'Delivered')]),
  );
  return o;
}
const invitationsOf = async (orderId: string) =>
  await db().select().from(schema.reviewInvitations).where(eq(schema.reviewInvitations.orderId, orderId));
const view = async (store: Store, orderId: string, now: number) => (await loadOrder(store, { id: orderId }, now))!;

beforeEach(() => queuedAll.mockClear());

describe('invitations', () => {
  it('delivered + 5 days at 09:00 local makes the items reviewable; recorded once per item, queued once per order', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC' });
    const o = await deliveredOrder(store, clock, 'RV0001', '2026-11-20T15:00:00Z');
    clock.set('2026-11-25T08:59:00Z');
    expect(await scanReviewInvitations(clock.now())).toEqual({ orders: 0, items: 0 });
    expect(await listReviewableProducts({ storeId: store.id, orderId: o.orderId })).toEqual([]);

    clock.set('2026-11-25T09:00:00Z');
    expect(await scanReviewInvitations(clock.now())).toEqual({ orders: 1, items: 2 });
    const inv = await invitationsOf(o.orderId);
    expect(inv.map((i) => [i.sku, i.productId, i.basis, i.invitedAt]).sort()).toEqual([
      ['MUG', 'MUG', 'delivery', clock.now()],
      ['TENT-G', 'TENT', 'delivery', clock.now()],
    ]);
    expect(invitationsQueued()).toHaveLength(1);
    expect(invitationsQueued()[0]).toMatchObject({
      storeId: store.id,
      orderId: o.orderId,
      kind: 'review_invitation',
      key: `review:${o.orderId}`,
    });

    // Again, and again a day later: nothing more is recorded or sent; the parcel left the index.
    await scanReviewInvitations(clock.now());
    clock.advance(DAY);
    expect(await scanReviewInvitations(clock.now())).toEqual({ orders: 0, items: 0 });
    expect(await invitationsOf(o.orderId)).toHaveLength(2);
    expect(invitationsQueued()).toHaveLength(1);
    expect((await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.id, o.shipmentId))))!.reviewDueAt).toBeNull();
    expect((await listReviewableProducts({ storeId: store.id, orderId: o.orderId })).map((p) => p.productId)).toEqual(['TENT', 'MUG']);
  });

  it('the jobs registry’s review jobs send the invitations and end holds', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC', reviews: { publishMode: 'after_hold', holdDays: 1 } });
    const o = await deliveredOrder(store, clock, 'RV0009', '2026-11-20T15:00:00Z');
    const jobs = startJobs({ autoStart: false, now: clock.now, only: ['review-invitations', 'held-reviews'] });
    const round = async () => {
      for (const j of jobs.jobs) await j.runOnce();
    };
    clock.set('2026-11-25T09:00:00Z');
    await round();
    expect(await invitationsOf(o.orderId)).toHaveLength(2);
    await submitReview({ store, order: await view(store, o.orderId, clock.now()), now: clock.now(), fields: { 'rating[MUG]': '1' } });
    clock.advance(DAY);
    await round();
    expect((await firstRow(db().select().from(schema.reviews).where(eq(schema.reviews.orderId, o.orderId))))!.status).toBe('published');
    await jobs.stop();
  });

  it('in the order’s time zone: delivered late evening in Los Angeles counts from that day', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC' });
    const o = await newOrder(store, clock, { ...twoItems('RV0002'), timeZone: 'America/Los_Angeles' });
    // 21:00 on the 20th in Los Angeles is 05:00Z on the 21st: due the 25th at 09:00 PST (17:00Z).
    await apply(store, clock, o.shipmentId, snap('delivered', [event('2026-11-21T05:00:00Z', 'delivered', 'Delivered')]));
    clock.set('2026-11-25T16:59:00Z');
    expect((await scanReviewInvitations(clock.now())).items).toBe(0);
    clock.set('2026-11-25T17:00:00Z');
    expect((await scanReviewInvitations(clock.now())).items).toBe(2);
  });

  it('without a delivery scan: fulfilment + the fallback days; a lost parcel never', async () => {
    const { clock, store } = await world('2026-11-10T10:00:00Z', { timeZone: 'UTC' });
    const quiet = await newOrder(store, clock, twoItems('RV0003'));
    const lost = await newOrder(store, clock, twoItems('RV0004'));
    await apply(store, clock, lost.shipmentId, snap('failure', [event('2026-11-12T10:00:00Z', 'failure', 'Lost')]));
    clock.set('2026-11-24T09:00:00Z');
    expect(await scanReviewInvitations(clock.now())).toEqual({ orders: 1, items: 2 });
    expect((await invitationsOf(quiet.orderId)).every((i) => i.basis === 'fulfilment')).toBe(true);
    clock.set('2027-03-01T09:00:00Z');
    await scanReviewInvitations(clock.now());
    expect(await invitationsOf(lost.orderId)).toEqual([]);
  });

  it('never for an item with a return', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC' });
    const o = await deliveredOrder(store, clock, 'RV0005', '2026-11-20T15:00:00Z');
    clock.set('2026-11-26T00:00:00Z');
    await scanReviewInvitations(clock.now(), { returnedSkus: async () => new Set(['MUG']) });
    expect((await invitationsOf(o.orderId)).map((i) => i.sku)).toEqual(['TENT-G']);
  });
});

describe('a review', () => {
  it('2 stars: opens a case beside the review, is held, and is published when the hold ends', async () => {
    const { clock, store: s0 } = await world('2026-11-18T10:00:00Z', {
      timeZone: 'UTC',
      reviews: { publishMode: 'after_hold', holdDays: 3 },
    });
    const o = await deliveredOrder(s0, clock, 'RV0006', '2026-11-20T15:00:00Z');
    clock.set('2026-11-26T10:00:00Z');
    await scanReviewInvitations(clock.now());
    const store = s0;
    const order = await view(store, o.orderId, clock.now());
    const r = await submitReview({
      store,
      order,
      now: clock.now(),
      fields: { 'rating[TENT]': '2', 'title[TENT]': 'Leaks', 'body[TENT]': 'Water came in at the door', 'rating[MUG]': '5', name: '' },
    });
    expect(r).toEqual({ saved: 2, followUp: true });
    const rows = await db().select().from(schema.reviews).where(eq(schema.reviews.orderId, o.orderId));
    const tent = rows.find((x) => x.productId === 'TENT')!;
    const mug = rows.find((x) => x.productId === 'MUG')!;
    // The same hold for both ratings.
    expect([tent.status, tent.publishAt, mug.status, mug.publishAt]).toEqual([
      'pending',
      clock.now() + 3 * DAY,
      'pending',
      clock.now() + 3 * DAY,
    ]);
    expect(tent.displayName).toBe('Ann L.');
    const c = (await firstRow(db().select().from(schema.cases).where(eq(schema.cases.id, tent.caseId!))))!;
    expect(c).toMatchObject({ kind: 'low_rating', source: 'review', status: 'open', orderId: o.orderId });
    expect(c.message).toContain('2 of 5 stars');
    expect(mug.caseId).toBeNull();

    clock.advance(3 * DAY - 1);
    expect(await publishHeldReviews(clock.now())).toBe(0);
    clock.advance(1);
    expect(await publishHeldReviews(clock.now())).toBe(2);
    expect((await firstRow(db().select().from(schema.reviews).where(eq(schema.reviews.id, tent.id))))!.status).toBe('published');
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.storeId, store.id), eq(schema.auditLog.action, 'review.published')));
    expect(audit.map((a) => a.detail?.reason)).toEqual(['hold ended', 'hold ended']);

    const listed = await listProductReviews({ storeId: store.id, productId: 'TENT' });
    expect(listed.aggregate).toMatchObject({ average: 2, count: 1 });
    expect(listed.reviews[0]).toMatchObject({ rating: 2, title: 'Leaks', author: 'Ann L.', verifiedBuyer: true });

    // The export carries every review with where it came from, so the store is never locked in.
    const exported = await exportReviews(store.id);
    expect(exported.invitationsSent).toBe(2);
    expect(exported.reviews.map((x) => [x.productId, x.rating, x.status])).toEqual([
      ['TENT', 2, 'published'],
      ['MUG', 5, 'published'],
    ]);
    expect(exported.reviews[0]!.verification).toEqual({
      verifiedBuyer: true,
      method: 'written through the private link of the order',
      orderNumber: order.number,
      orderPlacedAt: new Date(order.placedAt).toISOString(),
      invitedAt: '2026-11-26T10:00:00.000Z',
      invitedFrom: 'delivery',
      policyVersion: 1,
    });
  });

  it('a rejected review is not published when its hold ends; the reason is audited', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC', reviews: { publishMode: 'after_hold', holdDays: 2 } });
    const o = await deliveredOrder(store, clock, 'RV0007', '2026-11-20T15:00:00Z');
    clock.set('2026-11-26T10:00:00Z');
    await scanReviewInvitations(clock.now());
    await submitReview({
      store,
      order: await view(store, o.orderId, clock.now()),
      now: clock.now(),
      fields: { 'rating[MUG]': '5', 'body[MUG]': 'Buy cheap mugs from my cousin Bob' },
    });
    const mug = (await firstRow(db().select().from(schema.reviews).where(eq(schema.reviews.orderId, o.orderId))))!;
    const actor = { userId: 'u1', label: 'staff@example.com' };
    await expect(
      moderateReview({ storeId: store.id, reviewId: mug.id, input: { action: 'reject', reason: 'low_rating' }, actor, now: clock.now() }),
    ).rejects.toThrow(/not complete/);
    await moderateReview({ storeId: store.id, reviewId: mug.id, input: { action: 'reject', reason: 'spam' }, actor, now: clock.now() });
    clock.advance(5 * DAY);
    expect(await publishHeldReviews(clock.now())).toBe(0);
    expect((await firstRow(db().select().from(schema.reviews).where(eq(schema.reviews.id, mug.id))))!).toMatchObject({
      status: 'rejected',
      rejectReason: 'spam',
    });
    const audit = await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, 'review.rejected'));
    expect(audit.at(-1)!.detail).toMatchObject({ reviewId: mug.id, reason: 'spam', rating: 5 });
  });

  it('editable by the same link for the edit window, then closed', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC', reviews: { editWindowDays: 10 } });
    const o = await deliveredOrder(store, clock, 'RV0008', '2026-11-20T15:00:00Z');
    clock.set('2026-11-26T10:00:00Z');
    await scanReviewInvitations(clock.now());
    const order = await view(store, o.orderId, clock.now());
    await submitReview({ store, order, now: clock.now(), fields: { 'rating[MUG]': '3' } });
    clock.advance(9 * DAY);
    await submitReview({ store, order, now: clock.now(), fields: { 'rating[MUG]': '4', name: 'Annie' } });
    const rows = await db().select().from(schema.reviews).where(eq(schema.reviews.orderId, o.orderId));
    expect(rows.map((r) => [r.rating, r.displayName, r.status])).toEqual([[4, 'Annie', 'published']]);
    clock.advance(2 * DAY);
    await expect(submitReview({ store, order, now: clock.now(), fields: { 'rating[MUG]': '1' } })).rejects.toThrow(/could not be saved/);
    expect((await firstRow(db().select().from(schema.reviews).where(eq(schema.reviews.orderId, o.orderId))))!.rating).toBe(4);
  });
});
