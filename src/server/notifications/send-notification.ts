// Sends one claimed outbox row to its push service: encrypted (aes128gcm) and signed (VAPID) by
// the web-push package, POSTed by us with a timeout (so http test doubles work and nothing blocks),
// and the answer recorded: sent, retry later (429, 5xx, timeouts; Retry-After honoured), failed,
// or gone (404/410: the device is forgotten).
import webpush from 'web-push';
import { log } from '../log.ts';
import { buildNotification, type PushMessage } from './build-notification.ts';
import { loadNotificationFacts, type Delivery } from './load-notification-facts.ts';
import { closeClaim, markSending, recordOutcome, type ClaimedRow, type Outcome } from './outbox.ts';
import type { PushConfig } from './push-config.ts';
import { isAllowedPushEndpoint } from './push-hosts.ts';
import { vapidAuthorization } from './vapid-header.ts';

export interface SendContext {
  owner: string;
  now: () => number;
  push: PushConfig;
  publicUrl: string;
  timeoutMs: number;
}

/** Attempts after which a row that keeps failing is given up. */
const MAX_ATTEMPTS = 8;

/** Sends one row; resolves to what happened ('skipped' when the row or its lease is gone). */
export async function sendNotification(row: ClaimedRow, ctx: SendContext): Promise<Outcome['kind'] | 'skipped' | 'expired'> {
  const delivery = await loadNotificationFacts(row.id, ctx.publicUrl);
  if (!delivery) return 'skipped';
  let msg: PushMessage;
  try {
    msg = buildNotification(delivery.facts);
  } catch (err) {
    const error = `could not build the message: ${(err as Error).message}`;
    return (await closeClaim(row.id, ctx.owner, 'failed', error)) ? 'failed' : 'skipped';
  }
  // News that waited past its TTL (a sender down, a long backoff) is stale: never sent late.
  const ttlLeft = Math.floor((delivery.queuedAt + msg.options.TTL * 1000 - ctx.now()) / 1000);
  if (ttlLeft <= 0) return (await closeClaim(row.id, ctx.owner, 'expired')) ? 'expired' : 'skipped';
  // Written before the POST: if this process dies after it, the row is never sent again.
  if (!(await markSending(row.id, ctx.owner, ctx.now(), ctx.push.leaseMs))) return 'skipped';
  const attempts = row.attempts + 1;
  const outcome = await post(delivery, { ...msg, options: { ...msg.options, TTL: ttlLeft } }, attempts, ctx);
  await recordOutcome(row, ctx.owner, outcome, ctx.now());
  if (outcome.kind === 'failed') log.warn({ outbox: row.id, error: outcome.error }, 'push notification failed');
  return outcome.kind;
}

async function post(d: Delivery, msg: PushMessage, attempts: number, ctx: SendContext): Promise<Outcome> {
  // Checked again at send time: the allowed hosts may have changed since the device subscribed.
  if (!isAllowedPushEndpoint(d.subscription.endpoint, ctx.push.extraHosts))
    return { kind: 'failed', error: 'endpoint not on an allowed push service' };
  let request: ReturnType<typeof webpush.generateRequestDetails>;
  try {
    // Encrypted by web-push; signed with a VAPID header kept per push service (vapid-header.ts).
    request = webpush.generateRequestDetails(d.subscription, msg.payload, { ...msg.options, contentEncoding: 'aes128gcm' });
    request.headers.Authorization = vapidAuthorization(d.subscription.endpoint, ctx.push.vapid, Date.now());
  } catch (err) {
    return { kind: 'failed', error: `could not build the message: ${(err as Error).message}` };
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() !== 'content-length') headers[k] = String(v);
  let res: Response;
  try {
    res = await fetch(request.endpoint, {
      method: 'POST',
      headers,
      body: request.body ? new Uint8Array(request.body) : null,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
  } catch (err) {
    return retryOrFail(attempts, null, ctx.now(), `network: ${(err as Error).name}`);
  }
  if (res.status >= 200 && res.status < 300) return { kind: 'sent' };
  if (res.status === 404 || res.status === 410) return { kind: 'gone' };
  if (res.status === 429 || res.status >= 500)
    return retryOrFail(attempts, res.headers.get('retry-after'), ctx.now(), `HTTP ${res.status}`);
  return { kind: 'failed', error: `HTTP ${res.status}` };
}

function retryOrFail(attempts: number, retryAfter: string | null, now: number, error: string): Outcome {
  if (attempts >= MAX_ATTEMPTS) return { kind: 'failed', error: `${error}; gave up after ${attempts} attempts` };
  return { kind: 'retry', at: now + retryDelayMs(attempts, retryAfter, now), error };
}

/**
 * How long to wait before the next attempt: exponential from 15 s (±50% jitter, at most an hour),
 * but never sooner than the push service's Retry-After (seconds or an HTTP date; at most 6 hours).
 */
export function retryDelayMs(attempts: number, retryAfter: string | null, now: number, random = Math.random): number {
  const backoff = Math.min(3_600_000, 15_000 * 2 ** Math.max(0, attempts - 1)) * (0.5 + random());
  let asked = 0;
  if (retryAfter) {
    const secs = /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(secs) && secs > 0) asked = Math.min(secs, 6 * 3_600_000);
  }
  return Math.round(Math.max(backoff, asked));
}
