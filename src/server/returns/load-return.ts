// One return with everything its page, the staff and the API show: items, history, the parcel.
import { and, asc, desc, eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { createOrderToken } from '../orders/order-token.ts';
import { carrierTrackingUrl } from '../tracking/carrier-links.ts';
import { createReturnToken, readReturnToken } from '../security/return-token.ts';
import type { ReturnStatus } from './statuses.ts';

type ReturnRow = typeof schema.returns.$inferSelect;

export interface ReturnView extends ReturnRow {
  status: ReturnStatus;
  token: string;
  orderNumber: string;
  orderToken: string;
  locale: string;
  timeZone: string | null;
  items: (typeof schema.returnItems.$inferSelect)[];
  events: (typeof schema.returnEvents.$inferSelect)[];
  parcel: { status: string; carrierUrl: string | null; events: { occurredAt: number; message: string; place: string | null }[] } | null;
}

/** The store's return with this id or page token, or null. */
export async function loadReturn(storeId: string, where: { id: string } | { token: string }): Promise<ReturnView | null> {
  let cond;
  if ('id' in where) cond = eq(schema.returns.id, where.id);
  else {
    const accessId = readReturnToken(storeId, where.token);
    if (!accessId) return null;
    cond = eq(schema.returns.accessId, accessId);
  }
  const ret = await firstRow(
    db()
      .select()
      .from(schema.returns)
      .where(and(eq(schema.returns.storeId, storeId), cond)),
  );
  if (!ret) return null;
  const [order, items, events, parcel] = await Promise.all([
    firstRow(db().select().from(schema.orders).where(eq(schema.orders.id, ret.orderId))),
    db().select().from(schema.returnItems).where(eq(schema.returnItems.returnId, ret.id)),
    db().select().from(schema.returnEvents).where(eq(schema.returnEvents.returnId, ret.id)).orderBy(asc(schema.returnEvents.at)),
    ret.parcelShipmentId ? firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.id, ret.parcelShipmentId))) : undefined,
  ]);
  const parcelEvents = parcel
    ? await db()
        .select()
        .from(schema.trackingEvents)
        .where(eq(schema.trackingEvents.shipmentId, parcel.id))
        .orderBy(desc(schema.trackingEvents.occurredAt))
    : [];
  return {
    ...ret,
    status: ret.status as ReturnStatus,
    token: createReturnToken(storeId, ret.accessId),
    orderNumber: order?.number ?? '',
    orderToken: order ? createOrderToken(storeId, order.accessId) : '',
    locale: order?.locale ?? 'en-US',
    timeZone: order?.timeZone ?? null,
    items,
    events,
    parcel: parcel
      ? {
          status: parcel.status,
          carrierUrl: carrierTrackingUrl(parcel.carrier, parcel.trackingCode, parcel.publicUrl),
          events: parcelEvents.map((e) => ({
            occurredAt: e.occurredAt,
            message: e.message,
            place: [e.city, e.state].filter(Boolean).join(', ') || null,
          })),
        }
      : null,
  };
}

/** The order's returns, newest first, with their page tokens (for the order page and the API). */
export async function listOrderReturns(storeId: string, orderId: string) {
  const rows = await db()
    .select()
    .from(schema.returns)
    .where(and(eq(schema.returns.storeId, storeId), eq(schema.returns.orderId, orderId)))
    .orderBy(desc(schema.returns.createdAt));
  const items = rows.length ? await db().select().from(schema.returnItems).where(eq(schema.returnItems.orderId, orderId)) : [];
  return rows.map((r) => ({
    ...r,
    status: r.status as ReturnStatus,
    token: createReturnToken(storeId, r.accessId),
    items: items.filter((i) => i.returnId === r.id),
  }));
}
