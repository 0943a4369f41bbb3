// The events-out sender's loop: put back what a dead sender left mid-delivery, claim due
// deliveries under a lease, send a few at a time, sleep when there is nothing to do. One job of
// the jobs registry (src/server/jobs/registry.ts); any number of workers may run it side by side.
import { hostname } from 'node:os';
import { config } from '../config.ts';
import { randomToken } from '../ids.ts';
import { log } from '../log.ts';
import { repeatRounds } from '../repeat-rounds.ts';
import { claimDeliveries, recoverExpiredDeliveries, releaseDeliveries, type ClaimedDelivery } from './deliveries.ts';
import { sendDelivery, type SendContext } from './send-delivery.ts';

export interface WebhookSenderOptions {
  now?: () => number;
  concurrency?: number;
  idleMs?: number;
  /** How long a claim lasts: well beyond the 10 s timeout, so a live sender never loses its row. */
  leaseMs?: number;
  timeoutMs?: number;
  autoStart?: boolean;
}

/** Starts the sender in this process. */
export function startWebhookSender(opts: WebhookSenderOptions = {}) {
  const now = opts.now ?? Date.now;
  const owner = `${hostname()}:${process.pid}:webhooks:${randomToken(6)}`;
  const concurrency = opts.concurrency ?? 16;
  const leaseMs = opts.leaseMs ?? config().webhookLeaseMs;
  const timeoutMs = opts.timeoutMs ?? Math.min(10_000, leaseMs / 2);
  const ctx: SendContext = { owner, now, timeoutMs, allowedHosts: config().webhookHosts, klaviyoBaseUrl: config().klaviyoBaseUrl };
  let stopped = false;

  async function runOnce(): Promise<number> {
    const recovered = await recoverExpiredDeliveries(now());
    if (recovered) log.warn({ recovered }, 'webhook deliveries left mid-send by a stopped sender are sent again');
    const claimed = await claimDeliveries({ owner, now: now(), limit: 100, leaseMs });
    const queue: ClaimedDelivery[] = [...claimed];
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      while (!stopped) {
        const row = queue.shift();
        if (!row) break;
        try {
          await sendDelivery(row, ctx);
        } catch (err) {
          log.error({ err, delivery: row.id }, 'webhook delivery failed unexpectedly');
        }
      }
    });
    await Promise.all(workers);
    await releaseDeliveries(
      queue.map((r) => r.id),
      owner,
    );
    return claimed.length;
  }

  const rounds = repeatRounds({ name: 'webhooks sender', round: runOnce, idleMs: opts.idleMs ?? 250, autoStart: opts.autoStart });
  return {
    owner,
    runOnce,
    stop: async () => {
      stopped = true;
      await rounds.stop();
    },
  };
}
