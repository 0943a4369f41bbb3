import { and, eq } from 'drizzle-orm';
import { db, firstRow, isUniqueViolation, lockRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { refreshOrderDispatch } from '../notices/refresh-order-dispatch.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { systemClock, type Clock } from '../clock.ts';
import { parseOrThrow } from '../validate.ts';
import { normalizeOrderNumber } from './normalize.ts';
import { ShipmentInputSchema } from './order-input.ts';
import { checkShippedQuantities, findShipmentsByCodes, shipmentItemsOfOrder, writeShipment } from './shipment-writes.ts';

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
  const { storeId } = opts;
  const input = parseOrThrow(ShipmentInputSchema, opts.body, 'The shipment is not valid');
  const order = await firstRow(
    db()
      .select({ id: schema.orders.id })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.numberNorm, normalizeOrderNumber(opts.orderNumber)))),
  );
  if (!order) throw new AppError('not_found', `No order ${opts.orderNumber} in this store`);

  const [existing] = await findShipmentsByCodes(storeId, [input.trackingCode]);
  if (existing) {
    if (existing.orderId !== order.id) {
      throw new AppError('conflict', 'This tracking code belongs to another order', [
        { pointer: '/trackingCode', detail: 'used by another order' },
      ]);
    }
    return { created: false, orderId: order.id, shipmentId: existing.id };
  }
  const items = await db()
    .select({ sku: schema.orderItems.sku, quantity: schema.orderItems.quantity })
    .from(schema.orderItems)
    .where(eq(schema.orderItems.orderId, order.id));
  const planned = [{ input, existingId: null, at: '' }];
  const errors = checkShippedQuantities(new Map(items.map((i) => [i.sku, i.quantity])), await shipmentItemsOfOrder(order.id), planned);
  if (errors.length) throw new AppError('invalid', 'The shipment does not match the order’s items', errors);

  const now = (opts.clock ?? systemClock).now();
  try {
    const shipmentId = await transaction(async (tx) => {
      await lockRow(tx, schema.orders, order.id);
      const id = await writeShipment(tx, storeId, order.id, planned[0]!, now);
      await refreshOrderDispatch(tx, { orderId: order.id, now });
      await recordPageChange(tx, storeId, order.id, now);
      return id;
    });
    return { created: true, orderId: order.id, shipmentId };
  } catch (err) {
    if (isUniqueViolation(err)) return addShipment(opts); // a concurrent request added it first
    throw err;
  }
}
