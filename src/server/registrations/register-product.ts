// A shopper registers a delivered product that carries a warranty, from the order page. One
// registration per order and SKU: registering again updates the serial and the reminder choice.
// Everything is checked before anything is written, so a refused registration records nothing.
import { z } from 'zod';
import { dayInZone } from '../../lib/dates.ts';
import { schema, transaction } from '../db.ts';
import { AppError, type FieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { OrderView } from '../orders/load-order.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { listDeliveredProducts } from '../orders/list-delivered-products.ts';
import { reminderDueAt } from './warranty-reminder-time.ts';

const SERIAL_MAX = 100;

const RegistrationSchema = z.object({
  sku: z.string().trim().min(1, 'choose the product').max(200, 'not a product of this order'),
  serial: z.string().trim().max(SERIAL_MAX, `at most ${SERIAL_MAX} characters`).default(''),
  // A checkbox: present when ticked, absent when not.
  reminders: z.string().optional(),
});

const refuse = (pointer: string, code: string, detail: string): never => {
  const e: FieldError = { pointer, detail, code };
  throw new AppError('invalid', 'The product cannot be registered', [e]);
};

/** Registers (or updates) the product of the order's SKU; returns the registration's id and warranty end. */
export async function registerProduct(opts: {
  order: OrderView;
  input: unknown;
  now: number;
}): Promise<{ id: string; sku: string; warrantyEndsOn: string; created: boolean }> {
  const r = RegistrationSchema.safeParse(opts.input);
  if (!r.success) {
    // Each refusal names its field and the words the shopper reads (the page picks them by code).
    const issue = r.error.issues[0]!;
    const field = String(issue.path[0] ?? 'sku');
    return refuse(`/${field}`, field === 'serial' ? 'serial' : 'sku', issue.message);
  }
  const input = r.data;
  const { order, now } = opts;
  if (!order.items.some((i) => i.sku === input.sku)) refuse('/sku', 'sku', 'not a product of this order');
  const product = (await listDeliveredProducts(order)).find((p) => p.sku === input.sku);
  if (!product) return refuse('/sku', 'notDelivered', 'not delivered yet: it can be registered once it has arrived');
  if (!product.warrantyMonths || !product.warrantyEndsOn) return refuse('/sku', 'noWarranty', 'this product has no warranty to register');
  const endsOn = product.registration?.warrantyEndsOn ?? product.warrantyEndsOn;
  if (endsOn < dayInZone(now, order.timeZone)) return refuse('/sku', 'ended', 'its warranty has already ended');
  const reminders = input.reminders !== undefined && input.reminders !== '';
  const serial = input.serial === '' ? null : input.serial;
  const remindAt = reminders ? reminderDueAt(endsOn, order.timeZone) : null;
  return transaction(async (tx) => {
    const id = product.registration?.id ?? newId();
    const rows = await tx
      .insert(schema.registrations)
      .values({
        id,
        storeId: order.storeId,
        orderId: order.id,
        sku: product.sku,
        productId: product.productId,
        title: product.title,
        serial,
        deliveredOn: product.deliveredOn,
        warrantyMonths: product.warrantyMonths!,
        warrantyEndsOn: endsOn,
        reminders,
        remindAt,
        registeredAt: now,
        updatedAt: now,
      })
      // The same SKU again (a second tap, another device) updates the one registration.
      .onConflictDoUpdate({
        target: [schema.registrations.orderId, schema.registrations.sku],
        set: { serial, reminders, remindAt, updatedAt: now },
      })
      .returning({ id: schema.registrations.id });
    const row = rows[0]!;
    await recordPageChange(tx, order.storeId, order.id, now);
    return { id: row.id, sku: product.sku, warrantyEndsOn: endsOn, created: !product.registration };
  });
}
