// Writers call this inside their transaction whenever something a shopper page shows changes.
import { sql } from 'drizzle-orm';
import { afterCommit, prepared, schema, type Tx } from '../db.ts';
import { invalidatePages, keptPagesOf } from './page-cache.ts';
import { deleteStoredPages } from './page-store.ts';
import { guardsByVersionRow, stampAndRecordChange } from './page-versions.ts';

/**
 * Appends to the change feed: this order's pages (or, with orderId null, the whole store's) are
 * stale. Their rows in the page store go in the same transaction; this process's memory tier is
 * dropped once the transaction commits (never before: a render running in between would read the
 * old data and keep it as fresh; never after a rollback), and the render queue is told (see
 * onOwnChange); other instances drop theirs when they read the feed.
 */
export async function recordPageChange(tx: Tx, storeId: string, orderId: string | null, now: number): Promise<void> {
  // A process with a render queue renders its own change; the worker's is claimed by one portal.
  const claimed = state().listeners.size > 0 ? 1 : 0;
  // PostgreSQL: the page_versions stamp first (in the same statement as the feed's insert), so a
  // page write under way either holds the row (and this waits, then the delete below, a later
  // statement, sees its page) or finds this change when it takes the row (page-versions.ts).
  const seq = guardsByVersionRow()
    ? await stampAndRecordChange(tx, storeId, orderId, now, claimed)
    : (await insertChange(tx).execute({ storeId, orderId, changedAt: now, claimed }))[0]!.seq;
  await deleteStoredPages(tx, storeId, orderId);
  afterCommit(tx, () => {
    // The pages kept in memory now are the ones readers open: the render queue renders them again.
    const kept = state().listeners.size > 0 ? keptPagesOf(storeId, orderId) : [];
    invalidatePages(storeId, orderId);
    // When the feed brings this change back, this process has already dropped its pages: a second
    // drop would throw away the page rendered since (see isOwnChange).
    markOwnChange(seq);
    for (const l of state().listeners) l({ seq, storeId, orderId }, kept);
  });
}

/** A change this process committed. */
export interface OwnChange {
  seq: number;
  storeId: string;
  orderId: string | null;
}

interface State {
  own: Set<number>;
  listeners: Set<OwnChangeListener>;
}
const g = globalThis as { __waypostOwnChanges?: State };
const state = (): State => (g.__waypostOwnChanges ??= { own: new Set(), listeners: new Set() });

/** Told a change and the pages (page key and language) this process kept for it until then. */
type OwnChangeListener = (c: OwnChange, kept: { pageKey: string; lang: string }[]) => void;

/** Calls listener after each commit of this process that changed a page (the render queue). Returns the unsubscribe function. */
export function onOwnChange(listener: OwnChangeListener): () => void {
  state().listeners.add(listener);
  return () => state().listeners.delete(listener);
}

function markOwnChange(seq: number): void {
  const set = state().own;
  if (set.size > 100_000) set.clear();
  set.add(seq);
}

/** True (once) for a change this process recorded itself. */
export function isOwnChange(seq: number): boolean {
  return state().own.delete(seq);
}

const insertChange = (tx: Tx) =>
  prepared(tx, 'pagecache.insertChange', (d) =>
    d
      .insert(schema.pageChanges)
      .values({
        storeId: sql.placeholder('storeId'),
        orderId: sql.placeholder('orderId'),
        changedAt: sql.placeholder('changedAt'),
        claimed: sql.placeholder('claimed'),
      })
      .returning({ seq: schema.pageChanges.seq })
      .prepare(),
  );
