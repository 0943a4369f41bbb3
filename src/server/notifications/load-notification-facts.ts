// What the sender needs to word and address one outbox row: the device, the store, the order and
// the parcel. Read outside any transaction (a plain indexed look-up per row).
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { db, firstRow, prepared, schema } from '../db.ts';
import { createOrderToken } from '../orders/order-token.ts';
import { createReturnToken } from '../security/return-token.ts';
import { readBranding } from '../stores/branding.ts';
import { readSettings } from '../stores/settings.ts';
import type { NotificationFacts } from './build-notification.ts';
import type { NotificationKind } from './queue-notification.ts';

export interface Delivery {
  /** When the event was queued: news older than its TTL is not sent at all. */
  queuedAt: number;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  facts: NotificationFacts;
}

const o = schema.notificationOutbox;
const ps = schema.pushSubscriptions;

/** The device and the facts for one row, or null when the row or its device is gone. */
export async function loadNotificationFacts(outboxId: string, publicUrl: string): Promise<Delivery | null> {
  const row = await firstRow(q.row().execute({ id: outboxId }));
  if (!row) return null;
  let shipment: NotificationFacts['shipment'] = null;
  if (row.o.shipmentId) {
    const parcels = await q.parcels().execute({ orderId: row.order.id, storeId: row.store.id });
    const index = parcels.findIndex((p) => p.id === row.o.shipmentId);
    if (index >= 0) shipment = { ...parcels[index]!, index: index + 1, total: parcels.length };
  }
  return {
    queuedAt: row.o.createdAt,
    subscription: { endpoint: row.sub.endpoint, keys: { p256dh: row.sub.p256dh, auth: row.sub.auth } },
    facts: {
      kind: row.o.kind as NotificationKind,
      eventKey: row.o.eventKey,
      publicUrl,
      store: {
        slug: row.store.slug,
        name: row.store.name,
        logoUrl: readBranding(row.store.branding).logoUrl ?? null,
        defaultLanguage: readSettings(row.store.settings).defaultLanguage,
        copy: readSettings(row.store.settings).copy,
      },
      order: {
        id: row.order.id,
        number: row.order.number,
        locale: row.order.locale,
        token: createOrderToken(row.store.id, row.order.accessId),
      },
      shipment,
      returnId: row.o.returnId,
      returnToken: await returnTokenOf(row.store.id, row.o.returnId),
    },
  };
}

async function returnTokenOf(storeId: string, returnId: string | null): Promise<string | null> {
  if (!returnId) return null;
  const r = await firstRow(q.returnAccess().execute({ id: returnId, storeId }));
  return r ? createReturnToken(storeId, r.accessId) : null;
}

/** Built once: the sender runs these for every message. */
const q = {
  row: () =>
    prepared(db(), 'push.facts', (d) =>
      d
        .select({
          o: { kind: o.kind, eventKey: o.eventKey, shipmentId: o.shipmentId, returnId: o.returnId, createdAt: o.createdAt },
          sub: { endpoint: ps.endpoint, p256dh: ps.p256dh, auth: ps.auth },
          store: {
            id: schema.stores.id,
            slug: schema.stores.slug,
            name: schema.stores.name,
            branding: schema.stores.branding,
            settings: schema.stores.settings,
          },
          order: { id: schema.orders.id, number: schema.orders.number, locale: schema.orders.locale, accessId: schema.orders.accessId },
        })
        .from(o)
        .innerJoin(ps, eq(ps.id, o.subscriptionId))
        .innerJoin(schema.stores, eq(schema.stores.id, o.storeId))
        .innerJoin(schema.orders, and(eq(schema.orders.id, o.orderId), eq(schema.orders.storeId, o.storeId)))
        .where(eq(o.id, sql.placeholder('id')))
        .prepare(),
    ),
  parcels: () =>
    prepared(db(), 'push.parcels', (d) =>
      d
        .select({ id: schema.shipments.id, status: schema.shipments.status, statusDetail: schema.shipments.statusDetail })
        .from(schema.shipments)
        .where(
          and(
            eq(schema.shipments.orderId, sql.placeholder('orderId')),
            eq(schema.shipments.storeId, sql.placeholder('storeId')),
            isNull(schema.shipments.returnId), // the order's own parcels, not returns coming back
          ),
        )
        .orderBy(asc(schema.shipments.createdAt))
        .prepare(),
    ),
  returnAccess: () =>
    prepared(db(), 'push.returnAccess', (d) =>
      d
        .select({ accessId: schema.returns.accessId })
        .from(schema.returns)
        .where(and(eq(schema.returns.id, sql.placeholder('id')), eq(schema.returns.storeId, sql.placeholder('storeId'))))
        .prepare(),
    ),
};
