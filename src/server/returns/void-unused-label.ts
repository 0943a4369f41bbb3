// A label nobody used is voided through EasyPost before the carrier's refund deadline, so the store
// is not charged for it, and the return is cancelled (the state machine's move by the job; a
// cancelled return frees its units). The caller's ReturnMoved tells the shopper's page.
import { and, eq, inArray, isNull, lte } from 'drizzle-orm';
import { classifyCarrierError, easypostFor } from '../carriers/easypost-client.ts';
import { affectedRows, db, firstRow, schema, transaction } from '../db.ts';
import { log } from '../log.ts';
import type { ReturnStatus } from './statuses.ts';
import { movableFrom } from './return-machine.ts';
import type { ReturnMoved } from './return-move.ts';

/** Where the job may cancel a return from (a bought label, not yet used). */
const CANCELLABLE = movableFrom('cancelled', 'job');

/** Voids the labels due for voiding whose parcel never got a carrier scan; returns how many. */
export async function voidUnusedLabels(opts: { now: number; limit?: number; moved: ReturnMoved }): Promise<number> {
  const r = schema.returns;
  const due = await db()
    .select()
    .from(r)
    .where(and(inArray(r.status, CANCELLABLE), eq(r.labelState, 'bought'), lte(r.labelVoidAt, opts.now), isNull(r.inTransitAt)))
    .limit(opts.limit ?? 20);
  let voided = 0;
  for (const ret of due) {
    const store = await firstRow(
      db().select({ key: schema.stores.easypostKeyEnc }).from(schema.stores).where(eq(schema.stores.id, ret.storeId)),
    );
    if (!store?.key || !ret.easypostShipmentId) continue;
    try {
      await easypostFor(store.key).Shipment.refund(ret.easypostShipmentId);
    } catch (err) {
      log.warn({ returnId: ret.id, err: classifyCarrierError(err).message }, 'voiding an unused label failed; will retry');
      await transaction((tx) =>
        tx
          .update(r)
          .set({ labelVoidAt: opts.now + 3_600_000 })
          .where(eq(r.id, ret.id)),
      );
      continue;
    }
    await transaction(async (tx) => {
      const changed = await tx
        .update(r)
        .set({
          status: 'cancelled',
          labelState: 'voided',
          labelVoidedAt: opts.now,
          labelVoidAt: null,
          closedAt: opts.now,
          updatedAt: opts.now,
        })
        .where(and(eq(r.id, ret.id), eq(r.status, ret.status), isNull(r.inTransitAt)));
      if (affectedRows(changed) === 0) return;
      await opts.moved(tx, {
        storeId: ret.storeId,
        orderId: ret.orderId,
        returnId: ret.id,
        policyVersion: ret.policyVersion,
        parcelShipmentId: ret.parcelShipmentId,
        from: ret.status as ReturnStatus,
        to: 'cancelled',
        steps: [
          {
            kind: 'label_voided',
            actor: 'Waypost',
            note: 'The label was not used before the carrier’s refund deadline, so it was voided.',
          },
        ],
        refundReleased: false,
        requestedBy: null,
        note: null,
        now: opts.now,
      });
      voided++;
    });
  }
  return voided;
}
