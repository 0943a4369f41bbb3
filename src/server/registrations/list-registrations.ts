// The store's product registrations, newest first, cursor-paginated like the other lists; the
// API, the back office list and its CSV export read the same rows. Always within one store.
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { encodeCursor } from '../cursor.ts';
import { db, schema } from '../db.ts';
import { cursorField, limitField, readQuery } from '../read-query.ts';
import { parseOrThrow } from '../validate.ts';

const RegistrationQuery = z.object({
  product: z.string().max(200, 'at most 200 characters').optional(),
  cursor: cursorField,
  limit: limitField(100),
});

export interface RegistrationRow {
  id: string;
  orderNumber: string;
  productId: string;
  sku: string;
  title: string;
  serial: string | null;
  email: string;
  customerName: string;
  registeredAt: number;
  deliveredOn: string;
  warrantyEndsOn: string;
  reminders: boolean;
}

/** One page of the store's registrations (`?product=` a product id or SKU, `?limit=`, `?cursor=`). */
export async function listRegistrations(opts: {
  storeId: string;
  query: URLSearchParams | Record<string, string | undefined>;
  defaultLimit?: number;
}): Promise<{ rows: RegistrationRow[]; nextCursor: string | null }> {
  const q = parseOrThrow(RegistrationQuery, readQuery(opts.query), 'That filter is not valid');
  const limit = q.limit ?? opts.defaultLimit ?? 50;
  const r = schema.registrations;
  const o = schema.orders;
  const where: (SQL | undefined)[] = [eq(r.storeId, opts.storeId)];
  if (q.product) where.push(or(eq(r.productId, q.product), eq(r.sku, q.product)));
  if (q.cursor) where.push(or(lt(r.registeredAt, q.cursor.at), and(eq(r.registeredAt, q.cursor.at), lt(r.id, q.cursor.id))));
  const found = await db()
    .select({
      id: r.id,
      orderNumber: o.number,
      productId: r.productId,
      sku: r.sku,
      title: r.title,
      serial: r.serial,
      email: o.email,
      customerName: o.customerName,
      registeredAt: r.registeredAt,
      deliveredOn: r.deliveredOn,
      warrantyEndsOn: r.warrantyEndsOn,
      reminders: r.reminders,
    })
    .from(r)
    .innerJoin(o, and(eq(o.id, r.orderId), eq(o.storeId, r.storeId)))
    .where(and(...where))
    .orderBy(desc(r.registeredAt), desc(r.id))
    .limit(limit + 1);
  const rows = found.slice(0, limit);
  const last = rows.at(-1);
  return { rows, nextCursor: found.length > limit && last ? encodeCursor({ at: last.registeredAt, id: last.id }) : null };
}

/** A registration as the merchant API returns it. */
export function toRegistrationJson(r: RegistrationRow) {
  return {
    id: r.id,
    orderNumber: r.orderNumber,
    productId: r.productId,
    sku: r.sku,
    title: r.title,
    serial: r.serial,
    email: r.email,
    registeredAt: new Date(r.registeredAt).toISOString(),
    deliveredOn: r.deliveredOn,
    warrantyEndsOn: r.warrantyEndsOn,
    reminders: r.reminders,
  };
}
