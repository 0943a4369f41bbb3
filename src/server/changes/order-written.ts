// An order or shipment written by the store (POST /api/v1/orders, POST …/shipments, the demo
// seed): the rows are checked and written by orders/; every consequence is listed below, in the
// same transaction.
import { isUniqueViolation, transaction, type Tx } from '../db.ts';
import type { Clock } from '../clock.ts';
import { queueEmail } from '../messages/queue-email.ts';
import { refreshOrderDispatch } from '../notices/refresh-order-dispatch.ts';
import { planShipmentAdd, writeAddedShipment } from '../orders/add-shipment.ts';
import { writeShipment } from '../orders/shipment-writes.ts';
import { planOrderWrite, writeOrder, type UpsertOrderResult } from '../orders/upsert-order.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { refreshParcel } from './parcel-changed.ts';

/**
 * Creates or updates the store's order with this number. The same body twice changes nothing.
 * Everything is validated before anything is written; the write is one transaction.
 */
export async function upsertOrder(opts: { storeId: string; body: unknown; clock?: Clock }): Promise<UpsertOrderResult> {
  try {
    return await upsertOnce(opts);
  } catch (err) {
    // Two requests for the same new order raced; the loser now finds the winner's row.
    if (isUniqueViolation(err)) return upsertOnce(opts);
    throw err;
  }
}

async function upsertOnce(opts: { storeId: string; body: unknown; clock?: Clock }): Promise<UpsertOrderResult> {
  const plan = await planOrderWrite(opts);
  if (plan.unchanged) return plan.unchanged;
  const w = plan.write;
  const { storeId, orderId, now } = w;
  await transaction(async (tx) => {
    await writeOrder(tx, w);
    for (const p of w.shipments) {
      const shipmentId = await writeShipment(tx, storeId, orderId, p, now);
      await refreshParcel(tx, { storeId, shipmentId, moved: false, now });
    }
    await orderChanged(tx, storeId, orderId, now);
    if (!w.exists && confirmationIsNews(w.fields.placedAt, w.shipments.length, now))
      await queueEmail(tx, { storeId, orderId, kind: 'order_confirmed', key: `order_confirmed:${orderId}`, now });
  });
  return { created: !w.exists, orderId, unchanged: false };
}

/**
 * Adds a shipment to the store's order. Idempotent by tracking code: the same code again
 * returns the existing shipment (created: false) and writes nothing.
 */
export async function addShipment(opts: {
  storeId: string;
  orderNumber: string;
  body: unknown;
  clock?: Clock;
}): Promise<{ created: boolean; orderId: string; shipmentId: string }> {
  const plan = await planShipmentAdd(opts);
  if (plan.existing) return { created: false, ...plan.existing };
  const a = plan.add;
  try {
    const shipmentId = await transaction(async (tx) => {
      const id = await writeAddedShipment(tx, a);
      await refreshParcel(tx, { storeId: a.storeId, shipmentId: id, moved: false, now: a.now });
      await orderChanged(tx, a.storeId, a.orderId, a.now);
      return id;
    });
    return { created: true, orderId: a.orderId, shipmentId };
  } catch (err) {
    if (isUniqueViolation(err)) return addShipment(opts); // a concurrent request added it first
    throw err;
  }
}

const CONFIRM_WITHIN = 24 * 3_600_000;

/**
 * "Thank you for your order" is news only for an order just placed and not on its way yet: an
 * order imported with parcels (shipped, delivered) or placed more than a day ago gets none (nothing
 * stale). Whether the store sends it at all (off by default) is the kind's setting, read by queueEmail.
 */
function confirmationIsNews(placedAt: number, parcels: number, now: number): boolean {
  return parcels === 0 && now - placedAt <= CONFIRM_WITHIN;
}

/** What follows once an order's rows or parcels were written. */
async function orderChanged(tx: Tx, storeId: string, orderId: string, now: number): Promise<void> {
  // 1. The delayed-dispatch deadline follows what is still unshipped (and its notice clears once all shipped).
  await refreshOrderDispatch(tx, { orderId, now });
  // 2. The order's cached pages are dropped and its open pages told (after the commit).
  await recordPageChange(tx, storeId, orderId, now);
}
