// The return parcel's carrier events move its return along, inside the same transaction that
// applied them: its first scan makes it "in transit", its delivery "received", and the refund is
// released at the moment the policy (as it was when the return was made) names. Each step is the
// state machine's, by the carrier; the move is returned for the caller to hand to ReturnMoved.
import { and, eq } from 'drizzle-orm';
import { firstRow, lockRow, schema, type Tx } from '../db.ts';
import { canMove, outcomeFor, releasesRefund, type MachineReturn } from './return-machine.ts';
import type { MoveStep, ReturnMove } from './return-move.ts';
import type { ReturnStatus } from './statuses.ts';

/** Advances the return from its parcel's state; null when nothing changed (the same news twice changes nothing). */
export async function advanceReturnParcel(tx: Tx, o: { storeId: string; returnId: string; now: number }): Promise<ReturnMove | null> {
  await lockRow(tx, schema.returns, o.returnId);
  const ret = await firstRow(
    tx
      .select()
      .from(schema.returns)
      .where(and(eq(schema.returns.id, o.returnId), eq(schema.returns.storeId, o.storeId))),
  );
  if (!ret?.parcelShipmentId) return null;
  const parcel = await firstRow(tx.select().from(schema.shipments).where(eq(schema.shipments.id, ret.parcelShipmentId)));
  if (!parcel) return null;
  const from = ret.status as ReturnStatus;
  const state: MachineReturn = { ...ret, status: from };
  const set: Partial<typeof schema.returns.$inferInsert> = {};
  const steps: MoveStep[] = [];
  const scanned = parcel.firstScanAt !== null || parcel.status === 'delivered';
  const delivered = parcel.status === 'delivered';
  if (scanned && ret.inTransitAt === null) {
    set.inTransitAt = parcel.firstScanAt ?? o.now;
    if (canMove(state, 'in_transit', 'carrier')) state.status = 'in_transit';
    steps.push({ kind: 'in_transit', actor: 'carrier' });
  }
  if (delivered && ret.receivedAt === null) {
    set.receivedAt = parcel.deliveredAt ?? o.now;
    if (canMove(state, 'received', 'carrier')) state.status = 'received';
    steps.push({ kind: 'received', actor: 'carrier' });
  }
  const news = delivered ? 'delivered' : 'first_scan';
  const outcome = outcomeFor(ret.resolution);
  const release = scanned && releasesRefund({ ...ret, status: state.status }, news) && canMove(state, outcome, 'carrier');
  if (release) {
    set.refundReleasedAt = o.now;
    set.closedAt = o.now;
    state.status = outcome;
    steps.push({ kind: outcome, actor: 'policy (released on the carrier scan)' });
  }
  if (steps.length === 0) return null;
  await tx
    .update(schema.returns)
    .set({ ...set, status: state.status, updatedAt: o.now })
    .where(eq(schema.returns.id, ret.id));
  return {
    storeId: o.storeId,
    orderId: ret.orderId,
    returnId: ret.id,
    policyVersion: ret.policyVersion,
    parcelShipmentId: ret.parcelShipmentId,
    from,
    to: state.status,
    steps,
    refundReleased: release,
    requestedBy: null,
    note: null,
    now: o.now,
  };
}
