// The carrier-sync job's loop: claim due shipments, sync them a few at a time. Backs off as a whole when EasyPost rate-limits or fails, so a storm of 429s
// slows us down instead of hammering. Stops cleanly; a kill at any moment loses nothing (leases).
import { hostname } from 'node:os';
import { config } from '../config.ts';
import { randomToken } from '../ids.ts';
import { repeatRounds } from '../repeat-rounds.ts';
import { claimDueShipments } from './claim-due-shipments.ts';
import { syncShipment } from './sync-shipment.ts';

export interface SyncWorkerOptions {
  now?: () => number;
  batch?: number;
  concurrency?: number;
  leaseMs?: number;
  idleMs?: number;
  /** false: no loop; the caller drives runOnce() (tests). */
  autoStart?: boolean;
}

export interface SyncWorker {
  owner: string;
  /** Runs one round (claim, sync); resolves to how many shipments it handled. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the loop in this process (through the jobs registry: the server's, or `npm run waypost -- worker`). */
export function startSyncWorker(opts: SyncWorkerOptions = {}): SyncWorker {
  const now = opts.now ?? Date.now;
  const owner = `${hostname()}:${process.pid}:${randomToken(6)}`;
  const batch = opts.batch ?? 50;
  const concurrency = opts.concurrency ?? 8;
  const leaseMs = opts.leaseMs ?? config().syncLeaseMs;
  const idleMs = opts.idleMs ?? 1_000;
  let pauseUntil = 0;

  async function runOnce(): Promise<number> {
    if (now() < pauseUntil) return 0;
    const claimed = await claimDueShipments({ owner, now: now(), limit: batch, leaseMs });
    let retries = 0;
    for (let i = 0; i < claimed.length; i += concurrency) {
      const outcomes = await Promise.all(claimed.slice(i, i + concurrency).map((c) => syncShipment(c, { owner, now })));
      retries += outcomes.filter((o) => o === 'retry').length;
    }
    if (retries > 0) pauseUntil = now() + Math.min(30_000, 1_000 * retries) * (0.5 + Math.random());
    return claimed.length;
  }

  const rounds = repeatRounds({ name: 'carrier sync', round: runOnce, idleMs, autoStart: opts.autoStart });
  return { owner, runOnce, stop: rounds.stop };
}
