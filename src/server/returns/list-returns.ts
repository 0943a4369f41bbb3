// The store's returns, newest first, cursor-paginated, filtered by status, reason and product: the
// admin queue and GET /api/v1/returns read the same rows.
import { and, desc, eq, exists, inArray, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, schema } from '../db.ts';
import { encodeCursor } from '../cursor.ts';
import { cursorField, limitField, readQuery } from '../read-query.ts';
import { parseOrThrow } from '../validate.ts';
import { OPEN_STATUSES } from './return-machine.ts';
import { RETURN_STATUSES } from './statuses.ts';

const ReturnQuery = z.object({
  status: z.enum([...RETURN_STATUSES, 'open', 'all'], `one of ${RETURN_STATUSES.join(', ')}, open, all`).optional(),
  reason: z.string().max(40).optional(),
  product: z.string().max(100).optional(),
  cursor: cursorField,
  limit: limitField(100),
});

export type ReturnListRow = typeof schema.returns.$inferSelect & {
  orderNumber: string;
  customerName: string;
  items: (typeof schema.returnItems.$inferSelect)[];
};

/** One page of the store's returns. */
export async function listReturns(o: {
  storeId: string;
  query: URLSearchParams | Record<string, string | undefined>;
  defaultLimit?: number;
}): Promise<{ rows: ReturnListRow[]; nextCursor: string | null }> {
  const q = parseOrThrow(ReturnQuery, readQuery(o.query), 'That filter is not valid');
  const r = schema.returns;
  const ri = schema.returnItems;
  const limit = q.limit ?? o.defaultLimit ?? 50;
  const where: SQL[] = [eq(r.storeId, o.storeId)];
  if (q.status === 'open') where.push(inArray(r.status, [...OPEN_STATUSES]));
  else if (q.status && q.status !== 'all') where.push(eq(r.status, q.status));
  const itemCond: SQL[] = [];
  if (q.reason) itemCond.push(eq(ri.reason, q.reason));
  if (q.product) itemCond.push(or(eq(ri.productId, q.product), eq(ri.sku, q.product))!);
  if (itemCond.length)
    where.push(
      exists(
        db()
          .select({ one: ri.id })
          .from(ri)
          .where(and(eq(ri.returnId, r.id), ...itemCond)),
      ),
    );
  if (q.cursor) where.push(or(lt(r.createdAt, q.cursor.at), and(eq(r.createdAt, q.cursor.at), lt(r.id, q.cursor.id)))!);
  const rows = await db()
    .select({ r, orderNumber: schema.orders.number, customerName: schema.orders.customerName })
    .from(r)
    .innerJoin(schema.orders, eq(schema.orders.id, r.orderId))
    .where(and(...where))
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const items = page.length
    ? await db()
        .select()
        .from(ri)
        .where(
          inArray(
            ri.returnId,
            page.map((x) => x.r.id),
          ),
        )
    : [];
  const last = page[page.length - 1];
  return {
    rows: page.map((x) => ({
      ...x.r,
      orderNumber: x.orderNumber,
      customerName: x.customerName,
      items: items.filter((i) => i.returnId === x.r.id),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.r.createdAt, id: last.r.id }) : null,
  };
}
