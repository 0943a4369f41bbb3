// The events of a parcel: its steps (shipped, out for delivery, delivered) as carrier news moves
// it, and the delay and exception notices opened on it. Keys are per parcel and step (per notice),
// so a duplicate or late webhook records nothing more. A return parcel's news is told by its return.
import type { Tx } from '../db.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';
import { shipmentFacts, type ParcelFacts } from './event-facts.ts';
import { recordEvent } from './record-event.ts';

interface ParcelState {
  status: ShipmentStatus;
  firstScanAt: number | null;
}

/** Statuses told as an exception notice instead of a step. */
const TOLD_AS_NOTICE: ReadonlySet<ShipmentStatus> = new Set(['available_for_pickup', 'return_to_sender', 'failure', 'cancelled', 'error']);

/** Records shipment.shipped / out_for_delivery / delivered when the parcel reaches the step. */
export async function recordParcelProgress(
  tx: Tx,
  p: { storeId: string; shipmentId: string; before: ParcelState; after: ParcelState; now: number },
): Promise<void> {
  const { before, after } = p;
  let type: 'shipment.delivered' | 'shipment.out_for_delivery' | 'shipment.shipped' | null = null;
  if (after.status === 'delivered' && before.status !== 'delivered') type = 'shipment.delivered';
  else if (after.status === 'out_for_delivery' && before.status !== 'out_for_delivery') type = 'shipment.out_for_delivery';
  else if (before.firstScanAt === null && after.firstScanAt !== null && !TOLD_AS_NOTICE.has(after.status)) type = 'shipment.shipped';
  if (!type) return;
  const facts = await shipmentFacts(tx, p.storeId, p.shipmentId);
  if (!facts || facts.returnId) return;
  await recordEvent(tx, {
    storeId: p.storeId,
    orderId: facts.orderId,
    type,
    data: facts.data,
    dedupeKey: `shipment:${p.shipmentId}:${type}`,
    now: p.now,
  });
}

/**
 * Records shipment.delayed or shipment.exception for a notice just opened on a parcel. `parcel`:
 * the parcel's row as last written in this transaction, when the caller holds it (not read again).
 */
export async function recordNoticeEvent(
  tx: Tx,
  n: {
    id: string;
    storeId: string;
    shipmentId: string | null; /** A notice kind (notices/notice-kinds.ts): late, stalled, not_scanned, exception, delayed_dispatch. */
    kind: string;
    reason?: string | null;
    now: number;
  },
  parcel?: ParcelFacts,
): Promise<void> {
  if (n.shipmentId === null) return; // an order not dispatched yet has no parcel to speak of
  const type = n.kind === 'exception' ? 'shipment.exception' : 'shipment.delayed';
  const facts = await shipmentFacts(tx, n.storeId, n.shipmentId, { kind: n.kind, reason: n.reason ?? null }, parcel);
  if (!facts || facts.returnId) return; // a return parcel's trouble is the store's queue, not news to hand on
  await recordEvent(tx, { storeId: n.storeId, orderId: facts.orderId, type, data: facts.data, dedupeKey: `notice:${n.id}`, now: n.now });
}
