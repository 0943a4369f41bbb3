// Keeps an order's delayed-dispatch deadline in step with what is still unshipped.
import { eq, sum } from 'drizzle-orm';
import { schema, type Tx } from '../db.ts';
import { readSettings } from '../stores/settings.ts';
import { dispatchDueAt } from '../tracking/deadlines.ts';
import { clearNotices, openNoticeKinds } from './open-notice.ts';

/** Sets or clears the order's dispatch deadline; clears its notice once everything has shipped. */
export function refreshOrderDispatch(tx: Tx, opts: { orderId: string; now: number }): void {
  const order = tx
    .select({ o: schema.orders, storeSettings: schema.stores.settings })
    .from(schema.orders)
    .innerJoin(schema.stores, eq(schema.stores.id, schema.orders.storeId))
    .where(eq(schema.orders.id, opts.orderId))
    .get();
  if (!order) return;
  let due: number | null = null;
  if (!hasUnshippedUnits(tx, opts.orderId)) clearNotices(tx, opts.orderId, ['delayed_dispatch'], opts.now);
  else if (!openNoticeKinds(tx, opts.orderId).has('delayed_dispatch')) {
    const settings = readSettings(order.storeSettings);
    due = dispatchDueAt(order.o.placedAt, order.o.timeZone ?? settings.timeZone, settings);
  }
  tx.update(schema.orders).set({ dispatchDueAt: due }).where(eq(schema.orders.id, opts.orderId)).run();
}

/** True while some ordered units are in no parcel. */
export function hasUnshippedUnits(tx: Tx, orderId: string): boolean {
  const ordered = Number(
    tx
      .select({ n: sum(schema.orderItems.quantity) })
      .from(schema.orderItems)
      .where(eq(schema.orderItems.orderId, orderId))
      .get()?.n ?? 0,
  );
  const shipped = Number(
    tx
      .select({ n: sum(schema.shipmentItems.quantity) })
      .from(schema.shipmentItems)
      .innerJoin(schema.shipments, eq(schema.shipments.id, schema.shipmentItems.shipmentId))
      .where(eq(schema.shipments.orderId, orderId))
      .get()?.n ?? 0,
  );
  return shipped < ordered;
}
