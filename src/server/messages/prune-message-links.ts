// Keeps message_links (the redirect targets of our email links) from growing forever: a link
// recorded more than 400 days ago is deleted, longer than the longest period analytics can show
// (366 days) so nobody comparing "this year with last" loses a redirect still being counted. The
// clicks stay counted: before a message's links go, how many of them were followed is kept on the
// message (messages.pruned_clicks), which the figures add to the live links' count, so a figure of
// any period is the same before and after. A pruned link sends the shopper to the store's order
// look-up (the old target, an order page under its token, is reachable from there), not a 404.
import { and, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { affectedRows, db, schema, transaction } from '../db.ts';

const DAY = 86_400_000;
/** Links recorded longer ago than this are deleted (above the 366 days an analytics period may span). */
const KEEP_LINKS_MS = 400 * DAY;
const BATCH = 500;

/** Deletes the links of messages sent more than 400 days ago, keeping their click counts on the message; answers how many links went. */
export async function pruneMessageLinks(now: number): Promise<number> {
  const l = schema.messageLinks;
  const m = schema.messages;
  let pruned = 0;
  // In batches of messages, each its own transaction: a big backlog never holds the writer long.
  for (;;) {
    const ids = (
      await db()
        .selectDistinct({ id: l.messageId })
        .from(l)
        .where(lt(l.createdAt, now - KEEP_LINKS_MS))
        .limit(BATCH)
    ).map((r) => r.id);
    if (ids.length === 0) return pruned;
    pruned += await transaction(async (tx) => {
      // All of a message's links go together (a retry may have recorded one later), so a message
      // is counted either from its links or from pruned_clicks, never from both.
      const clicked = await tx
        .select({ id: l.messageId, n: sql<number>`count(*)`.mapWith(Number) })
        .from(l)
        .where(and(inArray(l.messageId, ids), isNotNull(l.firstClickedAt)))
        .groupBy(l.messageId);
      const byMessage = new Map(clicked.map((c) => [c.id, c.n]));
      for (const id of ids)
        await tx
          .update(m)
          .set({ prunedClicks: sql`coalesce(${m.prunedClicks}, 0) + ${byMessage.get(id) ?? 0}` })
          .where(eq(m.id, id));
      return affectedRows(await tx.delete(l).where(inArray(l.messageId, ids)));
    });
  }
}
