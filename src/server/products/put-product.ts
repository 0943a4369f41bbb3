// PUT /api/v1/products/{productId}: creates or replaces a product of the store's catalogue with
// its variants. A SKU belongs to one product of a store; moving it is refused (409).
import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { firstRow, lockRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { parseOrThrow } from '../validate.ts';

const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url('an absolute URL'))
  .refine((u) => u.startsWith('https://'), 'an https URL');

const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

const ProductSchema = z.strictObject({
  title: z.string().trim().min(1, 'a title').max(200),
  url: httpsUrl.nullish(),
  imageUrl: httpsUrl.nullish(),
  variants: z
    .array(
      z.strictObject({
        sku: z.string().trim().min(1, 'a SKU').max(100),
        title: z.string().trim().min(1, 'a title').max(200),
        available: z.boolean(),
      }),
    )
    .min(1, 'at least one variant')
    .max(200)
    .superRefine((vs, ctx) => {
      const seen = new Set<string>();
      vs.forEach((v, i) => {
        if (seen.has(v.sku)) ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: 'this SKU is listed twice' });
        seen.add(v.sku);
      });
    }),
  careGuide: z
    .strictObject({
      title: z.string().trim().min(1, 'a title').max(200),
      body: z.string().trim().min(1, 'the guide itself').max(5000),
      url: httpsUrl.nullish(),
    })
    .nullish(),
  warrantyMonths: z.int('a whole number of months').min(1).max(240).nullish(),
  replenishAfterDays: z.int('a whole number of days').min(1).max(730).nullish(),
  related: z.array(z.string().regex(PRODUCT_ID, 'a product id')).max(50).default([]),
});

/** Creates or replaces the product; returns it as the API shows it and whether it was new. */
export async function putProduct(opts: { storeId: string; productId: string; body: unknown; now: number; actor?: Actor }) {
  if (!PRODUCT_ID.test(opts.productId))
    throw new AppError('invalid', 'The product id is not valid', [
      { pointer: '', detail: 'letters, digits, ".", "_", ":" or "-", at most 100 characters' },
    ]);
  const input = parseOrThrow(ProductSchema, opts.body, 'The product was not accepted');
  return transaction(async (tx) => {
    // A product and its variants' SKUs are checked against the store's other products, then written.
    await lockRow(tx, schema.stores, opts.storeId);
    const existing = await firstRow(
      tx
        .select()
        .from(schema.products)
        .where(and(eq(schema.products.storeId, opts.storeId), eq(schema.products.productId, opts.productId))),
    );
    const rowId = existing?.id ?? newId();
    for (const [i, v] of input.variants.entries()) {
      const other = await firstRow(
        tx
          .select({ productRowId: schema.productVariants.productRowId })
          .from(schema.productVariants)
          .where(
            and(
              eq(schema.productVariants.storeId, opts.storeId),
              eq(schema.productVariants.sku, v.sku),
              ne(schema.productVariants.productRowId, rowId),
            ),
          ),
      );
      if (other)
        throw new AppError('conflict', 'A SKU belongs to another product', [
          { pointer: `/variants/${i}/sku`, detail: 'this SKU belongs to another product of the store' },
        ]);
    }
    const values = {
      title: input.title,
      url: input.url ?? null,
      imageUrl: input.imageUrl ?? null,
      careGuide: input.careGuide ? { ...input.careGuide, url: input.careGuide.url ?? null } : null,
      warrantyMonths: input.warrantyMonths ?? null,
      replenishAfterDays: input.replenishAfterDays ?? null,
      // A product is not its own suggestion; each id once.
      related: [...new Set(input.related)].filter((id) => id !== opts.productId),
      updatedAt: opts.now,
    };
    const shown = (p: Omit<typeof values, 'updatedAt'>, variants: { sku: string; title: string; available: boolean }[]) =>
      JSON.stringify([
        p.title,
        p.url,
        p.imageUrl,
        p.careGuide,
        p.warrantyMonths,
        p.replenishAfterDays,
        p.related,
        variants.map((v) => [v.sku, v.title, v.available]),
      ]);
    if (existing) {
      // A shop platform re-sends its whole catalogue often: the same product again writes nothing and
      // leaves every cached order page alone.
      const before = await tx
        .select({ sku: schema.productVariants.sku, title: schema.productVariants.title, available: schema.productVariants.available })
        .from(schema.productVariants)
        .where(eq(schema.productVariants.productRowId, rowId))
        .orderBy(schema.productVariants.position);
      if (shown(existing, before) === shown(values, input.variants))
        return { created: false, product: productJson(opts.productId, values, input.variants) };
    }
    if (existing) await tx.update(schema.products).set(values).where(eq(schema.products.id, rowId));
    else
      await tx
        .insert(schema.products)
        .values({ id: rowId, storeId: opts.storeId, productId: opts.productId, createdAt: opts.now, ...values });
    await tx.delete(schema.productVariants).where(eq(schema.productVariants.productRowId, rowId));
    await tx.insert(schema.productVariants).values(
      input.variants.map((v, position) => ({
        storeId: opts.storeId,
        productRowId: rowId,
        sku: v.sku,
        title: v.title,
        available: v.available,
        position,
      })),
    );
    // The back office's edits are audited; the store's own systems (the API) write the catalogue too often to log.
    if (opts.actor)
      await recordAudit(tx, {
        storeId: opts.storeId,
        actor: opts.actor,
        action: 'product.updated',
        detail: { productId: opts.productId },
        now: opts.now,
      });
    // Order pages show products (care guides, "You might also like"): the store's stored pages are stale.
    await recordPageChange(tx, opts.storeId, null, opts.now);
    return { created: !existing, product: productJson(opts.productId, values, input.variants) };
  });
}

/** The product as the API answers it. */
function productJson(
  productId: string,
  v: {
    title: string;
    url: string | null;
    imageUrl: string | null;
    careGuide: unknown;
    warrantyMonths: number | null;
    replenishAfterDays: number | null;
    related: string[];
  },
  variants: { sku: string; title: string; available: boolean }[],
) {
  return {
    productId,
    title: v.title,
    url: v.url,
    imageUrl: v.imageUrl,
    variants,
    careGuide: v.careGuide,
    warrantyMonths: v.warrantyMonths,
    replenishAfterDays: v.replenishAfterDays,
    related: v.related,
  };
}
