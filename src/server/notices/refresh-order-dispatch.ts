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
  const ordered = Number(
    tx
      .select({ n: sum(schema.orderItems.quantity) })
      .from(schema.orderItems)
      .where(eq(schema.orderItems.orderId, opts.orderId))
      .get()?.n ?? 0,
  );
  const shipped = Number(
    tx
      .select({ n: sum(schema.shipmentItems.quantity) })
      .from(schema.shipmentItems)
      .innerJoin(schema.shipments, eq(schema.shipments.id, schema.shipmentItems.shipmentId))
      .where(eq(schema.shipments.orderId, opts.orderId))
      .get()?.n ?? 0,
  );
  let due: number | null = null;
  if (shipped >= ordered) clearNotices(tx, opts.orderId, ['delayed_dispatch'], opts.now);
  else if (!openNoticeKinds(tx, opts.orderId).has('delayed_dispatch')) {
    const settings = readSettings(order.storeSettings);
    due = dispatchDueAt(order.o.placedAt, order.o.timeZone ?? settings.timeZone, settings);
  }
  tx.update(schema.orders).set({ dispatchDueAt: due }).where(eq(schema.orders.id, opts.orderId)).run();
}
