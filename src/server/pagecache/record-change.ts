// Writers call this inside their transaction whenever something a shopper page shows changes.
import { sql } from 'drizzle-orm';
import { afterCommit, prepared, schema, type Tx } from '../db.ts';
import { invalidatePages } from './page-cache.ts';

/**
 * Appends to the change feed: this order's pages (or, with orderId null, the whole store's) are
 * stale. This process's cache is dropped once the transaction commits (never before: a render
 * running in between would read the old data and store it as fresh; never after a rollback);
 * other instances drop theirs when they read the feed.
 */
export async function recordPageChange(tx: Tx, storeId: string, orderId: string | null, now: number): Promise<void> {
  const [change] = await insertChange(tx).execute({ storeId, orderId, changedAt: now });
  const seq = change!.seq;
  afterCommit(tx, () => {
    invalidatePages(storeId, orderId);
    // When the feed brings this change back, this process has already dropped its pages: a second
    // drop would throw away the page rendered since (see isOwnChange).
    markOwnChange(seq);
  });
}

const g = globalThis as { __waypostOwnChanges?: Set<number> };
const own = () => (g.__waypostOwnChanges ??= new Set());

function markOwnChange(seq: number): void {
  const set = own();
  if (set.size > 100_000) set.clear();
  set.add(seq);
}

/** True (once) for a change this process recorded itself. */
export function isOwnChange(seq: number): boolean {
  return own().delete(seq);
}

const insertChange = (tx: Tx) =>
  prepared(tx, 'pagecache.insertChange', (d) =>
    d
      .insert(schema.pageChanges)
      .values({ storeId: sql.placeholder('storeId'), orderId: sql.placeholder('orderId'), changedAt: sql.placeholder('changedAt') })
      .returning({ seq: schema.pageChanges.seq })
      .prepare(),
  );
