// The API's JSON for an order. Links are absolute, built from WAYPOST_PUBLIC_URL.
import type { Store } from '../stores/store.ts';
import type { OrderView } from './load-order.ts';

/** The order page's absolute URL. */
export function orderPageUrl(publicUrl: string, store: Pick<Store, 'slug'>, token: string): string {
  return `${publicUrl}/${store.slug}/t/${token}`;
}

/** The order as the merchant API returns it; `reviewable` (when known) adds `reviewUrl` for the store's emails. */
export function toOrderJson(o: OrderView, store: Store, publicUrl: string, extras: { reviewable?: boolean } = {}) {
  const trackingUrl = orderPageUrl(publicUrl, store, o.token);
  return {
    ...(extras.reviewable === undefined ? {} : { reviewUrl: extras.reviewable ? `${trackingUrl}/review` : null }),
    number: o.number,
    email: o.email,
    customerName: o.customerName,
    placedAt: new Date(o.placedAt).toISOString(),
    currency: o.currency,
    locale: o.locale,
    timeZone: o.timeZone,
    marketingConsent: o.marketingConsent,
    shippingAddress: o.shippingAddress,
    trackingUrl,
    items: o.items.map((i) => ({
      sku: i.sku,
      productId: i.productId,
      title: i.title,
      variant: i.variant,
      quantity: i.quantity,
      unitAmount: i.unitAmount,
      imageUrl: i.imageUrl,
      category: i.category,
      finalSale: i.finalSale,
    })),
    unshippedItems: o.unshipped.map((i) => ({ sku: i.sku, quantity: i.pendingQuantity })),
    shipments: o.shipments.map((s) => ({
      carrier: s.carrier,
      trackingCode: s.trackingCode,
      service: s.service,
      status: s.status,
      statusDetail: s.statusDetail,
      milestone: s.milestone.milestone,
      exception: s.milestone.exception,
      estimatedDelivery:
        s.estimate.kind === 'expected'
          ? { date: s.estimate.date, source: s.estimate.source, revised: s.estimate.revised }
          : s.estimate.kind === 'delivered'
            ? { date: s.estimate.date, source: 'delivered', revised: false }
            : null,
      promisedDeliveryDate: s.promisedDate,
      deliveredAt: s.deliveredAt === null ? null : new Date(s.deliveredAt).toISOString(),
      carrierTrackingUrl: s.carrierUrl,
      trackingUrl: `${trackingUrl}#parcel-${encodeURIComponent(s.trackingCode)}`,
      items: s.items.map((i) => ({ sku: i.sku, quantity: i.shippedQuantity })),
    })),
    createdAt: new Date(o.createdAt).toISOString(),
    updatedAt: new Date(o.updatedAt).toISOString(),
  };
}
