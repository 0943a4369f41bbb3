// The order a branding preview shows: one of the store's own (a parcel in transit if there is one),
// or a made-up sample for a store without orders yet. Read-only; the shopper's link is never shown.
import { and, desc, eq, sql } from 'drizzle-orm';
import { addBusinessDays, dayInZone } from '../../lib/dates.ts';
import { db, firstRow, schema } from '../db.ts';
import { loadOrder, type OrderView } from './load-order.ts';
import { estimateDelivery } from '../tracking/estimate-delivery.ts';
import { milestoneFor } from '../tracking/milestone.ts';
import type { Store } from '../stores/store.ts';

const DAY = 86_400_000;

/** A real recent order of the store to preview with, else a sample one. */
export async function getPreviewOrder(store: Store, now: number): Promise<{ order: OrderView; sample: boolean }> {
  const row = await firstRow(
    db()
      .select({ id: schema.orders.id })
      .from(schema.shipments)
      .innerJoin(schema.orders, eq(schema.orders.id, schema.shipments.orderId))
      .where(and(eq(schema.shipments.storeId, store.id), eq(schema.orders.storeId, store.id)))
      .orderBy(desc(sql`${schema.shipments.status} = 'in_transit'`), desc(schema.shipments.updatedAt))
      .limit(1),
  );
  const order = row ? await loadOrder(store, { id: row.id }, now) : null;
  return order ? { order, sample: false } : { order: sampleOrder(store, now), sample: true };
}

/** One parcel in transit with two scans, for a store that has no orders yet. */
function sampleOrder(store: Store, now: number): OrderView {
  const timeZone = store.settings.timeZone;
  const today = dayInZone(now, timeZone);
  const placedAt = now - 2 * DAY;
  const item = {
    sku: 'SAMPLE-1',
    productId: 'SAMPLE-1',
    title: 'Sample item',
    variant: 'One size',
    quantity: 1,
    unitAmount: 4900,
    imageUrl: null,
    category: null,
    finalSale: false,
  };
  const shippedDay = dayInZone(now - DAY, timeZone);
  return {
    id: 'sample',
    storeId: store.id,
    number: '1001',
    email: 'shopper@example.com',
    customerName: 'Sample Shopper',
    placedAt,
    currency: 'USD',
    locale: 'en-US',
    timeZone,
    marketingConsent: false,
    shippingAddress: {},
    items: [item],
    shipments: [
      {
        id: 'sample-parcel',
        carrier: 'USPS',
        carrierName: 'USPS',
        trackingCode: '9400100000000000000000',
        service: 'Ground Advantage',
        status: 'in_transit',
        statusDetail: null,
        milestone: milestoneFor('in_transit', true),
        estimate: estimateDelivery({
          deliveredDay: null,
          promisedDate: addBusinessDays(today, 2),
          carrierDay: null,
          shippedDay,
          placedDay: dayInZone(placedAt, timeZone),
          processingDays: store.settings.processingDays,
          transitDays: store.settings.transitDays,
          today,
          exception: false,
        }),
        promisedDate: null,
        firstScanAt: now - DAY,
        deliveredAt: null,
        lastEventAt: now - 3 * 3_600_000,
        signedBy: null,
        carrierUrl: null,
        items: [{ ...item, shippedQuantity: 1 }],
        events: [
          { occurredAt: now - 3 * 3_600_000, status: 'in_transit', message: 'Arrived at regional facility', place: 'Portland, OR' },
          { occurredAt: now - DAY, status: 'in_transit', message: 'Accepted at post office', place: 'Seattle, WA' },
        ],
        notices: [],
        cases: [],
      },
    ],
    unshipped: [],
    unshippedEstimate: { kind: 'none' },
    notices: [],
    token: 'sample',
    createdAt: placedAt,
    updatedAt: now,
  };
}
