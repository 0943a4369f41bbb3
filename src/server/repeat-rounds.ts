// The loop every background job shares: run a round, wait, run again; a failing round is logged
// and the next one still comes; stop() waits for the round under way. What a round does (and the
// leases that keep several processes apart) is the job's own.
import { log } from './log.ts';

export interface Rounds {
  /** Stops the loop and resolves once the round under way (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Repeats `round` until stopped: again at once after a round that handled work (`busyMs`, 0 by
 * default), after `idleMs` when it found none. With autoStart false nothing runs (the caller drives
 * the round itself, as tests do) and stop() still works.
 */
export function repeatRounds(opts: {
  name: string;
  round: () => Promise<number>;
  idleMs: number;
  busyMs?: number;
  autoStart?: boolean;
}): Rounds {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  const loop = async () => {
    if (stopped) return;
    let handled = 0;
    try {
      current = opts.round();
      handled = (await current) as number;
    } catch (err) {
      log.error({ err }, `${opts.name} round failed`);
    }
    if (!stopped) timer = setTimeout(loop, handled > 0 ? (opts.busyMs ?? 0) : opts.idleMs);
  };
  if (opts.autoStart !== false) timer = setTimeout(loop, 0);
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
