// What the follow-up and replenishment decisions need to know about an order and its customer,
// read from the database: is something open for the order, did the customer unsubscribe, when did
// the store last send them a follow-up, did they order a product again since.
import { and, eq, gt, gte, inArray, isNotNull, isNull, lte, max, notInArray } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { productOfReplenishment } from './plan-replenishment.ts';
import { OPEN_STATUSES, VOID_STATUSES } from '../returns/return-machine.ts';

export interface LifecycleOrder {
  id: string;
  storeId: string;
  emailNorm: string;
  placedAt: number;
  timeZone: string | null;
  marketingConsent: boolean;
}

/** The order's facts for planning (scoped by store). */
export async function lifecycleOrder(storeId: string, orderId: string): Promise<LifecycleOrder | undefined> {
  return firstRow(
    db()
      .select({
        id: schema.orders.id,
        storeId: schema.orders.storeId,
        emailNorm: schema.orders.emailNorm,
        placedAt: schema.orders.placedAt,
        timeZone: schema.orders.timeZone,
        marketingConsent: schema.orders.marketingConsent,
      })
      .from(schema.orders)
      .where(and(eq(schema.orders.id, orderId), eq(schema.orders.storeId, storeId))),
  );
}

/** True while a case or a return is open for the order: nothing is sold to someone waiting for help. */
export async function somethingOpen(storeId: string, orderId: string): Promise<boolean> {
  const openCase = await firstRow(
    db()
      .select({ id: schema.cases.id })
      .from(schema.cases)
      .where(
        and(eq(schema.cases.storeId, storeId), eq(schema.cases.orderId, orderId), inArray(schema.cases.status, ['open', 'in_progress'])),
      )
      .limit(1),
  );
  if (openCase) return true;
  const openReturn = await firstRow(
    db()
      .select({ id: schema.returns.id })
      .from(schema.returns)
      .where(
        and(eq(schema.returns.storeId, storeId), eq(schema.returns.orderId, orderId), inArray(schema.returns.status, [...OPEN_STATUSES])),
      )
      .limit(1),
  );
  return openReturn !== undefined;
}

/** True when the address unsubscribed from the store's marketing or refuses its mail. */
export async function unsubscribed(storeId: string, emailNorm: string): Promise<boolean> {
  const row = await firstRow(
    db()
      .select({ id: schema.emailSuppressions.id })
      .from(schema.emailSuppressions)
      .where(and(eq(schema.emailSuppressions.storeId, storeId), eq(schema.emailSuppressions.emailNorm, emailNorm)))
      .limit(1),
  );
  return row !== undefined;
}

/** When the store last recorded a follow-up to this customer, on any channel and any order (null: never). */
export async function lastFollowUpAt(storeId: string, emailNorm: string): Promise<number | null> {
  const row = await firstRow(
    db()
      .select({ at: max(schema.messages.createdAt) })
      .from(schema.messages)
      .innerJoin(schema.orders, eq(schema.orders.id, schema.messages.orderId))
      .where(
        and(
          eq(schema.messages.storeId, storeId),
          eq(schema.messages.kind, 'follow_up'),
          notInArray(schema.messages.status, ['suppressed', 'expired']),
          eq(schema.orders.storeId, storeId),
          eq(schema.orders.emailNorm, emailNorm),
        ),
      ),
  );
  return row?.at ?? null;
}

/** The dedupe keys already recorded for this order and kind (every channel). */
export async function recordedKeys(storeId: string, orderId: string, kind: 'follow_up' | 'replenishment'): Promise<string[]> {
  const rows = await db()
    .select({ key: schema.messages.dedupeKey })
    .from(schema.messages)
    .where(and(eq(schema.messages.storeId, storeId), eq(schema.messages.orderId, orderId), eq(schema.messages.kind, kind)));
  return rows.map((r) => r.key);
}

/** True when the customer placed another order holding the product after `placedAt`. */
export async function reorderedSince(o: LifecycleOrder, productId: string): Promise<boolean> {
  const row = await firstRow(
    db()
      .select({ id: schema.orders.id })
      .from(schema.orderItems)
      .innerJoin(schema.orders, eq(schema.orders.id, schema.orderItems.orderId))
      .where(
        and(
          eq(schema.orders.storeId, o.storeId),
          eq(schema.orders.emailNorm, o.emailNorm),
          eq(schema.orderItems.productId, productId),
          gt(schema.orders.placedAt, o.placedAt),
        ),
      )
      .limit(1),
  );
  return row !== undefined;
}

/** The product ids of the order in a return that is not rejected or cancelled. */
export async function returnedProducts(storeId: string, orderId: string): Promise<Set<string>> {
  const rows = await db()
    .selectDistinct({ productId: schema.returnItems.productId })
    .from(schema.returnItems)
    .innerJoin(schema.returns, eq(schema.returns.id, schema.returnItems.returnId))
    .where(
      and(eq(schema.returns.storeId, storeId), eq(schema.returns.orderId, orderId), notInArray(schema.returns.status, [...VOID_STATUSES])),
    );
  return new Set(rows.map((r) => r.productId));
}

/** Orders of the store whose latest outbound delivery scan falls in [from, to]. */
export async function ordersDeliveredBetween(
  storeId: string,
  from: number,
  to: number,
): Promise<{ orderId: string; deliveredAt: number }[]> {
  const last = max(schema.shipments.deliveredAt);
  const rows = await db()
    .select({ orderId: schema.shipments.orderId, deliveredAt: last })
    .from(schema.shipments)
    // Only parcels delivered from `from` on: an order whose latest delivery is in the window has
    // that parcel among them, so its maximum is the same, and the index keeps the read to the window.
    .where(and(eq(schema.shipments.storeId, storeId), isNull(schema.shipments.returnId), gte(schema.shipments.deliveredAt, from)))
    .groupBy(schema.shipments.orderId)
    .having(and(gte(last, from), lte(last, to)));
  return rows.flatMap((r) => (r.deliveredAt !== null ? [{ orderId: r.orderId, deliveredAt: r.deliveredAt }] : []));
}

/** Deliveries of one product in [from, to]: the order and when the parcel holding it was delivered. */
export async function productDeliveredBetween(
  storeId: string,
  productId: string,
  from: number,
  to: number,
): Promise<{ orderId: string; deliveredAt: number }[]> {
  const rows = await db()
    .selectDistinct({ orderId: schema.orderItems.orderId, deliveredAt: schema.shipments.deliveredAt })
    .from(schema.orderItems)
    .innerJoin(schema.shipmentItems, and(eq(schema.shipmentItems.storeId, storeId), eq(schema.shipmentItems.sku, schema.orderItems.sku)))
    .innerJoin(
      schema.shipments,
      and(eq(schema.shipments.id, schema.shipmentItems.shipmentId), eq(schema.shipments.orderId, schema.orderItems.orderId)),
    )
    .where(
      and(
        eq(schema.orderItems.storeId, storeId),
        eq(schema.orderItems.productId, productId),
        isNull(schema.shipments.returnId),
        isNotNull(schema.shipments.deliveredAt),
        gte(schema.shipments.deliveredAt, from),
        lte(schema.shipments.deliveredAt, to),
      ),
    );
  return rows.flatMap((r) => (r.deliveredAt !== null ? [{ orderId: r.orderId, deliveredAt: r.deliveredAt }] : []));
}

/** True when a replenishment reminder already covered this order's product (on any day; or before reminders were grouped by day). */
export async function remindedBefore(storeId: string, orderId: string, productId: string): Promise<boolean> {
  const row = await firstRow(
    db()
      .select({ id: schema.replenishmentItems.id })
      .from(schema.replenishmentItems)
      .where(
        and(
          eq(schema.replenishmentItems.storeId, storeId),
          eq(schema.replenishmentItems.orderId, orderId),
          eq(schema.replenishmentItems.productId, productId),
        ),
      )
      .limit(1),
  );
  if (row) return true;
  return (await recordedKeys(storeId, orderId, 'replenishment')).some((k) => productOfReplenishment(k, orderId) === productId);
}

/** The products one replenishment reminder covers (its key without the channel's prefix). */
export async function productsOfReminder(storeId: string, messageKey: string): Promise<string[]> {
  const rows = await db()
    .selectDistinct({ productId: schema.replenishmentItems.productId })
    .from(schema.replenishmentItems)
    .where(and(eq(schema.replenishmentItems.storeId, storeId), eq(schema.replenishmentItems.messageKey, messageKey)))
    .orderBy(schema.replenishmentItems.productId);
  return rows.map((r) => r.productId);
}
