// When a shopper last read a stored page, kept coarse so a read served from memory writes nothing
// on its way: each render this process serves is noted at most once, and only when its stored time
// is unknown or a day old; the notes are gathered in memory and written every few seconds, many
// pages to a statement, as order-page visits are (count-page-view.ts). The midnight sweep
// re-renders only pages read recently (sweep-ahead.ts), so a process killed between writes loses
// at most those seconds of notes: those pages are rendered on their first read of the next day.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { schema, transaction } from '../db.ts';
import { log } from '../log.ts';
import { memoryKey, type CachedPage } from './page-cache.ts';

const DAY_MS = 86_400_000;
const FLUSH_MS = 5_000;
/** Pages per UPDATE: (page_key, lang) pairs on the primary key, 200 parameters and one time. */
const PER_STATEMENT = 100;
const t = schema.pageStore;

interface Read {
  pageKey: string;
  lang: string;
  at: number;
}

// One per process, even when this module is loaded twice (Node and Astro's bundle).
const g = globalThis as { __waypostPagesRead?: { marked: WeakSet<CachedPage>; pending: Map<string, Read>; timer: NodeJS.Timeout | null } };
const state = (g.__waypostPagesRead ??= { marked: new WeakSet(), pending: new Map(), timer: null });

/**
 * Notes a shopper's read of a served page: the first time this process serves that render, and
 * only when its stored read time is missing or a day old. Every other read costs a WeakSet
 * look-up; none waits for the database.
 */
export function markPageRead(page: CachedPage, now = Date.now()): void {
  if ((page.readAt ?? -Infinity) > now - DAY_MS || state.marked.has(page)) return;
  state.marked.add(page);
  const key = memoryKey(page.pageKey, page.lang);
  const seen = state.pending.get(key);
  if (seen) seen.at = Math.max(seen.at, now);
  else state.pending.set(key, { pageKey: page.pageKey, lang: page.lang, at: now });
  if (!state.timer) {
    state.timer = setTimeout(() => void flushPageReads(), FLUSH_MS);
    state.timer.unref();
  }
}

/**
 * Writes the reads noted so far (the timer does this; a clean stop and tests call it), each batch
 * its own short transaction. A row read within the day already keeps its time. Returns the pages
 * written; never rejects (a failed write is logged, and those reads go unnoted).
 */
export async function flushPageReads(): Promise<number> {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const reads = [...state.pending.values()];
  state.pending.clear();
  for (let i = 0; i < reads.length; i += PER_STATEMENT) {
    const batch = reads.slice(i, i + PER_STATEMENT);
    // The batch's latest read stands for all of it: they are seconds apart, and the sweep counts days.
    const at = Math.max(...batch.map((r) => r.at));
    try {
      await transaction(async (tx) => {
        await tx
          .update(t)
          .set({ readAt: at })
          .where(
            and(
              or(...batch.map((r) => and(eq(t.pageKey, r.pageKey), eq(t.lang, r.lang)))),
              or(isNull(t.readAt), lt(t.readAt, at - DAY_MS)),
            ),
          );
      });
    } catch (err) {
      log.warn({ err, pages: batch.length }, 'noting page reads failed');
    }
  }
  return reads.length;
}
