// Follows the page_changes table so every instance (and every module copy in this process) learns
// of changes made anywhere: cached pages are dropped and open order pages are told to refresh.
//
// Commit order on PostgreSQL: a change's seq is taken when its row is inserted, not when its
// transaction commits, so a transaction that commits late makes a lower seq appear after the feed
// has read past it (on SQLite, one writer at a time, seqs commit in order). Reading only
// seq > last would miss that change for good. So on PostgreSQL the feed remembers every seq it
// skipped over (a gap) and asks for those again on each read until they arrive, or until
// GAP_WAIT_MS has passed (a rolled-back transaction leaves a seq that never commits; transactions
// are short by rule, so a minute is far longer than any still open).
import { gt, inArray, lt, max, or } from 'drizzle-orm';
import { databaseDialect, db, firstRow, othersCommitted, schema, transaction } from '../db.ts';
import { log } from '../log.ts';

export interface PageChange {
  seq: number;
  storeId: string;
  orderId: string | null;
  /** 0 while no portal has taken on re-rendering it (a change of a process without a render queue). */
  claimed: number;
}
type Listener = (changes: PageChange[]) => void;

/** PostgreSQL: how long a skipped seq is looked for again before it is taken for a rolled-back one. */
export const GAP_WAIT_MS = 60_000;
/** At most this many skipped seqs are looked for (the oldest are given up first). */
const MAX_GAPS = 10_000;

interface Feed {
  lastSeq: number;
  /** othersCommitted() as it was before the last read of the feed began. */
  seenVersion: number;
  catchingUp: Promise<void> | null;
  listeners: Set<Listener>;
  timer: NodeJS.Timeout | null;
  lastPrune: number;
  /** PostgreSQL: seqs below lastSeq not yet seen → when the feed first skipped them (ms). */
  gaps: Map<number, number>;
}

const g = globalThis as { __waypostFeed?: Feed };
const feed = (): Feed =>
  (g.__waypostFeed ??= {
    lastSeq: -1,
    seenVersion: -1,
    catchingUp: null,
    listeners: new Set(),
    timer: null,
    lastPrune: 0,
    gaps: new Map(),
  });

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
  const c = schema.pageChanges;
  const gaps = [...f.gaps.keys()];
  const rows = await db()
    .select({ seq: c.seq, storeId: c.storeId, orderId: c.orderId, claimed: c.claimed })
    .from(c)
    .where(gaps.length > 0 ? or(gt(c.seq, f.lastSeq), inArray(c.seq, gaps)) : gt(c.seq, f.lastSeq))
    .orderBy(c.seq)
    .limit(5000);
  if (databaseDialect() === 'postgresql') noteGaps(f, rows, Date.now());
  if (rows.length === 0) return 0;
  f.lastSeq = Math.max(f.lastSeq, rows.at(-1)!.seq);
  for (const l of f.listeners) {
    try {
      l(rows);
    } catch (err) {
      log.error({ err }, 'page change listener failed');
    }
  }
  return rows.length;
}

/**
 * PostgreSQL: forgets the gaps these rows fill, remembers the seqs they skip over (between the last
 * seq read and each new one), and gives up gaps older than GAP_WAIT_MS.
 */
function noteGaps(f: Feed, rows: PageChange[], now: number): void {
  let high = f.lastSeq;
  for (const r of rows) {
    if (r.seq <= f.lastSeq) {
      f.gaps.delete(r.seq);
      continue;
    }
    for (let s = Math.max(high + 1, r.seq - MAX_GAPS); s < r.seq; s++) f.gaps.set(s, now);
    high = Math.max(high, r.seq);
  }
  for (const [seq, since] of f.gaps) if (now - since > GAP_WAIT_MS || f.gaps.size > MAX_GAPS) f.gaps.delete(seq);
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
  f.gaps.clear();
}
