// Reading the store's catalogue: the list the back office shows, and one product as the API shapes it.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';

export interface ProductView {
  productId: string;
  title: string;
  url: string | null;
  imageUrl: string | null;
  variants: { sku: string; title: string; available: boolean }[];
  careGuide: { title: string; body: string; url: string | null } | null;
  warrantyMonths: number | null;
  replenishAfterDays: number | null;
  related: string[];
  updatedAt: number;
}

const p = schema.products;
const v = schema.productVariants;

/** Every product of the store by title, with its variants. */
export async function listProducts(storeId: string): Promise<ProductView[]> {
  const rows = await db().select().from(p).where(eq(p.storeId, storeId)).orderBy(asc(p.title), asc(p.productId));
  return withVariants(storeId, rows);
}

/** One product of the store, or undefined. */
export async function getProduct(storeId: string, productId: string): Promise<ProductView | undefined> {
  const row = await firstRow(
    db()
      .select()
      .from(p)
      .where(and(eq(p.storeId, storeId), eq(p.productId, productId))),
  );
  return row ? (await withVariants(storeId, [row]))[0] : undefined;
}

async function withVariants(storeId: string, rows: (typeof p.$inferSelect)[]): Promise<ProductView[]> {
  if (rows.length === 0) return [];
  const variants = await db()
    .select()
    .from(v)
    .where(
      and(
        eq(v.storeId, storeId),
        inArray(
          v.productRowId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(v.position));
  return rows.map((r) => ({
    productId: r.productId,
    title: r.title,
    url: r.url,
    imageUrl: r.imageUrl,
    variants: variants.filter((x) => x.productRowId === r.id).map((x) => ({ sku: x.sku, title: x.title, available: x.available })),
    careGuide: r.careGuide ?? null,
    warrantyMonths: r.warrantyMonths,
    replenishAfterDays: r.replenishAfterDays,
    related: r.related,
    updatedAt: r.updatedAt,
  }));
}
