// What an event's `data` says, read in the writer's transaction (so it is what the change just
// wrote). Each reader answers null when the row is not the store's, so nothing leaks across stores.
import { and, eq, sql } from 'drizzle-orm';
import { config } from '../config.ts';
import { firstRow, prepared, schema, type Tx } from '../db.ts';
import { orderPageUrl } from '../orders/order-json.ts';
import { createOrderToken } from '../orders/order-token.ts';
import type { CaseEventData, ReturnEventData, ReviewEventData, ShipmentEventData } from './catalogue.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

async function orderFacts(tx: Tx, storeId: string, orderId: string) {
  const r = await firstRow(q.order(tx).execute({ orderId, storeId }));
  if (!r) return null;
  return {
    store: r.slug,
    orderNumber: r.number,
    email: r.email,
    trackingUrl: orderPageUrl(config().publicUrl, { slug: r.slug }, createOrderToken(storeId, r.accessId)),
  };
}

/** What a parcel's event data says of the parcel itself. */
export type ParcelFacts = Pick<
  typeof schema.shipments.$inferSelect,
  | 'storeId'
  | 'orderId'
  | 'returnId'
  | 'carrier'
  | 'trackingCode'
  | 'status'
  | 'statusDetail'
  | 'promisedDate'
  | 'carrierEstimateAt'
  | 'lastEventAt'
  | 'deliveredAt'
>;

/**
 * A parcel's event data: the order, the parcel with its status and newest scan, its items.
 * `parcel`: its row as last written in this transaction, when the caller holds it (then it is not read again).
 */
export async function shipmentFacts(
  tx: Tx,
  storeId: string,
  shipmentId: string,
  notice: { kind: string; reason: string | null } | null = null,
  parcel?: ParcelFacts,
): Promise<{ orderId: string; returnId: string | null; data: ShipmentEventData } | null> {
  const s = parcel ? (parcel.storeId === storeId ? parcel : undefined) : await firstRow(q.shipment(tx).execute({ shipmentId, storeId }));
  if (!s) return null;
  const order = await orderFacts(tx, storeId, s.orderId);
  if (!order) return null;
  const items = await q.shipmentItems(tx).execute({ shipmentId, orderId: s.orderId });
  const estimate = s.promisedDate ?? (s.carrierEstimateAt === null ? null : new Date(s.carrierEstimateAt).toISOString().slice(0, 10));
  return {
    orderId: s.orderId,
    returnId: s.returnId,
    data: {
      ...order,
      shipment: {
        carrier: s.carrier,
        trackingCode: s.trackingCode,
        status: s.status,
        statusDetail: s.statusDetail,
        estimatedDelivery: estimate,
        lastScanAt: iso(s.lastEventAt),
        deliveredAt: iso(s.deliveredAt),
      },
      items,
      notice,
    },
  };
}

/** A return's event data. */
export async function returnFacts(tx: Tx, storeId: string, returnId: string): Promise<ReturnEventData | null> {
  const r = await firstRow(
    tx
      .select()
      .from(schema.returns)
      .where(and(eq(schema.returns.id, returnId), eq(schema.returns.storeId, storeId))),
  );
  if (!r) return null;
  const order = await orderFacts(tx, storeId, r.orderId);
  if (!order) return null;
  const items = await tx
    .select({ sku: schema.returnItems.sku, quantity: schema.returnItems.quantity, reason: schema.returnItems.reason })
    .from(schema.returnItems)
    .where(eq(schema.returnItems.returnId, returnId));
  return {
    ...order,
    return: {
      id: r.id,
      status: r.status,
      resolution: r.resolution,
      currency: r.currency,
      totalBack: r.totalBack,
      carrier: r.carrier,
      trackingCode: r.trackingCode,
      labelUrl: r.labelPdfUrl ?? r.labelPngUrl,
      items,
    },
  };
}

/** A published review's event data. */
export async function reviewFacts(tx: Tx, storeId: string, reviewId: string): Promise<{ orderId: string; data: ReviewEventData } | null> {
  const r = await firstRow(
    tx
      .select()
      .from(schema.reviews)
      .where(and(eq(schema.reviews.id, reviewId), eq(schema.reviews.storeId, storeId))),
  );
  if (!r || r.publishedAt === null) return null;
  const order = await orderFacts(tx, storeId, r.orderId);
  if (!order) return null;
  return {
    orderId: r.orderId,
    data: {
      ...order,
      review: {
        id: r.id,
        productId: r.productId,
        productTitle: r.productTitle,
        rating: r.rating,
        title: r.title,
        body: r.body,
        displayName: r.displayName,
        publishedAt: iso(r.publishedAt)!,
      },
    },
  };
}

/** A case's event data. */
export async function caseFacts(
  tx: Tx,
  c: { storeId: string; orderId: string; caseId: string; kind: string; source: string; message: string | null; shipmentId: string | null },
): Promise<CaseEventData | null> {
  const order = await orderFacts(tx, c.storeId, c.orderId);
  if (!order) return null;
  const parcel = c.shipmentId
    ? await firstRow(tx.select({ code: schema.shipments.trackingCode }).from(schema.shipments).where(eq(schema.shipments.id, c.shipmentId)))
    : null;
  return { ...order, case: { id: c.caseId, kind: c.kind, source: c.source, message: c.message, trackingCode: parcel?.code ?? null } };
}

const { orders, stores, shipments, shipmentItems, orderItems } = schema;
const p = sql.placeholder;
/** The readers a parcel's step runs (shipment.shipped, out_for_delivery, delivered, delayed): built once per connection. */
const q = {
  order: (tx: Tx) =>
    prepared(tx, 'events.order', (d) =>
      d
        .select({ slug: stores.slug, number: orders.number, email: orders.email, accessId: orders.accessId })
        .from(orders)
        .innerJoin(stores, eq(stores.id, orders.storeId))
        .where(and(eq(orders.id, p('orderId')), eq(orders.storeId, p('storeId'))))
        .prepare(),
    ),
  shipment: (tx: Tx) =>
    prepared(tx, 'events.shipment', (d) =>
      d
        .select({
          orderId: shipments.orderId,
          returnId: shipments.returnId,
          carrier: shipments.carrier,
          trackingCode: shipments.trackingCode,
          status: shipments.status,
          statusDetail: shipments.statusDetail,
          promisedDate: shipments.promisedDate,
          carrierEstimateAt: shipments.carrierEstimateAt,
          lastEventAt: shipments.lastEventAt,
          deliveredAt: shipments.deliveredAt,
        })
        .from(shipments)
        .where(and(eq(shipments.id, p('shipmentId')), eq(shipments.storeId, p('storeId'))))
        .prepare(),
    ),
  shipmentItems: (tx: Tx) =>
    prepared(tx, 'events.shipmentItems', (d) =>
      d
        .select({
          sku: orderItems.sku,
          title: orderItems.title,
          variant: orderItems.variant,
          quantity: shipmentItems.quantity,
          imageUrl: orderItems.imageUrl,
        })
        .from(shipmentItems)
        .innerJoin(orderItems, and(eq(orderItems.orderId, p('orderId')), eq(orderItems.sku, shipmentItems.sku)))
        .where(eq(shipmentItems.shipmentId, p('shipmentId')))
        .prepare(),
    ),
};
