// POST /api/v1/orders/{number}/shipments: add a parcel; idempotent by tracking code.
import { apiRoute, json, readJson } from '../../../../../server/http/api-route.ts';
import { config } from '../../../../../server/config.ts';
import { addShipment } from '../../../../../server/changes/order-written.ts';
import { getOrderByNumber } from '../../../../../server/orders/get-order-by-number.ts';
import { toOrderJson } from '../../../../../server/orders/order-json.ts';

export const POST = apiRoute(async ({ ctx, store }) => {
  const body = await readJson(ctx.request);
  const result = await addShipment({ storeId: store.id, orderNumber: ctx.params.number ?? '', body });
  const order = await getOrderByNumber(store, ctx.params.number ?? '');
  return json(toOrderJson(order!, store, config().publicUrl), result.created ? 201 : 200);
});
