// Carrier news applied to a parcel: what happens when a scan arrives, whoever brings it (the
// EasyPost webhook, the carrier-sync poll, the demo seed). The parcel's own rows are written by
// shipments/record-carrier-snapshot.ts; every consequence is listed below, in one transaction.
import { transaction, type Tx } from '../db.ts';
import { recordParcelProgress } from '../events/record-parcel-events.ts';
import { notifyParcelProgress } from '../notifications/notify-carrier-news.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { advanceReturnParcel } from '../returns/advance-return-parcel.ts';
import { returnMoved } from './return-moved.ts';
import { recordCarrierSnapshot, type RecordSnapshotOptions, type RecordedSnapshot } from '../shipments/record-carrier-snapshot.ts';
import { refreshParcel } from './parcel-changed.ts';
import { parcelContextOf } from '../notices/refresh-shipment-alerts.ts';

/** Applies a carrier snapshot and everything it implies, in its own transaction or inside the caller's. */
export function applyCarrierNews(opts: RecordSnapshotOptions): Promise<RecordedSnapshot>;
export function applyCarrierNews(tx: Tx, opts: RecordSnapshotOptions): Promise<RecordedSnapshot>;
export function applyCarrierNews(a: Tx | RecordSnapshotOptions, b?: RecordSnapshotOptions): Promise<RecordedSnapshot> {
  return b ? applyInTx(a as Tx, b) : transaction((tx) => applyInTx(tx, a as RecordSnapshotOptions));
}

async function applyInTx(tx: Tx, opts: RecordSnapshotOptions): Promise<RecordedSnapshot> {
  const { storeId, shipmentId, now } = opts;
  // The parcel: its events (each stored once) and the status of the newest snapshot.
  const r = await recordCarrierSnapshot(tx, opts);
  if (!r.changed) return r; // a duplicate or stale delivery: nothing follows
  const orderId = r.orderId!;
  // 1. Review due time, delay and exception notices, deadlines, a case where a person must act.
  await refreshParcel(tx, { storeId, shipmentId, moved: r.moved, now, parcel: parcelContextOf(r.parcel!) });
  // 2. The shopper hears of their parcel's steps; a return parcel's news is told by its return instead.
  if (!r.returnId)
    await notifyParcelProgress(tx, {
      storeId,
      orderId,
      shipmentId,
      before: { status: r.statusBefore!, firstScanAt: r.firstScanBefore },
      after: { status: r.statusAfter!, firstScanAt: r.firstScanAfter },
      now,
    });
  //    The store's other systems hear of them too (events out: webhooks, Klaviyo).
  if (!r.returnId)
    await recordParcelProgress(tx, {
      storeId,
      shipmentId,
      before: { status: r.statusBefore!, firstScanAt: r.firstScanBefore },
      after: { status: r.statusAfter!, firstScanAt: r.firstScanAfter },
      now,
    });
  // 3. The order's cached pages are dropped and its open pages told (after the commit).
  await recordPageChange(tx, storeId, orderId, now);
  // 4. A return parcel's first scan and delivery move its return along (and may release the refund).
  if (r.returnId) {
    const move = await advanceReturnParcel(tx, { storeId, returnId: r.returnId, now });
    // 5. And what follows a return moving: its history, the shopper's message, the refund.
    if (move) await returnMoved(tx, move);
  }
  return r;
}
