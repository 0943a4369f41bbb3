// Follows the page_changes table so every instance (and every module copy in this process) learns
// of changes made anywhere: cached pages are dropped and open order pages are told to refresh.
import { gt, lt, max } from 'drizzle-orm';
import { db, firstRow, othersCommitted, schema, transaction } from '../db.ts';
import { log } from '../log.ts';

interface PageChange {
  seq: number;
  storeId: string;
  orderId: string | null;
}
type Listener = (changes: PageChange[]) => void;

interface Feed {
  lastSeq: number;
  /** othersCommitted() as it was before the last read of the feed began. */
  seenVersion: number;
  catchingUp: Promise<void> | null;
  listeners: Set<Listener>;
  timer: NodeJS.Timeout | null;
  lastPrune: number;
}

const g = globalThis as { __waypostFeed?: Feed };
const feed = (): Feed =>
  (g.__waypostFeed ??= { lastSeq: -1, seenVersion: -1, catchingUp: null, listeners: new Set(), timer: null, lastPrune: 0 });

/** Calls listener with every batch of changes from now on. Returns an unsubscribe function. */
export function onPageChanges(listener: Listener): () => void {
  feed().listeners.add(listener);
  return () => feed().listeners.delete(listener);
}

/**
 * False when another process has committed since the feed was last read: a page kept in memory
 * may be stale until catchUpPageChanges() has run. Costs about a microsecond (SQLite's data_version).
 */
export function pageChangesRead(): boolean {
  const f = feed();
  return f.timer === null || othersCommitted() === f.seenVersion;
}

/** Reads the feed now (once for every caller meanwhile), so pages other processes changed are dropped. */
export function catchUpPageChanges(): Promise<void> {
  const f = feed();
  f.catchingUp ??= (async () => {
    try {
      while ((await pollPageChanges()) === 5000);
    } finally {
      f.catchingUp = null;
    }
  })();
  return f.catchingUp;
}

/** Reads new changes once and tells the listeners; returns how many were read. */
async function pollPageChanges(): Promise<number> {
  const f = feed();
  // Taken before the read: a commit that lands during it moves the counter again.
  f.seenVersion = othersCommitted();
  if (f.lastSeq < 0) {
    const last = await firstRow(
      db()
        .select({ seq: max(schema.pageChanges.seq) })
        .from(schema.pageChanges),
    );
    f.lastSeq = last?.seq ?? 0;
    return 0;
  }
  const rows = await db()
    .select({ seq: schema.pageChanges.seq, storeId: schema.pageChanges.storeId, orderId: schema.pageChanges.orderId })
    .from(schema.pageChanges)
    .where(gt(schema.pageChanges.seq, f.lastSeq))
    .orderBy(schema.pageChanges.seq)
    .limit(5000);
  if (rows.length === 0) return 0;
  f.lastSeq = rows.at(-1)!.seq;
  for (const l of f.listeners) {
    try {
      l(rows);
    } catch (err) {
      log.error({ err }, 'page change listener failed');
    }
  }
  return rows.length;
}

/** Polls every intervalMs until stopPageChangeFeed(); old rows are pruned hourly. */
export function startPageChangeFeed(intervalMs = 150): void {
  const f = feed();
  if (f.timer) return;
  const loop = async () => {
    try {
      await catchUpPageChanges();
      const now = Date.now();
      if (now - f.lastPrune > 3_600_000) {
        f.lastPrune = now;
        await transaction(async (tx) => {
          await tx.delete(schema.pageChanges).where(lt(schema.pageChanges.changedAt, now - 3_600_000));
        });
      }
    } catch (err) {
      log.error({ err }, 'page change feed poll failed');
    }
    if (f.timer) f.timer = setTimeout(loop, intervalMs).unref();
  };
  f.timer = setTimeout(loop, 0).unref();
}

/** Stops polling. */
export function stopPageChangeFeed(): void {
  const f = feed();
  if (f.timer) clearTimeout(f.timer);
  f.timer = null;
  f.lastSeq = -1;
}
