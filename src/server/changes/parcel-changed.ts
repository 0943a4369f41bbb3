// What follows from any change to a parcel (carrier news, or the store writing its order or
// shipment), inside the writer's transaction and in this order.
import { countDeliveredParcel } from '../analytics/count-delivered-parcel.ts';
import { openCase } from '../cases/open-case.ts';
import type { Tx } from '../db.ts';
import { recordNoticeEvent } from '../events/record-parcel-events.ts';
import { readParcelContext, refreshShipmentAlerts, type ParcelContext } from '../notices/refresh-shipment-alerts.ts';
import { notifyNoticeOpened } from '../notifications/notify-carrier-news.ts';
import { scheduleReviewInvitation } from '../reviews/schedule-review-invitation.ts';
import { fixFirstEstimate } from '../shipments/fix-first-estimate.ts';

/**
 * Brings the parcel's review due time, notices (and the shopper's message of a new one), deadlines
 * and cases up to date; `moved`: a new carrier scan arrived. `parcel`: the parcel as its writer
 * just stored it, when the writer has it (carrier news does: it is not read again).
 */
export async function refreshParcel(
  tx: Tx,
  opts: { storeId: string; shipmentId: string; moved: boolean; now: number; parcel?: ParcelContext },
): Promise<void> {
  const { storeId, shipmentId, moved, now } = opts;
  const parcel = opts.parcel ?? (await readParcelContext(tx, shipmentId));
  if (!parcel || parcel.shipment.storeId !== storeId) return;
  // 0. The first estimate the shopper was shown, fixed once known (on time is judged against it).
  await fixFirstEstimate(tx, parcel.shipment, parcel);
  // 1. When its items may be reviewed (the invitation scan reads only due rows).
  await scheduleReviewInvitation(tx, parcel.shipment, parcel.settings.reviews, parcel.timeZone);
  // 2. Late, stalled, not-scanned and exception notices (each told once), and the delay scan's deadlines.
  const { exception, opened } = await refreshShipmentAlerts(tx, parcel, { moved, now });
  //    The shopper is told of each notice just opened (once: a notice opens once while open).
  //    and the store's other systems hear of it (shipment.delayed / shipment.exception).
  for (const n of opened) {
    await notifyNoticeOpened(tx, n);
    await recordNoticeEvent(tx, { ...n, reason: n.kind === 'exception' ? (exception?.reason ?? null) : null });
  }
  // 3. Where a person must act (lost, damaged, returned to sender, failed delivery): a case for the staff.
  if (exception?.caseKind) {
    await openCase(tx, {
      storeId,
      orderId: parcel.shipment.orderId,
      shipmentId,
      source: 'exception',
      kind: exception.caseKind,
      message: `Carrier reported ${exception.reason}`,
      now,
    });
  }
  // 4. The daily delivery rollup (analytics), after the notices so a late or exception notice counts.
  await countDeliveredParcel(tx, parcel.shipment, parcel.timeZone);
}
