// POST /api/v1/orders: create or update an order by its number.
import { apiRoute, json, readJson } from '../../../../server/http/api-route.ts';
import { config } from '../../../../server/config.ts';
import { getOrderByNumber } from '../../../../server/orders/get-order-by-number.ts';
import { toOrderJson } from '../../../../server/orders/order-json.ts';
import { upsertOrder } from '../../../../server/changes/order-written.ts';
import { normalizeOrderNumber } from '../../../../server/orders/normalize.ts';

export const POST = apiRoute(async ({ ctx, store }) => {
  const body = await readJson(ctx.request);
  const result = await upsertOrder({ storeId: store.id, body });
  const number = normalizeOrderNumber(String((body as { number?: unknown }).number ?? ''));
  const order = await getOrderByNumber(store, number);
  const headers: Record<string, string> = { location: `/api/v1/orders/${encodeURIComponent(order!.number)}` };
  return json(toOrderJson(order!, store, config().publicUrl), result.created ? 201 : 200, headers);
});
