// One attempt at one delivery: sign it as Standard Webhooks says (or shape it for Klaviyo), POST
// it under the address guard, and record what came back.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { db, firstRow, schema } from '../db.ts';
import { decryptSecret } from '../security/keys.ts';
import { recordAttempt, type ClaimedDelivery } from './deliveries.ts';
import { klaviyoRequest, retryAfterAt } from './klaviyo-request.ts';
import { postJson } from './post-json.ts';

export interface SendContext {
  owner: string;
  now: () => number;
  timeoutMs: number;
  allowedHosts: readonly string[];
  klaviyoBaseUrl: string;
}

/** The webhook-signature header: the current secret's signature, and the previous one's during a rotation's overlap. */
function signatureHeader(secrets: { current: string; previous: string | null }, eventId: string, at: Date, body: string): string {
  const sigs = [new Webhook(secrets.current).sign(eventId, at, body)];
  if (secrets.previous) sigs.push(new Webhook(secrets.previous).sign(eventId, at, body));
  return sigs.join(' ');
}

/** Sends the claimed delivery once and records the outcome (never throws for a receiver's failure). */
export async function sendDelivery(row: ClaimedDelivery, ctx: SendContext): Promise<void> {
  const ep = await firstRow(db().select().from(schema.webhookEndpoints).where(eq(schema.webhookEndpoints.id, row.endpointId)));
  if (!ep) return; // deleted meanwhile: its deliveries went with it
  const now = ctx.now();
  let url = ep.url;
  let headers: Record<string, string>;
  let body = row.body;
  if (ep.kind === 'klaviyo') {
    url = `${ctx.klaviyoBaseUrl}/api/events`;
    const k = klaviyoRequest(decryptSecret(ep.secretEnc), row.eventId, row.body);
    headers = k.headers;
    body = k.body;
  } else {
    const at = new Date(now);
    const previous = ep.previousSecretEnc && (ep.previousSecretUntil ?? 0) > now ? decryptSecret(ep.previousSecretEnc) : null;
    headers = {
      'content-type': 'application/json',
      'user-agent': 'Waypost-Webhooks/1.0',
      'webhook-id': row.eventId,
      'webhook-timestamp': String(Math.floor(now / 1000)),
      'webhook-signature': signatureHeader({ current: decryptSecret(ep.secretEnc), previous }, row.eventId, at, body),
    };
  }
  // Klaviyo's base URL is the deployment's own setting, not a store's input: not address-guarded.
  const allowed = ep.kind === 'klaviyo' ? [...ctx.allowedHosts, hostOf(url)] : ctx.allowedHosts;
  const startedAt = ctx.now();
  const a = await postJson({ url, headers, body, timeoutMs: ctx.timeoutMs, allowedHosts: allowed });
  const ok = a.status !== null && a.status >= 200 && a.status < 300;
  await recordAttempt(
    row,
    ctx.owner,
    {
      ok,
      status: a.status,
      answer: a.error ?? a.body,
      error: a.error ?? null,
      durationMs: a.durationMs,
      request: { url, headers: masked(headers), bodySha256: createHash('sha256').update(body).digest('hex') },
      startedAt,
      ...(a.status === 429 ? { retryAt: retryAfterAt(a.headers['retry-after'], ctx.now()) } : {}),
    },
    ctx.now(),
  );
}

/** The headers as the attempt's history keeps them: a credential (Klaviyo's key) masked; a signature is no secret. */
function masked(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = k.toLowerCase() === 'authorization' ? v.replace(/(\S{3})\S+$/, '$1…') : v;
  return out;
}

function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}
