// Writers call this inside their transaction whenever something a shopper page shows changes.
import { schema, type Tx } from '../db.ts';
import { invalidatePages } from './page-cache.ts';

/**
 * Appends to the change feed: this order's pages (or, with orderId null, the whole store's) are
 * stale. This process's cache is dropped at once; other instances drop theirs when they read the
 * feed. (A SQLite transaction is synchronous, so no render in this process can run between this
 * call and the commit; under PostgreSQL the feed read after commit covers the gap.)
 */
export function recordPageChange(tx: Tx, storeId: string, orderId: string | null, now: number): void {
  tx.insert(schema.pageChanges).values({ storeId, orderId, changedAt: now }).run();
  invalidatePages(storeId, orderId);
}
