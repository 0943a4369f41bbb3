// A product's published reviews with their aggregate, for the public JSON, the embeddable
// fragment and the product's review page. Only published reviews, only this store's. The
// product may be named by its id or by one of its variants' SKUs (resolved through order items).
import { and, count, desc, eq, lt, or } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { db, firstRow, schema } from '../db.ts';
import { AppError } from '../errors.ts';

interface PublicReview {
  id: string;
  rating: number;
  title: string | null;
  body: string | null;
  author: string;
  verifiedBuyer: true;
  publishedAt: number;
  reply: { body: string; at: number } | null;
}

export interface ProductReviews {
  productId: string;
  productTitle: string | null;
  productImageUrl: string | null;
  aggregate: { average: number | null; count: number; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  reviews: PublicReview[];
  nextCursor: string | null;
}

/** The product id a public request names: a product with reviews or order items, or a variant's SKU. */
export async function resolveProductId(storeId: string, idOrSku: string): Promise<string | null> {
  const byProduct = await firstRow(
    db()
      .select({ productId: schema.orderItems.productId })
      .from(schema.orderItems)
      .where(and(eq(schema.orderItems.storeId, storeId), eq(schema.orderItems.productId, idOrSku)))
      .limit(1),
  );
  if (byProduct) return byProduct.productId;
  const bySku = await firstRow(
    db()
      .select({ productId: schema.orderItems.productId })
      .from(schema.orderItems)
      .where(and(eq(schema.orderItems.storeId, storeId), eq(schema.orderItems.sku, idOrSku)))
      .limit(1),
  );
  return bySku?.productId ?? null;
}

/** One page of the product's published reviews, newest first, and the aggregate over all of them. */
export async function listProductReviews(opts: {
  storeId: string;
  productId: string;
  cursor?: string | null;
  limit?: number;
}): Promise<ProductReviews> {
  const limit = opts.limit ?? 20;
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  if (opts.cursor && !after)
    throw new AppError('invalid', 'The cursor is not valid', [{ pointer: '/cursor', detail: 'use nextCursor from the previous page' }]);
  const r = schema.reviews;
  const published = and(eq(r.storeId, opts.storeId), eq(r.productId, opts.productId), eq(r.status, 'published'));
  const [rows, stats] = await Promise.all([
    db()
      .select()
      .from(r)
      .where(after ? and(published, or(lt(r.publishedAt, after.at), and(eq(r.publishedAt, after.at), lt(r.id, after.id)))) : published)
      .orderBy(desc(r.publishedAt), desc(r.id))
      .limit(limit + 1),
    db().select({ rating: r.rating, n: count() }).from(r).where(published).groupBy(r.rating),
  ]);
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let total = 0;
  let sum = 0;
  for (const s of stats) {
    distribution[String(s.rating) as keyof typeof distribution] = s.n;
    total += s.n;
    sum += s.rating * s.n;
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const product =
    rows[0] ??
    (await firstRow(
      db()
        .select()
        .from(r)
        .where(and(eq(r.storeId, opts.storeId), eq(r.productId, opts.productId)))
        .limit(1),
    ));
  const item = product
    ? null
    : await firstRow(
        db()
          .select({ title: schema.orderItems.title, imageUrl: schema.orderItems.imageUrl })
          .from(schema.orderItems)
          .where(and(eq(schema.orderItems.storeId, opts.storeId), eq(schema.orderItems.productId, opts.productId)))
          .limit(1),
      );
  return {
    productId: opts.productId,
    productTitle: product?.productTitle ?? item?.title ?? null,
    productImageUrl: product?.productImageUrl ?? item?.imageUrl ?? null,
    aggregate: { average: total ? Math.round((sum / total) * 10) / 10 : null, count: total, distribution },
    reviews: page.map((x) => ({
      id: x.id,
      rating: x.rating,
      title: x.title,
      body: x.body,
      author: x.displayName,
      verifiedBuyer: true,
      publishedAt: x.publishedAt!,
      reply: x.reply ? { body: x.reply, at: x.repliedAt! } : null,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.publishedAt!, id: last.id }) : null,
  };
}
