import type { Store } from '../stores/store.ts';
import { systemClock, type Clock } from '../clock.ts';
import { loadOrder, type OrderView } from './load-order.ts';
import { readOrderToken } from './order-token.ts';

/** The order a link's token opens in this store, or null for a tampered, foreign or unknown token. */
export async function getOrderByToken(store: Store, token: string, clock: Clock = systemClock): Promise<OrderView | null> {
  const accessId = readOrderToken(store.id, token);
  if (!accessId) return null;
  return loadOrder(store, { accessId }, clock.now());
}
