// An item on its way back is not invited to a review: a real return through createReturn, then
// the real invitation scan and the order page's list of reviewable products.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db, schema } from '../../src/server/db.ts';
import { createReturn } from '../../src/server/returns/create-return.ts';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { listReviewableProducts } from '../../src/server/reviews/list-reviewable-products.ts';
import { scanReviewInvitations } from '../../src/server/reviews/scan-review-invitations.ts';
import { apply, event, newOrder, snap, world } from '../unit/notices/helpers.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

describe('reviews and returns', () => {
  it('invites the items kept, never the one being returned', async () => {
    const { clock, store } = await world('2026-11-18T10:00:00Z', { timeZone: 'UTC', returnAddress: RETURN_ADDRESS });
    const o = await newOrder(store, clock, {
      timeZone: 'UTC',
      items: [
        { sku: 'TENT-G', productId: 'TENT', title: 'Two-person tent', quantity: 1, unitAmount: 24900 },
        { sku: 'MUG', title: 'Camp mug', quantity: 1, unitAmount: 1500 },
      ],
      shipments: [
        {
          carrier: 'USPS',
          trackingCode: 'RVRET0001',
          items: [
            { sku: 'TENT-G', quantity: 1 },
            { sku: 'MUG', quantity: 1 },
          ],
        },
      ],
    });
    await apply(store, clock, o.shipmentId, snap('delivered', [event('2026-11-20T15:00:00Z', 'delivered', 'Delivered')]));
    clock.set('2026-11-22T10:00:00Z');
    await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId: o.orderId,
      fields: { key: 'review-return-key-000001', resolution: 'refund', 'qty[MUG]': '1', 'reason[MUG]': 'changed_mind' },
      now: clock.now(),
    });

    clock.set('2026-11-26T10:00:00Z');
    await scanReviewInvitations(clock.now());
    const invited = await db().select().from(schema.reviewInvitations).where(eq(schema.reviewInvitations.orderId, o.orderId));
    expect(invited.map((i) => i.sku)).toEqual(['TENT-G']);
    expect((await listReviewableProducts({ storeId: store.id, orderId: o.orderId })).map((p) => p.productId)).toEqual(['TENT']);
  });
});
