import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { db, firstRow, lockRow, schema, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId, randomToken } from '../ids.ts';
import { systemClock, type Clock } from '../clock.ts';
import { parseOrThrow } from '../validate.ts';
import { normalizeEmail, normalizeOrderNumber, normalizePostalCode } from './normalize.ts';
import { OrderInputSchema } from './order-input.ts';
import { checkShippedQuantities, findShipmentsByCodes, shipmentItemsOfOrder, type PlannedShipment } from './shipment-writes.ts';

export interface UpsertOrderResult {
  created: boolean;
  orderId: string;
  /** True when the body matched the stored one and nothing was written. */
  unchanged: boolean;
}

/** An order body checked against what is stored, ready to be written. */
export interface OrderWrite {
  storeId: string;
  orderId: string;
  /** False for a new order. */
  exists: boolean;
  fields: Omit<typeof schema.orders.$inferInsert, 'id' | 'storeId' | 'accessId' | 'createdAt'>;
  items: OrderItemInput[];
  /** The order's shipments, in body order (written by the caller with writeShipment). */
  shipments: PlannedShipment[];
  now: number;
}
type OrderItemInput = ReturnType<typeof OrderInputSchema.parse>['items'][number];

/**
 * Validates an order body for the store's order with this number, against what is stored:
 * `unchanged` when the same body was stored already (nothing to write), else the write to make.
 */
export async function planOrderWrite(opts: {
  storeId: string;
  body: unknown;
  clock?: Clock;
}): Promise<{ unchanged: UpsertOrderResult; write?: never } | { write: OrderWrite; unchanged?: never }> {
  const { storeId } = opts;
  const now = (opts.clock ?? systemClock).now();
  const input = parseOrThrow(OrderInputSchema, opts.body, 'The order is not valid');
  const numberNorm = normalizeOrderNumber(input.number);
  const bodyHash = createHash('sha256').update(JSON.stringify(input)).digest('base64url');

  const existing = await firstRow(
    db()
      .select()
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.numberNorm, numberNorm))),
  );
  if (existing && existing.bodyHash === bodyHash) {
    return { unchanged: { created: existing.createdAt === existing.updatedAt, orderId: existing.id, unchanged: true } };
  }

  const codes = input.shipments.map((s) => s.trackingCode);
  const known = await findShipmentsByCodes(storeId, codes);
  const conflicts = known.filter((k) => k.orderId !== existing?.id);
  if (conflicts.length) {
    throw new AppError(
      'conflict',
      'A tracking code belongs to another order of this store',
      conflicts.map((c) => ({ pointer: `/shipments/${codes.indexOf(c.trackingCode)}/trackingCode`, detail: 'used by another order' })),
    );
  }
  const planned: PlannedShipment[] = input.shipments.map((s, i) => ({
    input: s,
    existingId: known.find((k) => k.trackingCode === s.trackingCode)?.id ?? null,
    at: `/shipments/${i}`,
  }));
  const stored = existing ? await shipmentItemsOfOrder(existing.id) : [];
  const ordered = new Map(input.items.map((i) => [i.sku, i.quantity]));
  const errors = checkShippedQuantities(ordered, stored, planned);
  if (errors.length) throw new AppError('invalid', 'The shipments do not match the order’s items', errors);

  const orderId = existing?.id ?? newId();
  const fields = {
    number: input.number.replace(/^#+/, ''),
    numberNorm,
    email: input.email,
    emailNorm: normalizeEmail(input.email),
    postalNorm: normalizePostalCode(input.shippingAddress.postalCode),
    customerName: input.customerName,
    placedAt: Date.parse(input.placedAt),
    currency: input.currency,
    locale: input.locale,
    timeZone: input.timeZone ?? null,
    marketingConsent: input.marketingConsent,
    shippingAddress: input.shippingAddress,
    bodyHash,
    updatedAt: now,
  };
  return { write: { storeId, orderId, exists: Boolean(existing), fields, items: input.items, shipments: planned, now } };
}

/** Writes the order row and its items (not its shipments), inside the caller's transaction. */
export async function writeOrder(tx: Tx, w: OrderWrite): Promise<void> {
  const { storeId, orderId, fields, now } = w;
  if (w.exists) {
    await lockRow(tx, schema.orders, orderId);
    await tx.update(schema.orders).set(fields).where(eq(schema.orders.id, orderId));
    await tx.delete(schema.orderItems).where(eq(schema.orderItems.orderId, orderId));
  } else {
    await tx.insert(schema.orders).values({ ...fields, id: orderId, storeId, accessId: randomToken(16), createdAt: now });
  }
  await tx.insert(schema.orderItems).values(
    w.items.map((item, position) => ({
      id: newId(),
      storeId,
      orderId,
      sku: item.sku,
      productId: item.productId ?? item.sku,
      title: item.title,
      variant: item.variant ?? null,
      quantity: item.quantity,
      unitAmount: item.unitAmount,
      imageUrl: item.imageUrl ?? null,
      category: item.category ?? null,
      finalSale: item.finalSale,
      position,
    })),
  );
}
