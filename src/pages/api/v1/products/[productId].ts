// PUT /api/v1/products/{productId}: create (201) or replace (200) a product of the store's
// catalogue with its variants; exchanges offer a product's available variants.
import { apiRoute, json, readJson } from '../../../../server/http/api-route.ts';
import { putProduct } from '../../../../server/products/put-product.ts';

export const PUT = apiRoute(async ({ ctx, store }) => {
  const body = await readJson(ctx.request);
  const r = await putProduct({ storeId: store.id, productId: ctx.params.productId ?? '', body, now: Date.now() });
  return json(r.product, r.created ? 201 : 200);
});
