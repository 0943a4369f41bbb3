// GET /api/v1/orders/{number}
import { apiRoute, json } from '../../../../../server/http/api-route.ts';
import { problem } from '../../../../../server/http/problem.ts';
import { config } from '../../../../../server/config.ts';
import { getOrderByNumber } from '../../../../../server/orders/get-order-by-number.ts';
import { toOrderJson } from '../../../../../server/orders/order-json.ts';
import { listReviewableProducts } from '../../../../../server/reviews/list-reviewable-products.ts';
import { orderReturnsJson } from '../../../../../server/returns/order-returns-json.ts';

export const GET = apiRoute(async ({ ctx, store }) => {
  const order = await getOrderByNumber(store, ctx.params.number ?? '');
  if (!order) return problem(404, `No order ${ctx.params.number} in this store.`);
  const reviewable = (await listReviewableProducts({ storeId: store.id, orderId: order.id })).length > 0;
  return json({
    ...toOrderJson(order, store, config().publicUrl, { reviewable }),
    returns: await orderReturnsJson(store, order.id, config().publicUrl),
  });
});
