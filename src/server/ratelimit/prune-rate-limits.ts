// Keeps rate_limits from growing with every visitor: a counter whose window began two days ago
// counts for nothing any more (no limit's window is longer than a day).
import { lt } from 'drizzle-orm';
import { affectedRows, schema, transaction } from '../db.ts';

const KEEP_MS = 2 * 86_400_000;

/** Deletes the counters whose window began more than two days before `now`; resolves to how many. */
export async function pruneRateLimits(now: number): Promise<number> {
  return transaction(async (tx) =>
    affectedRows(await tx.delete(schema.rateLimits).where(lt(schema.rateLimits.windowStart, now - KEEP_MS))),
  );
}
