// Rules and writes shared by the two ways shipments arrive (inside an order body, or one by one).
import { and, eq, inArray } from 'drizzle-orm';
import { db, schema, type Tx } from '../db.ts';
import type { FieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ShipmentInput } from './order-input.ts';

export interface PlannedShipment {
  input: ShipmentInput;
  /** Set when a shipment with this tracking code exists already on this order. */
  existingId: string | null;
  /** Where in the request body it came from, for error pointers. */
  at: string;
}

/** Existing shipments of the store with these tracking codes (on any order). */
export async function findShipmentsByCodes(storeId: string, codes: string[]) {
  if (codes.length === 0) return [];
  return await db()
    .select({ id: schema.shipments.id, orderId: schema.shipments.orderId, trackingCode: schema.shipments.trackingCode })
    .from(schema.shipments)
    .where(and(eq(schema.shipments.storeId, storeId), inArray(schema.shipments.trackingCode, codes)));
}

/** Every shipment of an order with its items. */
export async function shipmentItemsOfOrder(orderId: string) {
  return await db()
    .select({
      shipmentId: schema.shipments.id,
      trackingCode: schema.shipments.trackingCode,
      sku: schema.shipmentItems.sku,
      quantity: schema.shipmentItems.quantity,
    })
    .from(schema.shipments)
    .innerJoin(schema.shipmentItems, eq(schema.shipmentItems.shipmentId, schema.shipments.id))
    .where(eq(schema.shipments.orderId, orderId));
}

/**
 * Checks that every shipped SKU is on the order and no SKU ships more units than were ordered,
 * counting shipments already stored (except those being replaced) and the planned ones.
 */
export function checkShippedQuantities(
  ordered: Map<string, number>,
  stored: { trackingCode: string; sku: string; quantity: number }[],
  planned: PlannedShipment[],
): FieldError[] {
  const errors: FieldError[] = [];
  const replaced = new Set(planned.map((p) => p.input.trackingCode));
  const shipped = new Map<string, number>();
  const skus = [...ordered.keys()];
  for (const s of stored) {
    if (replaced.has(s.trackingCode)) continue;
    // A parcel already stored must still match the (possibly updated) items.
    if (!ordered.has(s.sku)) {
      errors.push({ pointer: '/items', detail: `"${s.sku}" is in parcel ${s.trackingCode} and cannot be removed from the order` });
      continue;
    }
    const total = (shipped.get(s.sku) ?? 0) + s.quantity;
    if (total > ordered.get(s.sku)!) {
      errors.push({ pointer: `/items/${skus.indexOf(s.sku)}/quantity`, detail: `${total} already shipped; the order cannot have fewer` });
    }
    shipped.set(s.sku, total);
  }
  for (const p of planned) {
    const seen = new Set<string>();
    p.input.items.forEach((item, i) => {
      const at = `${p.at}/items/${i}`;
      if (seen.has(item.sku)) errors.push({ pointer: `${at}/sku`, detail: 'appears twice in this shipment' });
      seen.add(item.sku);
      const max = ordered.get(item.sku);
      if (max === undefined) {
        errors.push({ pointer: `${at}/sku`, detail: `"${item.sku}" is not an item of this order` });
        return;
      }
      const total = (shipped.get(item.sku) ?? 0) + item.quantity;
      if (total > max) errors.push({ pointer: `${at}/quantity`, detail: `only ${max} ordered; this would ship ${total}` });
      shipped.set(item.sku, total);
    });
  }
  return errors;
}

/** Inserts or updates one shipment and its items (what follows is in changes/order-written.ts). Returns the shipment id. */
export async function writeShipment(tx: Tx, storeId: string, orderId: string, p: PlannedShipment, now: number): Promise<string> {
  const s = p.input;
  let id = p.existingId;
  if (id) {
    await tx
      .update(schema.shipments)
      .set({ carrier: s.carrier, service: s.service ?? null, promisedDate: s.promisedDeliveryDate ?? null, updatedAt: now })
      .where(and(eq(schema.shipments.id, id), eq(schema.shipments.storeId, storeId)));
    await tx.delete(schema.shipmentItems).where(eq(schema.shipmentItems.shipmentId, id));
  } else {
    id = newId();
    await tx.insert(schema.shipments).values({
      id,
      storeId,
      orderId,
      carrier: s.carrier,
      trackingCode: s.trackingCode,
      service: s.service ?? null,
      promisedDate: s.promisedDeliveryDate ?? null,
      // Due at once: the carrier-sync job creates its tracker.
      nextSyncAt: now,
      createdAt: now,
      updatedAt: now,
    });
  }
  await tx.insert(schema.shipmentItems).values(s.items.map((i) => ({ shipmentId: id, storeId, sku: i.sku, quantity: i.quantity })));
  return id;
}
