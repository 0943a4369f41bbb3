// The public read of a product's reviews shared by the JSON API and the embed: the store from
// its slug, the product from its id or a variant's SKU, a page from the cursor.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { getStoreBySlug } from '../stores/get-store.ts';
import type { Store } from '../stores/store.ts';
import { parseOrThrow } from '../validate.ts';
import { listProductReviews, resolveProductId, type ProductReviews } from './list-product-reviews.ts';

const Query = z.object({
  store: z.string({ error: 'the store’s slug, ?store=' }).min(1, 'the store’s slug, ?store='),
  cursor: z.string().max(200).optional(),
  limit: z.coerce
    .number({ error: 'a whole number from 1 to 50' })
    .int('a whole number from 1 to 50')
    .min(1, 'a whole number from 1 to 50')
    .max(50, 'a whole number from 1 to 50')
    .default(20),
});

/** The store and one page of a product's published reviews; 404 for an unknown store or product. */
export async function readPublicReviews(opts: {
  productId: string;
  query: URLSearchParams;
  slug?: string;
}): Promise<{ store: Store; reviews: ProductReviews }> {
  const q = parseOrThrow(
    Query,
    { ...Object.fromEntries(opts.query), ...(opts.slug ? { store: opts.slug } : {}) },
    'The request is not valid',
  );
  const store = await getStoreBySlug(q.store);
  if (!store) throw new AppError('not_found', `No store ${q.store}`);
  const productId = await resolveProductId(store.id, opts.productId);
  if (!productId) throw new AppError('not_found', `No product ${opts.productId} in this store`);
  return { store, reviews: await listProductReviews({ storeId: store.id, productId, cursor: q.cursor ?? null, limit: q.limit }) };
}
