// What a store holds about one shopper, for a data-access request (GET /api/v1/customers/{email}):
// the profile, and every order with what came of it — parcels, messages on every channel, reviews,
// returns, cases and devices subscribed to push.
import { and, eq, inArray, type AnyColumn } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import { customerKey, customerOrders, getCustomerProfile, type CustomerProfile } from './customer-profile.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface CustomerExport {
  customer: Omit<CustomerProfile, 'firstOrderAt' | 'lastOrderAt'> & { firstOrderAt: string; lastOrderAt: string };
  orders: Record<string, unknown>[];
  suppressions: { reason: string; createdAt: string | null }[];
}

/** Everything about this email in this store, or null when the store has no order from it. */
export async function exportCustomer(storeId: string, email: string): Promise<CustomerExport | null> {
  const profile = await getCustomerProfile(storeId, email);
  if (!profile) return null;
  const orders = await customerOrders(storeId, email);
  const ids = orders.map((o) => o.id);
  const inOrders = (t: { storeId: AnyColumn; orderId: AnyColumn }) => and(eq(t.storeId, storeId), inArray(t.orderId, ids));
  const d = db();
  const [items, shipments, messages, reviews, returns, returnItems, cases, devices, checkins, registrations] = await Promise.all([
    d.select().from(schema.orderItems).where(inOrders(schema.orderItems)),
    d.select().from(schema.shipments).where(inOrders(schema.shipments)),
    d.select().from(schema.messages).where(inOrders(schema.messages)),
    d.select().from(schema.reviews).where(inOrders(schema.reviews)),
    d.select().from(schema.returns).where(inOrders(schema.returns)),
    d.select().from(schema.returnItems).where(inOrders(schema.returnItems)),
    d.select().from(schema.cases).where(inOrders(schema.cases)),
    d
      .select({ orderId: schema.pushSubscriptions.orderId, createdAt: schema.pushSubscriptions.createdAt })
      .from(schema.pushSubscriptions)
      .where(inOrders(schema.pushSubscriptions)),
    d.select().from(schema.checkins).where(inOrders(schema.checkins)),
    d.select().from(schema.registrations).where(inOrders(schema.registrations)),
  ]);
  const suppressions = await d
    .select()
    .from(schema.emailSuppressions)
    .where(and(eq(schema.emailSuppressions.storeId, storeId), eq(schema.emailSuppressions.emailNorm, customerKey(email))));
  const of = <T extends { orderId: string }>(rows: T[], orderId: string) => rows.filter((r) => r.orderId === orderId);

  return {
    customer: { ...profile, firstOrderAt: iso(profile.firstOrderAt)!, lastOrderAt: iso(profile.lastOrderAt)! },
    orders: orders.map((o) => ({
      number: o.number,
      placedAt: iso(o.placedAt),
      email: o.email,
      customerName: o.customerName,
      shippingAddress: o.shippingAddress,
      locale: o.locale,
      timeZone: o.timeZone,
      currency: o.currency,
      marketingConsent: o.marketingConsent,
      items: of(items, o.id).map((i) => ({
        sku: i.sku,
        productId: i.productId,
        title: i.title,
        variant: i.variant,
        quantity: i.quantity,
        unitAmount: i.unitAmount,
      })),
      shipments: of(shipments, o.id).map((s) => ({
        carrier: s.carrier,
        trackingCode: s.trackingCode,
        status: s.status,
        deliveredAt: iso(s.deliveredAt),
        signedBy: s.signedBy,
      })),
      messages: of(messages, o.id).map((m) => ({
        channel: m.channel,
        kind: m.kind,
        to: m.recipient,
        subject: m.subject,
        status: m.status,
        createdAt: iso(m.createdAt),
        sentAt: iso(m.sentAt),
      })),
      reviews: of(reviews, o.id).map((r) => ({
        productId: r.productId,
        rating: r.rating,
        title: r.title,
        body: r.body,
        displayName: r.displayName,
        status: r.status,
        createdAt: iso(r.createdAt),
      })),
      returns: of(returns, o.id).map((r) => ({
        status: r.status,
        resolution: r.resolution,
        createdAt: iso(r.createdAt),
        items: returnItems.filter((i) => i.returnId === r.id).map((i) => ({ sku: i.sku, reason: i.reason, note: i.note })),
      })),
      cases: of(cases, o.id).map((c) => ({ kind: c.kind, message: c.message, status: c.status, createdAt: iso(c.createdAt) })),
      pushDevices: of(devices, o.id).map((p) => ({ subscribedAt: iso(p.createdAt) })),
      registrations: of(registrations, o.id).map((r) => ({
        sku: r.sku,
        title: r.title,
        serial: r.serial,
        deliveredOn: r.deliveredOn,
        warrantyEndsOn: r.warrantyEndsOn,
        reminders: r.reminders,
        registeredAt: iso(r.registeredAt),
      })),
      checkins: of(checkins, o.id)
        .filter((c) => c.askedAt !== null || c.answer !== null)
        .map((c) => ({ askedAt: iso(c.askedAt), answer: c.answer, message: c.message, answeredAt: iso(c.answeredAt) })),
    })),
    suppressions: suppressions.map((s) => ({ reason: s.reason, createdAt: iso(s.createdAt) })),
  };
}
