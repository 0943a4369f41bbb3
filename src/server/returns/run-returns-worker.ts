// The returns job: buys labels that are due (new, or failed and backed off), and voids unused
// labels near their refund deadline. Work is found in the database and held under the purchase
// lease, so several workers can run; a kill at any moment loses nothing.
import { hostname } from 'node:os';
import { and, asc, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import { randomToken } from '../ids.ts';
import { repeatRounds } from '../repeat-rounds.ts';
import { buyReturnLabel } from './buy-return-label.ts';
import type { ReturnMoved } from './return-move.ts';
import { voidUnusedLabels } from './void-unused-label.ts';

export interface ReturnsWorker {
  owner: string;
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the loop (autoStart false: the caller drives runOnce, as tests do). */
export function startReturnsWorker(opts: { moved: ReturnMoved; now?: () => number; idleMs?: number; autoStart?: boolean }): ReturnsWorker {
  const now = opts.now ?? Date.now;
  const owner = `${hostname()}:${process.pid}:returns:${randomToken(6)}`;

  async function runOnce(): Promise<number> {
    const r = schema.returns;
    const t = now();
    const due = await db()
      .select({ id: r.id, storeId: r.storeId })
      .from(r)
      .where(
        and(
          inArray(r.labelState, ['pending', 'failed']),
          lte(r.labelNextAttemptAt, t),
          or(isNull(r.labelLeaseUntil), lt(r.labelLeaseUntil, t)),
        ),
      )
      .orderBy(asc(r.labelNextAttemptAt))
      .limit(10);
    for (const d of due) await buyReturnLabel({ storeId: d.storeId, returnId: d.id, owner, now, moved: opts.moved });
    const voided = await voidUnusedLabels({ now: now(), moved: opts.moved });
    return due.length + voided;
  }

  // A round buys at most ten labels; the next waits idleMs either way, so a burst of returns is
  // worked through at a steady pace.
  const idleMs = opts.idleMs ?? 2_000;
  const rounds = repeatRounds({ name: 'returns job', round: runOnce, idleMs, busyMs: idleMs, autoStart: opts.autoStart });
  return { owner, runOnce, stop: rounds.stop };
}
