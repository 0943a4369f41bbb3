// Keeps an order's delayed-dispatch deadline in step with what is still unshipped.
import { eq, sum } from 'drizzle-orm';
import { firstRow, schema, type Tx } from '../db.ts';
import { readSettings } from '../stores/settings.ts';
import { dispatchDueAt } from '../tracking/deadlines.ts';
import { clearNotices, openNoticeKinds } from './open-notice.ts';

/** Sets or clears the order's dispatch deadline; clears its notice once everything has shipped. */
export async function refreshOrderDispatch(tx: Tx, opts: { orderId: string; now: number }): Promise<void> {
  const order = await firstRow(
    tx
      .select({ o: schema.orders, storeSettings: schema.stores.settings })
      .from(schema.orders)
      .innerJoin(schema.stores, eq(schema.stores.id, schema.orders.storeId))
      .where(eq(schema.orders.id, opts.orderId)),
  );
  if (!order) return;
  let due: number | null = null;
  if (!(await hasUnshippedUnits(tx, opts.orderId))) await clearNotices(tx, opts.orderId, ['delayed_dispatch'], opts.now);
  else if (!(await openNoticeKinds(tx, opts.orderId)).has('delayed_dispatch')) {
    const settings = readSettings(order.storeSettings);
    due = dispatchDueAt(order.o.placedAt, order.o.timeZone ?? settings.timeZone, settings);
  }
  await tx.update(schema.orders).set({ dispatchDueAt: due }).where(eq(schema.orders.id, opts.orderId));
}

/** True while some ordered units are in no parcel. */
export async function hasUnshippedUnits(tx: Tx, orderId: string): Promise<boolean> {
  const ordered = await firstRow(
    tx
      .select({ n: sum(schema.orderItems.quantity) })
      .from(schema.orderItems)
      .where(eq(schema.orderItems.orderId, orderId)),
  );
  const shipped = await firstRow(
    tx
      .select({ n: sum(schema.shipmentItems.quantity) })
      .from(schema.shipmentItems)
      .innerJoin(schema.shipments, eq(schema.shipments.id, schema.shipmentItems.shipmentId))
      .where(eq(schema.shipments.orderId, orderId)),
  );
  return Number(shipped?.n ?? 0) < Number(ordered?.n ?? 0);
}
