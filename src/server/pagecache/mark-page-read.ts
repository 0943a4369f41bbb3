// When a shopper last read a stored page, kept coarse so a cached read stays free of writes: each
// page this process serves is marked at most once, and only when the stored time is unknown or a
// day old. The midnight sweep re-renders only pages read recently (sweep-ahead.ts).
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { schema, transaction } from '../db.ts';
import { log } from '../log.ts';
import type { CachedPage } from './page-cache.ts';

const DAY_MS = 86_400_000;
const t = schema.pageStore;

const g = globalThis as { __waypostPagesRead?: WeakSet<CachedPage> };
const marked = (): WeakSet<CachedPage> => (g.__waypostPagesRead ??= new WeakSet());

/**
 * Notes a shopper's read of a served page. Writes (one UPDATE, off the answer path) only the first
 * time this process serves that render and only when its stored read time is missing or a day
 * old; every other read costs a WeakSet look-up. Never rejects.
 */
export function markPageRead(page: CachedPage, now = Date.now()): Promise<void> {
  if ((page.readAt ?? -Infinity) > now - DAY_MS || marked().has(page)) return Promise.resolve();
  marked().add(page);
  return transaction(async (tx) => {
    await tx
      .update(t)
      .set({ readAt: now })
      .where(and(eq(t.pageKey, page.pageKey), eq(t.lang, page.lang), or(isNull(t.readAt), lt(t.readAt, now - DAY_MS))));
  }).then(
    () => undefined,
    (err: unknown) => log.warn({ err, page: page.pageKey }, 'noting a page read failed'),
  );
}
