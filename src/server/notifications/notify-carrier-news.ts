// Where carrier sync tells the outbox what a shopper should hear. The two calls sit where a
// parcel's state is written (changes/carrier-news.ts) and where a delay or exception notice is
// recorded (notices/open-notice.ts), so every path (webhook, poll, delay scan) passes here.
import { eq, sql } from 'drizzle-orm';
import { firstRow, prepared, schema, type Tx } from '../db.ts';
import type { NoticeKind } from '../notices/notice-kinds.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';
import { queueNotification } from './queue-notification.ts';

interface ParcelState {
  status: ShipmentStatus;
  firstScanAt: number | null;
}

/** Statuses that are told through an exception notice instead (see notices/notice-kinds.ts). */
const TOLD_AS_NOTICE: ReadonlySet<ShipmentStatus> = new Set(['available_for_pickup', 'return_to_sender', 'failure', 'cancelled', 'error']);

/**
 * Queues "shipped" (first carrier scan), "out for delivery" and "delivered" as a parcel reaches
 * them. Keys are per parcel and step, so a duplicate or late webhook queues nothing more, and a
 * parcel that jumps straight to delivered gets only the delivered message.
 */
export async function notifyParcelProgress(
  tx: Tx,
  p: { storeId: string; orderId: string; shipmentId: string; before: ParcelState; after: ParcelState; now: number },
): Promise<void> {
  const { before, after } = p;
  const base = { storeId: p.storeId, orderId: p.orderId, shipmentId: p.shipmentId, now: p.now };
  if (after.status === 'delivered' && before.status !== 'delivered') {
    await queueNotification(tx, { ...base, kind: 'delivered', key: `${p.shipmentId}:delivered` });
  } else if (after.status === 'out_for_delivery' && before.status !== 'out_for_delivery') {
    await queueNotification(tx, { ...base, kind: 'out_for_delivery', key: `${p.shipmentId}:out_for_delivery` });
  } else if (before.firstScanAt === null && after.firstScanAt !== null && !TOLD_AS_NOTICE.has(after.status)) {
    await queueNotification(tx, { ...base, kind: 'shipped', key: `${p.shipmentId}:shipped` });
  }
}

/**
 * Queues a newly opened delay or exception notice; each opening is told once (its id is the key).
 * A return parcel's notices are for the store's at-risk queue, not the shopper's phone. `parcel`:
 * the parcel's row as last written in this transaction, when the caller holds it (not read again).
 */
export async function notifyNoticeOpened(
  tx: Tx,
  n: { id: string; storeId: string; orderId: string; shipmentId: string | null; kind: NoticeKind; now: number },
  parcel?: { returnId: string | null; lastEventAt: number | null },
): Promise<void> {
  if (n.shipmentId !== null && (parcel ?? (await firstRow(returnParcel(tx).execute({ id: n.shipmentId }))))?.returnId) return;
  await queueNotification(tx, {
    ...(parcel && { newsAt: parcel.lastEventAt }),
    storeId: n.storeId,
    orderId: n.orderId,
    shipmentId: n.shipmentId,
    kind: n.kind === 'exception' ? 'exception' : 'delayed',
    key: `${n.shipmentId ?? n.orderId}:${n.kind}:${n.id}`,
    now: n.now,
  });
}

const returnParcel = (tx: Tx) =>
  prepared(tx, 'push.returnParcel', (d) =>
    d
      .select({ returnId: schema.shipments.returnId })
      .from(schema.shipments)
      .where(eq(schema.shipments.id, sql.placeholder('id')))
      .prepare(),
  );
