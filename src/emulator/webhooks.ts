// Webhook registration and delivery. Bodies are signed exactly as EasyPost signs them, so the real
// @easypost/api `Utils.validateWebhook(rawBody, headers, secret)` accepts them.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { DeliveryRecord } from './types.ts';
import { newId } from './ids.ts';
import { isoSeconds } from './clock.ts';

export interface WebhookRecord {
  id: string;
  apiKey: string;
  url: string;
  secret: string;
  mode: 'test' | 'production';
  createdAt: number;
}

/** The X-Hmac-Signature value: HMAC-SHA256 keyed by the NFKD-normalised secret over the exact body bytes. */
export function signBody(body: string | Buffer, secret: string): string {
  const key = Buffer.from(secret.normalize('NFKD'), 'utf8');
  return `hmac-sha256-hex=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/** Webhook JSON as EasyPost's Webhook object. */
export function webhookJson(w: WebhookRecord): Record<string, unknown> {
  return {
    id: w.id,
    object: 'Webhook',
    mode: w.mode,
    url: w.url,
    created_at: isoSeconds(w.createdAt),
    disabled_at: null,
    custom_headers: [],
  };
}

export interface DeliveryJob {
  hook: WebhookRecord;
  eventId: string;
  description: string;
  body: string; // exact bytes that are signed and sent
  onDone: (ok: boolean) => void;
}

/** Holds webhooks and delivers to them: asynchronously, in order per webhook, retrying with backoff. */
export class WebhookHub {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly hooks: WebhookRecord[] = [];
  private readonly queues = new Map<string, Promise<void>>(); // one chain per webhook keeps events in order
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<http.ClientRequest>();
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;
  private closed = false;

  constructor(retryDelaysMs: number[], timeoutMs: number) {
    this.retryDelaysMs = retryDelaysMs;
    this.timeoutMs = timeoutMs;
  }

  /** Adds a webhook for a key. */
  register(apiKey: string, url: string, secret: string, mode: WebhookRecord['mode'], now: number): WebhookRecord {
    const hook: WebhookRecord = { id: newId('hook'), apiKey, url, secret, mode, createdAt: now };
    this.hooks.push(hook);
    return hook;
  }

  /** This key's webhooks. */
  list(apiKey: string): WebhookRecord[] {
    return this.hooks.filter((h) => h.apiKey === apiKey);
  }

  /** Removes a webhook of this key; false when there is none. */
  remove(apiKey: string, id: string): boolean {
    const i = this.hooks.findIndex((h) => h.id === id && h.apiKey === apiKey);
    if (i < 0) return false;
    this.hooks.splice(i, 1);
    return true;
  }

  /** Queues a delivery; returns at once (delivery must never hold up an API answer). */
  enqueue(job: DeliveryJob): void {
    const previous = this.queues.get(job.hook.id) ?? Promise.resolve();
    const next = previous.then(() => this.deliverWithRetries(job));
    this.queues.set(job.hook.id, next);
    this.running.add(next);
    void next.finally(() => this.running.delete(next));
  }

  /** Resolves once nothing is queued, in flight or waiting to retry. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops retries and aborts deliveries in flight. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.requests) r.destroy();
  }

  private async deliverWithRetries(job: DeliveryJob): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      const { statusCode, error } = await this.post(job);
      this.deliveries.push({
        url: job.hook.url,
        eventId: job.eventId,
        description: job.description,
        attempt,
        statusCode,
        ...(error ? { error } : {}),
      });
      if (statusCode !== null && statusCode >= 200 && statusCode < 300) return job.onDone(true);
      const delay = this.retryDelaysMs[attempt - 1];
      if (delay === undefined || this.closed) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, delay);
        this.timers.add(timer);
      });
    }
    job.onDone(false);
  }

  private post(job: DeliveryJob): Promise<{ statusCode: number | null; error?: string }> {
    return new Promise((resolve) => {
      if (this.closed) return resolve({ statusCode: null, error: 'emulator closed' });
      let target: URL;
      try {
        target = new URL(job.hook.url);
      } catch {
        return resolve({ statusCode: null, error: 'invalid url' });
      }
      const body = Buffer.from(job.body, 'utf8');
      const send = target.protocol === 'https:' ? https.request : http.request;
      const req = send(target, {
        method: 'POST',
        timeout: this.timeoutMs,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          'User-Agent': 'EasyPost WebHook Agent 1.0 (Waypost emulator)',
          'X-Hmac-Signature': signBody(body, job.hook.secret),
        },
      });
      this.requests.add(req);
      const finish = (r: { statusCode: number | null; error?: string }) => {
        this.requests.delete(req);
        resolve(r);
      };
      req.on('response', (res) => {
        res.resume(); // the answer's body does not matter, only its status
        res.on('end', () => finish({ statusCode: res.statusCode ?? null }));
        res.on('error', () => finish({ statusCode: res.statusCode ?? null }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => finish({ statusCode: null, error: err.message }));
      req.end(body);
    });
  }
}
