// The variants a shopper may exchange an item for: the available variants of the same product in
// the store's catalogue (PUT /api/v1/products/{productId}), other than the one they have.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { schema, type Tx } from '../db.ts';

type Reader = Pick<Tx, 'select'>;

export interface VariantChoice {
  sku: string;
  title: string;
}

/** Available variants per product id (only products the store has put in its catalogue). */
export async function availableVariants(r: Reader, storeId: string, productIds: string[]): Promise<Record<string, VariantChoice[]>> {
  if (productIds.length === 0) return {};
  const rows = await r
    .select({ productId: schema.products.productId, sku: schema.productVariants.sku, title: schema.productVariants.title })
    .from(schema.productVariants)
    .innerJoin(schema.products, eq(schema.products.id, schema.productVariants.productRowId))
    .where(
      and(eq(schema.products.storeId, storeId), inArray(schema.products.productId, productIds), eq(schema.productVariants.available, true)),
    )
    .orderBy(asc(schema.productVariants.position));
  const out: Record<string, VariantChoice[]> = {};
  for (const row of rows) (out[row.productId] ??= []).push({ sku: row.sku, title: row.title });
  return out;
}
