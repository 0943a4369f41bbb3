// A label nobody used is voided through EasyPost before the carrier's refund deadline, so the store
// is not charged for it, and the shopper's page says so (they can start a new return while the
// window is open: a cancelled return frees its units).
import { and, eq, isNull, lte } from 'drizzle-orm';
import { classifyCarrierError, easypostFor } from '../carriers/easypost-client.ts';
import { affectedRows, db, firstRow, schema, transaction } from '../db.ts';
import { log } from '../log.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { recordReturnEvent } from './record-return-event.ts';

/** Voids the labels due for voiding whose parcel never got a carrier scan; returns how many. */
export async function voidUnusedLabels(opts: { now: number; limit?: number }): Promise<number> {
  const r = schema.returns;
  const due = await db()
    .select()
    .from(r)
    .where(and(eq(r.status, 'label_ready'), eq(r.labelState, 'bought'), lte(r.labelVoidAt, opts.now), isNull(r.inTransitAt)))
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
        .where(and(eq(r.id, ret.id), eq(r.status, 'label_ready'), isNull(r.inTransitAt)));
      if (affectedRows(changed) === 0) return;
      // The parcel will never move: stop polling it.
      if (ret.parcelShipmentId)
        await tx
          .update(schema.shipments)
          .set({ nextSyncAt: null, status: 'cancelled' })
          .where(eq(schema.shipments.id, ret.parcelShipmentId));
      await recordReturnEvent(tx, {
        storeId: ret.storeId,
        returnId: ret.id,
        kind: 'label_voided',
        actor: 'Waypost',
        policyVersion: ret.policyVersion,
        note: 'The label was not used before the carrier’s refund deadline, so it was voided.',
        now: opts.now,
      });
      await recordPageChange(tx, ret.storeId, ret.orderId, opts.now);
      voided++;
    });
  }
  return voided;
}
