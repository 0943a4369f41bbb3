// The invitation scan: reads only parcels whose review due time has passed (an index), works out
// which of their order's items are reviewable now, records one invitation per item (unique per
// order and item) and queues one push per order. Every eligible buyer is invited: nothing here
// looks at what anyone expects them to say.
import { and, asc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { db, firstRow, schema, transaction } from '../db.ts';
import { newId } from '../ids.ts';
import { queueNotification } from '../notifications/queue-notification.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { returnedSkus as defaultReturnedSkus } from '../returns/returned-skus.ts';
import { readSettings } from '../stores/settings.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';
import { parcelReviewableAt, reviewableItems, type ParcelForReview } from './eligibility.ts';

const BATCH = 200;

export interface InvitationScanResult {
  orders: number;
  items: number;
}

type ReturnedSkus = (opts: { storeId: string; orderId: string }) => Promise<Set<string>>;

/** Parcels whose review time has come, oldest first: read by the partial index on review_due_at. */
export function dueParcels(now: number) {
  return db()
    .select({ orderId: schema.shipments.orderId })
    .from(schema.shipments)
    .where(and(isNotNull(schema.shipments.reviewDueAt), lte(schema.shipments.reviewDueAt, now)))
    .orderBy(asc(schema.shipments.reviewDueAt))
    .limit(BATCH);
}

/** Invites every order whose items have become reviewable by `now`. */
export async function scanReviewInvitations(now: number, deps: { returnedSkus?: ReturnedSkus } = {}): Promise<InvitationScanResult> {
  const returned = deps.returnedSkus ?? defaultReturnedSkus;
  const result: InvitationScanResult = { orders: 0, items: 0 };
  for (;;) {
    const due = await dueParcels(now);
    const orderIds = [...new Set(due.map((d) => d.orderId))];
    for (const orderId of orderIds) {
      const invited = await inviteOrder(orderId, now, returned);
      if (invited > 0) {
        result.orders++;
        result.items += invited;
      }
    }
    if (due.length < BATCH) break;
  }
  return result;
}

/** Records the order's reviewable items; returns how many were newly invited. */
async function inviteOrder(orderId: string, now: number, returned: ReturnedSkus): Promise<number> {
  const order = await firstRow(
    db()
      .select({
        id: schema.orders.id,
        storeId: schema.orders.storeId,
        timeZone: schema.orders.timeZone,
        settings: schema.stores.settings,
        version: schema.stores.policyVersion,
      })
      .from(schema.orders)
      .innerJoin(schema.stores, eq(schema.stores.id, schema.orders.storeId))
      .where(eq(schema.orders.id, orderId)),
  );
  if (!order) return 0;
  const settings = readSettings(order.settings);
  const timeZone = order.timeZone ?? settings.timeZone;
  const [shipments, items, invited, returnedSet] = await Promise.all([
    db()
      .select()
      .from(schema.shipments)
      .where(and(eq(schema.shipments.orderId, orderId), eq(schema.shipments.storeId, order.storeId))),
    db()
      .select({ sku: schema.orderItems.sku, productId: schema.orderItems.productId })
      .from(schema.orderItems)
      .where(eq(schema.orderItems.orderId, orderId)),
    db().select({ sku: schema.reviewInvitations.sku }).from(schema.reviewInvitations).where(eq(schema.reviewInvitations.orderId, orderId)),
    returned({ storeId: order.storeId, orderId }),
  ]);
  const contents = shipments.length
    ? await db()
        .select()
        .from(schema.shipmentItems)
        .where(
          inArray(
            schema.shipmentItems.shipmentId,
            shipments.map((s) => s.id),
          ),
        )
    : [];
  const productOf = new Map(items.map((i) => [i.sku, i.productId]));
  const parcels: ParcelForReview[] = shipments.map((s) => ({
    id: s.id,
    status: s.status as ShipmentStatus,
    deliveredAt: s.deliveredAt,
    createdAt: s.createdAt,
    items: contents.filter((c) => c.shipmentId === s.id).map((c) => ({ sku: c.sku, productId: productOf.get(c.sku) ?? c.sku })),
  }));
  const fresh = reviewableItems({
    parcels,
    policy: settings.reviews,
    timeZone,
    now,
    returnedSkus: returnedSet,
    invitedSkus: new Set(invited.map((i) => i.sku)),
  });
  return transaction(async (tx) => {
    let added = 0;
    for (const i of fresh) {
      const rows = await tx
        .insert(schema.reviewInvitations)
        .values({
          id: newId(),
          storeId: order.storeId,
          orderId,
          shipmentId: i.shipmentId,
          sku: i.sku,
          productId: i.productId,
          basis: i.basis,
          reviewableAt: i.reviewableAt,
          invitedAt: now,
          policyVersion: order.version,
        })
        .onConflictDoNothing()
        .returning({ id: schema.reviewInvitations.id });
      added += rows.length;
    }
    // One push per order, however many parcels and items: the key makes a second one a no-op.
    if (added > 0) {
      await queueNotification(tx, { storeId: order.storeId, orderId, kind: 'review_invitation', key: `review:${orderId}`, now });
      await recordPageChange(tx, order.storeId, orderId, now);
    }
    // A parcel whose time has come is done; one still ahead (the policy moved it) waits again.
    for (const s of shipments) {
      if (s.reviewDueAt === null || s.reviewDueAt > now) continue;
      const again = parcelReviewableAt({ ...s, status: s.status as ShipmentStatus }, settings.reviews, timeZone);
      await tx
        .update(schema.shipments)
        .set({ reviewDueAt: again && again.at > now ? again.at : null })
        .where(eq(schema.shipments.id, s.id));
    }
    return added;
  });
}
