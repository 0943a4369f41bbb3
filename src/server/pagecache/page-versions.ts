// PostgreSQL's half of "no render races a newer change into the page store". There a change's
// feed seq is handed out at insert, not at commit, so "no change with a seq above the render's
// version" proves nothing: a change that took a lower seq can commit after the render began (its
// data unseen by the render), and a change still open when the page is written is invisible to
// the write's check and deletes nothing (the page row is not there yet when it deletes).
//
// So a render notes PostgreSQL's snapshot (pg_current_snapshot()) before it reads anything, each
// change stamps its transaction id on its order's (or store's) page_versions row, and the page
// write locks those rows FOR SHARE: it waits for a change still open, blocks a new one until the
// page is in (that change's delete, a later statement, then sees the page and removes it), and
// refuses the page when the last change's transaction was not yet committed in the render's
// snapshot. Under READ COMMITTED a locking read returns the row as its last committer left it.
// SQLite needs none of this: one writer at a time, so seqs commit in order (page-store.ts).
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { databaseDialect, schema, type Tx } from '../db.ts';

const v = schema.pageVersions;
/** The row of an order's pages; STORE_WIDE is that of the store's store-wide changes. */
const STORE_WIDE = '';

/** True on PostgreSQL, where page writes are guarded by page_versions. */
export function guardsByVersionRow(): boolean {
  return databaseDialect() === 'postgresql';
}

/**
 * PostgreSQL, inside a change's transaction and before it deletes the stored pages: stamps this
 * transaction on the order's row (orderId null: the store's), holding its lock until commit, and
 * appends the change to the feed; returns its seq. One statement, one round trip: the change-feed
 * insert reads its one row from the stamp, so the stamp (and its wait for a page write holding
 * the row) runs first and the seq is taken after it, as two statements in that order would.
 */
export async function stampAndRecordChange(
  tx: Tx,
  storeId: string,
  orderId: string | null,
  changedAt: number,
  claimed: number,
): Promise<number> {
  const { rows } = await (tx as unknown as { execute(q: SQL): Promise<{ rows: { seq: number }[] }> }).execute(sql`
    with stamp as (
      insert into page_versions (store_id, order_id, xact) values (${storeId}, ${orderId ?? STORE_WIDE}, pg_current_xact_id()::text::bigint)
      on conflict (store_id, order_id) do update set xact = excluded.xact
      returning store_id
    )
    insert into page_changes (store_id, order_id, changed_at, claimed)
    select store_id, ${orderId}::text, ${changedAt}::bigint, ${claimed}::integer from stamp
    returning seq`);
  return Number(rows[0]!.seq);
}

/**
 * PostgreSQL, inside the page write's transaction: false when a change of the order or of its
 * store committed after `snapshot` (the render's start) was taken, or is still open (then this
 * waits for it). Until the transaction ends, no new change of either can commit.
 */
export async function unchangedSince(tx: Tx, storeId: string, orderId: string, snapshot: string): Promise<boolean> {
  // A row that does not exist yet locks nothing, and a change inserting it would slip past: make
  // both (waiting for a change's uncommitted insert of the same key, then doing nothing).
  await tx
    .insert(v)
    .values([
      { storeId, orderId, xact: null },
      { storeId, orderId: STORE_WIDE, xact: null },
    ])
    .onConflictDoNothing();
  const query = tx
    .select({
      seen: sql<boolean>`${v.xact} is null or pg_visible_in_snapshot(${v.xact}::text::xid8, ${snapshot}::pg_snapshot)`,
    })
    .from(v)
    .where(and(eq(v.storeId, storeId), inArray(v.orderId, [orderId, STORE_WIDE])))
    // Store row first, then the order's: one order for every page write, so they never deadlock.
    .orderBy(v.orderId);
  const rows = await (query as unknown as { for(strength: 'share'): typeof query }).for('share');
  return rows.every((r) => r.seen);
}
