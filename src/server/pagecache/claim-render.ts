// Changes committed by a process without a render queue (the `waypost worker` command) are
// rendered ahead of their next read by exactly one portal: every portal reads them from the feed,
// and each tries to claim them with one conditional UPDATE; only the rows it flipped are its to
// render. See README, "Fresh pages".
import { and, eq, inArray } from 'drizzle-orm';
import { schema, transaction } from '../db.ts';
import type { PageChange } from './change-feed.ts';

/**
 * Claims the render of these changes (seqs of unclaimed feed rows) for this process. Returns the
 * changes this process won; another portal claiming the same rows at the same time gets none of
 * them (the UPDATE's condition is rechecked on the row it locks, on both dialects).
 */
export async function claimRenders(seqs: number[]): Promise<Omit<PageChange, 'claimed'>[]> {
  if (seqs.length === 0) return [];
  const c = schema.pageChanges;
  return transaction((tx) =>
    tx
      .update(c)
      .set({ claimed: 1 })
      .where(and(inArray(c.seq, seqs), eq(c.claimed, 0)))
      .returning({ seq: c.seq, storeId: c.storeId, orderId: c.orderId }),
  );
}
