// The midnight sweep's claim: stored pages whose local day ends within the lead, read by a shopper
// recently, each taken by one sweeper (a conditional UPDATE on the row: swept_for becomes the
// stale_at it was claimed for, so a row rendered again for the new day, with a new stale_at, is
// claimable again next midnight). See README, "Fresh pages".
import { and, asc, eq, gt, gte, isNull, lte, ne, or } from 'drizzle-orm';
import { db, schema, transaction } from '../db.ts';

const t = schema.pageStore;

/** A stored page to render ahead of its local midnight, as of `staleAt` (the new day's first instant). */
export interface DuePage {
  pageKey: string;
  lang: string;
  ownLanguage: boolean;
  staleAt: number;
}

/**
 * Claims up to `batch` stored pages whose stale_at falls in (now, now + leadMs] and which a
 * shopper read since now − readWithinMs, for this sweeper alone. When nothing is due it costs one
 * read on the stale_at index and no write; another sweeper claiming the same rows at the same time
 * gets none of them (the UPDATE's condition is rechecked on the row it locks, on both dialects).
 */
export async function claimDuePages(opts: { now: number; leadMs: number; readWithinMs: number; batch: number }): Promise<DuePage[]> {
  const due = await db()
    .select({ pageKey: t.pageKey, lang: t.lang, ownLanguage: t.ownLanguage, staleAt: t.staleAt })
    .from(t)
    .where(
      and(
        gt(t.staleAt, opts.now),
        lte(t.staleAt, opts.now + opts.leadMs),
        gte(t.readAt, opts.now - opts.readWithinMs),
        or(isNull(t.sweptFor), ne(t.sweptFor, t.staleAt)),
      ),
    )
    .orderBy(asc(t.staleAt))
    .limit(opts.batch);
  if (due.length === 0) return [];
  return transaction(async (tx) => {
    const won: DuePage[] = [];
    for (const p of due) {
      const rows = await tx
        .update(t)
        .set({ sweptFor: p.staleAt })
        .where(
          and(eq(t.pageKey, p.pageKey), eq(t.lang, p.lang), eq(t.staleAt, p.staleAt), or(isNull(t.sweptFor), ne(t.sweptFor, t.staleAt))),
        )
        .returning({ pageKey: t.pageKey });
      if (rows.length > 0) won.push(p);
    }
    return won;
  });
}
