// What follows the sale, per delivered item of an order: the product's care guide, its warranty
// (from the delivery day, in the order's time zone) and the shopper's registration, if any. The
// order page, the delivered email and the registration itself read the same list, so they agree.
import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import { addMonths, dayInZone } from '../../lib/dates.ts';
import { db, schema } from '../db.ts';
import type { OrderView } from './load-order.ts';

export interface CareGuide {
  title: string;
  body: string;
  url: string | null;
}

interface RegistrationView {
  id: string;
  serial: string | null;
  reminders: boolean;
  registeredAt: number;
  warrantyEndsOn: string;
  /** A warranty claim of it is open with the store. */
  claimOpen: boolean;
}

export interface DeliveredProduct {
  sku: string;
  productId: string;
  title: string;
  /** The day its first parcel was delivered ('YYYY-MM-DD', the order's zone). */
  deliveredOn: string;
  careGuide: CareGuide | null;
  warrantyMonths: number | null;
  /** deliveredOn + warrantyMonths, or null without a warranty. */
  warrantyEndsOn: string | null;
  registration: RegistrationView | null;
}

/** The order's delivered items with their care guide, warranty and registration, in the order's item order. */
export async function listDeliveredProducts(order: OrderView): Promise<DeliveredProduct[]> {
  const deliveredAt = new Map<string, number>();
  for (const s of order.shipments) {
    const at = s.deliveredAt ?? (s.status === 'delivered' ? s.lastEventAt : null);
    if (at === null) continue;
    for (const i of s.items) {
      if (i.shippedQuantity <= 0) continue;
      const known = deliveredAt.get(i.sku);
      if (known === undefined || at < known) deliveredAt.set(i.sku, at);
    }
  }
  const items = order.items.filter((i) => deliveredAt.has(i.sku));
  if (items.length === 0) return [];
  const productIds = [...new Set(items.map((i) => i.productId))];
  const [products, registrations, claims] = await Promise.all([
    db()
      .select({
        productId: schema.products.productId,
        title: schema.products.title,
        careGuide: schema.products.careGuide,
        warrantyMonths: schema.products.warrantyMonths,
      })
      .from(schema.products)
      .where(and(eq(schema.products.storeId, order.storeId), inArray(schema.products.productId, productIds))),
    db()
      .select()
      .from(schema.registrations)
      .where(and(eq(schema.registrations.storeId, order.storeId), eq(schema.registrations.orderId, order.id))),
    db()
      .select({ registrationId: schema.cases.registrationId })
      .from(schema.cases)
      .where(
        and(
          eq(schema.cases.storeId, order.storeId),
          eq(schema.cases.orderId, order.id),
          isNotNull(schema.cases.registrationId),
          ne(schema.cases.status, 'resolved'),
        ),
      ),
  ]);
  const claimed = new Set(claims.map((c) => c.registrationId));
  const productOf = new Map(products.map((p) => [p.productId, p]));
  const registrationOf = new Map(registrations.map((r) => [r.sku, r]));
  return items.map((i) => {
    const p = productOf.get(i.productId);
    const deliveredOn = dayInZone(deliveredAt.get(i.sku)!, order.timeZone);
    const months = p?.warrantyMonths ?? null;
    const r = registrationOf.get(i.sku);
    return {
      sku: i.sku,
      productId: i.productId,
      title: i.title,
      deliveredOn,
      careGuide: p?.careGuide ?? null,
      warrantyMonths: months,
      warrantyEndsOn: months ? addMonths(deliveredOn, months) : null,
      // A registration keeps the warranty it was given, whatever the catalogue says since.
      registration: r
        ? {
            id: r.id,
            serial: r.serial,
            reminders: r.reminders,
            registeredAt: r.registeredAt,
            warrantyEndsOn: r.warrantyEndsOn,
            claimOpen: claimed.has(r.id),
          }
        : null,
    };
  });
}

/** The care guides of the delivered products, one per product. */
export function careGuidesOf(products: DeliveredProduct[]): (CareGuide & { productTitle: string })[] {
  const seen = new Set<string>();
  return products.flatMap((p) => {
    if (!p.careGuide || seen.has(p.productId)) return [];
    seen.add(p.productId);
    return [{ ...p.careGuide, productTitle: p.title }];
  });
}
