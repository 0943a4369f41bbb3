// The return parcel's carrier events move its return along, inside the same transaction that
// applied them: its first scan makes it "in transit", its delivery "received", and the refund is
// released at the moment the policy (as it was when the return was made) names.
import { and, eq } from 'drizzle-orm';
import { firstRow, lockRow, schema, type Tx } from '../db.ts';
import { queueNotification } from '../notifications/queue-notification.ts';
import { recordReturnEvent } from './record-return-event.ts';
import { outcomeFor, type ReturnStatus } from './statuses.ts';

const BEFORE_TRANSIT: readonly string[] = ['requested', 'approved', 'label_ready'];

/** Advances the return from its parcel's state (idempotent: the same news twice changes nothing). */
export async function advanceReturnParcel(tx: Tx, o: { storeId: string; returnId: string; now: number }): Promise<void> {
  await lockRow(tx, schema.returns, o.returnId);
  const ret = await firstRow(
    tx
      .select()
      .from(schema.returns)
      .where(and(eq(schema.returns.id, o.returnId), eq(schema.returns.storeId, o.storeId))),
  );
  if (!ret?.parcelShipmentId) return;
  const parcel = await firstRow(tx.select().from(schema.shipments).where(eq(schema.shipments.id, ret.parcelShipmentId)));
  if (!parcel) return;
  const base = { storeId: o.storeId, returnId: ret.id, policyVersion: ret.policyVersion, now: o.now };
  const set: Partial<typeof schema.returns.$inferInsert> = {};
  let status = ret.status as ReturnStatus;
  const scanned = parcel.firstScanAt !== null || parcel.status === 'delivered';
  if (scanned && ret.inTransitAt === null) {
    set.inTransitAt = parcel.firstScanAt ?? o.now;
    if (BEFORE_TRANSIT.includes(status)) status = 'in_transit';
    await recordReturnEvent(tx, { ...base, kind: 'in_transit', actor: 'carrier' });
  }
  if (parcel.status === 'delivered' && ret.receivedAt === null) {
    set.receivedAt = parcel.deliveredAt ?? o.now;
    if (BEFORE_TRANSIT.includes(status) || status === 'in_transit') status = 'received';
    await recordReturnEvent(tx, { ...base, kind: 'received', actor: 'carrier' });
    await queueNotification(tx, {
      storeId: o.storeId,
      orderId: ret.orderId,
      kind: 'return_received',
      returnId: ret.id,
      key: `return:${ret.id}:received`,
      now: o.now,
    });
  }
  const release =
    ret.refundReleasedAt === null &&
    ((ret.refundReleasedOn === 'first_scan' && scanned) || (ret.refundReleasedOn === 'delivered' && parcel.status === 'delivered'));
  if (release && status !== 'rejected' && status !== 'cancelled') {
    set.refundReleasedAt = o.now;
    status = outcomeFor(ret.resolution);
    set.closedAt = o.now;
    await recordReturnEvent(tx, { ...base, kind: status, actor: 'policy (released on the carrier scan)' });
    await queueNotification(tx, {
      storeId: o.storeId,
      orderId: ret.orderId,
      kind: 'refund_released',
      returnId: ret.id,
      key: `return:${ret.id}:refund_released`,
      now: o.now,
    });
  }
  if (Object.keys(set).length === 0 && status === ret.status) return;
  await tx
    .update(schema.returns)
    .set({ ...set, status, updatedAt: o.now })
    .where(eq(schema.returns.id, ret.id));
}
