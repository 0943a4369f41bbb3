// A return as the merchant API shows it. Waypost does not move money: it records what is owed
// (totalBack, released when refundReleasedAt is set) and what the store's systems report done.
import type { schema } from '../db.ts';
import { createReturnToken } from '../security/return-token.ts';

type Row = typeof schema.returns.$inferSelect & { items: (typeof schema.returnItems.$inferSelect)[]; orderNumber?: string };
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The API's JSON for a return; `returnUrl` is the shopper's page. */
export function toReturnJson(r: Row, opts: { publicUrl: string; slug: string }) {
  return {
    id: r.id,
    orderNumber: r.orderNumber,
    status: r.status,
    resolution: r.resolution,
    items: r.items.map((i) => ({
      sku: i.sku,
      productId: i.productId,
      title: i.title,
      quantity: i.quantity,
      unitAmount: i.unitAmount,
      reason: i.reason,
      note: i.note,
      exchangeSku: i.exchangeSku,
      photoUrl: i.photoAssetId ? `${opts.publicUrl}/assets/${i.photoAssetId}` : null,
    })),
    currency: r.currency,
    amounts: {
      items: r.itemsAmount,
      shippingFee: r.shippingFee,
      restockingFee: r.restockingFee,
      creditBonus: r.creditBonus,
      totalBack: r.totalBack,
    },
    policyVersion: r.policyVersion,
    refundReleasedOn: r.refundReleasedOn,
    refundReleasedAt: iso(r.refundReleasedAt),
    rejectedReason: r.rejectedReason,
    note: r.outcomeNote,
    label: {
      state: r.labelState,
      attempts: r.labelAttempts,
      error: r.labelError,
      easypostShipmentId: r.easypostShipmentId,
      carrier: r.carrier,
      service: r.service,
      rate: r.labelRate,
      trackingCode: r.trackingCode,
      boughtAt: iso(r.labelBoughtAt),
      voidedAt: iso(r.labelVoidedAt),
    },
    returnUrl: `${opts.publicUrl}/${opts.slug}/r/${createReturnToken(r.storeId, r.accessId)}`,
    inTransitAt: iso(r.inTransitAt),
    receivedAt: iso(r.receivedAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}
