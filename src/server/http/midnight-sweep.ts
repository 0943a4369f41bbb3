// The midnight sweep: a little before an order's local midnight, each portal's sweep re-renders the
// stored pages of that order that shoppers read recently, as of the new local day ("arrives
// tomorrow" becomes "arrives today"), so the first read after midnight is answered from the store.
// It runs in every portal beside its render queue (a `waypost worker` has no front door to render
// through, and portals may run without jobs); a per-row claim keeps two portals from rendering one
// page twice. See README, "Fresh pages".
import { config } from '../config.ts';
import { log } from '../log.ts';
import { repeatRounds, type Rounds } from '../repeat-rounds.ts';
import { claimDuePages } from '../pagecache/sweep-ahead.ts';
import { renderAhead } from './render-queue.ts';

/** Only pages a shopper read in the last seven days are rendered ahead; the rest render on their next read. */
const SWEEP_READ_WITHIN_MS = 7 * 86_400_000;
/** At most this many pages a round, one render at a time (a round that found a full batch runs again at once). */
const SWEEP_BATCH = 50;

interface Sweep {
  rounds: Rounds | null;
  stats: { claimed: number; rendered: number; failed: number };
}
const g = globalThis as { __waypostMidnightSweep?: Sweep };
const sweep = (): Sweep => (g.__waypostMidnightSweep ??= { rounds: null, stats: { claimed: 0, rendered: 0, failed: 0 } });

/**
 * One round: claims the due pages (one indexed read when none are) and renders each as of its
 * stale_at into the table, where writeStoredPage refuses it if a change came after it began.
 * Returns how many it rendered. A claimed page whose render fails renders on its next read.
 */
async function sweepAhead(now = Date.now()): Promise<number> {
  const s = sweep();
  // Pages whose local day ends within the lead (WAYPOST_SWEEP_LEAD_MS, 10 minutes) are due: a round every 30 seconds reaches each many times.
  const due = await claimDuePages({ now, leadMs: config().sweepLeadMs, readWithinMs: SWEEP_READ_WITHIN_MS, batch: SWEEP_BATCH });
  s.stats.claimed += due.length;
  let rendered = 0;
  for (const p of due) {
    try {
      const status = await renderAhead(p.pageKey, p.ownLanguage ? null : p.lang, p.staleAt);
      if (status !== 200) throw new Error(`the render answered ${status}`);
      rendered++;
    } catch (err) {
      s.stats.failed++;
      log.warn({ err, page: p.pageKey }, 'rendering a page ahead of midnight failed; it renders on its next read');
    }
  }
  s.stats.rendered += rendered;
  return due.length === SWEEP_BATCH ? rendered : 0;
}

/** Starts sweeping every WAYPOST_SWEEP_EVERY_MS (30 seconds; at once again after a full batch). */
export function startMidnightSweep(): void {
  const s = sweep();
  s.rounds ??= repeatRounds({ name: 'midnight sweep', round: () => sweepAhead(), idleMs: config().sweepEveryMs });
}

/** Stops sweeping; resolves once the round under way has ended. */
export async function stopMidnightSweep(): Promise<void> {
  const s = sweep();
  const rounds = s.rounds;
  s.rounds = null;
  await rounds?.stop();
}

/** Pages claimed, rendered ahead and failed since start, for health. */
export function midnightSweepStats(): { claimed: number; rendered: number; failed: number } {
  return { ...sweep().stats };
}
