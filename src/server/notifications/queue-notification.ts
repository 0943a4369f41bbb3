// The notification outbox's front door. Callers tell what happened, inside the transaction that
// made it happen; a row per device following the order is queued once per event key, so duplicate
// or out-of-order carrier webhooks never queue a second message. Sending is the sender's job.
import { and, eq, ne, sql } from 'drizzle-orm';
import { firstRow, prepared, schema, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import { queueEmail } from '../messages/queue-email.ts';
import { languageOf } from '../i18n/languages.ts';
import { mirrorPush, recordPush } from './push-ledger.ts';

export type NotificationKind =
  | 'shipped'
  | 'out_for_delivery'
  | 'delivered'
  | 'delayed'
  | 'exception'
  | 'return_label_ready'
  | 'return_received'
  | 'refund_released'
  | 'review_invitation'
  | 'checkin'
  | 'warranty_reminder'
  | 'follow_up'
  | 'replenishment';

export interface NotificationInput {
  storeId: string;
  orderId: string;
  kind: NotificationKind;
  shipmentId?: string | null;
  returnId?: string | null;
  /** unique per event: the same key twice queues nothing more */
  key: string;
  /** The parcel's newest scan time, when the caller has read its row in this transaction. */
  newsAt?: number | null;
  now: number;
}

/** Queues the notification for every device following the order, once per key, inside the caller's transaction. */
export async function queueNotification(tx: Tx, n: NotificationInput): Promise<void> {
  // Every shopper with an email address hears by email (the store's settings decide which kinds).
  await queueEmail(tx, n);
  const subs = await q.subscriptions(tx).execute({ orderId: n.orderId, storeId: n.storeId });
  if (subs.length === 0) return; // the common case: nobody follows this order
  const insert = q.insert(tx);
  const order = await firstRow(q.orderLocale(tx).execute({ orderId: n.orderId }));
  for (const sub of subs) {
    const messageId = await recordPush(tx, {
      storeId: n.storeId,
      orderId: n.orderId,
      shipmentId: n.shipmentId ?? null,
      returnId: n.returnId ?? null,
      kind: n.kind,
      key: n.key,
      subscriptionId: sub.id,
      endpoint: sub.endpoint,
      language: languageOf(order?.locale) ?? 'en',
      now: n.now,
    });
    const row = await firstRow(
      insert.execute({
        id: newId(),
        messageId,
        storeId: n.storeId,
        orderId: n.orderId,
        subscriptionId: sub.id,
        kind: n.kind,
        eventKey: n.key,
        shipmentId: n.shipmentId ?? null,
        returnId: n.returnId ?? null,
        now: n.now,
      }),
    );
    // Newer news about the same parcel replaces older news on the device (same topic), so an older
    // message still waiting is never sent after it: "never stale".
    const topicOf = n.shipmentId ?? n.returnId;
    if (row && topicOf) {
      await q.supersede(tx).execute({ subscriptionId: sub.id, keep: row.id, topicOf });
      await mirrorPush(tx, and(eq(o.subscriptionId, sub.id), eq(o.status, 'superseded')), n.now);
    }
  }
}

const o = schema.notificationOutbox;
const q = {
  subscriptions: (tx: Tx) =>
    prepared(tx, 'push.subscriptionsOfOrder', (d) =>
      d
        .select({ id: schema.pushSubscriptions.id, endpoint: schema.pushSubscriptions.endpoint })
        .from(schema.pushSubscriptions)
        .where(
          and(
            eq(schema.pushSubscriptions.orderId, sql.placeholder('orderId')),
            eq(schema.pushSubscriptions.storeId, sql.placeholder('storeId')),
          ),
        )
        .prepare(),
    ),
  insert: (tx: Tx) =>
    prepared(tx, 'push.queue', (d) =>
      d
        .insert(o)
        .values({
          id: sql.placeholder('id'),
          storeId: sql.placeholder('storeId'),
          orderId: sql.placeholder('orderId'),
          subscriptionId: sql.placeholder('subscriptionId'),
          messageId: sql.placeholder('messageId'),
          kind: sql.placeholder('kind'),
          eventKey: sql.placeholder('eventKey'),
          shipmentId: sql.placeholder('shipmentId'),
          returnId: sql.placeholder('returnId'),
          status: 'pending',
          nextAttemptAt: sql.placeholder('now'),
          createdAt: sql.placeholder('now'),
        })
        .onConflictDoNothing()
        .returning({ id: o.id })
        .prepare(),
    ),
  orderLocale: (tx: Tx) =>
    prepared(tx, 'push.orderLocale', (d) =>
      d
        .select({ locale: schema.orders.locale })
        .from(schema.orders)
        .where(eq(schema.orders.id, sql.placeholder('orderId')))
        .prepare(),
    ),
  supersede: (tx: Tx) =>
    prepared(tx, 'push.supersede', (d) =>
      d
        .update(o)
        .set({ status: 'superseded' })
        .where(
          and(
            eq(o.subscriptionId, sql.placeholder('subscriptionId')),
            eq(o.status, 'pending'),
            ne(o.id, sql.placeholder('keep')),
            sql`coalesce(${o.shipmentId}, ${o.returnId}) = ${sql.placeholder('topicOf')}`,
          ),
        )
        .prepare(),
    ),
};
