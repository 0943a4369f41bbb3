// Every review of the store with its verification provenance (the order it came through, the
// invitation and when, the policy version it was published under and every moderation field),
// so a store can take its reviews anywhere.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { db, schema } from '../db.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The store's whole review history as plain JSON. */
export async function exportReviews(storeId: string) {
  const reviews = await db()
    .select()
    .from(schema.reviews)
    .where(eq(schema.reviews.storeId, storeId))
    .orderBy(asc(schema.reviews.createdAt));
  const orderIds = [...new Set(reviews.map((r) => r.orderId))];
  const [orders, invitations] = orderIds.length
    ? await Promise.all([
        db()
          .select({ id: schema.orders.id, number: schema.orders.number, placedAt: schema.orders.placedAt })
          .from(schema.orders)
          .where(and(eq(schema.orders.storeId, storeId), inArray(schema.orders.id, orderIds))),
        db()
          .select()
          .from(schema.reviewInvitations)
          .where(and(eq(schema.reviewInvitations.storeId, storeId), inArray(schema.reviewInvitations.orderId, orderIds))),
      ])
    : [[], []];
  const invitationCount = await db().$count(schema.reviewInvitations, eq(schema.reviewInvitations.storeId, storeId));
  return {
    format: 'waypost.reviews.v1',
    invitationsSent: invitationCount,
    reviews: reviews.map((r) => {
      const order = orders.find((o) => o.id === r.orderId);
      const inv = invitations.filter((i) => i.orderId === r.orderId && r.skus.includes(i.sku));
      return {
        id: r.id,
        productId: r.productId,
        productTitle: r.productTitle,
        skus: r.skus,
        rating: r.rating,
        title: r.title,
        body: r.body,
        author: r.displayName,
        status: r.status,
        rejectReason: r.rejectReason,
        reply: r.reply,
        repliedAt: iso(r.repliedAt),
        createdAt: iso(r.createdAt),
        updatedAt: iso(r.updatedAt),
        publishedAt: iso(r.publishedAt),
        verification: {
          verifiedBuyer: true,
          method: 'written through the private link of the order',
          orderNumber: order?.number ?? null,
          orderPlacedAt: iso(order?.placedAt ?? null),
          invitedAt: iso(inv.length ? Math.min(...inv.map((i) => i.invitedAt)) : null),
          invitedFrom: inv[0]?.basis ?? null,
          policyVersion: r.policyVersion,
        },
      };
    }),
  };
}
