// The order's returns for GET /api/v1/orders/{number}.
import type { Store } from '../stores/store.ts';
import { listOrderReturns } from './load-return.ts';
import { toReturnJson } from './return-json.ts';

/** The order's returns as the API shows them, newest first. */
export async function orderReturnsJson(store: Pick<Store, 'id' | 'slug'>, orderId: string, publicUrl: string) {
  const rows = await listOrderReturns(store.id, orderId);
  return rows.map((r) => toReturnJson(r, { publicUrl, slug: store.slug }));
}
