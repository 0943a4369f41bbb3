// The returns job: buys labels that are due (new, or failed and backed off), and voids unused
// labels near their refund deadline. Work is found in the database and held under the purchase
// lease, so several workers can run; a kill at any moment loses nothing.
import { hostname } from 'node:os';
import { and, asc, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import { randomToken } from '../ids.ts';
import { log } from '../log.ts';
import { buyReturnLabel } from './buy-return-label.ts';
import { voidUnusedLabels } from './void-unused-label.ts';

export interface ReturnsWorker {
  owner: string;
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the loop (autoStart false: the caller drives runOnce, as tests do). */
export function startReturnsWorker(opts: { now?: () => number; idleMs?: number; autoStart?: boolean } = {}): ReturnsWorker {
  const now = opts.now ?? Date.now;
  const owner = `${hostname()}:${process.pid}:returns:${randomToken(6)}`;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();

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
      .limit(10)
      .all();
    for (const d of due) await buyReturnLabel({ storeId: d.storeId, returnId: d.id, owner, now });
    const voided = await voidUnusedLabels({ now: now() });
    return due.length + voided;
  }

  const loop = async () => {
    if (stopped) return;
    try {
      current = runOnce();
      await current;
    } catch (err) {
      log.error({ err }, 'returns job round failed');
    }
    if (!stopped) timer = setTimeout(loop, opts.idleMs ?? 2_000);
  };
  if (opts.autoStart !== false) timer = setTimeout(loop, 0);
  return {
    owner,
    runOnce,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
