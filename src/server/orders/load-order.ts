// Loads one order with everything the shopper page and the API show: four indexed queries.
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { dayInZone } from '../../lib/dates.ts';
import { db, firstRow, prepared, schema } from '../db.ts';
import type { Store } from '../stores/store.ts';
import { carrierName, carrierTrackingUrl } from '../tracking/carrier-links.ts';
import { estimateDelivery, type Estimate } from '../tracking/estimate-delivery.ts';
import { milestoneFor, type MilestoneView } from '../tracking/milestone.ts';
import { EXCEPTION_STATUSES, isShipmentStatus, type ShipmentStatus } from '../tracking/statuses.ts';
import { createOrderToken } from './order-token.ts';

export interface ItemView {
  sku: string;
  productId: string;
  title: string;
  variant: string | null;
  quantity: number;
  unitAmount: number;
  imageUrl: string | null;
  category: string | null;
  finalSale: boolean;
}

interface TrackingEventView {
  occurredAt: number;
  status: string;
  message: string;
  place: string | null;
}

export interface NoticeView {
  kind: 'late' | 'stalled' | 'not_scanned' | 'exception' | 'delayed_dispatch';
  reason: string | null;
  revisedDate: string | null;
  needsPerson: boolean;
  openedAt: number;
  /** What the notice dates from: the label's creation (not scanned) or the last scan (stalled). */
  since?: number | null;
}

interface CaseView {
  kind: string;
  source: string;
  status: string;
  createdAt: number;
}

export interface ShipmentView {
  id: string;
  carrier: string;
  carrierName: string;
  trackingCode: string;
  service: string | null;
  status: ShipmentStatus;
  statusDetail: string | null;
  milestone: MilestoneView;
  estimate: Estimate;
  promisedDate: string | null;
  firstScanAt: number | null;
  deliveredAt: number | null;
  lastEventAt: number | null;
  signedBy: string | null;
  carrierUrl: string | null;
  items: (ItemView & { shippedQuantity: number })[];
  events: TrackingEventView[];
  /** Open delay and exception notices. */
  notices: NoticeView[];
  /** Open cases a person at the store is handling. */
  cases: CaseView[];
}

export interface OrderView {
  id: string;
  storeId: string;
  number: string;
  email: string;
  customerName: string;
  placedAt: number;
  currency: string;
  locale: string;
  timeZone: string;
  marketingConsent: boolean;
  shippingAddress: Record<string, string>;
  items: ItemView[];
  shipments: ShipmentView[];
  /** Units not in any parcel yet (being prepared). */
  unshipped: (ItemView & { pendingQuantity: number })[];
  /** The estimate for the unshipped units, from the store's rule. */
  unshippedEstimate: Estimate;
  /** Order-level notices (a delayed dispatch). */
  notices: NoticeView[];
  token: string;
  createdAt: number;
  updatedAt: number;
}

/** The order with this id in this store, or null. */
export async function loadOrder(store: Store, where: { id: string } | { accessId: string }, now: number): Promise<OrderView | null> {
  const order = await firstRow(
    'id' in where
      ? q.orderById().execute({ storeId: store.id, id: where.id })
      : q.orderByAccess().execute({ storeId: store.id, accessId: where.accessId }),
  );
  if (!order) return null;
  const [items, shipments, notices, cases] = await Promise.all([
    q.items().execute({ orderId: order.id }),
    q.shipments().execute({ orderId: order.id }),
    q.notices().execute({ orderId: order.id }),
    q.cases().execute({ orderId: order.id }),
  ]);
  const toNotice = (n: (typeof notices)[number]): NoticeView => ({
    kind: n.kind as NoticeView['kind'],
    reason: n.reason,
    revisedDate: n.revisedDate,
    needsPerson: n.needsPerson,
    openedAt: n.openedAt,
    since: null,
  });
  const ids = shipments.map((s) => s.id);
  const [shipped, events] = ids.length
    ? await Promise.all([
        db().select().from(schema.shipmentItems).where(inArray(schema.shipmentItems.shipmentId, ids)),
        db()
          .select()
          .from(schema.trackingEvents)
          .where(inArray(schema.trackingEvents.shipmentId, ids))
          .orderBy(desc(schema.trackingEvents.occurredAt)),
      ])
    : [[], []];

  const timeZone = order.timeZone ?? store.settings.timeZone;
  const day = (t: number | null) => (t === null ? null : dayInZone(t, timeZone));
  const today = dayInZone(now, timeZone);
  const placedDay = dayInZone(order.placedAt, timeZone);
  const { processingDays, transitDays } = store.settings;
  const itemViews: ItemView[] = items.map((i) => ({
    sku: i.sku,
    productId: i.productId,
    title: i.title,
    variant: i.variant,
    quantity: i.quantity,
    unitAmount: i.unitAmount,
    imageUrl: i.imageUrl,
    category: i.category,
    finalSale: i.finalSale,
  }));
  const bySku = new Map(itemViews.map((i) => [i.sku, i]));
  const shippedTotals = new Map<string, number>();

  const shipmentViews: ShipmentView[] = shipments.map((s) => {
    const status: ShipmentStatus = isShipmentStatus(s.status) ? s.status : 'unknown';
    const contents = shipped
      .filter((x) => x.shipmentId === s.id)
      .flatMap((x) => {
        shippedTotals.set(x.sku, (shippedTotals.get(x.sku) ?? 0) + x.quantity);
        const item = bySku.get(x.sku);
        return item ? [{ ...item, shippedQuantity: x.quantity }] : [];
      });
    return {
      id: s.id,
      carrier: s.carrier,
      carrierName: carrierName(s.carrier),
      trackingCode: s.trackingCode,
      service: s.service,
      status,
      statusDetail: s.statusDetail,
      milestone: milestoneFor(status, s.firstScanAt !== null),
      estimate: estimateDelivery({
        deliveredDay: status === 'delivered' ? day(s.deliveredAt ?? s.lastEventAt ?? s.updatedAt) : null,
        promisedDate: s.promisedDate,
        carrierDay: s.carrierEstimateAt === null ? null : new Date(s.carrierEstimateAt).toISOString().slice(0, 10),
        shippedDay: day(s.firstScanAt ?? s.createdAt),
        placedDay,
        processingDays,
        transitDays,
        today,
        exception: EXCEPTION_STATUSES.has(status),
      }),
      promisedDate: s.promisedDate,
      firstScanAt: s.firstScanAt,
      deliveredAt: s.deliveredAt,
      lastEventAt: s.lastEventAt,
      signedBy: s.signedBy,
      carrierUrl: carrierTrackingUrl(s.carrier, s.trackingCode, s.publicUrl),
      items: contents,
      events: events
        .filter((e) => e.shipmentId === s.id)
        .map((e) => ({
          occurredAt: e.occurredAt,
          status: e.status,
          message: e.message,
          place: [e.city, e.state, e.city || e.state ? null : e.country].filter(Boolean).join(', ') || null,
        })),
      notices: notices
        .filter((n) => n.shipmentId === s.id)
        .map((n) => ({ ...toNotice(n), since: n.kind === 'not_scanned' ? s.createdAt : n.kind === 'stalled' ? s.lastEventAt : null })),
      cases: cases
        .filter((c) => c.shipmentId === s.id)
        .map((c) => ({ kind: c.kind, source: c.source, status: c.status, createdAt: c.createdAt })),
    };
  });

  const unshipped = itemViews
    .map((i) => ({ ...i, pendingQuantity: i.quantity - (shippedTotals.get(i.sku) ?? 0) }))
    .filter((i) => i.pendingQuantity > 0);
  return {
    id: order.id,
    storeId: store.id,
    number: order.number,
    email: order.email,
    customerName: order.customerName,
    placedAt: order.placedAt,
    currency: order.currency,
    locale: order.locale,
    timeZone,
    marketingConsent: order.marketingConsent,
    shippingAddress: order.shippingAddress,
    items: itemViews,
    shipments: shipmentViews,
    unshipped,
    unshippedEstimate: estimateDelivery({
      deliveredDay: null,
      promisedDate: null,
      carrierDay: null,
      shippedDay: null,
      placedDay,
      processingDays,
      transitDays,
      today,
      exception: false,
    }),
    notices: notices.filter((n) => n.shipmentId === null).map(toNotice),
    token: createOrderToken(store.id, order.accessId),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/**
 * The fixed-shape queries, built once per connection: every page view and every email loads an
 * order, and drizzle building a query afresh cost more than SQLite running it (the email job's
 * CPU profile). The parcels' items and events take a list of ids, so they are built per call.
 */
const ph = (name: string) => sql.placeholder(name);
const q = {
  orderById: () =>
    prepared(db(), 'loadOrder.byId', (d) =>
      d
        .select()
        .from(schema.orders)
        .where(and(eq(schema.orders.storeId, ph('storeId')), eq(schema.orders.id, ph('id'))))
        .prepare(),
    ),
  orderByAccess: () =>
    prepared(db(), 'loadOrder.byAccess', (d) =>
      d
        .select()
        .from(schema.orders)
        .where(and(eq(schema.orders.storeId, ph('storeId')), eq(schema.orders.accessId, ph('accessId'))))
        .prepare(),
    ),
  items: () =>
    prepared(db(), 'loadOrder.items', (d) =>
      d
        .select()
        .from(schema.orderItems)
        .where(eq(schema.orderItems.orderId, ph('orderId')))
        .orderBy(asc(schema.orderItems.position))
        .prepare(),
    ),
  shipments: () =>
    prepared(db(), 'loadOrder.shipments', (d) =>
      d
        .select()
        .from(schema.shipments)
        // Return parcels (coming back to the store) belong to their return, not to the order's deliveries.
        .where(and(eq(schema.shipments.orderId, ph('orderId')), isNull(schema.shipments.returnId)))
        .orderBy(asc(schema.shipments.createdAt))
        .prepare(),
    ),
  notices: () =>
    prepared(db(), 'loadOrder.notices', (d) =>
      d
        .select()
        .from(schema.notices)
        .where(and(eq(schema.notices.orderId, ph('orderId')), isNull(schema.notices.clearedAt)))
        .orderBy(asc(schema.notices.openedAt))
        .prepare(),
    ),
  cases: () =>
    prepared(db(), 'loadOrder.cases', (d) =>
      d
        .select()
        .from(schema.cases)
        .where(and(eq(schema.cases.orderId, ph('orderId')), ne(schema.cases.status, 'resolved')))
        .prepare(),
    ),
};
