// Live updates: calls back whenever the change feed says an order's page changed.
import { onPageChanges } from './change-feed.ts';

/** Subscribes to changes of one order (or its whole store); returns the unsubscribe function. */
export function watchOrder(storeId: string, orderId: string, onChange: (seq: number) => void): () => void {
  return onPageChanges((changes) => {
    const hit = changes.findLast((c) => c.storeId === storeId && (c.orderId === null || c.orderId === orderId));
    if (hit) onChange(hit.seq);
  });
}
