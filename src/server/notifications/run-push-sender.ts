// The outbox sender's loop: claim due rows under a lease, send them a few at a time at a steady
// rate (WAYPOST_PUSH_RATE per second), sleep when there is nothing to do. All HTTP is async with
// bounded concurrency, so a burst of 10,000 updates never blocks page requests. One job of the
// jobs registry (src/server/jobs/registry.ts).
import { hostname } from 'node:os';
import { config } from '../config.ts';
import { randomToken } from '../ids.ts';
import { repeatRounds } from '../repeat-rounds.ts';
import { log } from '../log.ts';
import { claimNotifications, recoverExpiredLeases, releaseClaims, type ClaimedRow } from './outbox.ts';
import { pushConfig } from './push-config.ts';
import { sendNotification, type SendContext } from './send-notification.ts';

export interface PushSenderOptions {
  now?: () => number;
  concurrency?: number;
  idleMs?: number;
  timeoutMs?: number;
  /** false: no loop; the caller drives runOnce() (tests, the benchmark). */
  autoStart?: boolean;
}

export interface PushSender {
  owner: string;
  /** One round: recover expired leases, claim, send; resolves to how many rows it handled. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the sender in this process. */
export function startPushSender(opts: PushSenderOptions = {}): PushSender {
  const push = pushConfig();
  const now = opts.now ?? Date.now;
  const owner = `${hostname()}:${process.pid}:push:${randomToken(6)}`;
  const concurrency = opts.concurrency ?? 16;
  const idleMs = opts.idleMs ?? 250;
  const gapMs = 1000 / push.ratePerSecond;
  const batch = Math.max(1, Math.min(200, push.ratePerSecond));
  // The HTTP timeout stays well inside the lease, so a live sender never sees its own row abandoned.
  const ctx: SendContext = {
    owner,
    now,
    push,
    publicUrl: config().publicUrl,
    timeoutMs: opts.timeoutMs ?? Math.min(10_000, push.leaseMs / 2),
  };
  let stopped = false;
  let nextStart = 0;

  /** Waits for this send's slot, so sends start at most ratePerSecond a second. */
  async function pace(): Promise<void> {
    const t = Date.now();
    nextStart = Math.max(nextStart, t);
    const wait = nextStart - t;
    nextStart += gapMs;
    if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
  }

  async function runOnce(): Promise<number> {
    const r = await recoverExpiredLeases(now());
    if (r.abandoned) log.warn({ abandoned: r.abandoned }, 'push notifications left "sending" by a stopped sender were not resent');
    const claimed = await claimNotifications({ owner, now: now(), limit: batch, leaseMs: push.leaseMs });
    const queue: ClaimedRow[] = [...claimed];
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      while (!stopped) {
        const row = queue.shift();
        if (!row) break;
        await pace();
        try {
          await sendNotification(row, ctx);
        } catch (err) {
          log.error({ err, outbox: row.id }, 'push send failed unexpectedly');
        }
      }
    });
    await Promise.all(workers);
    await releaseClaims(
      queue.map((r) => r.id),
      owner,
    );
    return claimed.length;
  }

  const rounds = repeatRounds({ name: 'push sender', round: runOnce, idleMs, autoStart: opts.autoStart });
  return {
    owner,
    runOnce,
    stop: async () => {
      stopped = true; // senders mid-round take no further row (what they claimed goes back)
      await rounds.stop();
    },
  };
}
