// Writers call this inside their transaction whenever something a shopper page shows changes.
import { sql } from 'drizzle-orm';
import { prepared, schema, type Tx } from '../db.ts';
import { invalidatePages } from './page-cache.ts';

/**
 * Appends to the change feed: this order's pages (or, with orderId null, the whole store's) are
 * stale. This process's cache is dropped at once; other instances drop theirs when they read the
 * feed. (A SQLite transaction is synchronous, so no render in this process can run between this
 * call and the commit; under PostgreSQL the feed read after commit covers the gap.)
 */
export function recordPageChange(tx: Tx, storeId: string, orderId: string | null, now: number): void {
  void tx; // SQLite: the prepared insert runs inside this transaction
  // The new row's seq is its rowid, as better-sqlite3 reports it (a RETURNING clause cost more on
  // this hot path; a PostgreSQL port reads it with RETURNING).
  const seq = Number(insertChange().run({ storeId, orderId, changedAt: now }).lastInsertRowid);
  invalidatePages(storeId, orderId);
  // When the feed brings this change back, this process has already dropped its pages: a second
  // drop would throw away the page rendered since (see isOwnChange).
  markOwnChange(seq);
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

const insertChange = () =>
  prepared('pagecache.insertChange', (d) =>
    d
      .insert(schema.pageChanges)
      .values({ storeId: sql.placeholder('storeId'), orderId: sql.placeholder('orderId'), changedAt: sql.placeholder('changedAt') })
      .prepare(),
  );
