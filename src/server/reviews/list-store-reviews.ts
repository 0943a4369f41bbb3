// The back office's review queue: one status at a time, newest first, with the order it came from.
import { and, count, desc, eq, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { db, schema } from '../db.ts';
import { AppError } from '../errors.ts';

export const REVIEW_STATUSES = ['pending', 'published', 'rejected'] as const;
type ReviewStatus = (typeof REVIEW_STATUSES)[number];
const Status = z.enum(REVIEW_STATUSES);

export type StoreReviewRow = typeof schema.reviews.$inferSelect & { orderNumber: string };

/** A page of the store's reviews in one status, with the count in every status. */
export async function listStoreReviews(opts: { storeId: string; status?: string | null; cursor?: string | null; limit?: number }) {
  const status = Status.safeParse(opts.status || 'pending');
  if (!status.success) throw new AppError('invalid', 'Unknown tab', [{ pointer: '/status', detail: 'pending, published or rejected' }]);
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  if (opts.cursor && !after)
    throw new AppError('invalid', 'The page link is not valid', [{ pointer: '/cursor', detail: 'start again from the first page' }]);
  const limit = opts.limit ?? 25;
  const r = schema.reviews;
  const base = and(eq(r.storeId, opts.storeId), eq(r.status, status.data));
  const [rows, counts] = await Promise.all([
    db()
      .select({ review: r, orderNumber: schema.orders.number })
      .from(r)
      .innerJoin(schema.orders, eq(schema.orders.id, r.orderId))
      .where(after ? and(base, or(lt(r.createdAt, after.at), and(eq(r.createdAt, after.at), lt(r.id, after.id)))) : base)
      .orderBy(desc(r.createdAt), desc(r.id))
      .limit(limit + 1),
    db().select({ status: r.status, n: count() }).from(r).where(eq(r.storeId, opts.storeId)).groupBy(r.status),
  ]);
  const page: StoreReviewRow[] = rows.slice(0, limit).map((x) => ({ ...x.review, orderNumber: x.orderNumber }));
  const last = page[page.length - 1];
  return {
    status: status.data,
    rows: page,
    counts: Object.fromEntries(REVIEW_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0])) as Record<ReviewStatus, number>,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
