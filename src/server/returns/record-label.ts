// A bought label recorded in one transaction: the return's label fields, its status (label ready,
// when the state machine lets the job move it there), the return parcel as a shipment row the
// carrier-sync job follows like any other (marked with return_id, so the outbound order page never
// shows it); the move goes to the caller's ReturnMoved (timeline, the shopper's notice, pages).
import { and, eq } from 'drizzle-orm';
import { firstRow, lockRow, schema, transaction } from '../db.ts';
import { newId } from '../ids.ts';
import { leaseHeldBy } from '../leases.ts';
import { canMove } from './return-machine.ts';
import type { ReturnMoved } from './return-move.ts';
import type { ReturnStatus } from './statuses.ts';

/** EasyPost's Shipment, the parts we read. */
export interface BoughtShipment {
  id: string;
  tracking_code?: string | null;
  rates?: { id: string; rate: string; carrier: string; service: string }[];
  selected_rate?: { carrier: string; service: string; rate: string } | null;
  postage_label?: { label_url?: string | null; label_pdf_url?: string | null } | null;
  tracker?: { id: string } | null;
  forms?: { form_type: string; form_url: string }[];
  refund_status?: string | null;
}

/** USPS refunds unused labels for 30 days; we void a few days before so the refund is sure. */
export const VOID_AFTER_MS = 27 * 86_400_000;

/**
 * Records the bought label (a second recording of the same return changes nothing); true once it
 * is recorded. Only the worker still holding the purchase lease records it: one paused past its
 * lease returns false, and the lease's next holder reads the same shipment back and records it.
 */
export async function recordLabel(o: {
  storeId: string;
  returnId: string;
  owner: string;
  shipment: BoughtShipment;
  now: number;
  moved: ReturnMoved;
}): Promise<boolean> {
  const s = o.shipment;
  const r = schema.returns;
  return transaction(async (tx) => {
    await lockRow(tx, r, o.returnId);
    const ret = await firstRow(
      tx
        .select()
        .from(r)
        .where(and(eq(r.id, o.returnId), eq(r.storeId, o.storeId))),
    );
    if (!ret) return false;
    if (ret.labelState === 'bought' || ret.labelState === 'voided') return true;
    const held = await firstRow(
      tx
        .select({ id: r.id })
        .from(r)
        .where(and(eq(r.id, ret.id), leaseHeldBy(r.labelLeaseOwner, r.labelLeaseUntil, o.owner))),
    );
    if (!held) return false;
    const from = ret.status as ReturnStatus;
    const to: ReturnStatus = canMove({ ...ret, status: from }, 'label_ready', 'job') ? 'label_ready' : from;
    const trackingCode = s.tracking_code ?? '';
    const carrier = s.selected_rate?.carrier ?? 'USPS';
    const parcelId = newId();
    const inserted = await firstRow(
      tx
        .insert(schema.shipments)
        .values({
          id: parcelId,
          storeId: o.storeId,
          orderId: ret.orderId,
          carrier,
          trackingCode,
          service: s.selected_rate?.service ?? null,
          trackerId: s.tracker?.id ?? null,
          returnId: ret.id,
          nextSyncAt: o.now,
          createdAt: o.now,
          updatedAt: o.now,
        })
        .onConflictDoNothing()
        .returning({ id: schema.shipments.id }),
    );
    await tx
      .update(r)
      .set({
        labelState: 'bought',
        status: to,
        easypostShipmentId: s.id,
        trackingCode,
        carrier,
        service: s.selected_rate?.service ?? null,
        labelRate: s.selected_rate ? Math.round(Number(s.selected_rate.rate) * 100) : null,
        labelPngUrl: s.postage_label?.label_url ?? null,
        labelPdfUrl: s.postage_label?.label_pdf_url ?? null,
        qrCodeUrl: s.forms?.find((f) => f.form_type === 'label_qr_code')?.form_url ?? null,
        labelBoughtAt: o.now,
        labelVoidAt: o.now + VOID_AFTER_MS,
        labelError: null,
        labelLeaseOwner: null,
        labelLeaseUntil: null,
        labelNextAttemptAt: null,
        parcelShipmentId: inserted?.id ?? ret.parcelShipmentId,
        updatedAt: o.now,
      })
      .where(eq(r.id, ret.id));
    await o.moved(tx, {
      storeId: o.storeId,
      orderId: ret.orderId,
      returnId: ret.id,
      policyVersion: ret.policyVersion,
      parcelShipmentId: inserted?.id ?? ret.parcelShipmentId,
      from,
      to,
      steps: [{ kind: 'label_ready', actor: 'carrier' }],
      refundReleased: false,
      requestedBy: null,
      note: null,
      now: o.now,
    });
    return true;
  });
}
