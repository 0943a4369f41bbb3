import { and, eq } from 'drizzle-orm';
import { db, firstRow, lockRow, schema, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { systemClock, type Clock } from '../clock.ts';
import { parseOrThrow } from '../validate.ts';
import { normalizeOrderNumber } from './normalize.ts';
import { ShipmentInputSchema } from './order-input.ts';
import {
  checkShippedQuantities,
  findShipmentsByCodes,
  shipmentItemsOfOrder,
  writeShipment,
  type PlannedShipment,
} from './shipment-writes.ts';

/** A parcel checked against its order, ready to be added. */
export interface ShipmentAdd {
  storeId: string;
  orderId: string;
  planned: PlannedShipment;
  now: number;
}

/**
 * Validates a parcel for the store's order with this number. Idempotent by tracking code: the
 * same code again answers the existing shipment (`existing`) and nothing is to be written.
 */
export async function planShipmentAdd(opts: {
  storeId: string;
  orderNumber: string;
  body: unknown;
  clock?: Clock;
}): Promise<{ existing: { orderId: string; shipmentId: string }; add?: never } | { add: ShipmentAdd; existing?: never }> {
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
    return { existing: { orderId: order.id, shipmentId: existing.id } };
  }
  const items = await db()
    .select({ sku: schema.orderItems.sku, quantity: schema.orderItems.quantity })
    .from(schema.orderItems)
    .where(eq(schema.orderItems.orderId, order.id));
  const planned = [{ input, existingId: null, at: '' }];
  const errors = checkShippedQuantities(new Map(items.map((i) => [i.sku, i.quantity])), await shipmentItemsOfOrder(order.id), planned);
  if (errors.length) throw new AppError('invalid', 'The shipment does not match the order’s items', errors);

  return { add: { storeId, orderId: order.id, planned: planned[0]!, now: (opts.clock ?? systemClock).now() } };
}

/** Writes the parcel and its items on its order, inside the caller's transaction; returns its id. */
export async function writeAddedShipment(tx: Tx, a: ShipmentAdd): Promise<string> {
  await lockRow(tx, schema.orders, a.orderId);
  return writeShipment(tx, a.storeId, a.orderId, a.planned, a.now);
}
